/// `attendsim compare CONFIG`: staffing and policy scenarios against the baseline, on
/// common random numbers, with the decision a steering group needs.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"
#include "io/labels.hpp"

namespace attendsim::app {

void add_compare_command(CLI::App& root, Action& action) {
  struct Args {
    ConfigArgs config;
    models::CompareOptions opt;
  };
  auto args = std::make_shared<Args>();
  auto* sub = root.add_subcommand("compare",
                                  "Compare staffing levels and allocation/referral policies "
                                  "against the baseline, and recommend");
  add_experiment_options(sub, args->config, args->opt,
                         "output folder (default: results/CONFIG-compare-DATE-TIME)");
  sub->footer(
      "By default compare samples the config's parameter distributions: [compare] draws (100) "
      "parameter draws, each simulated [compare] replications_per_draw (2) times on common random "
      "numbers; the probabilities and the recommendation come from the draws. --draws 1 compares "
      "at the base values only. compare also finds the coordinators' effect at which net "
      "benefit is 0 (threshold.csv; a grid of 4 values x 10 replications at base values, "
      "interpolated); a threshold.csv of `attendsim threshold` in the --out folder is kept "
      "instead.");
  sub->add_option("--roi-target", args->opt.roi_target,
                  "ROI target of the recommendation [compare.roi_target, 1.0]")
      ->check(number_in(0, models::kMaxRoiTarget, "between 0 and 1e6"));
  sub->add_option("--confidence", args->opt.confidence,
                  "required P(ROI >= target) of the recommendation [compare.confidence, 0.8]")
      ->check(number_in(1e-9, 1 - 1e-9, "between 0 and 1 (exclusive)"));
  sub->add_option("--lang", args->opt.lang,
                  "language of decision.md: sv or en (default sv, as report)")
      ->check(one_of<models::Language>());
  sub->add_flag("--no-threshold", args->opt.no_threshold,
                "skip the coarse threshold analysis (the coordinators' effect at which net "
                "benefit is 0; on by default, about a quarter of compare's time)");
  sub->callback([args, &action] {
    action = [args] {
      models::compare_command(args->config.load(), args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
