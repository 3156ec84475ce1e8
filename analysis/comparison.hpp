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
  double p_roi_at_least_target = 0;  ///< share of units (draws when draws > 1) with ROI >= target
  double p_net_positive = 0;         ///< share of units with net benefit > 0
  double p_best = 0;  ///< share of units in which this option has the highest net benefit
  std::vector<double> net_by_unit;             ///< net benefit per unit (per draw when draws > 1)
  std::vector<double> roi_by_unit;             ///< ROI per unit (NaN where undefined)
  double cost_per_extra_sustained_return = 0;  ///< mean cost / mean extra returns (NaN if <= 0)
  double cost_per_extra_completion = 0;        ///< mean cost / mean extra completions (NaN if <= 0)
  /// payback_share_by_year[y]: share of units whose cumulative discounted savings have reached
  /// cumulative cost by the end of year y+1.
  std::vector<double> payback_share_by_year;
  double median_payback_year =
      0;  ///< lower median of first payback years; NaN when at most half pay back
};

std::vector<ScenarioDecision> scenario_decisions(const ExperimentResult& res, double roi_target);

/// Decision probabilities from the per-unit values (net_by_unit, roi_by_unit; units are
/// parameter draws when the experiment samples them), each a share of units:
///   p_roi_at_least_target = share with ROI >= target (units with ROI undefined left out),
///   p_roi_above_1 = share with ROI > 1, p_net_positive = share with net benefit > 0,
///   p_best = share in which the option's net benefit is the highest, no coordinators (net
///   benefit 0 in every unit) included; ties go to no coordinators, then to the option listed
///   first. Sets net_benefit to the summary of net_by_unit. Returns p_best of no coordinators.
/// Every option must have the same number of units.
double score_units(std::vector<ScenarioDecision>& options, double roi_target);

/// Monte Carlo standard error of a share p estimated from n independent units:
/// sqrt(p (1 - p) / n); NaN when n = 0.
double share_error(double p, std::size_t n);

}  // namespace attendsim::models
