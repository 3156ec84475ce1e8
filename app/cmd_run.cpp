/// `attendsim run CONFIG`: one configured scenario against the no-coordinator baseline.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "analysis/municipalities.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/config_schema.hpp"
#include "io/results_writer.hpp"
#include "sim/error.hpp"
#include "sim/progress.hpp"

namespace attendsim::app {

namespace {

/// A config of several municipalities: each one's results in DIR/municipality-NAME/, the
/// whole's in DIR itself (analysis/municipalities.hpp).
models::ExperimentResult run_municipalities(const ExperimentArgs& a, const models::ModelConfig& cfg,
                                            const models::RunOptions& opt, OutputDir& dir) {
  return models::run_municipalities(
      cfg, opt,
      [&](const models::Municipality& m, const models::ModelConfig& mc,
          const models::ExperimentResult& res) {
        OutputDir sub(dir.file("municipality-" + m.name));
        models::write_run_outputs(sub, mc, res, {"run", res.wall_seconds, opt.threads},
                                  a.write_draws || opt.draws > 1);
        sub.commit();
        if (!a.quiet) {
          std::cout << m.name << ": " << m.pupils << " pupils, " << res.pupil_months_simulated
                    << " pupil-months in " << res.wall_seconds << " s\n";
        }
      });
}

int run_command(const ExperimentArgs& a) {
  const auto cfg = models::load_model_config(a.config);
  const auto opt = a.options(cfg);
  const auto scenarios = models::baseline_and_configured(cfg);
  a.check_work("run", cfg, opt, scenarios.size());
  const auto dir_ptr = a.open_output("", cfg);  // a temporary folder until commit()
  OutputDir& dir = *dir_ptr;
  const auto res = cfg.municipalities.empty() ? models::run_experiment(cfg, scenarios, opt)
                                              : run_municipalities(a, cfg, opt, dir);
  models::Provenance prov{"run", res.wall_seconds, opt.threads};
  models::write_run_outputs(dir, cfg, res, prov, a.write_draws || opt.draws > 1);
  dir.commit();
  if (!a.quiet) {
    models::print_run_table(std::cout, cfg, res);
    std::cout << "results: " << dir.final_path().string() << " (" << res.pupil_months_simulated
              << " pupil-months in " << res.wall_seconds << " s on " << opt.threads
              << " thread(s))\n";
  }
  return 0;
}

}  // namespace

void add_run_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ExperimentArgs>();
  args->reads_municipalities = true;
  auto* sub = root.add_subcommand(
      "run", "Simulate the configured scenario against the no-coordinator baseline");
  args->add_to(sub, "output folder (default: results/CONFIG-DATE-TIME)");
  sub->callback([args, &action] { action = [args] { return run_command(*args); }; });
}

}  // namespace attendsim::app
