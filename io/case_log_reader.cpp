#include "io/case_log_reader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>

#include "io/csv_fields.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"

namespace attendsim::models {

namespace {

/// "YYYY-MM" as year * 12 + month - 1, or -1.
int parse_month(std::string_view f) {
  if (f.size() != 7 || f[4] != '-') return -1;
  for (std::size_t k : {0U, 1U, 2U, 3U, 5U, 6U}) {
    if (f[k] < '0' || f[k] > '9') return -1;
  }
  const int y = (f[0] - '0') * 1000 + (f[1] - '0') * 100 + (f[2] - '0') * 10 + (f[3] - '0');
  const int m = (f[5] - '0') * 10 + (f[6] - '0');
  if (y < 1900 || m < 1 || m > 12) return -1;
  return y * 12 + m - 1;
}

}  // namespace

std::vector<Target> parse_case_log_csv(const std::string& text, const std::string& file,
                                       int horizon_years) {
  const auto ls = csv::lines(text);
  if (ls.empty()) ATTENDSIM_INPUT_ERROR(file << ":1: empty file: expected a header line");
  static const std::array<std::string, 4> kCols = {"month", "referrals", "cases_started",
                                                   "returns"};
  const auto head = csv::fields(ls[0].text);
  const auto pos = csv::header_positions(head, kCols, file, ls[0].number);
  struct LogRow {
    int line = 0, month = 0;
    double started = 0, returns = 0, referrals = 0;
  };
  std::vector<LogRow> rows;
  std::set<int> seen;
  for (std::size_t n = 1; n < ls.size(); ++n) {
    const int line = ls[n].number;
    const auto f = csv::row_fields(ls[n], head.size(), file);
    auto field = [&](int c) {
      return f[static_cast<std::size_t>(pos[static_cast<std::size_t>(c)])];
    };
    auto bad = [&](int c, const std::string& what) {
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, kCols[static_cast<std::size_t>(c)],
                                       pos[static_cast<std::size_t>(c)] + 1)
                            << what << ", got '" << std::string(field(c)).substr(0, 40) << "'");
    };
    LogRow r;
    r.line = line;
    r.month = parse_month(field(0));
    if (r.month < 0) bad(0, "expected a month YYYY-MM");
    if (!seen.insert(r.month).second) bad(0, "month given twice");
    std::array<double, 4> v{};
    for (int c = 1; c < 4; ++c) {
      long long x = 0;
      if (!csv::parse_int(field(c), x) || x < 0 || x > 100'000'000)
        bad(c, "expected a whole number >= 0");
      v[static_cast<std::size_t>(c)] = static_cast<double>(x);
    }
    r.referrals = v[1];
    r.started = v[2];
    r.returns = v[3];
    rows.push_back(r);
  }
  if (rows.empty()) ATTENDSIM_INPUT_ERROR(file << ": no months");
  int first = rows[0].month;
  for (const auto& r : rows) first = std::min(first, r.month);
  // The September on or before the first month (month index 8 of its year).
  const int start = first - ((first % 12) - 8 + 12) % 12;
  std::vector<Target> out;
  for (const auto& r : rows) {
    const int t = r.month - start;
    if (t / 12 + 1 > horizon_years)
      ATTENDSIM_INPUT_ERROR(csv::where(file, r.line, "month", pos[0] + 1)
                            << "month beyond the config's horizon of " << horizon_years
                            << " years from the September on or before the log's first month");
    char ym[16];
    std::snprintf(ym, sizeof ym, "%04d-%02d", r.month / 12, r.month % 12 + 1);
    for (auto kind : {TargetKind::cases_started, TargetKind::returns, TargetKind::referrals}) {
      Target tg;
      tg.kind = kind;
      tg.year = t / 12 + 1;
      tg.month = t % 12;
      tg.value = kind == TargetKind::cases_started ? r.started
                 : kind == TargetKind::returns     ? r.returns
                                                   : r.referrals;
      tg.se = std::sqrt(std::max(1.0, tg.value));
      tg.label = std::string(kind == TargetKind::cases_started ? "cases_started"
                             : kind == TargetKind::returns     ? "returns"
                                                               : "referrals") +
                 " all all " + ym;
      out.push_back(tg);
    }
  }
  return out;
}

std::vector<Target> read_case_log_csv(const std::filesystem::path& path, int horizon_years) {
  return parse_case_log_csv(read_input_file(path, kMaxTableBytes, "case log"), path.string(),
                            horizon_years);
}

}  // namespace attendsim::models
