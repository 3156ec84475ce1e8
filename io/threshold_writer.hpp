#pragma once
/// The files and console table of `attendsim threshold`: threshold.csv (one row per scenario,
/// through the one CSV writer, sim/csv.hpp), and its reader for decision.md and the report.
///
/// threshold.csv columns: scenario, parameter, metric (net_benefit | roi), target, base_value,
/// range_low, range_high, metric_at_low, metric_at_high (the metric at the range's ends),
/// crossed (true | false), direction (1: the metric reaches the target above the threshold,
/// -1: below, 0: no crossing), threshold, ci_low, ci_high (batch-means 95 % interval; nan when
/// not every batch crosses), batches, batches_crossed, crossings (sign changes on the grid),
/// replications, grid_points, plausible_low, plausible_high (the parameter's 2.5 % and 97.5 %
/// quantiles; nan for a fixed parameter), method (refined: TOMS 748 by `attendsim threshold`;
/// interpolated: compare's cheap threshold). Numbers as format_number; nan where there is none.
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "analysis/threshold.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

/// threshold.csv's text.
std::string threshold_csv(const ThresholdResult& r);

/// Writes threshold.csv into `dir`.
void write_threshold_outputs(const OutputDir& dir, const ThresholdResult& r);

/// The console table: per scenario the threshold and its interval, or "no crossing within
/// [lo, hi]" with the metric at the two ends.
void print_threshold_table(std::ostream& os, const ThresholdResult& r);

/// Rows of `results_dir`/threshold.csv, or nullopt when there is none. Throws InputError
/// naming file, line and column on a malformed file.
std::optional<std::vector<ThresholdRow>> read_threshold_csv(
    const std::filesystem::path& results_dir);

/// compare's "what it would take" (compare and the Python module share it): the rows of a
/// threshold.csv already in `dir`'s final folder when `read_existing` (a refined one from
/// `attendsim threshold` is kept as it is); otherwise, when `compute` and the config has an
/// effect to vary, compare's own coarse threshold, also written as threshold.csv into `dir`.
std::vector<ThresholdRow> compare_threshold_rows(const ModelConfig& cfg, const RunOptions& opt,
                                                 const OutputDir& dir, bool read_existing,
                                                 bool compute);

}  // namespace attendsim::models
