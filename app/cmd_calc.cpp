/// `attendsim calc CONFIG`: the plan's own deterministic calculation beside the simulated ROI.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "analysis/plan_check.hpp"
#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/calc_writer.hpp"
#include "io/config_schema.hpp"
#include "io/results_writer.hpp"
#include "sim/output.hpp"

namespace attendsim::app {

namespace {

struct CalcArgs {
  std::string config;
  int replications = 0;
  long long seed = -1;
  int threads = 0;
  std::string out;
  WorkLimits limits;
};

int calc_command(const CalcArgs& a) {
  const auto cfg = models::load_model_config(a.config);
  const auto opt = base_run_options(cfg, a.seed, a.replications, a.threads);
  // Two runs of baseline and plan: as the plan counts, and as configured.
  a.limits.check(
      models::experiment_work(cfg, opt, 2.0 * opt.replications, 2,
                              "2 runs x " + std::to_string(opt.replications) + " replications",
                              "--replications"),
      opt.threads, "calc");
  // The --out folder is checked (another config's results are refused) and made before
  // anything is simulated or printed.
  std::unique_ptr<OutputDir> dir;
  if (!a.out.empty()) {
    models::check_output_folder(a.out, cfg, false);
    dir = std::make_unique<OutputDir>(a.out);
  }
  const auto c = models::check_plan(cfg, opt);
  models::print_plan_check(std::cout, cfg, c);
  if (dir) {
    models::write_plan_check(*dir, cfg, c);
    dir->commit();
  }
  return 0;
}

}  // namespace

void add_calc_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<CalcArgs>();
  auto* sub = root.add_subcommand(
      "calc", "The plan's own deterministic ROI calculation beside the simulated ROI");
  sub->add_option("CONFIG", args->config, "TOML config with a [plan] table")->required();
  sub->add_option("--replications", args->replications, "replications for the simulated ROI")
      ->check(count_up_to(1'000'000));
  sub->add_option("--seed", args->seed, "master seed")
      ->check(number_in(0, 9.2e18, "a whole number >= 0"));
  sub->add_option("--threads", args->threads, "worker threads")->check(count_up_to(1024));
  sub->add_option("--out", args->out, "also write calc.json into this folder")
      ->check(output_path());
  add_limit_options(sub, args->limits);
  sub->callback([args, &action] { action = [args] { return calc_command(*args); }; });
}

}  // namespace attendsim::app
