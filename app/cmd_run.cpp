/// `attendsim run CONFIG`: one configured scenario against the no-coordinator baseline.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "app/commands.hpp"
#include "models/experiment.hpp"
#include "models/model_config.hpp"
#include "models/results_io.hpp"
#include "sim/error.hpp"
#include "sim/progress.hpp"

namespace attendsim::app {

namespace {

struct RunArgs {
  std::string config;
  int draws = 0;
  int replications = 0;
  long long seed = -1;
  int threads = 0;
  std::string out;
  bool quiet = false;
  bool write_draws = false;
};

int run_command(const RunArgs& a) {
  const auto cfg = models::load_model_config(a.config);
  models::RunOptions opt;
  opt.seed = a.seed >= 0 ? static_cast<std::uint64_t>(a.seed) : cfg.run.seed;
  opt.draws = a.draws > 0 ? a.draws : cfg.run.draws;
  opt.replications = a.replications > 0 ? a.replications : cfg.run.replications;
  opt.threads = a.threads > 0 ? a.threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  opt.progress = !a.quiet && stderr_is_terminal();
  const std::filesystem::path out_dir =
      a.out.empty() ? default_output_dir("results", std::filesystem::path(a.config).stem().string())
                    : std::filesystem::path(a.out);
  OutputDir dir(out_dir);  // a temporary folder until commit()
  const auto res = models::run_experiment(cfg, models::baseline_and_configured(cfg), opt);
  models::Provenance prov{"run", res.wall_seconds, opt.threads};
  models::write_run_outputs(dir, cfg, res, prov, a.write_draws || opt.draws > 1);
  dir.commit();
  if (!a.quiet) {
    models::print_run_table(std::cout, cfg, res);
    std::cout << "results: " << out_dir.string() << " (" << res.pupil_months_simulated
              << " pupil-months in " << res.wall_seconds << " s on " << opt.threads << " thread(s))\n";
  }
  return 0;
}

}  // namespace

void add_run_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<RunArgs>();
  auto* sub = root.add_subcommand("run", "Simulate the configured scenario against the no-coordinator baseline");
  sub->add_option("CONFIG", args->config, "TOML config file (see configs/reference.toml)")->required();
  sub->add_option("--draws", args->draws, "parameter draws (PSA); 1 = base values [config: simulation.draws]")
      ->check(CLI::PositiveNumber);
  sub->add_option("--replications", args->replications,
                  "stochastic replications per draw [config: simulation.replications]")
      ->check(CLI::PositiveNumber);
  sub->add_option("--seed", args->seed, "master seed [config: simulation.seed, default 1]")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--threads", args->threads, "worker threads (default: all cores); results do not depend on it")
      ->check(CLI::PositiveNumber);
  sub->add_option("--out", args->out, "output folder (default: results/CONFIG-DATE-TIME)");
  sub->add_flag("--quiet", args->quiet, "no progress bar and no table");
  sub->add_flag("--write-draws", args->write_draws, "also write draws.csv with per-unit values");
  sub->callback([args, &action] { action = [args] { return run_command(*args); }; });
}

}  // namespace attendsim::app
