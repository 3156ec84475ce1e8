#include "io/commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "analysis/calibration.hpp"
#include "analysis/calibration_fit.hpp"
#include "analysis/municipalities.hpp"
#include "analysis/plan_check.hpp"
#include "analysis/sensitivity.hpp"
#include "analysis/synthetic_register.hpp"
#include "analysis/work_estimate.hpp"
#include "io/base_case_run.hpp"
#include "io/calc_writer.hpp"
#include "io/calibration_writer.hpp"
#include "io/case_log_reader.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "io/followup_io.hpp"
#include "io/html_report.hpp"
#include "io/labels.hpp"
#include "io/municipality_tables.hpp"
#include "io/register_reader.hpp"
#include "io/results_writer.hpp"
#include "io/targets_reader.hpp"
#include "io/threshold_text.hpp"
#include "io/threshold_writer.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"
#include "sim/names.hpp"
#include "sim/progress.hpp"
#include "sim/sobol.hpp"
#include "sim/work_split.hpp"

namespace attendsim::models {

namespace fs = std::filesystem;

namespace {

/// `value` is 0 (not given) or a whole number 1..hi.
void check_count(const char* option, double value, double hi) {
  if (value != 0 && !(value >= 1 && value <= hi))
    ATTENDSIM_INPUT_ERROR(option << ": must be a whole number between 1 and "
                                 << static_cast<long long>(hi) << ", got " << value);
}

void check_range(const char* option, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi))
    ATTENDSIM_INPUT_ERROR(option << ": must be between " << lo << " and " << hi << ", got "
                                 << value);
}

/// --max-memory-gib and --max-hours: above 0, at most their bounds.
void check_limits(const WorkLimits& limits) {
  if (!(limits.max_memory_gib >= 1e-6 && limits.max_memory_gib <= kMaxMemoryGib))
    ATTENDSIM_INPUT_ERROR("--max-memory-gib: must be between 0 and 1e6, got "
                          << limits.max_memory_gib);
  if (!(limits.max_hours >= 1e-6 && limits.max_hours <= kMaxHours))
    ATTENDSIM_INPUT_ERROR("--max-hours: must be between 0 and 1e6, got " << limits.max_hours);
}

void check_seed(long long seed) {
  if (seed < -1) ATTENDSIM_INPUT_ERROR("--seed: must be a whole number >= 0, got " << seed);
}

template <class E>
void check_name(const char* option, const std::string& value, bool empty_allowed = false,
                const char* extra = nullptr) {
  if (empty_allowed && value.empty()) return;
  if (extra != nullptr && value == extra) return;
  if (!parse_name<E>(value))
    ATTENDSIM_INPUT_ERROR(option << ": '" << value << "' is not one of " << known_names<E>()
                                 << (extra ? std::string(", ") + extra : std::string()));
}

int threads_or_all(int threads) {
  return threads > 0 ? threads
                     : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

double parse_double(const std::string& s, const std::string& option) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
    ATTENDSIM_INPUT_ERROR(option << ": expected a number, got '" << s << "'");
  // The config's bound on values (config_schema): beyond it costs and net benefits overflow.
  if (std::abs(v) > kMaxSekValue)
    ATTENDSIM_INPUT_ERROR(option << ": must be at most 1e15 in size, got '" << s << "'");
  return v;
}

/// Writes `text` to `out` through a temporary file beside it and a rename: never a
/// half-written file, and none left on a signal.
void write_file_replacing(const fs::path& out, const std::string& text, const std::string& what) {
  const auto tmp = fs::path(out.string() + ".tmp-" + std::to_string(::getpid()));
  register_temporary(tmp);
  auto fail = [&](const std::string& why) {
    std::error_code ec;
    fs::remove(tmp, ec);
    unregister_temporary(tmp);
    ATTENDSIM_INPUT_ERROR(out.string() << ": cannot write the " << what << why);
  };
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    f.close();
    if (!f) fail("");
  }
  std::error_code ec;
  fs::rename(tmp, out, ec);
  if (ec) fail(": " + ec.message());
  unregister_temporary(tmp);
}

}  // namespace

RunOptions base_run_options(const ModelConfig& cfg, long long seed, int replications, int threads) {
  RunOptions opt;
  opt.seed = seed >= 0 ? static_cast<std::uint64_t>(seed) : cfg.run.seed;
  opt.replications = replications > 0 ? replications : cfg.run.replications;
  opt.threads = threads_or_all(threads);
  opt.split = &process_work_split();  // this process's share under mpirun
  return opt;
}

