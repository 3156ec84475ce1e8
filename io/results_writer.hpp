#pragma once
/// Writing an experiment's results: summary.json, summary.csv, occupancy.csv, draws.csv,
/// run.json, and the short console table. Formats are in docs/methods.md and DESIGN.md.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

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

/// Why a count-based run's metrics are not computed, as its outputs say it (summary.json
/// not_computed_reason, the console table, decision.md and the report in English).
inline constexpr const char* kNotComputedReason =
    "the count-based path ([simulation] count_based, docs/methods.md §4.12) does not follow "
    "pupils one by one, so it does not count detections, sustained returns, pupils ever in high "
    "or extensive absence, summer school, eligibility, completion or placements, nor, having "
    "no cases and no pupils ever in high or extensive absence, a subgroup's share of the cost "
    "(cost, net benefit and ROI by gender and grade band)";
/// True when `metric` (a position in the metric table) is one `res` did not compute for
/// `subgroup` (ExperimentResult::not_computed, and not_computed_in_subgroups for a subgroup
/// other than the total): written as null or an empty cell, never as a number.
bool not_computed(const ExperimentResult& res, std::size_t metric,
                  Subgroup subgroup = Subgroup::total);
/// The names of `metrics`, in their order.
std::vector<std::string> metric_names_of(const std::vector<Metric>& metrics);

/// The console table of the main results.
void print_run_table(std::ostream& os, const ModelConfig& cfg, const ExperimentResult& res);

/// "1 234 567" style thousands grouping with a space, rounded to `decimals`.
std::string group_thousands(double v, int decimals = 0);

}  // namespace attendsim::models
