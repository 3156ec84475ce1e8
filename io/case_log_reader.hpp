#pragma once
/// The coordinator team's case log as calibration targets (`attendsim calibrate CONFIG
/// --case-log FILE.csv --scenario TEAM --params ...`, docs/methods.md §13).
///
/// Header (any order): month, referrals, cases_started, returns.
///   month          YYYY-MM, each month at most once
///   referrals      whole number >= 0: referrals the team received in the month (the model's
///                  referrals, with or without consent)
///   cases_started  whole number >= 0: cases the team started in the month
///   returns        whole number >= 0: pupils of the team's cases back in regular attendance
///                  for good (the model's sustained return within 12 months of the start)
/// Month 0 of the simulation is the September on or before the log's first month (the
/// simulated school year starts in September); a month beyond the config's horizon is an
/// error. Each month gives three targets, cases_started, returns and referrals in that month, with
/// the Poisson standard error sqrt(max(count, 1)) (a count's own sampling noise). Errors throw
/// InputError naming file, line and column.
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/calibration_targets.hpp"

namespace attendsim::models {

std::vector<Target> parse_case_log_csv(const std::string& text, const std::string& display_path,
                                       int horizon_years);
std::vector<Target> read_case_log_csv(const std::filesystem::path& path, int horizon_years);

}  // namespace attendsim::models
