#pragma once
/// Splitting and parsing CSV fields for the data readers (register, targets, observed
/// outcomes): one line at a time, strict numbers, messages naming file, line and column.
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/error.hpp"

namespace attendsim::models::csv {

/// Lines of `text` (LF or CRLF), with their 1-based line numbers; blank lines are skipped. A
/// UTF-8 byte order mark at the start (spreadsheets write one) is not part of the header.
struct Line {
  int number = 0;
  std::string_view text;
};
inline std::vector<Line> lines(const std::string& text) {
  std::vector<Line> out;
  std::size_t pos = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  int n = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++n;
    std::string_view l(text.data() + pos, end - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    bool blank = true;
    for (char c : l) blank = blank && (c == ' ' || c == '\t');
    if (!blank) out.push_back({n, l});
    pos = end + 1;
  }
  return out;
}

/// Fields of one line split at commas; surrounding blanks and one pair of double quotes are
/// removed from each field.
inline std::vector<std::string_view> fields(std::string_view l) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (true) {
    std::size_t end = l.find(',', pos);
    std::string_view f = l.substr(pos, end == std::string_view::npos ? l.size() - pos : end - pos);
    while (!f.empty() && (f.front() == ' ' || f.front() == '\t')) f.remove_prefix(1);
    while (!f.empty() && (f.back() == ' ' || f.back() == '\t')) f.remove_suffix(1);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
    out.push_back(f);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return out;
}

/// "FILE:LINE: column 'NAME' (K): " for messages.
inline std::string where(const std::string& file, int line, const std::string& column, int k) {
  return file + ":" + std::to_string(line) + ": column '" + column + "' (" + std::to_string(k) +
         "): ";
}

/// A finite number, the whole field; nullopt-like false on failure.
inline bool parse_number(std::string_view f, double& v) {
  if (f.empty()) return false;
  const char* b = f.data();
  if (*b == '+') ++b;
  auto [p, ec] = std::from_chars(b, f.data() + f.size(), v);
  return ec == std::errc() && p == f.data() + f.size() && std::isfinite(v);
}

inline bool parse_int(std::string_view f, long long& v) {
  if (f.empty()) return false;
  auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  return ec == std::errc() && p == f.data() + f.size();
}

/// Position of each of `names` in the header line `header` (fields `head`): an InputError
/// naming the column for an unknown or repeated one ("unknown column (expected a, b, ...)")
/// and for a missing one.
template <std::size_t N>
std::array<int, N> header_positions(const std::vector<std::string_view>& head,
                                    const std::array<std::string, N>& names,
                                    const std::string& file, int header_line) {
  std::array<int, N> pos;
  pos.fill(-1);
  for (std::size_t k = 0; k < head.size(); ++k) {
    std::size_t c = N;
    for (std::size_t j = 0; j < N; ++j) {
      if (head[k] == names[j]) c = j;
    }
    if (c == N || pos[c] >= 0) {
      std::string expected;
      for (const auto& n : names) expected += (expected.empty() ? "" : ", ") + n;
      ATTENDSIM_INPUT_ERROR(file << ":" << header_line << ": column '" << std::string(head[k])
                                 << "' (" << k + 1 << "): "
                                 << (c == N ? "unknown column (expected " + expected + ")"
                                            : std::string("given twice")));
    }
    pos[c] = static_cast<int>(k);
  }
  for (std::size_t j = 0; j < N; ++j) {
    if (pos[j] < 0)
      ATTENDSIM_INPUT_ERROR(file << ":" << header_line << ": missing column '" << names[j] << "'");
  }
  return pos;
}

/// Fields of data line `l`, which must have `columns` of them (InputError naming the line).
inline std::vector<std::string_view> row_fields(const Line& l, std::size_t columns,
                                                const std::string& file) {
  auto f = fields(l.text);
  if (f.size() != columns)
    ATTENDSIM_INPUT_ERROR(file << ":" << l.number << ": expected " << columns << " columns, got "
                               << f.size());
  return f;
}

}  // namespace attendsim::models::csv
