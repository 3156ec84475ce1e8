// Placeholder while the engine is written (replaced in the next commit).
#include <CLI/CLI.hpp>
#include "app/commands.hpp"
namespace attendsim::app {
void add_run_command(CLI::App& root, Action& action) {
  auto* sub = root.add_subcommand("run", "Simulate one configured scenario against the baseline");
  sub->callback([&action] { action = [] { return 2; }; });
}
}  // namespace attendsim::app
