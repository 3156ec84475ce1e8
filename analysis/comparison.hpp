#pragma once
/// Analysis of a multi-scenario experiment: paired differences on common random numbers,
/// per-scenario decision figures, and equity by gender.
///
/// Paired difference of metric m between scenarios a and b: d_u = x_u(a) - x_u(b) for each
/// independent unit u (replication, or draw mean), summarised as in statistics.hpp, with
/// P(d > 0). Because a and b share their random numbers, var(d) is far below
/// var(x(a)) + var(x(b)) (the unpaired variance): the point of common random numbers.
/// Equity gap of a measure: g_u = girls_u - boys_u within each unit, summarised the same way;
/// relative measure: q_u = girls_u / boys_u within each unit (units with boys_u = 0 dropped).
#include <string>
#include <vector>

#include "analysis/experiment.hpp"
#include "sim/statistics.hpp"

namespace attendsim::models {

struct PairedDifference {
  std::string scenario;
  std::string versus;
  std::string metric;
  Summary diff;  ///< mean, se, CI and p2_5/p97_5 of d; p_positive = P(d > 0)
};

/// d_u for one metric (units where either side is undefined are dropped).
std::vector<double> paired_values(const ExperimentResult& res, std::size_t a, std::size_t b,
                                  std::size_t metric);

/// Unpaired standard error of the difference of means: sqrt(se_a^2 + se_b^2), what
/// independent runs would give.
double unpaired_se(const ExperimentResult& res, std::size_t a, std::size_t b, std::size_t metric);

struct EquityRow {
  std::string scenario;
  std::string
      measure;  ///< referral_rate, access_rate, mean_wait_months, sustained_returns_per_eligible
  Summary boys;
  Summary girls;
  Summary gap;    ///< girls - boys, paired within units
  Summary ratio;  ///< girls / boys within units (relative access); NaN where boys' is 0
};

/// Equity measures per scenario (rates per eligible pupil: pupils ever in high or extensive
/// absence).
std::vector<EquityRow> equity_table(const ExperimentResult& res);

struct ScenarioDecision {
  std::string name;
  double fte = 0;  ///< peak FTE of the schedule
  Summary cost, savings, net_benefit, roi;
  Summary extra_sustained_returns;    ///< paired vs baseline
  Summary extra_completed_upper_sec;  ///< paired vs baseline
  double p_roi_above_1 = 0;
  double p_roi_at_least_target = 0;
  double cost_per_extra_sustained_return = 0;  ///< mean cost / mean extra returns (NaN if <= 0)
  double cost_per_extra_completion = 0;        ///< mean cost / mean extra completions (NaN if <= 0)
  /// payback_share_by_year[y]: share of units whose cumulative discounted savings have reached
  /// cumulative cost by the end of year y+1.
  std::vector<double> payback_share_by_year;
  double median_payback_year =
      0;  ///< lower median of first payback years; NaN when at most half pay back
};

std::vector<ScenarioDecision> scenario_decisions(const ExperimentResult& res, double roi_target);

}  // namespace attendsim::models
