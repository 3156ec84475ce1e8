#pragma once
/// Aggregate calibration targets as CSV (analysis/calibration_targets.hpp).
///
/// Header (any order): target, band, gender, period, value, se.
///   target  prevalence_high_or_extensive | prevalence_extensive | long_term_absent_share
///           (shares) | cases_started | returns | referrals (the team's counts in the period)
///   band    grade0_6 | grade7_9 | grade10_12 | all
///   gender  boys | girls | all
///   period  Yk (school year k of the simulation, k >= 1), Yk-autumn (Sep-Dec), Yk-spring
///           (Jan-Jun)
///   value   share in [0, 1]; a count >= 0 for cases_started, returns and referrals
///   se      its standard error, > 0 (required)
/// Errors (unknown target, band, gender or column, a bad period or one beyond the config's
/// horizon, a value outside [0, 1], a missing or non-positive se) throw InputError naming
/// file, line and column.
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/calibration_targets.hpp"

namespace attendsim::models {

std::vector<Target> parse_targets_csv(const std::string& text, const std::string& display_path,
                                      int horizon_years);
std::vector<Target> read_targets_csv(const std::filesystem::path& path, int horizon_years);

/// Posterior draws: header `draw,PATH1,PATH2,...`, one row per draw.
std::string posterior_draws_csv(const std::vector<std::string>& params,
                                const std::vector<std::vector<double>>& draws);

/// The parameter vectors of `--draws-from FILE`: draw d is the config's PSA draw d (its base
/// values when it has no other uncertain parameter) with the file's parameters set to row d.
/// Unknown parameter paths, a column given twice, a draw number that is not a whole number
/// >= 0 or is given twice, more than kMaxParameterDraws rows, non-numbers and values outside a
/// parameter's domain throw InputError naming file, line and column.
inline constexpr std::size_t kMaxParameterDraws = 1'000'000;  // the limit of --draws
std::vector<std::vector<double>> parse_parameter_draws(const std::string& text,
                                                       const std::string& display_path,
                                                       const ModelConfig& cfg, std::uint64_t seed);
std::vector<std::vector<double>> read_parameter_draws(const std::filesystem::path& path,
                                                      const ModelConfig& cfg, std::uint64_t seed);

}  // namespace attendsim::models
