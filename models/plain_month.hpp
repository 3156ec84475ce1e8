#pragma once
/// The plain pupil-month of 16 pupils in AVX-512 lanes (docs/methods.md §4.12), internal to
/// models/.
///
/// The individual engine's pupils are 16-byte records (simulation.hpp Pupil); 16 of them are a
/// 16 x 16 byte matrix, which the kernel transposes into one 16-byte row per field, steps in
/// byte and 32-bit lanes, and transposes back. It takes a pupil-month only when the month
/// holds nothing but a transition and its bookkeeping: a *plain* pupil-month (a pupil present,
/// status none, outside a case, its after-effect, a relapse window and a case's 12 months; not
/// leaving or placed; not a first entry to high or extensive absence; not detected or recorded)
/// and leaves every other lane, unchanged, to the general rules (PupilRules::school_month),
/// which the caller applies to them in pupil order. On a plain pupil-month it applies the same
/// arithmetic as PupilRules::school_month_path on the same draw, so results are the same bytes
/// with and without it (tests/test_plain_month.cpp; tests/test_fast_path.cpp checks every
/// pupil-month against the general rules).
#include <array>
#include <cstdint>

#include "models/pupil_rules.hpp"

namespace attendsim::models::detail {

/// Rows of the kernel's threshold tables: band x 8 slots (regular, worrying, high by duration
/// bucket 0..2, extensive by bucket 0..2), padded to 32 for a two-table lane permute.
inline constexpr int kPlainRows = 32;
inline constexpr int plain_row(int band, int state, int bucket) {
  return band * 8 + (state < kHigh ? state : 2 + 3 * (state - kHigh) + bucket);
}

/// Which month the kernel steps: a school month, or July or August under transitions in
/// every month (PupilRules::summer_step).
enum class PlainKind : std::uint8_t { school, july, august };

/// The constants of one month for the kernel.
struct PlainMonth {
  /// th[k][row]: the row's threshold k as 32 bits, min(th_k, 2^32 - 1). A draw whose high word
  /// is 2^32 - 1 takes the general rules, so that the clamp never changes a state.
  alignas(64) std::array<std::array<std::uint32_t, kPlainRows>, 4> th{};
  std::uint32_t leave_bits = 0;  ///< c1 of §2.4
  std::uint32_t place_bits = 0;  ///< c2 of §2.4
  std::uint8_t sustained = 0;    ///< sustained_return_months
  std::uint8_t relapse_months = 0;
  /// Lanes that enter high or extensive absence take the general rules (detection may
  /// start, or the baseline's record keeps the month).
  bool high_is_general = false;
  /// Bit c: subgroup cell c may have pupils after the month (all cells in summer).
  std::uint32_t cells_present = 0;
  PlainKind kind = PlainKind::school;
  bool progression = false;    ///< August: grades move up (population.grade_progression)
  std::uint8_t grade_max = 0;  ///< August: pupils in grade_max take the general rules
};

/// The kernel's constants for the month of `k` (a school month's, or July's or August's of
/// summer_month_constants), or false when it cannot take the month (a cut point of 2^32:
/// every pupil leaves or is placed).
bool plain_month_constants(const ModelParams& p, const TransitionTable& table, const SchoolMonth& k,
                           bool high_is_general, std::uint32_t cells_present, PlainMonth& out);

/// True when this CPU runs the kernel (AVX-512 F, BW, VL, VBMI and POPCNT; checked once).
bool plain_month_kernel_available();

/// One month of pupils p[0..15] on draws x[0..15]: steps the plain lanes and counts them
/// (occupancy and sustained returns by cell; in July and August the left pupils too, as
/// summer_step does) into `tally`. Returns the lanes the general rules must take (bit i:
/// pupil p[i], present and not plain), which it leaves unchanged. In a school month a plain
/// pupil-month is PupilRules::school_month_path's; in July and August summer_step's without an
/// event: in July not in grades 8-12 and without a month in extensive absence this school year
/// (year_end then only clears the year's flags), in August not repeating the year and, with
/// grade progression, below grade_max (new_school_year only moves the pupil up a grade).
/// Requires plain_month_kernel_available().
std::uint32_t plain_month16(Pupil* p, const std::uint64_t* x, const PlainMonth& k,
                            MonthTally& tally);

}  // namespace attendsim::models::detail
