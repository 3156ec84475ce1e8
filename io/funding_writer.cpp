#include "io/funding_writer.hpp"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "sim/csv.hpp"

namespace attendsim::models {

namespace {

/// Display width of UTF-8 text (code points; the names are Swedish, no wide glyphs).
std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (const unsigned char ch : s) {
    if ((ch & 0xC0U) != 0x80U) ++w;
  }
  return w;
}

std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

}  // namespace

void print_funding_table(std::ostream& os, const FundingCase& c, const FundingAllocation& a) {
  const std::string units_header = c.unit_name + "s";
  os << c.name << "\n"
     << "budget " << sek_text(c.rule.budget_sek) << " SEK; cap "
     << sek_text(c.rule.cap_per_unit_sek) << " SEK per " << c.unit_name << "; remainder shared per "
     << c.unit_name << " among applicants more than " << sek_text(c.rule.threshold_sek)
     << " SEK above their cap\n\n";

  std::vector<std::vector<std::string>> rows;
  rows.push_back({"applicant", units_header, "requested SEK", "allocated SEK"});
  for (const auto& s : a.applicants) {
    std::string label = s.name;
    if (s.eligible_for_remainder) label += s.reached_request ? " *+" : " *";
    rows.push_back(
        {label, std::to_string(s.units), sek_text(s.requested_sek), sek_text(s.allocated_sek)});
  }
  rows.push_back({"total", std::to_string(a.total_units), sek_text(a.requested_total_sek),
                  sek_text(a.allocated_total_sek)});
  std::vector<std::size_t> width(4, 0);
  for (const auto& r : rows) {
    for (std::size_t k = 0; k < 4; ++k) width[k] = std::max(width[k], display_width(r[k]));
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i + 1 == rows.size()) {
      os << std::string(width[0] + width[1] + width[2] + width[3] + 6, '-') << "\n";
    }
    const auto& r = rows[i];
    os << pad_right(r[0], width[0]) << "  " << pad_left(r[1], width[1]) << "  "
       << pad_left(r[2], width[2]) << "  " << pad_left(r[3], width[3]) << "\n";
  }

  std::size_t eligible = 0;
  bool any_reached = false;
  for (const auto& s : a.applicants) {
    eligible += s.eligible_for_remainder ? 1 : 0;
    any_reached = any_reached || s.reached_request;
  }
  os << "\nremainder after the capped requests: " << sek_text(a.remainder_sek) << " SEK";
  if (eligible > 0) {
    os << ", shared per " << c.unit_name << " among the " << eligible << " applicant(s) marked * ("
       << a.eligible_units << " " << units_header << ")";
  } else {
    os << "; no applicant asked for more than " << sek_text(c.rule.threshold_sek)
       << " SEK above its cap";
  }
  os << "\n";
  if (any_reached) os << "+ received its full request\n";
  os << "unallocated: " << sek_text(a.unallocated_sek) << " SEK";
  if (a.unallocated_sek > 0) os << " (no eligible applicant can take more)";
  os << "\n";
}

std::string allocation_csv(const FundingAllocation& a) {
  std::ostringstream os;
  os << "applicant,units,requested_sek,allocated_sek\n";
  for (const auto& s : a.applicants) {
    os << attendsim::csv::field(s.name) << "," << s.units << "," << s.requested_sek << ","
       << s.allocated_sek << "\n";
  }
  os << "total," << a.total_units << "," << a.requested_total_sek << "," << a.allocated_total_sek
     << "\n";
  return os.str();
}

}  // namespace attendsim::models
