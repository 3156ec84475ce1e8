#pragma once
/// Writing an experiment's results: summary.json, summary.csv, occupancy.csv, draws.csv,
/// run.json, and the short console table. Formats are in docs/methods.md and DESIGN.md.
#include <filesystem>
#include <iosfwd>
#include <string>

#include "analysis/experiment.hpp"
#include "sim/output.hpp"
#include "sim/statistics.hpp"

namespace attendsim::models {

struct Provenance {
  std::string command;
  double wall_seconds = 0;
  int threads = 0;
};

/// summary.json, summary.csv, occupancy.csv and run.json into `dir`; draws.csv when
/// `with_draws` (one row per unit, scenario and metric).
void write_run_outputs(const OutputDir& dir, const ModelConfig& cfg, const ExperimentResult& res,
                       const Provenance& prov, bool with_draws);

/// Before adding to an existing results folder `dir`: refuses (InputError) when its run.json
/// holds another config's hash, unless `allow_other_config`. Nothing to check for a new folder.
void check_output_folder(const std::filesystem::path& dir, const ModelConfig& cfg,
                         bool allow_other_config);

/// Summary of one scenario's metric across units (see statistics.hpp).
Summary metric_summary(const ExperimentResult& res, std::size_t scenario, std::size_t metric);

/// The console table of the main results.
void print_run_table(std::ostream& os, const ModelConfig& cfg, const ExperimentResult& res);

/// "1 234 567" style thousands grouping with a space, rounded to `decimals`.
std::string group_thousands(double v, int decimals = 0);

}  // namespace attendsim::models
