/// `attendsim followup RESULTS_DIR OBSERVED.csv`: observed outcomes beside the forecast
/// interval of summary.json, metric by metric; writes RESULTS_DIR/followup.csv.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "io/followup_io.hpp"
#include "sim/output.hpp"

namespace attendsim::app {

namespace {

struct FollowupArgs {
  std::string results;
  std::string observed;
  std::string scenario;
  bool quiet = false;
};

int followup_command(const FollowupArgs& a) {
  const auto rows = models::read_followup(a.results, a.observed, a.scenario);
  OutputDir dir(a.results);  // adds followup.csv to the results folder
  dir.write("followup.csv", models::followup_csv(rows));
  dir.commit();
  int outside = 0;
  for (const auto& r : rows) outside += r.outside ? 1 : 0;
  if (!a.quiet) {
    std::printf("%-24s %-36s %14s %14s %14s  %s\n", "scenario", "metric", "observed",
                "forecast p2.5", "p97.5", "");
    for (const auto& r : rows) {
      std::printf(
          "%-24s %-36s %14.6g %14.6g %14.6g  %s\n", r.scenario.c_str(), r.metric.c_str(),
          r.observed, r.forecast.p2_5, r.forecast.p97_5,
          r.outside ? (r.excess_widths > 0 ? "OUTSIDE (above)" : "OUTSIDE (below)") : "inside");
    }
    std::printf("%d of %zu observed values outside their 95 %% forecast interval; written to %s\n",
                outside, rows.size(), (std::filesystem::path(a.results) / "followup.csv").c_str());
  }
  return 0;
}

}  // namespace

void add_followup_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<FollowupArgs>();
  auto* sub = root.add_subcommand(
      "followup",
      "Set observed outcomes beside the forecast interval (p2.5-p97.5 of summary.json), metric "
      "by metric, flagging those outside; writes RESULTS_DIR/followup.csv");
  sub->add_option("RESULTS_DIR", args->results, "folder written by run or compare")->required();
  sub->add_option("OBSERVED", args->observed, "CSV: metric,value (and optionally scenario)")
      ->required();
  sub->add_option("--scenario", args->scenario,
                  "scenario the observed values belong to (default: the only one besides the "
                  "baseline)");
  sub->add_flag("--quiet", args->quiet, "no table on stdout");
  sub->callback([args, &action] { action = [args] { return followup_command(*args); }; });
}

}  // namespace attendsim::app
