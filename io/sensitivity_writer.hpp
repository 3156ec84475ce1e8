#pragma once
/// The CSV files of `attendsim sensitivity`: psa.csv, acceptability.csv, tornado.csv,
/// twoway.csv, sobol.csv, sobol_noise.csv, voi.csv and target_se.csv. Each function returns
/// the whole file (header and rows, every row through the one quoting CSV writer sim/csv.hpp,
/// numbers through format_number); the command writes it into its output folder.
#include <string>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/global_sensitivity.hpp"
#include "analysis/sensitivity.hpp"

namespace attendsim::models {

/// One row per parameter draw and compared scenario (the baseline left out): incremental cost,
/// sustained returns and completions against the baseline of the same draw, net benefit, ROI.
std::string psa_csv(const ExperimentResult& res);
/// The acceptability curve: P(best) per value placed on one extra sustained return.
std::string acceptability_csv(const std::vector<AcceptabilityPoint>& points);
/// One-way analysis: one row per parameter and output.
std::string tornado_csv(const std::vector<TornadoRow>& rows);
/// Two-way grid: one row per grid point and output (sensitivity_outputs()).
std::string twoway_csv(const std::vector<TwoWayRow>& rows);
/// Sobol first-order and total indices with their CIs, and each row's status (as
/// sobol_status_csv).
std::string sobol_csv(const GlobalSobolResult& r);
/// The simulator's noise in the Sobol indices, per output and parameter.
std::string sobol_noise_csv(const GlobalSobolResult& r);
/// Per output: ok, not_identifiable with a note (no chosen parameter moves it beyond noise), or
/// not_computed with the reason (the count-based path does not compute it, docs/methods.md
/// §4.12; sobol.csv and sobol_noise.csv leave its cells empty).
std::string sobol_status_csv(const GlobalSobolResult& r);
/// EVPI and EVPPI.
std::string voi_csv(const VoiResult& r);
/// The precision target of --target-se and what was reached.
std::string target_se_csv(const std::string& metric, double target, const TargetSeResult& r);

}  // namespace attendsim::models
