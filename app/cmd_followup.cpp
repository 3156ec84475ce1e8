/// `attendsim followup RESULTS_DIR OBSERVED.csv`: observed outcomes beside the forecast
/// interval of summary.json, metric by metric; writes RESULTS_DIR/followup.csv.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "io/commands.hpp"

namespace attendsim::app {

void add_followup_command(CLI::App& root, Action& action) {
  struct Args {
    std::string results;
    std::string observed;
    models::FollowupOptions opt;
  };
  auto args = std::make_shared<Args>();
  auto* sub = root.add_subcommand(
      "followup",
      "Set observed outcomes beside the forecast interval (p2.5-p97.5 of summary.json), metric "
      "by metric, flagging those outside; writes RESULTS_DIR/followup.csv");
  sub->add_option("RESULTS_DIR", args->results, "folder written by run or compare")->required();
  sub->add_option("OBSERVED", args->observed, "CSV: metric,value (and optionally scenario)")
      ->required();
  sub->add_option("--scenario", args->opt.scenario,
                  "scenario the observed values belong to (default: the only one besides the "
                  "baseline)");
  sub->add_flag("--quiet", args->opt.quiet, "no table on stdout");
  sub->callback([args, &action] {
    action = [args] {
      models::followup_command(args->results, args->observed, args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
