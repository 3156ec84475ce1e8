/// attendsim: the command-line front end. Thin by design: parse, dispatch, map errors to
/// exit codes (0 success, 2 bad usage or bad input, 1 internal error).
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <thread>

#include "app/commands.hpp"
#include "sim/error.hpp"
#include "sim/version.hpp"
#include "sim/work_split.hpp"

namespace {

/// Reports an error and returns its exit code. Under mpirun with several ranks it ends every
/// rank instead (a rank that failed alone would leave the others waiting in a gather): rank 0
/// directly, its temporary output folder already removed by then; another rank through rank 0
/// (WorkSplit::abort_all). Rank 0 reports first: an error that every rank finds (bad input) is
/// printed once.
int fail(int code, const std::string& message) {
  const auto& split = attendsim::process_work_split();
  if (split.ranks() == 1) {
    std::cerr << "attendsim: " << message << "\n";
    return code;
  }
  if (split.rank() != 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::cerr << "attendsim";
  if (split.rank() != 0) std::cerr << " (rank " << split.rank() << ")";
  std::cerr << ": " << message << std::endl;
  split.abort_all(code);
  return code;  // not reached: abort_all ends the process
}

int run(int argc, char** argv) {
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
    const int rc = action ? action() : 2;
    auto& split = attendsim::process_work_split();
    if (rc == 0) split.finish_command();                    // the other ranks, waiting, end
    if (rc != 0 && split.ranks() > 1) split.abort_all(rc);  // they would wait for ever
    return rc;
  } catch (const attendsim::FollowerDone&) {
    return 0;  // a rank other than 0 whose share of the command is done
  } catch (const attendsim::RankFailed& e) {
    return fail(e.code, std::string("error: ") + e.what());
  } catch (const attendsim::InputError& e) {
    return fail(2, std::string("error: ") + e.what());
  } catch (const std::exception& e) {
    return fail(1, std::string("internal error: ") + e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    attendsim::start_work_split(argc, argv);
  } catch (const attendsim::InputError& e) {
    std::cerr << "attendsim: error: " << e.what() << "\n";
    return 2;
  }
  const int rc = run(argc, argv);
  const auto& split = attendsim::process_work_split();
  const auto& st = split.stats;
  if (split.ranks() > 1 && split.rank() == 0 && st.bytes_gathered > 0) {
    std::cerr << "attendsim: " << split.ranks() << " ranks; rank 0 waited " << st.wait_seconds
              << " s for the others and gathered " << st.bytes_gathered / 1e6 << " MB in "
              << st.exchange_seconds << " s\n";
  }
  attendsim::finish_work_split();
  return rc;
}
