/// `attendsim calc CONFIG`: the plan's own deterministic calculation beside the simulated ROI.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"

namespace attendsim::app {

void add_calc_command(CLI::App& root, Action& action) {
  struct Args {
    ConfigArgs config;
    models::CalcOptions opt;
  };
  auto args = std::make_shared<Args>();
  auto* sub = root.add_subcommand(
      "calc", "The plan's own deterministic ROI calculation beside the simulated ROI");
  add_config_arguments(sub, args->config, "TOML config with a [plan] table");
  sub->add_option("--replications", args->opt.replications, "replications for the simulated ROI")
      ->check(count_up_to(models::kMaxUnits));
  sub->add_option("--seed", args->opt.seed, "master seed")
      ->check(number_in(0, models::kMaxSeed, "a whole number >= 0"));
  sub->add_option("--threads", args->opt.threads, "worker threads")
      ->check(count_up_to(models::kMaxThreads));
  sub->add_option("--out", args->opt.out, "also write calc.json into this folder")
      ->check(output_path());
  add_limit_options(sub, args->opt.limits);
  sub->callback([args, &action] {
    action = [args] {
      models::calc_command(args->config.load(), args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
