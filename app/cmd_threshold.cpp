/// `attendsim threshold CONFIG --param KEY [--metric net_benefit|roi] [--target X]`: per
/// scenario, the parameter value at which the metric crosses its target (analysis/threshold.hpp).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "analysis/threshold.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"

namespace attendsim::app {

void add_threshold_command(CLI::App& root, Action& action) {
  struct Args {
    ConfigArgs config;
    models::ThresholdOptions opt;
  };
  auto args = std::make_shared<Args>();
  auto& o = args->opt;
  auto* sub = root.add_subcommand(
      "threshold",
      "Threshold (break-even) analysis: per scenario, the value of one parameter at which net "
      "benefit is 0 or ROI reaches its target, found by root finding on common random numbers");
  add_experiment_options(
      sub, args->config, o,
      "output folder (default: results/CONFIG-threshold-DATE-TIME); into a compare "
      "folder it adds threshold.csv and the threshold section of decision.md");
  sub->add_option("--param", o.param,
                  std::string("parameter key (default ") + models::kDefaultThresholdParameter +
                      ", the coordinators' effect)");
  sub->add_option("--metric", o.metric, "net_benefit (default) or roi")
      ->check(CLI::IsMember({"net_benefit", "roi"}));
  sub->add_option("--target", o.target,
                  "the metric's target (default: 0 for net_benefit, [compare] roi_target for roi)");
  sub->add_option("--range", o.range,
                  "LO,HI: the parameter's range searched (default: its distribution's 2.5 % and "
                  "97.5 % quantiles)");
  sub->add_option("--scenario", o.scenarios,
                  "a scenario of compare (repeatable; default: every scenario)")
      ->allow_extra_args(false);
  sub->add_option("--grid", o.grid, "grid points that bracket the root (default 9)")
      ->check(whole_in(2, models::kMaxThresholdGrid));
  sub->add_option("--batches", o.batches,
                  "independent replication batches for the interval (default 5)")
      ->check(whole_in(2, models::kMaxThresholdGrid));
  sub->footer(
      "Every value of the parameter runs on the same random numbers (replication r on the same "
      "streams), so the metric is a smooth function of it; the root is bracketed on the grid and "
      "refined by TOMS 748. The 95 % interval is over the roots of independent replication "
      "batches (batch means). threshold.csv holds one row per scenario.");
  sub->callback([args, &action] {
    action = [args] {
      models::threshold_command(args->config.load(), args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
