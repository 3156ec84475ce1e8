/// `attendsim sensitivity CONFIG --method psa|oneway|twoway|sobol|voi [...]` and `--target-se
/// METRIC=VALUE`.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "analysis/global_sensitivity.hpp"
#include "analysis/sensitivity.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "io/results_writer.hpp"
#include "sim/csv.hpp"
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
};

std::string n(double v) {
  return format_number(v);
}

int sensitivity_command(const SensitivityArgs& a) {
  auto cfg = models::load_model_config(a.config);
  // Sensitivity analyses estimate functions of the expected outputs: terminal events are
  // counted by their probabilities (less noise, the same expectation) unless asked not to.
  if (a.terminal_events == "expected") {
    cfg.structure.outcomes.expected_terminal_events = true;
  } else if (a.terminal_events == "drawn") {
    cfg.structure.outcomes.expected_terminal_events = false;
  } else if (a.terminal_events != "config") {
    ATTENDSIM_INPUT_ERROR("--terminal-events: expected, drawn or config, got '" << a.terminal_events
                                                                                << "'");
  }
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
    if (end == a.target_se.c_str() + eq + 1 || *end != '\0' || !(target > 0)) {
      ATTENDSIM_INPUT_ERROR("--target-se: VALUE must be a number > 0, got '"
                            << a.target_se.substr(eq + 1) << "'");
    }
    if (a.max_replications < a.batch) {
      ATTENDSIM_INPUT_ERROR("--max-replications " << a.max_replications
                                                  << " must be at least --batch " << a.batch);
    }
    const auto r = models::run_to_target_se(cfg, opt, metric, target, a.batch, a.max_replications);
    models::write_run_outputs(
        dir, cfg, r.result, {"sensitivity --target-se", r.result.wall_seconds, opt.threads}, false);
    dir.write("target_se.csv", "metric,target,se,replications,reached\n" + metric + "," +
                                   n(target) + "," + n(r.se) + "," +
                                   std::to_string(r.result.options.replications) + "," +
                                   (r.reached ? "true" : "false") + "\n");
    dir.commit();
    if (!a.quiet) {
      std::cout << metric << ": se " << r.se << (r.reached ? " <= " : " > ") << target << " after "
                << r.result.options.replications << " replications (batches of " << a.batch
                << ")\n";
      std::cout << "results: " << dir.final_path().string() << "\n";
    }
    return 0;
  }
  if (a.method.empty())
    ATTENDSIM_INPUT_ERROR(
        "sensitivity: give --method (psa, oneway, twoway, sobol, voi) or --target-se");
  if (!a.params.empty() && (a.method == "psa" || a.method == "oneway")) {
    ATTENDSIM_INPUT_ERROR("--params is not used by --method " << a.method
                                                              << " (it takes every uncertain "
                                                                 "parameter); leave it out");
  }
  // Only psa simulates the draws of --draws-from; the other methods would ignore them.
  if (!a.draws_from.empty() && a.method != "psa")
    ATTENDSIM_INPUT_ERROR("--draws-from " << a.draws_from << ": used by --method psa only, not by "
                                          << a.method << "; leave it out");
  if (a.method == "psa") {
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
    std::string psa =
        "draw,scenario,incremental_cost_sek,incremental_sustained_returns,"
        "incremental_completed_upper_secondary,net_benefit_sek,roi\n";
    const auto i_cost = res.metric_index(models::Metric::cost_sek),
               i_ret = res.metric_index(models::Metric::sustained_returns),
               i_comp = res.metric_index(models::Metric::completed_upper_secondary),
               i_net = res.metric_index(models::Metric::net_benefit_sek),
               i_roi = res.metric_index(models::Metric::roi);
    const auto base_ret = res.unit_values(0, i_ret), base_comp = res.unit_values(0, i_comp);
    for (std::size_t s = 1; s < res.scenarios.size(); ++s) {
      const auto cost = res.unit_values(s, i_cost), ret = res.unit_values(s, i_ret),
                 comp = res.unit_values(s, i_comp), net = res.unit_values(s, i_net),
                 roi = res.unit_values(s, i_roi);
      for (std::size_t d = 0; d < cost.size(); ++d) {
        psa += std::to_string(d) + "," + res.scenarios[s].name + "," + n(cost[d]) + "," +
               n(ret[d] - base_ret[d]) + "," + n(comp[d] - base_comp[d]) + "," + n(net[d]) + "," +
               n(roi[d]) + "\n";
      }
    }
    dir.write("psa.csv", psa);
    std::string ac = "value_per_outcome_sek,scenario,probability_best\n";
    for (const auto& p : models::acceptability(res, a.values_per_return)) {
      ac += n(p.value_per_return_sek) + "," + p.scenario + "," + n(p.probability_best) + "\n";
    }
    dir.write("acceptability.csv", ac);
    dir.commit();
    if (!a.quiet) {
      std::cout << "PSA: " << opt.draws << " parameter draws x " << opt.replications
                << " replications, " << res.scenarios.size()
                << " scenarios; psa.csv, acceptability.csv" << (keep_run_files ? "" : ", draws.csv")
                << " in " << dir.final_path().string() << "\n";
    }
    return 0;
  }
  if (a.method == "oneway") {
    if (a.replications <= 0) opt.replications = 10;
    const auto rows = models::one_way(cfg, opt);
    std::string csv =
        "parameter,output,base_value,low_value,high_value,output_base,output_low,output_high,"
        "swing\n";
    for (const auto& r : rows) {
      csv += r.parameter + "," + r.output + "," + n(r.base_value) + "," + n(r.low_value) + "," +
             n(r.high_value) + "," + n(r.output_base) + "," + n(r.output_low) + "," +
             n(r.output_high) + "," + n(r.swing) + "\n";
    }
    write_base_run("sensitivity --method oneway", std::nullopt);
    dir.write("tornado.csv", csv);
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
  if (a.method == "twoway") {
    const auto comma = a.params.find(',');
    if (comma != std::string::npos && a.params.substr(0, comma) == a.params.substr(comma + 1))
      ATTENDSIM_INPUT_ERROR("--params: a two-way analysis needs two different parameters, got '"
                            << a.params << "'");
    if (comma == std::string::npos)
      ATTENDSIM_INPUT_ERROR("--method twoway needs --params A,B (two parameter keys)");
    if (a.replications <= 0) opt.replications = 10;
    const auto rows =
        models::two_way(cfg, opt, a.params.substr(0, comma), a.params.substr(comma + 1), a.grid);
    std::string csv = "param_a,value_a,param_b,value_b,output,mean\n";
    const auto& names = models::sensitivity_outputs();
    for (const auto& r : rows) {
      for (std::size_t o = 0; o < names.size(); ++o) {
        csv += r.param_a + "," + n(r.value_a) + "," + r.param_b + "," + n(r.value_b) + "," +
               names[o] + "," + n(r.outputs[o]) + "\n";
      }
    }
    write_base_run("sensitivity --method twoway", std::nullopt);
    dir.write("twoway.csv", csv);
    dir.commit();
    if (!a.quiet)
      std::cout << "two-way grid " << a.grid << "x" << a.grid << ": twoway.csv in "
                << dir.final_path().string() << "\n";
    return 0;
  }
  if (a.method == "sobol") {
    if (a.sobol_n < 2)
      ATTENDSIM_INPUT_ERROR("--sobol-n: the base sample size must be >= 2, got " << a.sobol_n);
    if (a.replications <= 0) opt.replications = 2;
    SobolEstimator estimator = SobolEstimator::combined;
    if (a.estimator == "saltelli-jansen") {
      estimator = SobolEstimator::saltelli_jansen;
    } else if (a.estimator != "combined") {
      ATTENDSIM_INPUT_ERROR("--estimator: combined or saltelli-jansen, got '" << a.estimator
                                                                              << "'");
    }
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
    std::string csv =
        "output,parameter,first_order,first_order_ci_low,first_order_ci_high,total,total_ci_low,"
        "total_ci_high,status\n";
    for (const auto& row : r.rows) {
      const auto& x = row.index;
      csv += row.output + "," + row.parameter + "," + n(x.first_order) + "," +
             n(x.first_order_ci_low) + "," + n(x.first_order_ci_high) + "," + n(x.total) + "," +
             n(x.total_ci_low) + "," + n(x.total_ci_high) + "," +
             (row.identifiable ? "ok" : "not_identifiable") + "\n";
    }
    std::string notes = "output,status,note\n";
    for (const auto& z : r.noise) {
      notes += csv::row({z.output, z.identifiable ? "ok" : "not_identifiable", z.note});
    }
    std::string noise =
        "output,parameter,variance,noise_variance,noise_share,first_order_noise,total_noise\n";
    for (const auto& z : r.noise) {
      for (std::size_t i = 0; i < r.parameters.size(); ++i) {
        noise += z.output + "," + r.parameters[i] + "," + n(z.variance) + "," +
                 n(z.noise_variance) + "," + n(z.noise_share) + "," + n(z.first_order_noise[i]) +
                 "," + n(z.total_noise[i]) + "\n";
      }
    }
    write_base_run("sensitivity --method sobol", r.wall_seconds);
    dir.write("sobol.csv", csv);
    dir.write("sobol_noise.csv", noise);
    dir.write("sobol_status.csv", notes);
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
  if (a.method == "voi") {
    if (opt.draws <= 1) opt.draws = 200;
    a.check_memory(static_cast<double>(opt.draws) * opt.replications,
                   models::comparison_scenarios(cfg).size(), cfg);
    if (a.replications <= 0) opt.replications = 2;
    const auto r = models::value_of_information(cfg, opt, a.params);
    std::string csv = "measure,parameter,voi_sek,share_of_evpi\n";
    for (const auto& row : r.rows) {
      csv += row.measure + "," + row.parameter + "," + n(row.voi_sek) + "," + n(row.share_of_evpi) +
             "\n";
    }
    write_run(r.result, {"sensitivity --method voi", r.result.wall_seconds, opt.threads}, true);
    dir.write("voi.csv", csv);
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
  ATTENDSIM_INPUT_ERROR("--method: unknown method '" << a.method << "'");
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
  sub->add_option("--method", args->method, "psa | oneway | twoway | sobol | voi")
      ->check(CLI::IsMember({"psa", "oneway", "twoway", "sobol", "voi"}));
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
                  "config's [outcomes] terminal_events says)");
  sub->add_option("--estimator", args->estimator,
                  "Sobol estimators: combined (default; per index the minimum-variance "
                  "combination of the Saltelli and Jansen forms) or saltelli-jansen");
  sub->add_option("--grid", args->grid, "points per parameter in twoway (default 5)")
      ->check(CLI::Range(2, 50));
  sub->add_option("--target-se", args->target_se,
                  "METRIC=VALUE: add replications in seeded batches until the scenario's standard "
                  "error of METRIC is <= VALUE");
  sub->add_option("--batch", args->batch, "replications per batch for --target-se (default 10)")
      ->check(CLI::Range(2, 100000));
  sub->add_option("--max-replications", args->max_replications,
                  "upper limit for --target-se (default 2000)")
      ->check(count_up_to(1e6));
  sub->add_option("--values-per-return", args->values_per_return,
                  "SEK values placed on one extra sustained return for the acceptability curve");
  sub->callback([args, &action] { action = [args] { return sensitivity_command(*args); }; });
}

}  // namespace attendsim::app
