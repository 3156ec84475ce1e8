#pragma once
/// A municipality's attendance register, as the calibration sees it: one record per pupil and
/// school month (pupil, calendar month, grade, gender, attendance state).
///
/// Pupil identifiers stay in the reader (io/register_reader.hpp): a record carries only the
/// pupil's index, so no identifier can reach an output; only counts do.
///
/// Absence percent maps to a state by the thresholds of DESIGN.md: regular below 10 %,
/// worrying 10 % up to 20 %, high 20 % to 50 % inclusive, extensive above 50 %.
/// July and August are the summer break: no attendance is registered, and the model makes no
/// attendance transition in them, so a June -> September pair of one pupil counts as the
/// September transition (in the band of the September grade). A missing school month breaks
/// a pupil's chain: the pair across the gap is not counted.
#include <cstdint>
#include <string>
#include <vector>

#include "models/attendance.hpp"

namespace attendsim::models {

inline constexpr double kWorryingFromPercent = 10.0;
inline constexpr double kHighFromPercent = 20.0;
inline constexpr double kExtensiveAbovePercent = 50.0;

/// State of a month's absence percent (in [0, 100]).
inline State state_of_absence_percent(double percent) {
  if (percent < kWorryingFromPercent) return State::regular;
  if (percent < kHighFromPercent) return State::worrying;
  if (percent <= kExtensiveAbovePercent) return State::high;
  return State::extensive;
}

/// Calendar month index: year * 12 + (month - 1), so consecutive months differ by 1.
inline int month_index(int year, int month) {
  return year * 12 + (month - 1);
}
inline int year_of(int month_index) {
  return month_index / 12;
}
inline int month_of(int month_index) {
  return month_index % 12 + 1;
}
/// School month 0..9 (September..June) of a calendar month, or -1 for July and August.
inline int school_month_of(int month_index) {
  const int m = month_of(month_index);
  return m >= 9 ? m - 9 : (m <= 6 ? m + 3 : -1);
}

struct RegisterRecord {
  std::uint32_t pupil = 0;  ///< index of the pupil within its register
  std::int32_t month = 0;   ///< calendar month index (month_index)
  std::uint8_t grade = 0;
  std::uint8_t gender = 0;      ///< Gender
  std::uint8_t state = 0;       ///< State (never left)
  double absence_percent = -1;  ///< as registered, or -1 when the register gave the state
  int line = 0;                 ///< source line (0 for a simulated register)
};

struct AttendanceRegister {
  std::string source;  ///< file name, for messages
  std::uint32_t pupils = 0;
  std::vector<RegisterRecord> records;    ///< school months only, sorted by pupil then month
  std::uint64_t summer_rows_ignored = 0;  ///< July/August rows of the file (no school)
};

}  // namespace attendsim::models
