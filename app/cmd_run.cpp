/// `attendsim run CONFIG`: one configured scenario against the no-coordinator baseline.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "analysis/municipalities.hpp"
#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/config_schema.hpp"
#include "io/labels.hpp"
#include "io/municipality_tables.hpp"
#include "io/results_writer.hpp"
#include "sim/error.hpp"
#include "sim/progress.hpp"

namespace attendsim::app {

namespace {

/// A config of several municipalities: each one's results in DIR/municipality-NAME/, the
/// whole's in DIR itself, with municipalities.csv and decision.md side by side
/// (analysis/municipalities.hpp, io/municipality_tables.hpp).
models::ExperimentResult run_municipalities(const ExperimentArgs& a, const models::ModelConfig& cfg,
                                            const models::RunOptions& opt, OutputDir& dir,
                                            models::Language lang) {
  std::vector<models::MunicipalityRow> rows;
  auto whole = models::run_municipalities(
      cfg, opt,
      [&](const models::Municipality& m, const models::ModelConfig& mc,
          const models::ExperimentResult& res) {
        OutputDir sub(dir.file("municipality-" + m.name));
        models::write_run_outputs(sub, mc, res, {"run", res.wall_seconds, opt.threads},
                                  a.write_draws || opt.draws > 1);
        sub.commit();
        rows.push_back(models::municipality_row(m.name, false, m.pupils, res));
        if (!a.quiet) {
          std::cout << m.name << ": " << m.pupils << " pupils, " << res.pupil_months_simulated
                    << " pupil-months in " << res.wall_seconds << " s\n";
        }
      });
  if (!whole.units_whole) return whole;  // an MPI rank other than 0 writes nothing
  std::int64_t pupils = 0;
  for (const auto& m : cfg.municipalities) pupils += m.pupils;
  rows.push_back(models::municipality_row(cfg.name, true, pupils, whole));
  dir.write("municipalities.csv", models::municipalities_csv(rows));
  const std::size_t units = whole.unit_values(0, 0).size();
  dir.write("decision.md",
            models::municipality_brief(rows, models::in(lang, cfg.description_text), units, lang));
  return whole;
}

int run_command(const ExperimentArgs& a, const std::string& lang_code) {
  const auto lang = models::parse_language(lang_code, "--lang");
  const auto cfg = models::load_model_config(a.config);
  const auto opt = a.options(cfg);
  const auto scenarios = models::baseline_and_configured(cfg);
  a.check_memory(static_cast<double>(opt.draws) * opt.replications,
                 scenarios.size() * std::max<std::size_t>(1, cfg.municipalities.size()), cfg);
  const auto dir_ptr = a.open_output("", cfg);  // a temporary folder until commit()
  OutputDir& dir = *dir_ptr;
  const auto res = cfg.municipalities.empty() ? models::run_experiment(cfg, scenarios, opt)
                                              : run_municipalities(a, cfg, opt, dir, lang);
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
  auto lang = std::make_shared<std::string>("sv");
  args->reads_municipalities = true;
  auto* sub = root.add_subcommand(
      "run", "Simulate the configured scenario against the no-coordinator baseline");
  args->add_to(sub, "output folder (default: results/CONFIG-DATE-TIME)");
  sub->add_option("--lang", *lang,
                  "language of decision.md, written for a config of [[municipalities]]: sv or en "
                  "(default sv, as report)");
  sub->callback(
      [args, lang, &action] { action = [args, lang] { return run_command(*args, *lang); }; });
}

}  // namespace attendsim::app
