#include "models/transitions.hpp"

#include <cmath>

#include "sim/error.hpp"

namespace attendsim::models {

Row modified_row(const Row& base, int from, double exit_mult, double worsen_mult,
                 double rr_improve_pow, double rr_worsen_pow) {
  Row r{};
  double off = 0.0;
  for (int j = 0; j < kAttendanceStates; ++j) {
    if (j == from) continue;
    r[j] = base[j] * exit_mult * (j > from ? worsen_mult * rr_worsen_pow : rr_improve_pow);
    off += r[j];
  }
  if (off <= 1.0) {
    r[from] = 1.0 - off;
  } else {
    for (int j = 0; j < kAttendanceStates; ++j) r[j] = j == from ? 0.0 : r[j] / off;
  }
  double sum = 0.0;
  for (double v : r) {
    ATTENDSIM_REQUIRE(v >= 0.0 && v <= 1.0 && std::isfinite(v),
                      "renormalised transition row from state " << from << " has entry " << v);
    sum += v;
  }
  ATTENDSIM_REQUIRE(std::abs(sum - 1.0) < 1e-9, "renormalised transition row sums to " << sum);
  return r;
}

Row cumulative(const Row& r) {
  Row c{};
  double s = 0.0;
  for (int j = 0; j < kAttendanceStates; ++j) {
    s += r[j];
    c[j] = s;
  }
  c[kAttendanceStates - 1] = 1.0;
  return c;
}

Thresholds thresholds(const Row& cum, double p_leave) {
  Thresholds th{};
  const double stay = 1.0 - p_leave;
  for (int k = 0; k < 3; ++k) th[k] = static_cast<std::uint64_t>(std::ceil(cum[k] * stay * 0x1p32));
  th[3] = static_cast<std::uint64_t>(std::ceil(stay * 0x1p32));
  return th;
}

double TransitionTable::leave_by_state(int state) const {
  return p_->leaving_enabled ? p_->p_leave_by_state[state] : 0.0;
}

double TransitionTable::exit_mult(int state, int bucket) const {
  if (!p_->duration_enabled) return 1.0;
  if (state == static_cast<int>(State::high)) return p_->high_exit_mult[bucket];
  if (state == static_cast<int>(State::extensive)) return p_->extensive_exit_mult[bucket];
  return 1.0;
}

double TransitionTable::worsen_mult(int state, int bucket, int school_month) const {
  double m = p_->seasonality_enabled && school_month < kSchoolMonthsPerYear
                 ? p_->worsen_mult[school_month]
                 : 1.0;
  if (state == static_cast<int>(State::regular) && bucket == 1 && p_->relapse_enabled) {
    m *= p_->relapse_mult;
  }
  return m;
}

TransitionTable::TransitionTable(const TransitionParams& p) : p_(&p) {
  rows_.resize(kBands * kAttendanceStates * 3 * kMonthsPerYear);
  bits_.resize(rows_.size());
  for (int b = 0; b < kBands; ++b) {
    for (int s = 0; s < kAttendanceStates; ++s) {
      for (int k = 0; k < 3; ++k) {
        for (int m = 0; m < kMonthsPerYear; ++m) {
          const Row r =
              modified_row(p.base[b][s], s, exit_mult(s, k), worsen_mult(s, k, m), 1.0, 1.0);
          rows_[index(b, s, k, m)] = cumulative(r);
          bits_[index(b, s, k, m)] = thresholds(rows_[index(b, s, k, m)], leave_by_state(s));
        }
      }
    }
  }
}

}  // namespace attendsim::models
