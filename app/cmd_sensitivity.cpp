/// `attendsim sensitivity CONFIG --method psa|oneway|twoway|sobol|voi [...]` and `--target-se
/// METRIC=VALUE`.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "analysis/sensitivity.hpp"
#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"
#include "sim/sobol.hpp"

namespace attendsim::app {

void add_sensitivity_command(CLI::App& root, Action& action) {
  struct Args {
    ConfigArgs config;
    models::SensitivityOptions opt;
  };
  auto args = std::make_shared<Args>();
  auto& o = args->opt;
  auto* sub = root.add_subcommand(
      "sensitivity",
      "Sensitivity analyses: PSA and acceptability, one-way (tornado), two-way, "
      "Sobol indices, value of information (EVPI, EVPPI), "
      "and a precision target on the standard error");
  add_experiment_options(sub, args->config, o,
                         "output folder (default: results/CONFIG-sensitivity-DATE-TIME)");
  sub->add_option("--method", o.method, "the analysis")->check(one_of<models::SensitivityMethod>());
  sub->add_option(
      "--params", o.params,
      "comma-separated parameter keys: two for twoway (e.g. "
      "coordinators.rr_improve_in_case,detection.p_consent); "
      "for sobol and voi (default: every uncertain parameter; voi also every Dirichlet row)");
  sub->add_option("--sobol-n", o.sobol_n,
                  "sobol: base sample size N (a power of 2 is best; default 64); "
                  "the model runs at N (parameters + 2) points");
  sub->add_option("--bootstrap", o.bootstrap,
                  "sobol: bootstrap resamples for the index CIs (default 500)")
      ->check(whole_in(0, models::kMaxBootstrap));
  sub->add_option("--randomisations", o.randomisations,
                  "sobol: K >= 2 runs the design under K random digital shifts (randomised QMC) "
                  "and gives Student t "
                  "CIs over the K estimates instead of the bootstrap (default 1: plain sequence, "
                  "bootstrap CIs)")
      ->check(whole_in(1, models::kMaxRandomisations));
  sub->add_option("--terminal-events", o.terminal_events,
                  "expected (default): count completion, summer school and eligibility by their "
                  "probabilities (the same expectation, less noise); drawn; or config (as the "
                  "config's [outcomes] terminal_events says)")
      ->check(one_of<models::TerminalEvents>({"config"}));
  sub->add_option("--estimator", o.estimator,
                  "Sobol estimators: combined (default; per index the minimum-variance "
                  "combination of the Saltelli and Jansen forms) or saltelli-jansen")
      ->check(one_of<SobolEstimator>());
  sub->add_option("--grid", o.grid, "points per parameter in twoway (default 5)")
      ->check(whole_in(2, models::kMaxTwowayGrid));
  auto* target_se = sub->add_option(
      "--target-se", o.target_se,
      "METRIC=VALUE: add replications in seeded batches until the scenario's standard "
      "error of METRIC is <= VALUE (instead of --method)");
  target_se->excludes("--method");
  sub->add_option("--batch", o.batch, "replications per batch for --target-se (default 10)")
      ->check(whole_in(2, models::kMaxBatch));
  sub->add_option("--max-replications", o.max_replications,
                  "upper limit for --target-se (default 2000)")
      ->check(count_up_to(models::kMaxUnits));
  auto* vpr = sub->add_option("--values-per-return", o.values_per_return,
                              "psa: SEK values placed on one extra sustained return for the "
                              "acceptability curve (each in 0..1e15, once)");
  sub->callback([args, vpr, &action] {
    args->opt.values_per_return_given = vpr->count() > 0;
    action = [args] {
      models::sensitivity_command(args->config.load(), args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
