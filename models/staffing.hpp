#pragma once
/// Coordinator staffing: FTE over time and the caseload capacity it gives.
///
/// A schedule is a list of periods {from_month, fte}: from step `from_month` (months since
/// the start, step 0 = September of year 1) the team has `fte` full-time equivalents, until
/// the next period. Before the first period, and in an empty schedule (the baseline), FTE = 0.
/// Concurrent case slots at a step = round(fte * caseload_per_fte * share_fte_on_casework).
#include <cmath>
#include <string>
#include <vector>

namespace attendsim::models {

struct StaffingPeriod {
  int from_month = 0;
  double fte = 0.0;
};

struct StaffingSchedule {
  std::vector<StaffingPeriod> periods;  ///< sorted by from_month, strictly increasing

  double fte_at(int step) const {
    double fte = 0.0;
    for (const auto& p : periods) {
      if (p.from_month <= step) fte = p.fte;
    }
    return fte;
  }
  /// The first step with FTE > 0, or -1 when never staffed.
  int first_staffed_step(int steps) const {
    for (int t = 0; t < steps; ++t) {
      if (fte_at(t) > 0) return t;
    }
    return -1;
  }
  /// The last step with FTE > 0, or -1 when never staffed.
  int last_staffed_step(int steps) const {
    for (int t = steps - 1; t >= 0; --t) {
      if (fte_at(t) > 0) return t;
    }
    return -1;
  }
};

inline int case_slots(double fte, double caseload_per_fte, double share_on_casework) {
  return static_cast<int>(std::lround(fte * caseload_per_fte * share_on_casework));
}

}  // namespace attendsim::models
