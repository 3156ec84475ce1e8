// Placeholder: the allocate command is being written.
#include <CLI/CLI.hpp>
#include "app/commands.hpp"
namespace attendsim::app {
void add_allocate_command(CLI::App& root, Action& action) {
  auto* sub = root.add_subcommand("allocate", "Allocate a funding budget across applicants");
  sub->callback([&action] { action = [] { return 2; }; });
}
}  // namespace attendsim::app
