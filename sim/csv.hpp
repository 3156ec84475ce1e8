#pragma once
/// CSV text as attendsim writes and reads it (RFC 4180): a field holding a comma, a double
/// quote, CR or LF is quoted, with quotes doubled. One writer and one reader for every file.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attendsim::csv {

/// `s` as one CSV field: unchanged when plain, else quoted.
std::string field(std::string_view s);

/// Cells joined by commas (each through field()) and a newline.
std::string row(const std::vector<std::string>& cells);

/// One parsed record with the 1-based line it starts on.
struct Record {
  int line = 0;
  std::vector<std::string> cells;
};

/// Parses CSV text (LF or CRLF line ends, quoted fields). Blank lines are skipped. Throws
/// InputError "PATH:LINE: ..." on an unterminated quote or text after a closing quote.
std::vector<Record> parse(std::string_view text, const std::string& path);

}  // namespace attendsim::csv
