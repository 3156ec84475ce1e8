/// `attendsim run CONFIG`: one configured scenario against the no-coordinator baseline.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"

namespace attendsim::app {

void add_run_command(CLI::App& root, Action& action) {
  struct Args {
    ConfigArgs config;
    models::ExperimentOptions opt;
  };
  auto args = std::make_shared<Args>();
  args->opt.reads_municipalities = true;
  auto* sub = root.add_subcommand(
      "run", "Simulate the configured scenario against the no-coordinator baseline");
  add_experiment_options(sub, args->config, args->opt,
                         "output folder (default: results/CONFIG-DATE-TIME)");
  sub->add_option("--lang", args->opt.lang,
                  "language of decision.md, written for a config of [[municipalities]]: sv or en "
                  "(default sv, as report)");
  sub->callback([args, &action] {
    action = [args] {
      models::run_command(args->config.load(), args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
