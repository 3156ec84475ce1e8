/// `attendsim sensitivity CONFIG --method psa|oneway|twoway|sobol|voi [...]` and `--target-se
/// METRIC=VALUE`.
#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/config_schema.hpp"
#include "io/sensitivity_run.hpp"

namespace attendsim::app {

namespace {

struct SensitivityArgs : ExperimentArgs {
  std::string method;
  std::string params;
  int grid = 5;
  long long sobol_n = 64;
  int bootstrap = 500;
  int randomisations = 1;
  std::string terminal_events = "expected";
  std::string estimator = "combined";
  std::string target_se;
  int batch = 10;
  int max_replications = 2000;
  std::vector<double> values_per_return{0, 100000, 250000, 500000, 1000000, 2000000, 4000000};
  bool values_per_return_given = false;
};

/// --values-per-return: SEK values of one sustained return, each finite, in [0, 1e15] (the
/// config's bound on money values: beyond it net benefits overflow) and given once.
std::string check_values_per_return(const std::vector<double>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!(values[i] >= 0 && values[i] <= 1e15))
      return "each value must be a number of SEK between 0 and 1e15, got " +
             CLI::detail::to_string(values[i]);
    for (std::size_t j = 0; j < i; ++j) {
      if (values[j] == values[i])
        return "value " + CLI::detail::to_string(values[i]) + " given twice";
    }
  }
  return "";
}

/// Options a method does not use are refused, not silently ignored or overridden.
void check_method_options(const SensitivityArgs& a) {
  if (a.method.empty()) return;
  using models::SensitivityMethod;
  const auto method = chosen<SensitivityMethod>(a.method);
  if (a.values_per_return_given && method != SensitivityMethod::psa)
    ATTENDSIM_INPUT_ERROR("--values-per-return is used by --method psa only, not by "
                          << a.method << "; leave it out");
  if (a.draws == 1 && (method == SensitivityMethod::psa || method == SensitivityMethod::voi))
    ATTENDSIM_INPUT_ERROR("--draws 1 is the base values only: --method "
                          << a.method << " samples the parameters (give --draws 2 or more, "
                          << "or leave it out)");
}

int sensitivity_command(const SensitivityArgs& a) {
  auto cfg = models::load_model_config(a.config);
  check_method_options(a);
  // Sensitivity analyses estimate functions of the expected outputs: terminal events are
  // counted by their probabilities (less noise, the same expectation) unless asked not to.
  if (a.terminal_events != "config")
    cfg.structure.outcomes.terminal_events = chosen<models::TerminalEvents>(a.terminal_events);
  const auto opt = a.options(cfg);
  const auto out_dir = a.output_dir("-sensitivity");
  if (!a.out.empty()) models::check_output_folder(out_dir, cfg, a.allow_other_config);
  // Into a results folder that already holds a run or compare, a method adds only its own
  // files: summary.*, occupancy.csv, draws.csv and run.json stay those of the wider run, so
  // `run`, `compare`, then `sensitivity` into one folder give one consistent report.
  const bool keep_run_files = std::filesystem::exists(out_dir / "summary.json");
  OutputDir dir(out_dir, a.out.empty());
  models::SensitivityRequest req;
  req.method = a.method;
  req.params = a.params;
  req.grid = a.grid;
  req.sobol_n = a.sobol_n;
  req.bootstrap = a.bootstrap;
  req.randomisations = a.randomisations;
  req.estimator = chosen<SobolEstimator>(a.estimator);
  req.target_se = a.target_se;
  req.batch = a.batch;
  req.max_replications = a.max_replications;
  req.values_per_return = a.values_per_return;
  req.replications_given = a.replications > 0;
  req.draws_from = a.draws_from;
  req.quiet = a.quiet;
  const std::string command =
      "sensitivity " + (a.method.empty() ? std::string("--target-se") : "--method " + a.method);
  req.check_work = [&](const WorkEstimate& e) { a.limits.check(e, opt.threads, command); };
  models::run_sensitivity(cfg, opt, req, dir, keep_run_files, std::cout);
  return 0;
}

}  // namespace

void add_sensitivity_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<SensitivityArgs>();
  auto* sub = root.add_subcommand(
      "sensitivity",
      "Sensitivity analyses: PSA and acceptability, one-way (tornado), two-way, "
      "Sobol indices, value of information (EVPI, EVPPI), "
      "and a precision target on the standard error");
  args->add_to(sub, "output folder (default: results/CONFIG-sensitivity-DATE-TIME)");
  sub->add_option("--method", args->method, "the analysis")
      ->check(one_of<models::SensitivityMethod>());
  sub->add_option(
      "--params", args->params,
      "comma-separated parameter keys: two for twoway (e.g. "
      "coordinators.rr_improve_in_case,detection.p_consent); "
      "for sobol and voi (default: every uncertain parameter; voi also every Dirichlet row)");
  sub->add_option("--sobol-n", args->sobol_n,
                  "sobol: base sample size N (a power of 2 is best; default 64); "
                  "the model runs at N (parameters + 2) points");
  sub->add_option("--bootstrap", args->bootstrap,
                  "sobol: bootstrap resamples for the index CIs (default 500)")
      ->check(whole_in(0, 100000));
  sub->add_option("--randomisations", args->randomisations,
                  "sobol: K >= 2 runs the design under K random digital shifts (randomised QMC) "
                  "and gives Student t "
                  "CIs over the K estimates instead of the bootstrap (default 1: plain sequence, "
                  "bootstrap CIs)")
      ->check(whole_in(1, 100000));
  sub->add_option("--terminal-events", args->terminal_events,
                  "expected (default): count completion, summer school and eligibility by their "
                  "probabilities (the same expectation, less noise); drawn; or config (as the "
                  "config's [outcomes] terminal_events says)")
      ->check(one_of<models::TerminalEvents>({"config"}));
  sub->add_option("--estimator", args->estimator,
                  "Sobol estimators: combined (default; per index the minimum-variance "
                  "combination of the Saltelli and Jansen forms) or saltelli-jansen")
      ->check(one_of<SobolEstimator>());
  sub->add_option("--grid", args->grid, "points per parameter in twoway (default 5)")
      ->check(whole_in(2, 50));
  auto* target_se = sub->add_option(
      "--target-se", args->target_se,
      "METRIC=VALUE: add replications in seeded batches until the scenario's standard "
      "error of METRIC is <= VALUE (instead of --method)");
  target_se->excludes("--method");
  sub->add_option("--batch", args->batch, "replications per batch for --target-se (default 10)")
      ->check(whole_in(2, 100000));
  sub->add_option("--max-replications", args->max_replications,
                  "upper limit for --target-se (default 2000)")
      ->check(count_up_to(1'000'000));
  auto* vpr = sub->add_option("--values-per-return", args->values_per_return,
                              "psa: SEK values placed on one extra sustained return for the "
                              "acceptability curve (each in 0..1e15, once)");
  sub->callback([args, vpr, &action] {
    args->values_per_return_given = vpr->count() > 0;
    if (const auto bad = check_values_per_return(args->values_per_return); !bad.empty())
      throw CLI::ValidationError("--values-per-return", bad);
    action = [args] { return sensitivity_command(*args); };
  });
}

}  // namespace attendsim::app
