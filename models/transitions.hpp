#pragma once
/// Monthly transition rows with their modifiers, and the precomputed table of the hot path.
///
/// For a pupil in state i, the base row P[band][i] is modified multiplicatively on its
/// off-diagonal entries j != i:
///   p'_j = p_j * exit_mult * (j > i ? worsen_mult * rr_worsen^m : rr_improve^m)
/// exit_mult: duration dependence (rows high/extensive, by months in state: 1-2, 3-5, 6+);
/// worsen_mult: seasonal multiplier of the school month x relapse multiplier (regular row,
///   for `relapse_months` after a return from high/extensive);
/// m: the case effect scale on the log relative risks (0 outside a case).
/// The diagonal takes the complement p'_i = 1 - sum_{j != i} p'_j. Should that be negative
/// (large multipliers), the off-diagonals are renormalised to sum to 1 and p'_i = 0. Every
/// row is checked: entries in [0, 1], sum 1 within 1e-9.
#include <array>
#include <cstdint>
#include <vector>

#include "models/params.hpp"

namespace attendsim::models {

/// Duration bucket of a pupil's months in state: 0 for 1-2, 1 for 3-5, 2 for 6+.
inline constexpr int duration_bucket(int months_in_state) {
  return months_in_state <= 2 ? 0 : (months_in_state <= 5 ? 1 : 2);
}

Row modified_row(const Row& base, int from, double exit_mult, double worsen_mult,
                 double rr_improve_pow, double rr_worsen_pow);

/// Cumulative form c_k = sum_{j <= k} p_j with c_3 forced to exactly 1.
Row cumulative(const Row& r);

/// Next state by inversion: the smallest k with u < c_k.
inline int invert(const Row& cum, double u) {
  return static_cast<int>(u >= cum[0]) + static_cast<int>(u >= cum[1]) +
         static_cast<int>(u >= cum[2]);
}

/// Integer form of a cumulative row for 32-bit draws, with leaving by state l:
/// th_k = ceil(c_k (1 - l) 2^32) for k < 3 and th_3 = ceil((1 - l) 2^32), so that the draw
/// b in [0, 2^32) goes to state k = #{th_j <= b} (4 = left, the top l of the range). For a
/// u = b 2^-32, u < c  <=>  b < ceil(c 2^32) exactly (2^32 c is exact in double), so with l = 0
/// inversion on th gives the same state as inversion on c, and th_3 = 2^32 is never reached.
using Thresholds = std::array<std::uint64_t, 4>;
Thresholds thresholds(const Row& cum, double p_leave = 0.0);
inline int invert_bits(const Thresholds& th, std::uint32_t bits) {
  return static_cast<int>(bits >= th[0]) + static_cast<int>(bits >= th[1]) +
         static_cast<int>(bits >= th[2]) + static_cast<int>(bits >= th[3]);
}
/// The draw's position within the interval of the state it chose, as 32 bits: for
/// k = invert_bits(th, b) and [a, e) that interval, floor((b - a) 2^32 / (e - a)), uniform on a
/// grid of 1 / (e - a) and independent of k (the high word's residual, docs/methods.md §2.4).
inline std::uint64_t residual_bits(const Thresholds& th, std::uint32_t bits, int k) {
  const std::uint64_t a = k == 0 ? 0 : th[static_cast<std::size_t>(k - 1)];
  const std::uint64_t e = k == 4 ? 0x100000000ULL : th[static_cast<std::size_t>(k)];
  return ((static_cast<std::uint64_t>(bits) - a) << 32) / (e - a);
}

/// Cumulative rows of pupils outside a case, indexed [band][state][bucket][month of the year]
/// (0 = September; July and August, months 10 and 11, without seasonal multiplier).
/// bucket: duration bucket for high/extensive, relapse flag (0/1) for regular, 0 for worrying.
/// bits() carries the state's leaving (TransitionParams::p_leave_by_state).
class TransitionTable {
 public:
  explicit TransitionTable(const TransitionParams& p);
  const Row& cum(int band, int state, int bucket, int school_month) const {
    return rows_[index(band, state, bucket, school_month)];
  }
  const Thresholds& bits(int band, int state, int bucket, int school_month) const {
    return bits_[index(band, state, bucket, school_month)];
  }
  /// The modifiers of one cell (shared with the in-case path).
  double exit_mult(int state, int bucket) const;
  double worsen_mult(int state, int bucket, int school_month) const;
  /// The probability of leaving from `state` with the transition (0 when leaving is off).
  double leave_by_state(int state) const;
  const TransitionParams& params() const { return *p_; }

 private:
  static int index(int band, int state, int bucket, int school_month) {
    return ((band * kAttendanceStates + state) * 3 + bucket) * kMonthsPerYear + school_month;
  }
  const TransitionParams* p_;
  std::vector<Row> rows_;
  std::vector<Thresholds> bits_;
};

}  // namespace attendsim::models
