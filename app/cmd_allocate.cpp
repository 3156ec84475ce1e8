/// `attendsim allocate FUNDING.toml [--out DIR]`: shares a budget across applicants by the
/// per-unit cap and remainder rule of analysis/funding_allocation.hpp (Stockholm 2014, S4).
///
/// The FUNDING.toml schema (configs/stockholm_2014_funding.toml is the worked example):
///   [funding]      name (string, optional), unit_name (string, optional, default "unit"),
///                  budget_sek, cap_per_unit_sek (integers >= 0, required),
///                  remainder_threshold_sek (integer >= 0, optional, default 0)
///   [[applicant]]  name (non-empty, unique), units (integer >= 1), requested_sek (integer >= 0)
/// Every input problem is an InputError naming file, line and key, raised before anything is
/// written. With --out DIR the command writes DIR/allocation.csv and DIR/allocate.json as one
/// output folder (sim/output.hpp): written in a temporary sibling and renamed or swapped in
/// whole, so a failed write leaves no trace. DIR must be new, empty or an attendsim results
/// folder; the files of a results folder that allocate does not write are kept.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/funding_allocation.hpp"
#include "app/commands.hpp"
#include "io/funding_reader.hpp"
#include "sim/config.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"
#include "sim/version.hpp"

namespace attendsim::app {

namespace {

namespace fs = std::filesystem;
using models::FundingAllocation;
using models::FundingCase;
using models::FundingRequest;
using models::FundingRule;
using models::sek_text;

struct AllocateArgs {
  std::string config;
  std::string out;
};

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

void print_table(std::ostream& os, const FundingCase& c, const FundingAllocation& a) {
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
    os << csv::field(s.name) << "," << s.units << "," << s.requested_sek << "," << s.allocated_sek
       << "\n";
  }
  os << "total," << a.total_units << "," << a.requested_total_sek << "," << a.allocated_total_sek
     << "\n";
  return os.str();
}

int allocate_command(const AllocateArgs& args) {
  const FundingCase c = models::load_funding_case(args.config);
  const FundingAllocation a = models::allocate_funding(c.rule, c.requests);
  fs::path written;
  if (!args.out.empty()) {
    // One folder, whole or not at all (sim/output.hpp): allocate.json marks it as ours, so a
    // later allocate may replace it; a failed write leaves no trace and the old folder intact.
    OutputDir dir(args.out);
    nlohmann::ordered_json j;
    j["command"] = "allocate";
    j["version"] = kVersion;
    j["funding_file"] = args.config;
    j["budget_sek"] = c.rule.budget_sek;
    j["allocated_sek"] = a.allocated_total_sek;
    dir.write("allocate.json", j.dump(2) + "\n");
    dir.write("allocation.csv", allocation_csv(a));
    dir.commit();
    written = dir.final_path() / "allocation.csv";
  }
  print_table(std::cout, c, a);
  if (!written.empty()) std::cout << "wrote " << written.string() << "\n";
  return 0;
}

}  // namespace

void add_allocate_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<AllocateArgs>();
  auto* sub = root.add_subcommand(
      "allocate", "Share a funding budget across applicants: per-unit cap, then the remainder");
  sub->add_option("FUNDING", args->config,
                  "TOML funding file (see configs/stockholm_2014_funding.toml)")
      ->required();
  sub->add_option("--out", args->out,
                  "folder for allocation.csv and allocate.json (new, empty or a results folder; "
                  "written whole or not at all)");
  sub->footer(
      "Rule (Stockholm 2014, analysis/funding_allocation.hpp): each applicant gets its request up\n"
      "to cap_per_unit_sek x units; the rest of budget_sek is shared per unit among applicants\n"
      "that asked for more than remainder_threshold_sek above their cap, never beyond their\n"
      "request (what they cannot take is shared again); whole SEK by largest remainder.");
  sub->callback([args, &action] { action = [args] { return allocate_command(*args); }; });
}

}  // namespace attendsim::app