// ---- ExperimentOptions ------------------------------------------------------------------------

void ExperimentOptions::check() const {
  check_count("--draws", draws, kMaxUnits);
  check_count("--replications", replications, kMaxUnits);
  check_count("--threads", threads, kMaxThreads);
  check_seed(seed);
  check_limits(limits);
}

RunOptions ExperimentOptions::options(const ModelConfig& cfg) const {
  check();
  if (!cfg.municipalities.empty() && !reads_municipalities) {
    throw InputError(cfg.file +
                     ": [[municipalities]] is read by `attendsim run` and `sensitivity --method "
                     "sobol` only; give this command "
                     "a config of one population");
  }
  auto opt = base_run_options(cfg, seed, replications, threads);
  opt.draws = draws > 0 ? draws : cfg.run.draws;
  opt.progress = !quiet && stderr_is_terminal();
  opt.from_baseline = !full_scenarios;
  if (!draws_from.empty()) {
    opt.parameter_sets = read_parameter_draws(draws_from, cfg, opt.seed);
    opt.draws = static_cast<int>(opt.parameter_sets.size());
  }
  return opt;
}

fs::path ExperimentOptions::output_dir(const ModelConfig& cfg, const std::string& suffix) const {
  return out.empty() ? default_output_dir("results", fs::path(cfg.file).stem().string() + suffix)
                     : fs::path(out);
}

void ExperimentOptions::check_work(const std::string& command, const ModelConfig& cfg,
                                   const RunOptions& opt, std::size_t scenarios,
                                   const WorkEstimate& extra) const {
  auto e = experiment_work(cfg, opt, static_cast<double>(opt.draws) * opt.replications, scenarios,
                           std::to_string(opt.draws) + " draw(s) x " +
                               std::to_string(opt.replications) + " replication(s)",
                           "--draws, --replications");
  e += extra;
  limits.check(e, opt.threads, command);
}

std::unique_ptr<OutputDir> ExperimentOptions::open_output(const std::string& suffix,
                                                          const ModelConfig& cfg) const {
  const auto path = output_dir(cfg, suffix);
  if (!out.empty()) check_output_folder(path, cfg, allow_other_config);
  return std::make_unique<OutputDir>(path, out.empty());
}

// ---- checks of the other commands' options ---------------------------------------------------

void CompareOptions::check() const {
  ExperimentOptions::check();
  if (roi_target >= 0) check_range("--roi-target", roi_target, 0, kMaxRoiTarget);
  if (confidence >= 0 && !(confidence > 0 && confidence < 1))
    ATTENDSIM_INPUT_ERROR("--confidence: must be between 0 and 1 (exclusive), got " << confidence);
  check_name<Language>("--lang", lang);
}

void SensitivityOptions::check() const {
  ExperimentOptions::check();
  check_name<SensitivityMethod>("--method", method, true);
  if (!method.empty() && !target_se.empty())
    ATTENDSIM_INPUT_ERROR("--target-se excludes --method: give one of them");
  check_name<TerminalEvents>("--terminal-events", terminal_events, false, "config");
  check_name<SobolEstimator>("--estimator", estimator);
  check_range("--grid", grid, 2, kMaxTwowayGrid);
  check_range("--bootstrap", bootstrap, 0, kMaxBootstrap);
  check_range("--randomisations", randomisations, 1, kMaxRandomisations);
  check_range("--batch", batch, 2, kMaxBatch);
  check_range("--max-replications", max_replications, 1, kMaxUnits);
  for (std::size_t i = 0; i < values_per_return.size(); ++i) {
    if (!(values_per_return[i] >= 0 && values_per_return[i] <= kMaxSekValue))
      ATTENDSIM_INPUT_ERROR(
          "--values-per-return: each value must be a number of SEK between 0 "
          "and 1e15, got "
          << values_per_return[i]);
    for (std::size_t j = 0; j < i; ++j) {
      if (values_per_return[j] == values_per_return[i])
        ATTENDSIM_INPUT_ERROR("--values-per-return: value " << values_per_return[i]
                                                            << " given twice");
    }
  }
  if (method.empty()) return;
  // Options a method does not use are refused, not silently ignored or overridden.
  const auto m = *parse_name<SensitivityMethod>(method);
  if (values_per_return_given && m != SensitivityMethod::psa)
    ATTENDSIM_INPUT_ERROR("--values-per-return is used by --method psa only, not by "
                          << method << "; leave it out");
  if (draws == 1 && (m == SensitivityMethod::psa || m == SensitivityMethod::voi))
    ATTENDSIM_INPUT_ERROR("--draws 1 is the base values only: --method "
                          << method << " samples the parameters (give --draws 2 or more, "
                          << "or leave it out)");
}

