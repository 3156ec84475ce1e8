#pragma once
/// Options shared by the commands that run an experiment (run, compare, ...): the same
/// names, checks and defaults everywhere.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "analysis/work_estimate.hpp"
#include "app/cli_checks.hpp"
#include "io/results_writer.hpp"
#include "io/targets_reader.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"
#include "sim/progress.hpp"
#include "sim/work_limit.hpp"

namespace attendsim::app {

/// Run options at base values: seed, replications and threads from the command line when
/// given (>= 0, > 0, > 0), else the config's [simulation] values and every core.
inline models::RunOptions base_run_options(const models::ModelConfig& cfg, long long seed,
                                           int replications, int threads) {
  models::RunOptions opt;
  opt.seed = seed >= 0 ? static_cast<std::uint64_t>(seed) : cfg.run.seed;
  opt.replications = replications > 0 ? replications : cfg.run.replications;
  opt.threads =
      threads > 0 ? threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  return opt;
}

struct ExperimentArgs {
  std::string config;
  int draws = 0;
  int replications = 0;
  long long seed = -1;
  int threads = 0;
  std::string out;
  bool quiet = false;
  bool write_draws = false;
  bool full_scenarios = false;
  bool allow_other_config = false;
  WorkLimits limits;
  std::string draws_from;
  /// The command runs a config's [[municipalities]] (run); the others refuse such a config.
  bool reads_municipalities = false;

  /// Adds CONFIG, --draws, --replications, --seed, --threads, --out, --quiet, --write-draws.
  void add_to(CLI::App* sub, const std::string& out_help) {
    sub->add_option("CONFIG", config, "TOML config file (see configs/reference.toml)")->required();
    sub->add_option("--draws", draws,
                    "parameter draws (PSA); 1 = base values [config: simulation.draws]")
        ->check(count_up_to(1'000'000));
    sub->add_option("--replications", replications,
                    "stochastic replications per draw [config: simulation.replications]")
        ->check(count_up_to(1'000'000));
    sub->add_option("--seed", seed, "master seed [config: simulation.seed, default 1]")
        ->check(number_in(0, 9.2e18, "a whole number >= 0"));
    sub->add_option("--threads", threads,
                    "worker threads (default: all cores); results do not depend on it")
        ->check(count_up_to(1024));
    sub->add_option("--out", out, out_help)->check(output_path());
    sub->add_flag("--quiet", quiet, "no progress bar and no table");
    sub->add_flag("--write-draws", write_draws, "also write draws.csv with per-unit values");
    add_limit_options(sub, limits);
    sub->add_flag("--allow-other-config", allow_other_config,
                  "add to an --out folder even when its run.json is of another config");
    sub->add_option("--draws-from", draws_from,
                    "parameter draws from a CSV (draw,PATH,...; e.g. calibrate --targets' "
                    "posterior_draws.csv): one draw per row, the other parameters as in a PSA "
                    "draw; overrides --draws");
    sub->add_flag("--full-scenarios", full_scenarios,
                  "simulate every scenario in full instead of from the recorded baseline: 16 "
                  "instead of about 600 bytes per pupil in flight, slower; the same results");
  }

  /// Run options: command line first, then the config's [simulation] values.
  models::RunOptions options(const models::ModelConfig& cfg) const {
    if (!cfg.municipalities.empty() && !reads_municipalities) {
      throw InputError(cfg.file +
                       ": [[municipalities]] is read by `attendsim run` only; give this command "
                       "a config of one population");
    }
    auto opt = base_run_options(cfg, seed, replications, threads);
    opt.draws = draws > 0 ? draws : cfg.run.draws;
    opt.progress = !quiet && stderr_is_terminal();
    opt.from_baseline = !full_scenarios;
    if (!draws_from.empty()) {
      opt.parameter_sets = models::read_parameter_draws(draws_from, cfg, opt.seed);
      opt.draws = static_cast<int>(opt.parameter_sets.size());
    }
    return opt;
  }

  /// --out, or results/STEM<suffix>-DATE-TIME.
  std::filesystem::path output_dir(const std::string& suffix) const {
    return out.empty() ? default_output_dir("results",
                                            std::filesystem::path(config).stem().string() + suffix)
                       : std::filesystem::path(out);
  }

  /// Refuses (InputError), before anything is allocated or simulated, a run of `units` units
  /// (draws x replications) of `scenarios` scenarios each, plus `extra`, whose memory or time
  /// is above --max-memory-gib or --max-hours (sim/work_limit.hpp).
  void check_work(const std::string& command, const models::ModelConfig& cfg,
                  const models::RunOptions& opt, std::size_t scenarios,
                  const WorkEstimate& extra = {}) const {
    auto e = models::experiment_work(cfg, opt, static_cast<double>(opt.draws) * opt.replications,
                                     scenarios,
                                     std::to_string(opt.draws) + " draw(s) x " +
                                         std::to_string(opt.replications) + " replication(s)",
                                     "--draws, --replications");
    e += extra;
    limits.check(e, opt.threads, command);
  }

  /// The output folder of a command: checked against `cfg` when it exists (another config's
  /// results are refused unless --allow-other-config), before anything is simulated.
  std::unique_ptr<OutputDir> open_output(const std::string& suffix,
                                         const models::ModelConfig& cfg) const {
    const auto path = output_dir(suffix);
    if (!out.empty()) models::check_output_folder(path, cfg, allow_other_config);
    return std::make_unique<OutputDir>(path, out.empty());
  }
};

}  // namespace attendsim::app
