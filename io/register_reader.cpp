#include "io/register_reader.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "io/csv_fields.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"

namespace attendsim::models {

namespace {

enum Column { kPupil, kMonth, kGrade, kGender, kValue, kColumns };

bool parse_year_month(std::string_view f, int& index) {
  // YYYY-MM exactly.
  if (f.size() != 7 || f[4] != '-') return false;
  for (std::size_t i = 0; i < 7; ++i) {
    if (i != 4 && (f[i] < '0' || f[i] > '9')) return false;
  }
  const int year = (f[0] - '0') * 1000 + (f[1] - '0') * 100 + (f[2] - '0') * 10 + (f[3] - '0');
  const int month = (f[5] - '0') * 10 + (f[6] - '0');
  if (year < 1900 || year > 2200 || month < 1 || month > 12) return false;
  index = month_index(year, month);
  return true;
}

bool parse_gender(std::string_view f, std::uint8_t& g) {
  if (f == "girl" || f == "F" || f == "f") {
    g = static_cast<std::uint8_t>(Gender::girl);
    return true;
  }
  if (f == "boy" || f == "M" || f == "m") {
    g = static_cast<std::uint8_t>(Gender::boy);
    return true;
  }
  return false;
}

}  // namespace

AttendanceRegister parse_register_csv(const std::string& text, const std::string& file) {
  const auto ls = csv::lines(text);
  if (ls.empty()) ATTENDSIM_INPUT_ERROR(file << ":1: empty file: expected a header line");
  // Header.
  std::array<int, kColumns> pos{};
  pos.fill(-1);
  bool by_state = false;
  const auto head = csv::fields(ls[0].text);
  for (std::size_t k = 0; k < head.size(); ++k) {
    const std::string name(head[k]);
    int c = -1;
    if (name == "pupil_id") c = kPupil;
    if (name == "year_month") c = kMonth;
    if (name == "grade") c = kGrade;
    if (name == "gender") c = kGender;
    if (name == "absence_percent" || name == "state") {
      if (pos[kValue] >= 0)
        ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": column '" << name << "' (" << k + 1
                                   << "): give either absence_percent or state, not both");
      by_state = name == "state";
      c = kValue;
    }
    if (c < 0)
      ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": column '" << name << "' (" << k + 1
                                 << "): unknown column (expected pupil_id, year_month, grade, "
                                    "gender, absence_percent or state)");
    if (pos[c] >= 0)
      ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": column '" << name << "' (" << k + 1
                                 << "): given twice");
    pos[c] = static_cast<int>(k);
  }
  static const char* kNames[] = {"pupil_id", "year_month", "grade", "gender",
                                 "absence_percent or state"};
  for (int c = 0; c < kColumns; ++c) {
    if (pos[c] < 0)
      ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": missing column '" << kNames[c]
                                 << "'");
  }
  const std::string value_name = by_state ? "state" : "absence_percent";
  const std::array<std::string, kColumns> names = {"pupil_id", "year_month", "grade", "gender",
                                                   value_name};

  AttendanceRegister reg;
  reg.source = file;
  std::unordered_map<std::string, std::uint32_t> ids;
  reg.records.reserve(ls.size());
  for (std::size_t n = 1; n < ls.size(); ++n) {
    const int line = ls[n].number;
    const auto f = csv::row_fields(ls[n], head.size(), file);
    auto bad = [&](int c, const std::string& what) {
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, names[c], pos[c] + 1)
                            << what << ", got '" << std::string(f[pos[c]]) << "'");
    };
    RegisterRecord r;
    r.line = line;
    const auto id = f[pos[kPupil]];
    if (id.empty()) bad(kPupil, "empty pupil id");
    if (!parse_year_month(f[pos[kMonth]], r.month)) bad(kMonth, "expected a month YYYY-MM");
    long long grade = 0;
    if (!csv::parse_int(f[pos[kGrade]], grade) || grade < 0 || grade > 12)
      bad(kGrade, "unknown grade (expected an integer 0..12)");
    r.grade = static_cast<std::uint8_t>(grade);
    if (!parse_gender(f[pos[kGender]], r.gender)) bad(kGender, "expected girl or boy (F or M)");
    if (by_state) {
      const auto s = parse_state(f[pos[kValue]]);
      if (!s || *s == State::left) bad(kValue, "expected regular, worrying, high or extensive");
      r.state = static_cast<std::uint8_t>(*s);
    } else {
      double v = 0;
      if (!csv::parse_number(f[pos[kValue]], v)) bad(kValue, "expected a number");
      if (v < 0 || v > 100) bad(kValue, "absence percent must be in [0, 100]");
      r.absence_percent = v;
      r.state = static_cast<std::uint8_t>(state_of_absence_percent(v));
    }
    auto [it, fresh] = ids.try_emplace(std::string(id), static_cast<std::uint32_t>(ids.size()));
    r.pupil = it->second;
    if (school_month_of(r.month) < 0) {
      ++reg.summer_rows_ignored;
      continue;
    }
    reg.records.push_back(r);
  }
  reg.pupils = static_cast<std::uint32_t>(ids.size());
  std::sort(reg.records.begin(), reg.records.end(), [](const auto& a, const auto& b) {
    return a.pupil != b.pupil ? a.pupil < b.pupil
                              : (a.month != b.month ? a.month < b.month : a.line < b.line);
  });
  for (std::size_t i = 1; i < reg.records.size(); ++i) {
    const auto& a = reg.records[i - 1];
    const auto& b = reg.records[i];
    if (a.pupil == b.pupil && a.month == b.month) {
      ATTENDSIM_INPUT_ERROR(csv::where(file, b.line, "year_month", pos[kMonth] + 1)
                            << "this pupil-month is given twice (first at line " << a.line << ")");
    }
  }
  if (reg.records.empty())
    ATTENDSIM_INPUT_ERROR(file << ": no school-month rows (September..June) to calibrate on");
  return reg;
}

AttendanceRegister read_register_csv(const std::filesystem::path& path) {
  return parse_register_csv(read_input_file(path, kMaxTableBytes, "register file"), path.string());
}

std::string register_csv(const AttendanceRegister& reg) {
  const bool by_state = !reg.records.empty() && reg.records.front().absence_percent < 0;
  std::string out = by_state ? "pupil_id,year_month,grade,gender,state\n"
                             : "pupil_id,year_month,grade,gender,absence_percent\n";
  out.reserve(reg.records.size() * 36);
  char buf[96];
  for (const auto& r : reg.records) {
    const char* g = r.gender == static_cast<std::uint8_t>(Gender::girl) ? "girl" : "boy";
    int n;
    if (by_state) {
      n = std::snprintf(buf, sizeof buf, "P%07u,%04d-%02d,%d,%s,%s\n", r.pupil, year_of(r.month),
                        month_of(r.month), r.grade, g, std::string(kStateNames[r.state]).c_str());
    } else {
      n = std::snprintf(buf, sizeof buf, "P%07u,%04d-%02d,%d,%s,%.1f\n", r.pupil, year_of(r.month),
                        month_of(r.month), r.grade, g, r.absence_percent);
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace attendsim::models
