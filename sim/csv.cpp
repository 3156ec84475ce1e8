#include "sim/csv.hpp"

#include "sim/error.hpp"

namespace attendsim::csv {

std::string field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string row(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += field(cells[i]);
  }
  return out + "\n";
}

std::vector<Record> parse(std::string_view text, const std::string& path) {
  std::vector<Record> out;
  int line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    Record r;
    r.line = line;
    std::string cell;
    bool any = false;  // anything on this record (a blank line is skipped)
    for (;;) {
      if (i < n && text[i] == '"') {
        any = true;
        const int start_line = line;
        ++i;
        for (;;) {
          if (i >= n)
            ATTENDSIM_INPUT_ERROR(path << ":" << start_line << ": quoted field is never closed");
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          cell += text[i++];
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          ATTENDSIM_INPUT_ERROR(path << ":" << line << ": text after a closing quote");
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"')
            ATTENDSIM_INPUT_ERROR(path << ":" << line << ": a quote inside an unquoted field");
          cell += text[i++];
          any = true;
        }
      }
      r.cells.push_back(std::move(cell));
      cell.clear();
      if (i < n && text[i] == ',') {
        any = true;
        ++i;
        continue;
      }
      break;
    }
    if (i < n && text[i] == '\r') ++i;
    if (i < n && text[i] == '\n') {
      ++i;
      ++line;
    } else if (i < n) {
      ATTENDSIM_INPUT_ERROR(path << ":" << line << ": a carriage return inside an unquoted field");
    }
    if (any) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace attendsim::csv
