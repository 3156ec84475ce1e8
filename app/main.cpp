/// attendsim: the command-line front end. Thin by design: parse, dispatch, map errors to
/// exit codes (0 success, 2 bad usage or bad input, 1 internal error).
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.hpp"
#include "sim/error.hpp"
#include "sim/version.hpp"

int main(int argc, char** argv) {
  CLI::App root{
      "attendsim: Monte Carlo simulation and evaluation of school-attendance interventions"};
  root.set_version_flag("--version", std::string("attendsim ") + attendsim::kVersion + " (" +
                                         attendsim::kGitRevision + ")");
  root.require_subcommand(1);
  attendsim::app::Action action;
  attendsim::app::add_run_command(root, action);
  attendsim::app::add_allocate_command(root, action);
  attendsim::app::add_compare_command(root, action);
  attendsim::app::add_sensitivity_command(root, action);
  attendsim::app::add_calc_command(root, action);
  attendsim::app::add_report_command(root, action);
  attendsim::app::add_synth_register_command(root, action);
  attendsim::app::add_calibrate_command(root, action);
  attendsim::app::add_followup_command(root, action);
  attendsim::app::add_threshold_command(root, action);
  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = root.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    return action ? action() : 2;
  } catch (const attendsim::InputError& e) {
    std::cerr << "attendsim: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attendsim: internal error: " << e.what() << "\n";
    return 1;
  }
}