void ThresholdOptions::check() const {
  ExperimentOptions::check();
  if (metric != "net_benefit" && metric != "roi")
    ATTENDSIM_INPUT_ERROR("--metric: '" << metric << "' is not one of net_benefit, roi");
  check_range("--grid", grid, 2, kMaxThresholdGrid);
  check_range("--batches", batches, 2, kMaxThresholdGrid);
}

void CalcOptions::check() const {
  check_count("--replications", replications, kMaxUnits);
  check_count("--threads", threads, kMaxThreads);
  check_seed(seed);
  check_limits(limits);
}

void ReportOptions::check() const {
  check_name<Language>("--lang", lang);
}

void CalibrateOptions::check() const {
  check_seed(seed);
  check_count("--threads", threads, kMaxThreads);
  const int given = (register_file.empty() ? 0 : 1) + (targets_file.empty() ? 0 : 1);
  if (given == 0 && case_log.empty())
    ATTENDSIM_INPUT_ERROR(
        "calibrate: give --register FILE.csv, --targets FILE.csv or --case-log "
        "FILE.csv");
  if (!register_file.empty() && (!targets_file.empty() || !case_log.empty()))
    ATTENDSIM_INPUT_ERROR("--register excludes --targets and --case-log: give one kind");
  if (out.empty()) ATTENDSIM_INPUT_ERROR("--out: a folder for the calibrated config is needed");
  check_range("--prior-draws", prior_draws, 2, kMaxPriorDraws);
  if (posterior_draws != 0)
    check_range("--posterior-draws", posterior_draws, 1, kMaxPosteriorDraws);
  if (pupils != 0) check_range("--pupils", pupils, 1, kMaxCalibratePupils);
  check_range("--fit-draws", fit_draws, 2, kMaxFitDraws);
  check_limits(limits);
}

// ---- run ------------------------------------------------------------------------------------

CommandResult run_command(const ModelConfig& cfg, const ExperimentOptions& a, std::ostream& os) {
  const auto opt = a.options(cfg);
  const auto scenarios = baseline_and_configured(cfg);
  a.check_work("run", cfg, opt, scenarios.size());  // each municipality's results counted
  const auto dir_ptr = a.open_output("", cfg);      // a temporary folder until commit()
  OutputDir& dir = *dir_ptr;
  const bool with_draws = a.write_draws || opt.draws > 1;
  const auto lang = parse_language(a.lang, "--lang");
  // A config of several municipalities: each one's results in DIR/municipality-NAME/, the
  // whole's in DIR itself, with municipalities.csv and decision.md side by side
  // (analysis/municipalities.hpp, io/municipality_tables.hpp).
  std::vector<MunicipalityRow> rows;
  auto res =
      cfg.municipalities.empty()
          ? run_experiment(cfg, scenarios, opt)
          : run_municipalities(
                cfg, opt,
                [&](const Municipality& m, const ModelConfig& mc, const ExperimentResult& r) {
                  OutputDir sub(dir.file("municipality-" + m.name));
                  write_run_outputs(sub, mc, r, {"run", r.wall_seconds, opt.threads}, with_draws);
                  sub.commit();
                  rows.push_back(municipality_row(m.name, false, m.pupils, r));
                  if (!a.quiet) {
                    os << m.name << ": " << m.pupils << " pupils, " << r.pupil_months_simulated
                       << " pupil-months in " << r.wall_seconds << " s\n";
                  }
                });
  if (!cfg.municipalities.empty() && res.units_whole) {  // an MPI rank other than 0 writes nothing
    std::int64_t pupils = 0;
    for (const auto& m : cfg.municipalities) pupils += m.pupils;
    rows.push_back(municipality_row(cfg.name, true, pupils, res));
    dir.write("municipalities.csv", municipalities_csv(rows));
    const std::size_t units = res.unit_values(0, 0).size();
    dir.write("decision.md", municipality_brief(rows, in(lang, cfg.description_text), units, lang));
  }
  write_run_outputs(dir, cfg, res, {"run", res.wall_seconds, opt.threads}, with_draws);
  dir.commit();
  if (!a.quiet) {
    print_run_table(os, cfg, res);
    os << "results: " << dir.final_path().string() << " (" << res.pupil_months_simulated
       << " pupil-months in " << res.wall_seconds << " s on " << opt.threads << " thread(s))\n";
  }
  return {dir.final_path(), std::move(res)};
}

