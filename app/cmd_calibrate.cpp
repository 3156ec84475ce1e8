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
#include "io/config_schema.hpp"
#include "io/register_reader.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"

namespace attendsim::app {

namespace {

struct CalibrateArgs {
  std::string config;
  std::string register_file;
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

}  // namespace

void add_calibrate_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* sub = root.add_subcommand(
      "calibrate",
      "Fit the model to a register extract (--register); writes DIR/calibrated.toml beside the "
      "fit report (fit.json, fit.csv)");
  sub->add_option("CONFIG", args->config, "TOML config file: the prior")->required();
  sub->add_option("--register", args->register_file,
                  "register CSV: pupil_id,year_month,grade,gender,absence_percent")
      ->required();
  sub->add_option("--out", args->out, "output folder")->required();
  sub->add_option("--fit-draws", args->fit_draws,
                  "simulated runs for the fit report's intervals (default 40)")
      ->check(CLI::Range(2, 100000));
  sub->add_option("--seed", args->seed, "master seed [config: simulation.seed, default 1]")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--threads", args->threads, "worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--quiet", args->quiet, "no summary on stdout");
  sub->callback([args, &action] { action = [args] { return calibrate_register_command(*args); }; });
}

}  // namespace attendsim::app
