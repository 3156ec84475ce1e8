#pragma once
/// Incremental analysis of a staffing ladder and payback of one investment.
///
/// Ladder: options (each with mean cost and mean extra effect against the baseline, which
/// sits at cost 0, effect 0) are ordered by cost (ties: larger effect first).
///  - An option is dominated when a cheaper (or equally costly, listed earlier) option, or
///    the baseline, is at least as effective.
///  - Among the rest, an option is extendedly dominated when the next option's incremental
///    cost-effectiveness ratio (ICER) is below its own: a mix of its neighbours would buy
///    the same effect for less. Removed one at a time until the ICERs rise along the frontier.
///  - Each step reports extra cost and extra effect against the previous frontier option
///    ("baseline" for the first) and ICER = extra cost / extra effect (NaN unless extra effect >
///    0).
/// Payback: the first year y (1-based) from which the cumulative discounted net benefit
/// (savings - cost up to the end of each year) stays >= 0 to the horizon, i.e. the year after
/// the last year it is below 0; +infinity when it is below 0 at the horizon. A net that
/// reaches 0 and falls back below it has not paid back.
#include <string>
#include <vector>

namespace attendsim::models {

struct LadderOption {
  std::string name;
  double cost = 0;     ///< mean cost, SEK
  double effect = 0;   ///< mean extra sustained returns against the baseline
  double effect2 = 0;  ///< mean extra completed upper secondary, reported alongside
};

/// One step of the staffing ladder in the incremental analysis (means over units).
struct IncrementalStep {
  std::string scenario;
  std::string from;       ///< the previous non-dominated level ("baseline" for the first)
  double extra_cost = 0;  ///< mean cost difference
  double extra_sustained_returns = 0;
  double extra_completions = 0;
  double cost_per_extra_return = 0;  ///< ICER on sustained returns (NaN when not defined)
  bool dominated = false;            ///< more costly, no more effective than a cheaper level
  bool extendedly_dominated = false;
};

/// Steps in cost order; see the file comment.
std::vector<IncrementalStep> incremental_analysis(std::vector<LadderOption> options);

/// First year y (1-based) with cumulative_net_by_year[k] >= 0 for every k >= y - 1;
/// +infinity when the last entry is below 0 (or there is none).
double first_payback_year(const std::vector<double>& cumulative_net_by_year);

/// share[y] = fraction of first_years that are <= y + 1, for y = 0 .. years-1.
std::vector<double> payback_share_by_year(const std::vector<double>& first_years,
                                          std::size_t years);

/// Lower median of the first payback years (infinite entries included, so it is defined
/// only when more than half pay back within the horizon); NaN otherwise or when empty.
double median_payback_year(std::vector<double> first_years);

}  // namespace attendsim::models