// ---- compare --------------------------------------------------------------------------------

void refuse_without_programme(const ModelConfig& cfg, const std::string& needs,
                              const std::string& instead) {
  if (cfg.structure.coordinators.enabled) return;
  ATTENDSIM_INPUT_ERROR(cfg.coordinators_enabled_at
                        << ": key 'coordinators.enabled': " << needs
                        << ", and this config has none (enabled = false): each staffing level "
                           "would be a team that takes no case. "
                        << instead);
}

CommandResult compare_command(ModelConfig cfg, const CompareOptions& a, std::ostream& os) {
  a.check();
  // Without a programme every staffing level (and every [[compare.scenario]]) is a team that
  // takes no case: the baseline at a cost, not an option to recommend among. Refused before
  // anything runs or is written.
  refuse_without_programme(cfg, "compare needs a coordinator programme",
                           "Set enabled = true to compare staffing; `attendsim run` or `attendsim "
                           "sensitivity` (all but --method voi) serve a config without a "
                           "programme");
  if (a.roi_target >= 0) cfg.compare.roi_target = a.roi_target;
  if (a.confidence >= 0) cfg.compare.confidence = a.confidence;
  // compare samples the parameters by default ([compare] draws x replications_per_draw);
  // --draws 1 compares at the base values with [simulation] replications.
  auto opt = a.options(cfg);
  if (a.draws == 0 && opt.parameter_sets.empty()) opt.draws = cfg.compare.draws;
  if (a.replications == 0 && opt.draws > 1) opt.replications = cfg.compare.replications_per_draw;
  add_plan_and_fund_extras(cfg, opt);  // the bridge from [plan], the fund of [fund]
  const auto scenarios = comparison_scenarios(cfg);
  WorkEstimate threshold_work;  // compare's coarse threshold, unless --no-threshold
  if (!a.no_threshold && has_compare_threshold(cfg)) {
    auto o = opt;
    o.replications = kCompareThresholdReplications;
    threshold_work = models::threshold_work(cfg, o, compare_threshold_spec(cfg));
    threshold_work.what = "the threshold's " + threshold_work.what;
    threshold_work.lower = "--no-threshold";
  }
  a.check_work("compare", cfg, opt, scenarios.size(), threshold_work);
  const auto dir_ptr = a.open_output("-compare", cfg);  // a temporary folder until commit()
  OutputDir& dir = *dir_ptr;
  auto res = run_experiment(cfg, scenarios, opt);
  const Provenance prov{"compare", res.wall_seconds, opt.threads};
  write_run_outputs(dir, cfg, res, prov, a.write_draws || opt.draws > 1);
  // An MPI rank other than 0 holds each unit's metrics only (sim/work_split.hpp): it goes on
  // to the threshold's splits without the analysis, which rank 0 alone writes.
  auto report = res.units_whole ? analyse_comparison(cfg, res) : ComparisonReport{};
  // What the coordinators would need to achieve: a finer threshold analysis already in the
  // folder (attendsim threshold --out DIR) is kept; otherwise compare's own, on a coarse grid.
  report.threshold = compare_threshold_rows(cfg, opt, dir, !a.out.empty(), !a.no_threshold);
  write_comparison_outputs(dir, cfg, res, report, parse_language(a.lang, "--lang"));
  dir.commit();
  if (!a.quiet) {
    print_comparison(os, cfg, res, report);
    os << "results: " << dir.final_path().string() << " (" << res.scenarios.size() << " scenarios, "
       << res.pupil_months_simulated << " pupil-months in " << res.wall_seconds << " s on "
       << opt.threads << " thread(s))\n";
  }
  return {dir.final_path(), std::move(res)};
}

// ---- threshold ------------------------------------------------------------------------------

