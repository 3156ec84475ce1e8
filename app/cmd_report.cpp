/// `attendsim report RESULTS_DIR`: a self-contained HTML effect report.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "io/html_report.hpp"
#include "sim/error.hpp"

namespace attendsim::app {

namespace {

struct ReportArgs {
  std::string results;
  std::string lang = "sv";
  std::string out;
};

int report_command(const ReportArgs& a) {
  const auto lang = a.lang == "en" ? models::Language::en : models::Language::sv;
  const std::string html = models::build_report(a.results, lang);
  const std::filesystem::path out =
      a.out.empty() ? std::filesystem::path(a.results) / ("report_" + a.lang + ".html")
                    : std::filesystem::path(a.out);
  // Write beside the target and rename: never a half-written report.
  const auto tmp = std::filesystem::path(out.string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream f(tmp, std::ios::binary);
    f << html;
    f.close();
    if (!f) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      ATTENDSIM_INPUT_ERROR(out.string() << ": cannot write the report");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) ATTENDSIM_INPUT_ERROR(out.string() << ": cannot write the report: " << ec.message());
  std::cout << "report: " << out.string() << "\n";
  return 0;
}

}  // namespace

void add_report_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ReportArgs>();
  auto* sub = root.add_subcommand(
      "report", "A self-contained HTML effect report (Swedish or English) from a results folder");
  sub->add_option("RESULTS_DIR", args->results, "folder written by run, compare or sensitivity")
      ->required();
  sub->add_option("--lang", args->lang, "language of the report: sv or en (default sv)")
      ->check(CLI::IsMember({"sv", "en"}));
  sub->add_option("--out", args->out, "output HTML file (default RESULTS_DIR/report_LANG.html)");
  sub->callback([args, &action] { action = [args] { return report_command(*args); }; });
}

}  // namespace attendsim::app
