/// `attendsim allocate FUNDING.toml [--out DIR]`: shares a budget across applicants by the
/// per-unit cap and remainder rule of analysis/funding_allocation.hpp (Stockholm 2014, S4).
///
/// The FUNDING.toml schema (configs/stockholm_2014_funding.toml is the worked example):
///   [funding]      name (string, optional), unit_name (string, optional, default "unit"),
///                  budget_sek, cap_per_unit_sek (integers >= 0, required),
///                  remainder_threshold_sek (integer >= 0, optional, default 0)
///   [[applicant]]  name (non-empty, unique), units (integer >= 1), requested_sek (integer >= 0)
/// Every input problem is an InputError naming file, line and key, raised before anything is
/// written. With --out DIR the command writes DIR/allocation.csv through a temporary file in
/// DIR and a rename; DIR is created when missing (and removed again if the write fails). Other
/// files in DIR are left alone: unlike a run's output folder, DIR is not replaced as a whole.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "analysis/funding_allocation.hpp"
#include "app/commands.hpp"
#include "io/funding_reader.hpp"
#include "io/funding_writer.hpp"
#include "sim/output.hpp"

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
  if (!args.out.empty())
    write_file_atomically(args.out, "allocation.csv", models::allocation_csv(a));
  models::print_funding_table(std::cout, c, a);
  if (!args.out.empty()) {
    std::cout << "wrote " << (fs::path(args.out) / "allocation.csv").string() << "\n";
  }
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
                  "folder for allocation.csv (created when missing; other files are kept)");
  sub->footer(
      "Rule (Stockholm 2014, analysis/funding_allocation.hpp): each applicant gets its request up\n"
      "to cap_per_unit_sek x units; the rest of budget_sek is shared per unit among applicants\n"
      "that asked for more than remainder_threshold_sek above their cap, never beyond their\n"
      "request (what they cannot take is shared again); whole SEK by largest remainder.");
  sub->callback([args, &action] { action = [args] { return allocate_command(*args); }; });
}

}  // namespace attendsim::app