CommandResult threshold_command(const ModelConfig& loaded, const ThresholdOptions& a,
                                std::ostream& os) {
  a.check();
  // The threshold is where a programme pays: without one every scenario is a team that takes
  // no case, which never pays. Refused, as compare, before anything runs or is written.
  refuse_without_programme(loaded, "threshold asks at what value a coordinator programme pays",
                           "Set enabled = true; `attendsim run` or `attendsim sensitivity` (all "
                           "but --method voi) serve a config without a programme");
  const auto cfg = threshold_config(loaded);
  if (a.draws > 1 || !a.draws_from.empty())
    ATTENDSIM_INPUT_ERROR(
        "threshold: the other parameters stay at their base values; "
        "--draws and --draws-from are not used");
  ThresholdSpec spec;
  spec.parameter = a.param;
  spec.metric = parse_threshold_metric(a.metric, "--metric");
  if (!a.target.empty()) spec.target = parse_double(a.target, "--target");
  if (!a.range.empty()) {
    const auto comma = a.range.find(',');
    if (comma == std::string::npos)
      ATTENDSIM_INPUT_ERROR("--range: expected LO,HI for " << a.param << ", got '" << a.range
                                                           << "'");
    spec.range = {parse_double(a.range.substr(0, comma), "--range " + a.param),
                  parse_double(a.range.substr(comma + 1), "--range " + a.param)};
  }
  spec.scenarios = a.scenarios;
  spec.grid_points = a.grid;
  spec.batches = a.batches;
  (void)threshold_range(cfg, spec);  // bad key or range: before anything runs
  auto opt = a.options(cfg);
  opt.draws = 1;
  a.limits.check(threshold_work(cfg, opt, spec), opt.threads, "threshold");
  const auto out_dir = a.output_dir(cfg, "-threshold");
  if (!a.out.empty()) check_output_folder(out_dir, cfg, a.allow_other_config);
  OutputDir dir(out_dir, a.out.empty());
  const bool keep_run_files = fs::exists(out_dir / "summary.json");
  const auto r = threshold_analysis(cfg, opt, spec);
  write_threshold_outputs(dir, r);
  // A new folder gets the run files of a base-case run (as sensitivity's oneway), so that it
  // is a results folder that compare can add to and report can read; into a folder of a run or
  // compare, only threshold.csv (and decision.md's section) are added.
  if (!keep_run_files) write_base_case_run(dir, cfg, opt, "threshold", r.wall_seconds);
  // Into a folder that holds a compare's decision.md, the brief gets the threshold section.
  const auto brief = out_dir / "decision.md";
  if (!a.out.empty() && fs::exists(brief)) {
    const auto text = read_input_file(brief, kMaxResultsBytes, "decision brief");
    const auto lang = decision_language(text);
    std::map<std::string, std::string> label;
    for (const auto& s : comparison_scenarios(cfg))
      label[s.name] = markdown_text(in(lang, scenario_labels(cfg, s)));
    const auto section = threshold_markdown(
        r.rows, [&](const std::string& n) { return label.count(n) ? label.at(n) : n; }, lang);
    dir.write("decision.md", with_threshold_section(text, section));
  }
  dir.commit();
  if (!a.quiet) {
    print_threshold_table(os, r);
    os << "results: " << dir.final_path().string() << " (" << format_number(r.wall_seconds)
       << " s on " << opt.threads << " thread(s))\n";
  }
  return {dir.final_path(), std::nullopt};
}

// ---- calc -----------------------------------------------------------------------------------

CommandResult calc_command(const ModelConfig& cfg, const CalcOptions& a, std::ostream& os) {
  a.check();
  const auto opt = base_run_options(cfg, a.seed, a.replications, a.threads);
  // Two runs of baseline and plan: as the plan counts, and as configured.
  a.limits.check(experiment_work(cfg, opt, 2.0 * opt.replications, 2,
                                 "2 runs x " + std::to_string(opt.replications) + " replications",
                                 "--replications"),
                 opt.threads, "calc");
  // The --out folder is checked (another config's results are refused) and made before
  // anything is simulated or printed.
  std::unique_ptr<OutputDir> dir;
  if (!a.out.empty()) {
    check_output_folder(a.out, cfg, false);
    dir = std::make_unique<OutputDir>(a.out);
  }
  const auto c = check_plan(cfg, opt);
  print_plan_check(os, cfg, c);
  if (!dir) return {};
  write_plan_check(*dir, cfg, c);
  dir->commit();
  return {dir->final_path(), std::nullopt};
}

// ---- report ---------------------------------------------------------------------------------

