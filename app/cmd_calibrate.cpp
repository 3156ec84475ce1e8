/// `attendsim calibrate CONFIG --register FILE.csv | --targets FILE.csv --out DIR`: fit the
/// model to a municipality's register (analysis/calibration.hpp); DIR holds calibrated.toml
/// beside the fit report (fit.json, fit.csv).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "analysis/calibration.hpp"
#include "analysis/calibration_fit.hpp"
#include "analysis/work_estimate.hpp"
#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "io/calibration_writer.hpp"
#include "io/case_log_reader.hpp"
#include "io/config_schema.hpp"
#include "io/register_reader.hpp"
#include "io/targets_reader.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"

namespace attendsim::app {

namespace {

struct CalibrateArgs {
  std::string config;
  std::string register_file;
  std::string targets_file;
  std::string case_log;
  std::vector<std::string> params;
  int prior_draws = 1000;
  int posterior_draws = 200;
  int pupils = 0;
  std::string scenario;
  std::string out;
  int fit_draws = 40;
  long long seed = -1;
  int threads = 0;
  WorkLimits limits;
  bool quiet = false;
};

/// Option checks of --targets/--case-log, before anything is read or allocated: each
/// parameter once; no more posterior draws than prior samples (systematic resampling of K > M
/// draws from M samples only repeats them); and the run within --max-memory-gib and
/// --max-hours: one traced simulation per prior sample (each thread holding one trace of
/// pupils x (months + 2) pupil states of 16 bytes), the prior samples (parameters and targets
/// of each) and the posterior draws with their text.
void check_target_options(const CalibrateArgs& a, const models::ModelConfig& prior,
                          std::size_t targets, int threads) {
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
  auto e = models::traced_work(a.prior_draws, pupils, months, threads,
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
void check_fit_work(const CalibrateArgs& a, const models::AttendanceRegister& reg, int threads) {
  if (reg.records.empty()) return;
  int first = reg.records.front().month, last = first;
  for (const auto& r : reg.records) {
    first = std::min(first, r.month);
    last = std::max(last, r.month);
  }
  const double months = last - first + 1;
  a.limits.check(models::traced_work(a.fit_draws, reg.pupils, months, threads,
                                     std::to_string(a.fit_draws) + " fit draws", "--fit-draws"),
                 threads, "calibrate --register");
}

/// Options of the transition model that a register calibration does not estimate are refused,
/// naming the key, rather than calibrated wrongly: the rows are counted in the school months
/// only (the register's July and August rows are not read), so `[transitions] months = "all"`
/// would apply them in the summer too; and leaving is estimated as one monthly probability,
/// which `[transitions.leaving] p_leave_by_state` would add to a second time.
void check_register_calibratable(const models::ModelConfig& prior) {
  const auto& tp = prior.structure.transitions;
  const auto doc = config::Document::parse(prior.text, prior.file);
  config::TableReader root(doc);
  auto t = root.table("transitions");
  if (tp.months == models::TransitionMonths::all)
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

int calibrate_register_command(const CalibrateArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto prior = models::load_model_config(a.config);
  check_register_calibratable(prior);
  const auto reg = models::read_register_csv(a.register_file);
  const int threads = a.threads > 0
                          ? a.threads
                          : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  check_fit_work(a, reg, threads);
  const auto cal = models::calibrate_register(prior, reg);
  const std::string name = std::filesystem::path(a.register_file).filename().string();
  const std::string toml = models::calibrated_config_toml(prior, cal, name);
  const auto out_dir = std::filesystem::path(a.out);
  const auto toml_path = out_dir / "calibrated.toml";
  // The calibrated config must read back as a valid config (its messages name its final path).
  models::ModelConfig calibrated;
  try {
    calibrated = models::parse_model_config(config::Document::parse(toml, toml_path.string()));
  } catch (const InputError& e) {
    throw PreconditionError(std::string("calibrated config does not read back: ") + e.what());
  }
  const double calibrate_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::uint64_t seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : prior.run.seed;
  const auto fit = models::register_fit(calibrated, reg, a.fit_draws, seed, threads);
  OutputDir dir(out_dir);
  dir.write("calibrated.toml", toml);
  dir.write("fit.json", models::fit_json(prior, cal, fit, name, calibrate_seconds));
  dir.write("fit.csv", models::fit_csv(fit));
  dir.commit();
  if (!a.quiet) {
    std::cout << "calibrated: " << toml_path.string() << " from " << cal.records
              << " pupil-months (" << cal.transitions << " transitions) in " << calibrate_seconds
              << " s\nfit: " << fit.cells.size() << " cells, " << 100.0 * fit.coverage
              << " % of observed shares inside the simulated 95 % interval (" << fit.draws
              << " draws, " << fit.wall_seconds << " s)\n";
  }
  return 0;
}

int calibrate_targets_command(const CalibrateArgs& a) {
  const auto prior = models::load_model_config(a.config);
  std::vector<models::Target> targets;
  std::string name;
  if (!a.targets_file.empty()) {
    targets = models::read_targets_csv(a.targets_file, prior.structure.horizon_years);
    name = std::filesystem::path(a.targets_file).filename().string();
  }
  if (!a.case_log.empty()) {
    const auto log = models::read_case_log_csv(a.case_log, prior.structure.horizon_years);
    targets.insert(targets.end(), log.begin(), log.end());
    name += (name.empty() ? "" : " + ") + std::filesystem::path(a.case_log).filename().string();
  }
  if (a.params.empty())
    ATTENDSIM_INPUT_ERROR("calibrate --targets/--case-log: name the parameters with --params");
  const int threads = a.threads > 0
                          ? a.threads
                          : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  check_target_options(a, prior, targets.size(), threads);
  models::TargetOptions opt;
  opt.params = a.params;
  opt.prior_draws = a.prior_draws;
  opt.posterior_draws = a.posterior_draws;
  opt.pupils = a.pupils;
  opt.scenario = a.scenario;
  opt.seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : prior.run.seed;
  opt.threads = threads;
  const auto cal = models::calibrate_targets(prior, targets, opt);
  const auto out_dir = std::filesystem::path(a.out);
  const std::string toml = models::target_calibrated_config_toml(prior, cal, name);
  try {
    (void)models::parse_model_config(
        config::Document::parse(toml, (out_dir / "calibrated.toml").string()));
  } catch (const InputError& e) {
    throw PreconditionError(std::string("calibrated config does not read back: ") + e.what());
  }
  OutputDir dir(out_dir);
  dir.write("calibrated.toml", toml);
  dir.write("posterior_draws.csv", models::posterior_draws_csv(cal.params, cal.posterior()));
  dir.write("fit.json", models::target_fit_json(prior, targets, cal, opt, name));
  dir.commit();
  if (!a.quiet) {
    std::cout << "calibrated: " << (out_dir / "calibrated.toml").string() << " and "
              << (out_dir / "posterior_draws.csv").string() << " (" << opt.posterior_draws
              << " draws) from " << targets.size() << " targets, " << opt.prior_draws
              << " prior samples, effective sample size " << cal.ess << ", in " << cal.wall_seconds
              << " s\n";
  }
  return 0;
}

}  // namespace

void add_calibrate_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* sub = root.add_subcommand(
      "calibrate",
      "Fit the model to a register extract (--register) or to aggregate targets (--targets, by "
      "sampling-importance-resampling); writes DIR/calibrated.toml beside the fit report");
  sub->add_option("CONFIG", args->config, "TOML config file: the prior")->required();
  auto* reg = sub->add_option("--register", args->register_file,
                              "register CSV: pupil_id,year_month,grade,gender,absence_percent");
  auto* tgt = sub->add_option("--targets", args->targets_file,
                              "aggregate targets CSV: target,band,gender,period,value,se");
  auto* log = sub->add_option("--case-log", args->case_log,
                              "the team's case log CSV: month,referrals,cases_started,returns "
                              "(targets by month; with or without --targets; needs --scenario)");
  reg->excludes(tgt);
  reg->excludes(log);
  auto* params = sub->add_option("--params", args->params,
                                 "with --targets: parameter paths to calibrate (each with a prior "
                                 "distribution in CONFIG), comma-separated, each once")
                     ->delimiter(',')
                     ->allow_extra_args(false);
  auto* prior = sub->add_option("--prior-draws", args->prior_draws,
                                "with --targets: prior samples simulated (default 1000)")
                    ->check(whole_in(2, 10'000'000));
  auto* posterior =
      sub->add_option("--posterior-draws", args->posterior_draws,
                      "with --targets: posterior draws resampled, at most --prior-draws "
                      "(default 200)")
          ->check(whole_in(1, 1'000'000));  // as --draws-from reads back
  auto* pupils = sub->add_option("--pupils", args->pupils,
                                 "with --targets: simulated pupils per sample (default: the "
                                 "config's)")
                     ->check(whole_in(1, 50'000'000));
  auto* scenario = sub->add_option(
      "--scenario", args->scenario,
      "with --targets: the scenario simulated (a scenario name of compare; default "
      "the baseline); the team's staffing, required by cases_started, returns and referrals");
  sub->add_option("--out", args->out, "output folder")->required()->check(output_path());
  auto* fit_draws = sub->add_option("--fit-draws", args->fit_draws,
                                    "with --register: simulated runs for the fit report's "
                                    "intervals (default 40)")
                        ->check(whole_in(2, 100000));
  // Options of one kind of calibration are refused with the other, not silently ignored.
  for (auto* o : {params, prior, posterior, pupils, scenario}) reg->excludes(o);
  tgt->excludes(fit_draws);
  log->excludes(fit_draws);
  sub->add_option("--seed", args->seed, "master seed [config: simulation.seed, default 1]")
      ->check(number_in(0, 9.2e18, "a whole number >= 0"));
  sub->add_option("--threads", args->threads, "worker threads (default: all cores)")
      ->check(count_up_to(1024));
  add_limit_options(sub, args->limits);
  sub->add_flag("--quiet", args->quiet, "no summary on stdout");
  sub->callback([args, posterior, &action] {
    // Not given: the default 200, or fewer when there are fewer prior samples.
    if (posterior->count() == 0)
      args->posterior_draws = std::min(args->posterior_draws, args->prior_draws);
    if (args->register_file.empty() && args->targets_file.empty() && args->case_log.empty())
      throw CLI::ValidationError(
          "calibrate", "give --register FILE.csv, --targets FILE.csv or --case-log FILE.csv");
    action = [args] {
      return args->register_file.empty() ? calibrate_targets_command(*args)
                                         : calibrate_register_command(*args);
    };
  });
}

}  // namespace attendsim::app
