#include "io/funding_reader.hpp"

#include <filesystem>
#include <map>

#include "sim/config.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace fs = std::filesystem;

std::string sek_text(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

namespace {

/// A whole-SEK amount in [0, kMaxFundingSek] at `key` of `t`.
std::int64_t read_sek(config::TableReader& t, const std::string& key) {
  const std::int64_t v = t.integer(key);
  if (v < 0) t.fail(key, "must be >= 0 SEK, got " + std::to_string(v));
  if (v > kMaxFundingSek) {
    t.fail(key, "must be at most " + sek_text(kMaxFundingSek) + " SEK, got " + std::to_string(v));
  }
  return v;
}

/// Why a name printed in the table and written (quoted) into allocation.csv is unfit, or "".
std::string printable_problem(const std::string& s) {
  if (s.size() > 200) return "must be at most 200 bytes long";
  for (const unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return "must not hold control characters (newline, tab, ...)";
  }
  return "";
}

}  // namespace

FundingCase load_funding_case(const std::string& path) {
  return parse_funding_case(config::Document::load(path));
}

FundingCase parse_funding_case(const config::Document& doc) {
  const std::string& path = doc.path();
  config::TableReader root(doc);
  auto funding = root.table("funding");
  FundingCase c;
  c.name = funding.string_or("name", fs::path(path).stem().string());
  c.unit_name = funding.string_or("unit_name", "unit");
  if (c.unit_name.empty()) funding.fail("unit_name", "must not be empty");
  if (const auto bad = printable_problem(c.name); !bad.empty() && funding.has("name"))
    funding.fail("name", bad);
  if (const auto bad = printable_problem(c.unit_name); !bad.empty()) funding.fail("unit_name", bad);
  c.rule.budget_sek = read_sek(funding, "budget_sek");
  c.rule.cap_per_unit_sek = read_sek(funding, "cap_per_unit_sek");
  c.rule.threshold_sek =
      funding.has("remainder_threshold_sek") ? read_sek(funding, "remainder_threshold_sek") : 0;
  funding.finish();

  auto applicants = root.tables("applicant");
  if (applicants.empty()) {
    root.fail("applicant", "at least one [[applicant]] table is required");
  }
  std::map<std::string, std::size_t> first_index;
  std::int64_t total_units = 0;
  std::int64_t base_total = 0;
  for (std::size_t i = 0; i < applicants.size(); ++i) {
    auto& a = applicants[i];
    FundingRequest r;
    r.name = a.string("name");
    if (r.name.empty()) a.fail("name", "must not be empty");
    if (const auto bad = printable_problem(r.name); !bad.empty()) a.fail("name", bad);
    if (r.name == "total")  // allocation.csv's last row: an applicant of that name is ambiguous
      a.fail("name", "'total' is the name of allocation.csv's total row; give another name");
    const auto [it, inserted] = first_index.emplace(r.name, i);
    if (!inserted) {
      a.fail("name", "duplicate applicant name '" + r.name + "' (also applicant[" +
                         std::to_string(it->second) + "].name)");
    }
    r.units = a.integer("units");
    if (r.units < 1) {
      a.fail("units",
             "must be >= 1 (number of " + c.unit_name + "s), got " + std::to_string(r.units));
    }
    if (r.units > kMaxFundingUnits || total_units + r.units > kMaxFundingUnits) {
      a.fail("units",
             "the applicants' units must sum to at most " + std::to_string(kMaxFundingUnits));
    }
    total_units += r.units;
    r.requested_sek = read_sek(a, "requested_sek");
    a.finish();
    base_total += base_allocation_sek(c.rule, r);
    c.requests.push_back(std::move(r));
  }
  root.finish();
  if (base_total > c.rule.budget_sek) {
    funding.fail("budget_sek", "the requests capped at cap_per_unit_sek x units sum to " +
                                   sek_text(base_total) + " SEK, more than the budget of " +
                                   sek_text(c.rule.budget_sek) +
                                   " SEK (the rule needs budget >= sum of min(request, cap))");
  }
  return c;
}

}  // namespace attendsim::models