CommandResult report_command(const fs::path& results, const ReportOptions& a, std::ostream& os) {
  a.check();
  const auto lang = parse_language(a.lang, "--lang");
  const std::string html = build_report(results, lang);
  const fs::path out = a.out.empty() ? results / ("report_" + a.lang + ".html") : fs::path(a.out);
  // Never over a results file or a folder: the report is an .html file, and an existing one
  // is replaced only when it is a report itself.
  std::error_code ec;
  const auto ext = out.extension().string();
  if (ext != ".html" && ext != ".htm")
    ATTENDSIM_INPUT_ERROR(out.string() << ": --out must name an .html file");
  if (fs::exists(fs::symlink_status(out, ec))) {
    if (!fs::is_regular_file(fs::symlink_status(out, ec)))
      ATTENDSIM_INPUT_ERROR(out.string() << ": exists and is not a regular file");
    std::ifstream old(out, std::ios::binary);
    std::string head(15, '\0');
    old.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(old.gcount()));
    if (head != "<!DOCTYPE html>")
      ATTENDSIM_INPUT_ERROR(out.string()
                            << ": exists and is not an attendsim report; not replaced");
  }
  write_file_replacing(out, html, "report");
  os << "report: " << out.string() << "\n";
  return {out, std::nullopt};
}

// ---- followup -------------------------------------------------------------------------------

CommandResult followup_command(const fs::path& results, const fs::path& observed,
                               const FollowupOptions& a, std::ostream& os) {
  const auto rows = read_followup(results, observed, a.scenario);
  OutputDir dir(results);  // adds followup.csv to the results folder
  dir.write("followup.csv", followup_csv(rows));
  dir.commit();
  if (a.quiet) return {dir.final_path(), std::nullopt};
  int outside = 0;
  char line[512];
  std::snprintf(line, sizeof line, "%-24s %-36s %14s %14s %14s  %s\n", "scenario", "metric",
                "observed", "forecast p2.5", "p97.5", "");
  os << line;
  for (const auto& r : rows) {
    outside += r.outside ? 1 : 0;
    std::snprintf(
        line, sizeof line, "%-24s %-36s %14.6g %14.6g %14.6g  %s\n", r.scenario.c_str(),
        r.metric.c_str(), r.observed, r.forecast.p2_5, r.forecast.p97_5,
        r.outside ? (r.excess_widths > 0 ? "OUTSIDE (above)" : "OUTSIDE (below)") : "inside");
    os << line;
  }
  os << outside << " of " << rows.size()
     << " observed values outside their 95 % forecast interval; written to "
     << (results / "followup.csv").string() << "\n";
  return {dir.final_path(), std::nullopt};
}

// ---- calibrate ------------------------------------------------------------------------------

