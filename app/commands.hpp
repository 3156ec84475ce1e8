#pragma once
/// One function per CLI command; each adds its subcommand to the root app and, when that
/// subcommand is chosen, stores the work to do in `action` (run by main after parsing, so
/// that exceptions reach main's single exit-code mapping).
#include <functional>

namespace CLI {
class App;
}

namespace attendsim::app {

using Action = std::function<int()>;

void add_run_command(CLI::App& root, Action& action);
void add_allocate_command(CLI::App& root, Action& action);
void add_calc_command(CLI::App& root, Action& action);
void add_compare_command(CLI::App& root, Action& action);
void add_report_command(CLI::App& root, Action& action);
void add_sensitivity_command(CLI::App& root, Action& action);
void add_synth_register_command(CLI::App& root, Action& action);
void add_calibrate_command(CLI::App& root, Action& action);
void add_followup_command(CLI::App& root, Action& action);
void add_threshold_command(CLI::App& root, Action& action);

}  // namespace attendsim::app
