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
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/funding_allocation.hpp"
#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "io/funding_reader.hpp"
#include "io/funding_writer.hpp"
#include "sim/output.hpp"
#include "sim/version.hpp"

namespace attendsim::app {

namespace {

namespace fs = std::filesystem;
using models::FundingAllocation;
using models::FundingCase;

struct AllocateArgs {
  std::string config;
  std::string out;
};

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
    j["funding_file"] = fs::path(args.config).filename().string();  // no machine path
    j["budget_sek"] = c.rule.budget_sek;
    j["allocated_sek"] = a.allocated_total_sek;
    dir.write("allocate.json", j.dump(2) + "\n");
    dir.write("allocation.csv", models::allocation_csv(a));
    dir.commit();
    written = dir.final_path() / "allocation.csv";
  }
  models::print_funding_table(std::cout, c, a);
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
                  "written whole or not at all)")
      ->check(output_path());
  sub->footer(
      "Rule (Stockholm 2014, analysis/funding_allocation.hpp): each applicant gets its request up\n"
      "to cap_per_unit_sek x units; the rest of budget_sek is shared per unit among applicants\n"
      "that asked for more than remainder_threshold_sek above their cap, never beyond their\n"
      "request (what they cannot take is shared again); whole SEK by largest remainder.");
  sub->callback([args, &action] { action = [args] { return allocate_command(*args); }; });
}

}  // namespace attendsim::app