namespace {

/// Option checks of --targets/--case-log, before anything is read or allocated: each
/// parameter once; no more posterior draws than prior samples (systematic resampling of K > M
/// draws from M samples only repeats them); and the run within --max-memory-gib and
/// --max-hours: one traced simulation per prior sample (each thread holding one trace of
/// pupils x (months + 2) pupil states of 16 bytes), the prior samples (parameters and targets
/// of each) and the posterior draws with their text.
void check_target_options(const CalibrateOptions& a, const ModelConfig& prior, std::size_t targets,
                          int threads) {
  std::set<std::string> seen;
  for (const auto& p : a.params) {
    if (p.empty()) ATTENDSIM_INPUT_ERROR("--params: an empty parameter name");
    if (!seen.insert(p).second)
      ATTENDSIM_INPUT_ERROR("--params: parameter '" << p << "' given twice");
  }
  if (a.posterior_draws > a.prior_draws)
    ATTENDSIM_INPUT_ERROR("--posterior-draws " << a.posterior_draws
                                               << " is more than --prior-draws " << a.prior_draws
                                               << ": resampling more draws than prior samples "
                                                  "only repeats them; raise --prior-draws");
  const double pupils = a.pupils > 0 ? a.pupils : prior.structure.population.pupils;
  const double months = 12.0 * prior.structure.horizon_years;
  auto e = traced_work(a.prior_draws, pupils, months, threads,
                       std::to_string(a.prior_draws) + " prior samples",
                       "--prior-draws, --pupils, --threads");
  const double params = static_cast<double>(a.params.size());
  const double per_sample = (params + static_cast<double>(targets) + 3) * 8 + 2 * 40;
  const double per_posterior = params * (8 + 24) + 40 + 8;
  e.bytes += a.prior_draws * per_sample + a.posterior_draws * per_posterior;
  a.limits.check(e, threads, "calibrate --targets");
}

/// The fit report's cost: --fit-draws traced runs of the register's pupils over its months
/// (from the September on or before its first month to its last), within the limits.
void check_fit_work(const CalibrateOptions& a, const AttendanceRegister& reg, int threads) {
  if (reg.records.empty()) return;
  int first = reg.records.front().month, last = first;
  for (const auto& r : reg.records) {
    first = std::min(first, r.month);
    last = std::max(last, r.month);
  }
  const double months = last - first + 1;
  a.limits.check(traced_work(a.fit_draws, reg.pupils, months, threads,
                             std::to_string(a.fit_draws) + " fit draws", "--fit-draws"),
                 threads, "calibrate --register");
}

/// Options of the transition model that a register calibration does not estimate are refused,
/// naming the key, rather than calibrated wrongly: the rows are counted in the school months
/// only (the register's July and August rows are not read), so `[transitions] months = "all"`
/// would apply them in the summer too; and leaving is estimated as one monthly probability,
/// which `[transitions.leaving] p_leave_by_state` would add to a second time.
void check_register_calibratable(const ModelConfig& prior) {
  const auto& tp = prior.structure.transitions;
  const auto doc = config::Document::parse(prior.text, prior.file);
  config::TableReader root(doc);
  auto t = root.table("transitions");
  if (tp.months == TransitionMonths::all)
    t.fail("months",
           "calibrate --register estimates the transitions of the school months only (the "
           "register's July and August rows are not read); with months = \"all\" the calibrated "
           "rows would also be applied in the summer. Calibrate a copy with months = \"school\" "
           "(or without the key)");
  auto leaving = t.table("leaving");
  if (leaving.has("p_leave_by_state"))
    leaving.fail("p_leave_by_state",
                 "calibrate --register estimates leaving as one monthly probability "
                 "(p_leave_per_month), not by state; the calibrated config would count leaving "
                 "twice. Calibrate a copy without p_leave_by_state");
}

CommandResult calibrate_register(const ModelConfig& prior, const CalibrateOptions& a,
                                 std::ostream& os) {
  const auto t0 = std::chrono::steady_clock::now();
  check_register_calibratable(prior);
  const auto reg = read_register_csv(a.register_file);
  const int threads = threads_or_all(a.threads);
  check_fit_work(a, reg, threads);
  const auto cal = calibrate_register(prior, reg);
  const std::string name = fs::path(a.register_file).filename().string();
  const std::string toml = calibrated_config_toml(prior, cal, name);
  const auto out_dir = fs::path(a.out);
  const auto toml_path = out_dir / "calibrated.toml";
  // The calibrated config must read back as a valid config (its messages name its final path).
  ModelConfig calibrated;
  try {
    calibrated = parse_model_config(config::Document::parse(toml, toml_path.string()));
  } catch (const InputError& e) {
    throw PreconditionError(std::string("calibrated config does not read back: ") + e.what());
  }
  const double calibrate_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::uint64_t seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : prior.run.seed;
  const auto fit = register_fit(calibrated, reg, a.fit_draws, seed, threads);
  OutputDir dir(out_dir);
  dir.write("calibrated.toml", toml);
  dir.write("fit.json", fit_json(prior, cal, fit, name, calibrate_seconds));
  dir.write("fit.csv", fit_csv(fit));
  dir.commit();
  if (!a.quiet) {
    os << "calibrated: " << toml_path.string() << " from " << cal.records << " pupil-months ("
       << cal.transitions << " transitions) in " << calibrate_seconds
       << " s\nfit: " << fit.cells.size() << " cells, " << 100.0 * fit.coverage
       << " % of observed shares inside the simulated 95 % interval (" << fit.draws << " draws, "
       << fit.wall_seconds << " s)\n";
  }
  return {dir.final_path(), std::nullopt};
}

CommandResult calibrate_targets(const ModelConfig& prior, const CalibrateOptions& a,
                                std::ostream& os) {
  std::vector<Target> targets;
  std::string name;
  if (!a.targets_file.empty()) {
    targets = read_targets_csv(a.targets_file, prior.structure.horizon_years);
    name = fs::path(a.targets_file).filename().string();
  }
  if (!a.case_log.empty()) {
    const auto log = read_case_log_csv(a.case_log, prior.structure.horizon_years);
    targets.insert(targets.end(), log.begin(), log.end());
    name += (name.empty() ? "" : " + ") + fs::path(a.case_log).filename().string();
  }
  if (a.params.empty())
    ATTENDSIM_INPUT_ERROR("calibrate --targets/--case-log: name the parameters with --params");
  const int threads = threads_or_all(a.threads);
  check_target_options(a, prior, targets.size(), threads);
  TargetOptions opt;
  opt.params = a.params;
  opt.prior_draws = a.prior_draws;
  opt.posterior_draws = a.posterior_draws;
  opt.pupils = a.pupils;
  opt.scenario = a.scenario;
  opt.seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : prior.run.seed;
  opt.threads = threads;
  const auto cal = calibrate_targets(prior, targets, opt);
  const auto out_dir = fs::path(a.out);
  const std::string toml = target_calibrated_config_toml(prior, cal, name);
  try {
    (void)parse_model_config(config::Document::parse(toml, (out_dir / "calibrated.toml").string()));
  } catch (const InputError& e) {
    throw PreconditionError(std::string("calibrated config does not read back: ") + e.what());
  }
  OutputDir dir(out_dir);
  dir.write("calibrated.toml", toml);
  dir.write("posterior_draws.csv", posterior_draws_csv(cal.params, cal.posterior()));
  dir.write("fit.json", target_fit_json(prior, targets, cal, opt, name));
  dir.commit();
  if (!a.quiet) {
    os << "calibrated: " << (out_dir / "calibrated.toml").string() << " and "
       << (out_dir / "posterior_draws.csv").string() << " (" << opt.posterior_draws
       << " draws) from " << targets.size() << " targets, " << opt.prior_draws
       << " prior samples, effective sample size " << cal.ess << ", in " << cal.wall_seconds
       << " s\n";
  }
  return {dir.final_path(), std::nullopt};
}

}  // namespace

