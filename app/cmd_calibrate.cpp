/// `attendsim calibrate CONFIG --register FILE.csv | --targets FILE.csv --out DIR`: fit the
/// model to a municipality's register (analysis/calibration.hpp); DIR holds calibrated.toml
/// beside the fit report (fit.json, fit.csv).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "analysis/calibration.hpp"
#include "analysis/calibration_fit.hpp"
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
  bool quiet = false;
};

int calibrate_register_command(const CalibrateArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto prior = models::load_model_config(a.config);
  const auto reg = models::read_register_csv(a.register_file);
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
  const int threads = a.threads > 0
                          ? a.threads
                          : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
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
  models::TargetOptions opt;
  opt.params = a.params;
  opt.prior_draws = a.prior_draws;
  opt.posterior_draws = a.posterior_draws;
  opt.pupils = a.pupils;
  opt.scenario = a.scenario;
  opt.seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : prior.run.seed;
  opt.threads = a.threads > 0 ? a.threads
                              : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
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
  sub->add_option("--params", args->params,
                  "with --targets: parameter paths to calibrate (each with a prior distribution "
                  "in CONFIG), comma-separated")
      ->delimiter(',');
  sub->add_option("--prior-draws", args->prior_draws,
                  "with --targets: prior samples simulated (default 1000)")
      ->check(CLI::Range(2, 10'000'000));
  sub->add_option("--posterior-draws", args->posterior_draws,
                  "with --targets: posterior draws resampled (default 200)")
      ->check(CLI::Range(1, 10'000'000));
  sub->add_option("--pupils", args->pupils,
                  "with --targets: simulated pupils per sample (default: the config's)")
      ->check(CLI::Range(1, 50'000'000));
  sub->add_option("--scenario", args->scenario,
                  "with --targets: the scenario simulated (a scenario name of compare; default "
                  "the baseline); the team's staffing, required by cases_started and returns");
  sub->add_option("--out", args->out, "output folder")->required();
  sub->add_option("--fit-draws", args->fit_draws,
                  "simulated runs for the fit report's intervals (default 40)")
      ->check(CLI::Range(2, 100000));
  sub->add_option("--seed", args->seed, "master seed [config: simulation.seed, default 1]")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--threads", args->threads, "worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--quiet", args->quiet, "no summary on stdout");
  sub->callback([args, &action] {
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
