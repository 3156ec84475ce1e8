#pragma once
/// Follow-up of a forecast (`attendsim followup RESULTS_DIR OBSERVED.csv`): observed outcomes
/// set beside the forecast, metric by metric.
///
/// The forecast interval of a metric is its 2.5-97.5 % uncertainty interval across units
/// (p2_5, p97_5 of summary.json): the spread of the outcome one municipality may see, not
/// the CI of the mean. An observed value outside [p2_5, p97_5] is flagged; its position is
/// also given as the share of the interval's width it lies beyond the nearer end.
#include <string>
#include <vector>

namespace attendsim::models {

struct ForecastInterval {
  double mean = 0, p2_5 = 0, p97_5 = 0;
};

struct FollowupRow {
  std::string scenario;
  std::string metric;
  std::string unit;  ///< from the metric table (analysis/metrics.hpp)
  double observed = 0;
  ForecastInterval forecast;
  bool outside = false;
  /// (observed - p97_5) / width above, (observed - p2_5) / width below, 0 inside.
  double excess_widths = 0;
};

inline FollowupRow follow_up(std::string scenario, std::string metric, double observed,
                             const ForecastInterval& f) {
  FollowupRow r{std::move(scenario), std::move(metric), "", observed, f, false, 0};
  const double width = f.p97_5 - f.p2_5;
  if (observed > f.p97_5) {
    r.outside = true;
    r.excess_widths = width > 0 ? (observed - f.p97_5) / width : 0;
  } else if (observed < f.p2_5) {
    r.outside = true;
    r.excess_widths = width > 0 ? (observed - f.p2_5) / width : 0;
  }
  return r;
}

}  // namespace attendsim::models
