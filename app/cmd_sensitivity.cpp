/// `attendsim sensitivity CONFIG --method psa|oneway|twoway|sobol|voi [...]` and `--target-se
/// METRIC=VALUE`.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "analysis/global_sensitivity.hpp"
#include "analysis/sensitivity.hpp"
#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "io/results_writer.hpp"
#include "io/sensitivity_writer.hpp"
#include "sim/error.hpp"

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

int sensitivity_command(const SensitivityArgs& a) {
  auto cfg = models::load_model_config(a.config);
  // Sensitivity analyses estimate functions of the expected outputs: terminal events are
  // counted by their probabilities (less noise, the same expectation) unless asked not to.
  if (a.terminal_events != "config")
    cfg.structure.outcomes.terminal_events = chosen<models::TerminalEvents>(a.terminal_events);
  auto opt = a.options(cfg);
  const auto out_dir = a.output_dir("-sensitivity");
  if (!a.out.empty()) models::check_output_folder(out_dir, cfg, a.allow_other_config);
  // Into a results folder that already holds a run or compare, a method adds only its own
  // files: summary.*, occupancy.csv, draws.csv and run.json stay those of the wider run, so
  // `run`, `compare`, then `sensitivity` into one folder give one consistent report.
  const bool keep_run_files = std::filesystem::exists(out_dir / "summary.json");
  OutputDir dir(out_dir, a.out.empty());
  auto write_run = [&](const models::ExperimentResult& res, const models::Provenance& prov,
                       bool with_draws) {
    if (!keep_run_files) models::write_run_outputs(dir, cfg, res, prov, with_draws);
  };
  // oneway, twoway and sobol accompany their CSV with a base-case run (one draw at base
  // values); it is simulated only when its files will be written. `wall_seconds` defaults to
  // the base run's own.
  auto write_base_run = [&](const std::string& what, std::optional<double> wall_seconds) {
    if (keep_run_files) return;
    auto o = opt;
    o.draws = 1;
    o.parameter_sets.clear();  // the base case, not --draws-from
    const auto base = models::run_experiment(cfg, models::baseline_and_configured(cfg), o);
    models::write_run_outputs(dir, cfg, base,
                              {what, wall_seconds.value_or(base.wall_seconds), opt.threads}, false);
  };
  if (!a.target_se.empty()) {
    const auto eq = a.target_se.find('=');
    if (eq == std::string::npos)
      ATTENDSIM_INPUT_ERROR("--target-se: expected METRIC=VALUE, got '" << a.target_se << "'");
    const std::string metric = a.target_se.substr(0, eq);
    models::metric_by_name(metric, "--target-se");
    char* end = nullptr;
    const double target = std::strtod(a.target_se.c_str() + eq + 1, &end);
    if (end == a.target_se.c_str() + eq + 1 || *end != '\0' || !(target > 0) ||
        !std::isfinite(target)) {
      ATTENDSIM_INPUT_ERROR("--target-se: VALUE must be a finite number > 0, got '"
                            << a.target_se.substr(eq + 1) << "'");
    }
    if (a.max_replications < a.batch) {
      ATTENDSIM_INPUT_ERROR("--max-replications " << a.max_replications
                                                  << " must be at least --batch " << a.batch);
    }
    const auto r = models::run_to_target_se(cfg, opt, metric, target, a.batch, a.max_replications);
    models::write_run_outputs(
        dir, cfg, r.result, {"sensitivity --target-se", r.result.wall_seconds, opt.threads}, false);
    dir.write("target_se.csv", models::target_se_csv(metric, target, r));
    dir.commit();
    if (!a.quiet) {
      std::cout << metric << ": se " << r.se << (r.reached ? " <= " : " > ") << target << " after "
                << r.result.options.replications << " replications (batches of " << a.batch
                << ")\n";
      std::cout << "results: " << dir.final_path().string() << "\n";
    }
    return 0;
  }
  if (a.method.empty()) {
    ATTENDSIM_INPUT_ERROR("sensitivity: give --method (" << known_names<models::SensitivityMethod>()
                                                         << ") or --target-se");
  }
  const auto method = chosen<models::SensitivityMethod>(a.method);
  using models::SensitivityMethod;
  // Options a method does not use are refused, not silently ignored or overridden.
  if (a.values_per_return_given && method != SensitivityMethod::psa)
    ATTENDSIM_INPUT_ERROR("--values-per-return is used by --method psa only, not by "
                          << a.method << "; leave it out");
  if (a.draws == 1 && (method == SensitivityMethod::psa || method == SensitivityMethod::voi))
    ATTENDSIM_INPUT_ERROR("--draws 1 is the base values only: --method "
                          << a.method << " samples the parameters (give --draws 2 or more, "
                          << "or leave it out)");
  if (!a.params.empty() &&
      (method == SensitivityMethod::psa || method == SensitivityMethod::oneway)) {
    ATTENDSIM_INPUT_ERROR("--params is not used by --method " << a.method
                                                              << " (it takes every uncertain "
                                                                 "parameter); leave it out");
  }
  // Only psa simulates the draws of --draws-from; the other methods would ignore them.
  if (!a.draws_from.empty() && method != SensitivityMethod::psa)
    ATTENDSIM_INPUT_ERROR("--draws-from " << a.draws_from << ": used by --method psa only, not by "
                                          << a.method << "; leave it out");
  if (method == SensitivityMethod::psa) {
    if (!opt.parameter_sets.empty() && opt.parameter_sets.size() < 2)
      ATTENDSIM_INPUT_ERROR(a.draws_from
                            << ": --method psa needs at least 2 draws (rows), the file "
                               "holds "
                            << opt.parameter_sets.size());
    if (opt.parameter_sets.empty() && opt.draws <= 1) opt.draws = 100;
    a.check_memory(static_cast<double>(opt.draws) * opt.replications,
                   models::comparison_scenarios(cfg).size(), cfg);
    if (a.replications <= 0) opt.replications = 2;
    const auto res = models::run_experiment(cfg, models::comparison_scenarios(cfg), opt);
    write_run(res, {"sensitivity --method psa", res.wall_seconds, opt.threads}, true);
    dir.write("psa.csv", models::psa_csv(res));
    dir.write("acceptability.csv",
              models::acceptability_csv(models::acceptability(res, a.values_per_return)));
    dir.commit();
    if (!a.quiet) {
      std::cout << "PSA: " << opt.draws << " parameter draws x " << opt.replications
                << " replications, " << res.scenarios.size()
                << " scenarios; psa.csv, acceptability.csv" << (keep_run_files ? "" : ", draws.csv")
                << " in " << dir.final_path().string() << "\n";
    }
    return 0;
  }
  if (method == SensitivityMethod::oneway) {
    if (a.replications <= 0) opt.replications = 10;
    const auto rows = models::one_way(cfg, opt);
    write_base_run("sensitivity --method oneway", std::nullopt);
    dir.write("tornado.csv", models::tornado_csv(rows));
    dir.commit();
    if (!a.quiet) {
      std::cout << "one-way analysis, net benefit (SEK), largest swings first:\n";
      int k = 0;
      for (const auto& r : rows) {
        if (r.output != "net_benefit_sek" || k++ >= 10) continue;
        std::cout << "  " << r.parameter << ": " << models::group_thousands(r.output_low) << " .. "
                  << models::group_thousands(r.output_high) << " (swing "
                  << models::group_thousands(r.swing) << ")\n";
      }
      std::cout << "results: " << dir.final_path().string() << "\n";
    }
    return 0;
  }
  if (method == SensitivityMethod::twoway) {
    const auto comma = a.params.find(',');
    if (comma != std::string::npos && a.params.substr(0, comma) == a.params.substr(comma + 1))
      ATTENDSIM_INPUT_ERROR("--params: a two-way analysis needs two different parameters, got '"
                            << a.params << "'");
    if (comma == std::string::npos)
      ATTENDSIM_INPUT_ERROR("--method twoway needs --params A,B (two parameter keys)");
    if (a.replications <= 0) opt.replications = 10;
    const auto rows =
        models::two_way(cfg, opt, a.params.substr(0, comma), a.params.substr(comma + 1), a.grid);
    write_base_run("sensitivity --method twoway", std::nullopt);
    dir.write("twoway.csv", models::twoway_csv(rows));
    dir.commit();
    if (!a.quiet)
      std::cout << "two-way grid " << a.grid << "x" << a.grid << ": twoway.csv in "
                << dir.final_path().string() << "\n";
    return 0;
  }
  if (method == SensitivityMethod::sobol) {
    if (a.sobol_n < 2)
      ATTENDSIM_INPUT_ERROR("--sobol-n: the base sample size must be >= 2, got " << a.sobol_n);
    if (a.replications <= 0) opt.replications = 2;
    const auto estimator = chosen<SobolEstimator>(a.estimator);
    if (opt.replications < 2 && !a.quiet) {
      std::cerr << "attendsim: note: with --replications 1 the simulator's noise cannot be "
                   "estimated; the indices keep its bias (use 2 or more)\n";
    }
    const auto params = models::uncertain_parameters(cfg, a.params);
    {  // values[output][point x replication] and the design, before they are allocated
      const double points = static_cast<double>(a.randomisations) * static_cast<double>(a.sobol_n) *
                            static_cast<double>(params.size() + 2);
      a.check_memory(0, 1, cfg,
                     points * (8.0 * 3 * opt.replications + 8.0 * params.size()) +
                         static_cast<double>(a.randomisations) * a.sobol_n * opt.replications * 24);
    }
    const auto r = models::sobol_sensitivity(
        cfg, opt, params, static_cast<std::size_t>(a.sobol_n), a.bootstrap,
        static_cast<std::size_t>(a.randomisations), true, estimator);
    write_base_run("sensitivity --method sobol", r.wall_seconds);
    dir.write("sobol.csv", models::sobol_csv(r));
    dir.write("sobol_noise.csv", models::sobol_noise_csv(r));
    dir.write("sobol_status.csv", models::sobol_status_csv(r));
    dir.commit();
    if (!a.quiet) {
      std::cout << "Sobol indices: N = " << r.n
                << (r.randomisations > 1
                        ? " x " + std::to_string(r.randomisations) + " randomisations"
                        : std::string())
                << ", " << r.parameters.size() << " parameters, " << r.design_points
                << " design points x " << r.replications << " replications (" << r.baselines
                << " baselines recorded, " << r.derived_baselines << " derived, " << r.scenario_runs
                << " scenarios simulated from them, " << format_number(r.wall_seconds) << " s)\n";
      for (const auto& row : r.rows) {
        if (row.output != "net_benefit_sek") continue;
        std::cout << "  " << row.parameter << ": S " << format_number(row.index.first_order) << " ["
                  << format_number(row.index.first_order_ci_low) << ", "
                  << format_number(row.index.first_order_ci_high) << "], ST "
                  << format_number(row.index.total) << " [" << format_number(row.index.total_ci_low)
                  << ", " << format_number(row.index.total_ci_high) << "]\n";
      }
      for (const auto& z : r.noise) {
        if (!z.identifiable) {
          std::cout << "  " << z.output << ": not identifiable (" << z.note << "); no indices\n";
          continue;
        }
        std::cout << "  noise share of " << z.output << ": " << format_number(z.noise_share)
                  << "\n";
      }
      std::cout << "results: " << dir.final_path().string() << "\n";
    }
    return 0;
  }
  if (method == SensitivityMethod::voi) {
    if (opt.draws <= 1) opt.draws = 200;
    a.check_memory(static_cast<double>(opt.draws) * opt.replications,
                   models::comparison_scenarios(cfg).size(), cfg);
    if (a.replications <= 0) opt.replications = 2;
    const auto r = models::value_of_information(cfg, opt, a.params);
    write_run(r.result, {"sensitivity --method voi", r.result.wall_seconds, opt.threads}, true);
    dir.write("voi.csv", models::voi_csv(r));
    dir.commit();
    if (!a.quiet) {
      std::cout << "value of information (SEK, per decision, " << opt.draws << " draws x "
                << opt.replications << " replications, " << r.result.scenarios.size()
                << " options):\n";
      for (const auto& row : r.rows) {
        std::cout << "  " << row.measure << " " << row.parameter << ": "
                  << models::group_thousands(row.voi_sek) << "\n";
      }
      std::cout << "results: " << dir.final_path().string() << "\n";
    }
    return 0;
  }
  ATTENDSIM_REQUIRE(false, "--method " << a.method << " has no analysis");
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
      ->check(CLI::Range(0, 100000));
  sub->add_option("--randomisations", args->randomisations,
                  "sobol: K >= 2 runs the design under K random digital shifts (randomised QMC) "
                  "and gives Student t "
                  "CIs over the K estimates instead of the bootstrap (default 1: plain sequence, "
                  "bootstrap CIs)")
      ->check(CLI::Range(1, 100000));
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
      ->check(CLI::Range(2, 50));
  auto* target_se = sub->add_option(
      "--target-se", args->target_se,
      "METRIC=VALUE: add replications in seeded batches until the scenario's standard "
      "error of METRIC is <= VALUE (instead of --method)");
  target_se->excludes("--method");
  sub->add_option("--batch", args->batch, "replications per batch for --target-se (default 10)")
      ->check(CLI::Range(2, 100000));
  sub->add_option("--max-replications", args->max_replications,
                  "upper limit for --target-se (default 2000)")
      ->check(count_up_to(1e6));
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
