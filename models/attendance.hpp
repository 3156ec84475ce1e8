#pragma once
/// Attendance states and the calendar of a school year.
///
/// States (DESIGN.md): regular (<10 % absence), worrying (10-20 %), high (20-50 %),
/// extensive (>50 %, long-term absent), plus `left` (moved out of the municipality,
/// absorbing). Order matters: a larger index is a worse state, so "improving" means a
/// move to a smaller index among the four attendance states.
#include <array>
#include <cstdint>
#include <string_view>

namespace attendsim::models {

enum class State : std::uint8_t { regular = 0, worrying = 1, high = 2, extensive = 3, left = 4 };

inline constexpr int kAttendanceStates = 4;  ///< regular..extensive
inline constexpr int kStates = 5;            ///< including `left`

inline constexpr std::array<std::string_view, kStates> kStateNames = {"regular", "worrying", "high",
                                                                      "extensive", "left"};

/// Grade bands that carry their own transition matrix and prevalence.
enum class Band : std::uint8_t { grade0_6 = 0, grade7_9 = 1, grade10_12 = 2 };
inline constexpr int kBands = 3;
inline constexpr std::array<std::string_view, kBands> kBandNames = {"grade0_6", "grade7_9",
                                                                    "grade10_12"};
/// Grades 0..12: 0-9 compulsory school, 10-12 upper secondary.
inline constexpr int kGradeCount = 13;
inline constexpr Band band_of_grade(int grade) {
  return grade <= 6 ? Band::grade0_6 : (grade <= 9 ? Band::grade7_9 : Band::grade10_12);
}

enum class Gender : std::uint8_t { boy = 0, girl = 1 };
inline constexpr int kGenders = 2;
inline constexpr std::array<std::string_view, kGenders> kGenderNames = {"boys", "girls"};

/// The simulation calendar: step 0 is September. A school year is the 10 school months
/// September..June (steps 0..9 of each year) followed by a summer break of July and August
/// (steps 10, 11). Attendance transitions happen in school months only; end-of-year events
/// (eligibility, completion, summer school, repeated years) are drawn in July; grades move
/// up in August.
inline constexpr int kMonthsPerYear = 12;
inline constexpr int kSchoolMonthsPerYear = 10;
inline constexpr int kJulyStep = 10;
inline constexpr int kAugustStep = 11;
inline constexpr std::array<std::string_view, kSchoolMonthsPerYear> kSchoolMonthNames = {
    "sep", "oct", "nov", "dec", "jan", "feb", "mar", "apr", "may", "jun"};

inline constexpr bool is_school_month(int step) {
  return step % kMonthsPerYear < kSchoolMonthsPerYear;
}
inline constexpr int school_month_index(int step) {
  return step % kMonthsPerYear;
}

}  // namespace attendsim::models

#include <optional>
namespace attendsim::models {
/// "regular" -> State::regular, etc.; nullopt for an unknown name.
std::optional<State> parse_state(std::string_view name);
}  // namespace attendsim::models
