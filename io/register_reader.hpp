#pragma once
/// The register extract as CSV: read (with full validation) and write.
///
/// Header (columns in any order): pupil_id, year_month, grade, gender, and either
/// absence_percent or state. One row per pupil and month:
///   pupil_id         any non-empty text without commas (kept only to link a pupil's months)
///   year_month       YYYY-MM
///   grade            integer 0..12
///   gender           girl | boy (also F | M)
///   absence_percent  number in [0, 100] (mapped to a state, analysis/attendance_register.hpp)
///   state            regular | worrying | high | extensive
/// Rows of July and August (the summer break) are accepted and ignored. Any error (unknown
/// column, missing column, unparseable value, a grade outside 0..12, a percent outside
/// [0, 100], a pupil-month given twice) throws InputError naming file, line and column.
#include <filesystem>
#include <string>

#include "analysis/attendance_register.hpp"

namespace attendsim::models {

AttendanceRegister read_register_csv(const std::filesystem::path& path);
/// Parses CSV text; `display_path` names the source in messages.
AttendanceRegister parse_register_csv(const std::string& text, const std::string& display_path);

/// The register as CSV with absence_percent (or state when a record has none); pupil ids are
/// written as P followed by the pupil index, zero-padded to 7 digits.
std::string register_csv(const AttendanceRegister& reg);

}  // namespace attendsim::models
