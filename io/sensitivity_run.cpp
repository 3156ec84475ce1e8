/// `attendsim sensitivity` (io/commands.hpp sensitivity_command): the chosen analysis
/// (analysis/sensitivity.hpp, analysis/global_sensitivity.hpp), its files
/// (io/sensitivity_writer.hpp) and console text.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <ostream>

#include "analysis/global_sensitivity.hpp"
#include "analysis/metrics.hpp"
#include "analysis/work_estimate.hpp"
#include "io/base_case_run.hpp"
#include "io/commands.hpp"
#include "io/results_writer.hpp"
#include "io/sensitivity_writer.hpp"
#include "sim/error.hpp"
#include "sim/names.hpp"

namespace attendsim::models {

namespace {

/// Runs the requested analysis with `opt` (draws, replications, seed, threads; each method
/// sets its own default replications unless given), writes its files into `dir` and commits
/// it. `keep_run_files`: the folder already holds a run or compare, whose summary, occupancy
/// and run.json stay. Console text to `os` unless quiet. InputError on a bad request.
std::optional<ExperimentResult> run_sensitivity(const ModelConfig& cfg, RunOptions opt,
                                                const SensitivityOptions& req, OutputDir& dir,
                                                bool keep_run_files, std::ostream& os) {
  const bool replications_given = req.replications > 0;
  // The analysis's cost, checked against --max-memory-gib and --max-hours before anything
  // runs: `units` units of `scenarios` scenarios (analysis/work_estimate.hpp), plus `extra`.
  // `keeps_units`: the analysis keeps every unit's results (else, as sobol, it folds them).
  const std::string command =
      "sensitivity " + (req.method.empty() ? std::string("--target-se") : "--method " + req.method);
  auto check_work = [&](double units, std::size_t scenarios, const std::string& what,
                        const std::string& lower, const WorkEstimate& extra = {},
                        bool keeps_units = true) {
    auto e = experiment_work(cfg, opt, units, scenarios, what, lower);
    if (!keeps_units) e.bytes = 0;  // the caller's `extra` counts what it holds
    e += extra;
    req.limits.check(e, opt.threads, command);
  };
  auto x = [](auto a, const char* unit) { return std::to_string(a) + " " + unit; };
  auto write_run = [&](const ExperimentResult& res, const Provenance& prov, bool with_draws) {
    if (!keep_run_files) write_run_outputs(dir, cfg, res, prov, with_draws);
  };
  // oneway, twoway and sobol accompany their CSV with a base-case run (one draw at base
  // values); it is simulated only when its files will be written. `wall_seconds` defaults to
  // the base run's own.
  auto write_base_run = [&](const std::string& what, std::optional<double> wall_seconds) {
    if (!keep_run_files) write_base_case_run(dir, cfg, opt, what, wall_seconds);
  };
  if (!req.target_se.empty()) {
    const auto eq = req.target_se.find('=');
    if (eq == std::string::npos)
      ATTENDSIM_INPUT_ERROR("--target-se: expected METRIC=VALUE, got '" << req.target_se << "'");
    const std::string metric = req.target_se.substr(0, eq);
    metric_by_name(metric, "--target-se");
    char* end = nullptr;
    const double target = std::strtod(req.target_se.c_str() + eq + 1, &end);
    if (end == req.target_se.c_str() + eq + 1 || *end != '\0' || !(target > 0) ||
        !std::isfinite(target)) {
      ATTENDSIM_INPUT_ERROR("--target-se: VALUE must be a finite number > 0, got '"
                            << req.target_se.substr(eq + 1) << "'");
    }
    if (req.max_replications < req.batch) {
      ATTENDSIM_INPUT_ERROR("--max-replications " << req.max_replications
                                                  << " must be at least --batch " << req.batch);
    }
    check_work(req.max_replications, baseline_and_configured(cfg).size(),
               x(req.max_replications, "replications (--max-replications)"), "--max-replications");
    const auto r = run_to_target_se(cfg, opt, metric, target, req.batch, req.max_replications);
    write_run_outputs(dir, cfg, r.result,
                      {"sensitivity --target-se", r.result.wall_seconds, opt.threads}, false);
    dir.write("target_se.csv", target_se_csv(metric, target, r));
    dir.commit();
    if (!req.quiet) {
      os << metric << ": se " << r.se << (r.reached ? " <= " : " > ") << target << " after "
         << r.result.options.replications << " replications (batches of " << req.batch << ")\n";
      os << "results: " << dir.final_path().string() << "\n";
    }
    return r.result;
  }
  if (req.method.empty()) {
    ATTENDSIM_INPUT_ERROR("sensitivity: give --method (" << known_names<SensitivityMethod>()
                                                         << ") or --target-se");
  }
  const auto method = *parse_name<SensitivityMethod>(req.method);
  if (!req.params.empty() &&
      (method == SensitivityMethod::psa || method == SensitivityMethod::oneway)) {
    ATTENDSIM_INPUT_ERROR("--params is not used by --method " << req.method
                                                              << " (it takes every uncertain "
                                                                 "parameter); leave it out");
  }
  // Only psa simulates the draws of --draws-from; the other methods would ignore them.
  if (!req.draws_from.empty() && method != SensitivityMethod::psa)
    ATTENDSIM_INPUT_ERROR("--draws-from " << req.draws_from
                                          << ": used by --method psa only, not by " << req.method
                                          << "; leave it out");
  if (method == SensitivityMethod::psa) {
    if (!opt.parameter_sets.empty() && opt.parameter_sets.size() < 2)
      ATTENDSIM_INPUT_ERROR(req.draws_from
                            << ": --method psa needs at least 2 draws (rows), the file "
                               "holds "
                            << opt.parameter_sets.size());
    if (opt.parameter_sets.empty() && opt.draws <= 1) opt.draws = 100;
    if (!replications_given) opt.replications = 2;
    const auto scenarios = psa_scenarios(cfg);
    check_work(static_cast<double>(opt.draws) * opt.replications, scenarios.size(),
               x(opt.draws, "draws x ") + x(opt.replications, "replications"),
               "--draws, --replications");
    const auto res = run_experiment(cfg, scenarios, opt);
    write_run(res, {"sensitivity --method psa", res.wall_seconds, opt.threads}, true);
    dir.write("psa.csv", psa_csv(res));
    dir.write("acceptability.csv", acceptability_csv(acceptability(res, req.values_per_return)));
    dir.commit();
    if (!req.quiet) {
      os << "PSA: " << opt.draws << " parameter draws x " << opt.replications << " replications, "
         << res.scenarios.size() << " scenarios; psa.csv, acceptability.csv"
         << (keep_run_files ? "" : ", draws.csv") << " in " << dir.final_path().string() << "\n";
    }
    return res;
  }
  if (method == SensitivityMethod::oneway) {
    if (!replications_given) opt.replications = 10;
    const double points = 2.0 * static_cast<double>(cfg.parameters.uncertain().size()) + 1;
    check_work(points * opt.replications, baseline_and_configured(cfg).size(),
               x(static_cast<long long>(points), "points x ") + x(opt.replications, "replications"),
               "--replications");
    const auto rows = one_way(cfg, opt);
    write_base_run("sensitivity --method oneway", std::nullopt);
    dir.write("tornado.csv", tornado_csv(rows));
    dir.commit();
    if (!req.quiet) {
      os << "one-way analysis, net benefit (SEK), largest swings first:\n";
      int k = 0;
      for (const auto& r : rows) {
        if (r.output != "net_benefit_sek" || k++ >= 10) continue;
        os << "  " << r.parameter << ": " << group_thousands(r.output_low) << " .. "
           << group_thousands(r.output_high) << " (swing " << group_thousands(r.swing) << ")\n";
      }
      os << "results: " << dir.final_path().string() << "\n";
    }
    return std::nullopt;
  }
  if (method == SensitivityMethod::twoway) {
    const auto comma = req.params.find(',');
    if (comma != std::string::npos && req.params.substr(0, comma) == req.params.substr(comma + 1))
      ATTENDSIM_INPUT_ERROR("--params: a two-way analysis needs two different parameters, got '"
                            << req.params << "'");
    if (comma == std::string::npos)
      ATTENDSIM_INPUT_ERROR("--method twoway needs --params A,B (two parameter keys)");
    if (!replications_given) opt.replications = 10;
    check_work(static_cast<double>(req.grid) * req.grid * opt.replications,
               baseline_and_configured(cfg).size(),
               x(req.grid * req.grid, "grid points x ") + x(opt.replications, "replications"),
               "--grid, --replications");
    const auto rows =
        two_way(cfg, opt, req.params.substr(0, comma), req.params.substr(comma + 1), req.grid);
    write_base_run("sensitivity --method twoway", std::nullopt);
    dir.write("twoway.csv", twoway_csv(rows));
    dir.commit();
    if (!req.quiet)
      os << "two-way grid " << req.grid << "x" << req.grid << ": twoway.csv in "
         << dir.final_path().string() << "\n";
    return std::nullopt;
  }
  if (method == SensitivityMethod::sobol) {
    if (req.sobol_n < 2)
      ATTENDSIM_INPUT_ERROR("--sobol-n: the base sample size must be >= 2, got " << req.sobol_n);
    if (!replications_given) opt.replications = 2;
    const auto estimator = *parse_name<SobolEstimator>(req.estimator);
    if (opt.replications < 2 && !req.quiet) {
      std::cerr << "attendsim: note: with --replications 1 the simulator's noise cannot be "
                   "estimated; the indices keep its bias (use 2 or more)\n";
    }
    const auto params = uncertain_parameters(cfg, req.params);
    {  // values[output][point x replication], the design and the bootstrap, before any of it
      const double d = static_cast<double>(params.size());
      const double points =
          static_cast<double>(req.randomisations) * static_cast<double>(req.sobol_n) * (d + 2);
      WorkEstimate extra;
      extra.bytes = points * (8.0 * 3 * opt.replications + 8.0 * d) +
                    static_cast<double>(req.randomisations) * req.sobol_n * opt.replications * 24;
      // Each thread's row in flight: its pupils and its baseline records (their HighMonths).
      extra.bytes += sobol_rows_in_flight_bytes(
          cfg, opt.threads,
          static_cast<double>(req.randomisations) * req.sobol_n * opt.replications);
      // The bootstrap (K = 1): per resample and output, the estimators over N rows of d + 2
      // points (kSobolBootstrapTermsPerThreadSecond row-point terms per second).
      if (req.randomisations == 1 && req.bootstrap > 0) {
        extra.thread_seconds = 3.0 * req.bootstrap * static_cast<double>(req.sobol_n) * (d + 2) /
                               kSobolBootstrapTermsPerThreadSecond;
        extra.bytes += 3.0 * req.bootstrap * d * 16;
        extra.what = x(req.bootstrap, "bootstrap resamples of ") + x(req.sobol_n, "rows");
        extra.lower = "--bootstrap";
      }
      check_work(points * opt.replications, baseline_and_configured(cfg).size(),
                 x(req.randomisations, "randomisation(s) x ") + x(req.sobol_n, "rows x ") +
                     x(params.size() + 2, "points x ") + x(opt.replications, "replications"),
                 "--sobol-n, --randomisations, --params, --replications", extra, false);
    }
    const auto r =
        sobol_sensitivity(cfg, opt, params, static_cast<std::size_t>(req.sobol_n), req.bootstrap,
                          static_cast<std::size_t>(req.randomisations), true, estimator);
    write_base_run("sensitivity --method sobol", r.wall_seconds);
    dir.write("sobol.csv", sobol_csv(r));
    dir.write("sobol_noise.csv", sobol_noise_csv(r));
    dir.write("sobol_status.csv", sobol_status_csv(r));
    dir.commit();
    if (!req.quiet) {
      os << "Sobol indices: N = " << r.n
         << (r.randomisations > 1 ? " x " + std::to_string(r.randomisations) + " randomisations"
                                  : std::string())
         << ", " << r.parameters.size() << " parameters, " << r.design_points << " design points x "
         << r.replications << " replications (";
      // The config's engine (docs/methods.md §8.5): the count path's runs serve the baseline
      // and the scenario; the hybrid and the individual engine record baselines.
      if (on_count_path(cfg))
        os << r.baselines << " count-based runs";
      else
        os << r.baselines << (cfg.run.count_based ? " hybrid" : "") << " baselines recorded, "
           << r.derived_baselines << " derived, " << r.scenario_runs
           << " scenarios simulated from them";
      os << ", " << format_number(r.wall_seconds) << " s)\n";
      for (const auto& row : r.rows) {
        if (row.output != "net_benefit_sek") continue;
        os << "  " << row.parameter << ": S " << format_number(row.index.first_order) << " ["
           << format_number(row.index.first_order_ci_low) << ", "
           << format_number(row.index.first_order_ci_high) << "], ST "
           << format_number(row.index.total) << " [" << format_number(row.index.total_ci_low)
           << ", " << format_number(row.index.total_ci_high) << "]\n";
      }
      for (const auto& z : r.noise) {
        if (!z.computed) {
          os << "  " << z.output << ": not computed (" << kNotComputedReason << "); no indices\n";
          continue;
        }
        if (!z.identifiable) {
          os << "  " << z.output << ": not identifiable (" << z.note << "); no indices\n";
          continue;
        }
        os << "  noise share of " << z.output << ": " << format_number(z.noise_share) << "\n";
      }
      os << "results: " << dir.final_path().string() << "\n";
    }
    return std::nullopt;
  }
  if (method == SensitivityMethod::voi) {
    if (opt.draws <= 1) opt.draws = 200;
    if (!replications_given) opt.replications = 2;
    check_work(static_cast<double>(opt.draws) * opt.replications, decision_options(cfg).size(),
               x(opt.draws, "draws x ") + x(opt.replications, "replications"),
               "--draws, --replications");
    const auto r = value_of_information(cfg, opt, req.params);
    write_run(r.result, {"sensitivity --method voi", r.result.wall_seconds, opt.threads}, true);
    dir.write("voi.csv", voi_csv(r));
    dir.commit();
    if (!req.quiet) {
      os << "value of information (SEK, per decision, " << opt.draws << " draws x "
         << opt.replications << " replications, " << r.result.scenarios.size() << " options):\n";
      for (const auto& row : r.rows) {
        os << "  " << row.measure << " " << row.parameter << ": " << group_thousands(row.voi_sek)
           << "\n";
      }
      os << "results: " << dir.final_path().string() << "\n";
    }
    return r.result;
  }
  ATTENDSIM_REQUIRE(false, "--method " << req.method << " has no analysis");
}

}  // namespace

CommandResult sensitivity_command(ModelConfig cfg, const SensitivityOptions& a, std::ostream& os) {
  a.check();
  // Sensitivity analyses estimate functions of the expected outputs: terminal events are
  // counted by their probabilities (less noise, the same expectation) unless asked not to.
  if (a.terminal_events != "config")
    cfg.structure.outcomes.terminal_events = *parse_name<TerminalEvents>(a.terminal_events);
  // A config of [[municipalities]] is read by the Sobol analysis (each design point runs every
  // municipality, and its outputs are the whole's); the other methods refuse it.
  // The value of information is the value of a choice between a programme's options: without a
  // programme every option would be a team that takes no case (as compare refuses it). Refused
  // before anything runs or is written. The other methods run the scenarios `run` has.
  if (a.method == "voi")
    refuse_without_programme(cfg,
                             "sensitivity --method voi values the information for choosing among "
                             "a coordinator programme's options",
                             "Set enabled = true, or use --method psa, oneway, twoway or sobol on "
                             "a config without a programme");
  SensitivityOptions req = a;
  req.reads_municipalities = a.method == "sobol";
  const auto opt = req.options(cfg);
  const auto out_dir = a.output_dir(cfg, "-sensitivity");
  if (!a.out.empty()) check_output_folder(out_dir, cfg, a.allow_other_config);
  // Into a results folder that already holds a run or compare, a method adds only its own
  // files: summary.*, occupancy.csv, draws.csv and run.json stay those of the wider run, so
  // `run`, `compare`, then `sensitivity` into one folder give one consistent report.
  const bool keep_run_files = std::filesystem::exists(out_dir / "summary.json");
  OutputDir dir(out_dir, a.out.empty());
  auto res = run_sensitivity(cfg, opt, a, dir, keep_run_files, os);
  return {dir.final_path(), std::move(res)};
}

}  // namespace attendsim::models
