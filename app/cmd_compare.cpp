/// `attendsim compare CONFIG`: staffing and policy scenarios against the baseline, on
/// common random numbers, with the decision a steering group needs.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "analysis/threshold.hpp"
#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "io/labels.hpp"
#include "io/results_writer.hpp"
#include "io/threshold_writer.hpp"
#include "sim/error.hpp"
#include "sim/progress.hpp"

namespace attendsim::app {

namespace {

struct CompareArgs : ExperimentArgs {
  double roi_target = -1;
  double confidence = -1;
  std::string lang = "sv";
  bool no_threshold = false;
};

int compare_command(const CompareArgs& a) {
  auto cfg = models::load_model_config(a.config);
  if (a.roi_target >= 0) cfg.compare.roi_target = a.roi_target;
  if (a.confidence >= 0) cfg.compare.confidence = a.confidence;
  // compare samples the parameters by default ([compare] draws x replications_per_draw);
  // --draws 1 compares at the base values with [simulation] replications.
  auto opt = a.options(cfg);
  if (a.draws == 0 && opt.parameter_sets.empty()) opt.draws = cfg.compare.draws;
  if (a.replications == 0 && opt.draws > 1) opt.replications = cfg.compare.replications_per_draw;
  models::add_plan_and_fund_extras(cfg, opt);  // the bridge from [plan], the fund of [fund]
  const auto scenarios = models::comparison_scenarios(cfg);
  WorkEstimate threshold_work;
  if (!a.no_threshold && models::has_compare_threshold(cfg)) {
    auto o = opt;
    o.replications = models::kCompareThresholdReplications;
    threshold_work = models::threshold_work(cfg, o, models::compare_threshold_spec(cfg));
    threshold_work.what = "the threshold's " + threshold_work.what;
    threshold_work.lower = "--no-threshold";
  }
  a.check_work("compare", cfg, opt, scenarios.size(), threshold_work);
  const auto dir_ptr = a.open_output("-compare", cfg);  // a temporary folder until commit()
  OutputDir& dir = *dir_ptr;
  const auto res = models::run_experiment(cfg, scenarios, opt);
  const models::Provenance prov{"compare", res.wall_seconds, opt.threads};
  models::write_run_outputs(dir, cfg, res, prov, a.write_draws || opt.draws > 1);
  auto report = models::analyse_comparison(cfg, res);
  // What the coordinators would need to achieve: a finer threshold analysis already in the
  // folder (attendsim threshold --out DIR) is kept; otherwise compare's own, on a coarse grid.
  report.threshold = models::compare_threshold_rows(cfg, opt, dir, !a.out.empty(), !a.no_threshold);
  models::write_comparison_outputs(dir, cfg, res, report, models::parse_language(a.lang, "--lang"));
  dir.commit();
  if (!a.quiet) {
    models::print_comparison(std::cout, cfg, res, report);
    std::cout << "results: " << dir.final_path().string() << " (" << res.scenarios.size()
              << " scenarios, " << res.pupil_months_simulated << " pupil-months in "
              << res.wall_seconds << " s on " << opt.threads << " thread(s))\n";
  }
  return 0;
}

}  // namespace

void add_compare_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<CompareArgs>();
  auto* sub = root.add_subcommand("compare",
                                  "Compare staffing levels and allocation/referral policies "
                                  "against the baseline, and recommend");
  args->add_to(sub, "output folder (default: results/CONFIG-compare-DATE-TIME)");
  sub->footer(
      "By default compare samples the config's parameter distributions: [compare] draws (100) "
      "parameter draws, each simulated [compare] replications_per_draw (2) times on common random "
      "numbers; the probabilities and the recommendation come from the draws. --draws 1 compares "
      "at the base values only. compare also finds the coordinators' effect at which net "
      "benefit is 0 (threshold.csv; a grid of 4 values x 10 replications at base values, "
      "interpolated); a threshold.csv of `attendsim threshold` in the --out folder is kept "
      "instead.");
  sub->add_option("--roi-target", args->roi_target,
                  "ROI target of the recommendation [compare.roi_target, 1.0]")
      ->check(number_in(0, 1e6, "between 0 and 1e6"));
  sub->add_option("--confidence", args->confidence,
                  "required P(ROI >= target) of the recommendation [compare.confidence, 0.8]")
      ->check(number_in(1e-9, 1 - 1e-9, "between 0 and 1 (exclusive)"));
  sub->add_option("--lang", args->lang, "language of decision.md: sv or en (default sv, as report)")
      ->check(one_of<models::Language>());
  sub->add_flag("--no-threshold", args->no_threshold,
                "skip the coarse threshold analysis (the coordinators' effect at which net "
                "benefit is 0; on by default, about a quarter of compare's time)");
  sub->callback([args, &action] { action = [args] { return compare_command(*args); }; });
}

}  // namespace attendsim::app