CommandResult calibrate_command(const ModelConfig& prior, const CalibrateOptions& a,
                                std::ostream& os) {
  a.check();
  auto b = a;
  if (b.posterior_draws == 0) b.posterior_draws = std::min(kDefaultPosteriorDraws, b.prior_draws);
  return b.register_file.empty() ? calibrate_targets(prior, b, os)
                                 : calibrate_register(prior, b, os);
}

// ---- synth-register -------------------------------------------------------------------------

namespace {

/// The school months among the first `months` calendar months from September (10 of 12).
long long school_months(int months) {
  long long n = 0;
  for (int m = 0; m < months; ++m) n += (m % 12) < 10 ? 1 : 0;
  return n;
}

/// The --out file may be new, or a register this command wrote before (its header line): never
/// a results file, a config, a folder, a device or a pipe.
void check_register_out(const fs::path& out) {
  if (out.extension() != ".csv")
    ATTENDSIM_INPUT_ERROR(out.string() << ": --out must name a .csv file");
  std::error_code ec;
  const auto st = fs::symlink_status(out, ec);
  if (!fs::exists(st)) return;
  if (!fs::is_regular_file(st))
    ATTENDSIM_INPUT_ERROR(out.string() << ": exists and is not a regular file; not replaced");
  std::ifstream old(out, std::ios::binary);
  std::string head(9, '\0');
  old.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(old.gcount()));
  if (head != "pupil_id,")
    ATTENDSIM_INPUT_ERROR(out.string() << ": exists and is not a register (its first line does "
                                          "not start with pupil_id); not replaced");
}

}  // namespace

void SynthRegisterOptions::check() const {
  check_range("--pupils", pupils, 1, kMaxSynthPupils);
  check_range("--months", months, 1, kMaxSynthMonths);
  check_range("--start-year", start_year, 1900, 2100);
  check_seed(seed);
  if (out.empty()) ATTENDSIM_INPUT_ERROR("--out: a .csv file for the register is needed");
}

CommandResult synth_register_command(const ModelConfig& cfg, const SynthRegisterOptions& a,
                                     std::ostream& os) {
  a.check();
  const fs::path out(a.out);
  check_register_out(out);
  // At most one record per pupil and school month, of at least 27 bytes of text
  // ("P0000000,2023-09,0,boy,0.0\n"): a register that calibrate --register could not read
  // back (kMaxTableBytes) is refused before anything is simulated.
  const double records =
      static_cast<double>(a.pupils) * static_cast<double>(school_months(a.months));
  if (records * 27 > static_cast<double>(kMaxTableBytes))
    ATTENDSIM_INPUT_ERROR("--pupils " << a.pupils << " x --months " << a.months << " give up to "
                                      << records << " records, about "
                                      << static_cast<long long>(records * 27 / (1 << 20))
                                      << " MiB: more than the " << (kMaxTableBytes >> 20)
                                      << " MiB a register file can have; lower --pupils or "
                                         "--months");
  const auto params = realise(cfg, cfg.parameters.base_values());
  const std::uint64_t seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : cfg.run.seed;
  const auto reg = simulate_register(params, a.pupils, a.months, seed, a.start_year);
  write_file_replacing(out, register_csv(reg), "register");
  os << "register: " << out.string() << " (" << reg.records.size() << " pupil-months of "
     << reg.pupils << " pupils, seed " << seed << ")\n";
  return {out, std::nullopt};
}

}  // namespace attendsim::models
