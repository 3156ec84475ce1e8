/// `attendsim report RESULTS_DIR`: a self-contained HTML effect report.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "io/commands.hpp"
#include "io/labels.hpp"

namespace attendsim::app {

void add_report_command(CLI::App& root, Action& action) {
  struct Args {
    std::string results;
    models::ReportOptions opt;
  };
  auto args = std::make_shared<Args>();
  auto* sub = root.add_subcommand(
      "report", "A self-contained HTML effect report (Swedish or English) from a results folder");
  sub->add_option("RESULTS_DIR", args->results, "folder written by run, compare or sensitivity")
      ->required();
  sub->add_option("--lang", args->opt.lang, "language of the report: sv or en (default sv)")
      ->check(one_of<models::Language>());
  sub->add_option("--out", args->opt.out, "output HTML file (default RESULTS_DIR/report_LANG.html)")
      ->check(output_path());
  sub->callback([args, &action] {
    action = [args] {
      models::report_command(args->results, args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
