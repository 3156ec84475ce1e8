/// `attendsim report RESULTS_DIR`: a self-contained HTML effect report.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/cli_checks.hpp"
#include "app/commands.hpp"
#include "io/html_report.hpp"
#include "io/labels.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"

namespace attendsim::app {

namespace {

struct ReportArgs {
  std::string results;
  std::string lang = "sv";
  std::string out;
};

int report_command(const ReportArgs& a) {
  const auto lang = chosen<models::Language>(a.lang);
  const std::string html = models::build_report(a.results, lang);
  const std::filesystem::path out =
      a.out.empty() ? std::filesystem::path(a.results) / ("report_" + a.lang + ".html")
                    : std::filesystem::path(a.out);
  // Never over a results file or a folder: the report is an .html file, and an existing one
  // is replaced only when it is a report itself.
  std::error_code ec;
  const auto ext = out.extension().string();
  if (ext != ".html" && ext != ".htm")
    ATTENDSIM_INPUT_ERROR(out.string() << ": --out must name an .html file");
  if (std::filesystem::exists(std::filesystem::symlink_status(out, ec))) {
    if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(out, ec)))
      ATTENDSIM_INPUT_ERROR(out.string() << ": exists and is not a regular file");
    std::ifstream old(out, std::ios::binary);
    std::string head(15, '\0');
    old.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(old.gcount()));
    if (head != "<!DOCTYPE html>")
      ATTENDSIM_INPUT_ERROR(out.string()
                            << ": exists and is not an attendsim report; not replaced");
  }
  // Write beside the target and rename: never a half-written report.
  const auto tmp = std::filesystem::path(out.string() + ".tmp-" + std::to_string(::getpid()));
  register_temporary(tmp);
  {
    std::ofstream f(tmp, std::ios::binary);
    f << html;
    f.close();
    if (!f) {
      std::filesystem::remove(tmp, ec);
      unregister_temporary(tmp);
      ATTENDSIM_INPUT_ERROR(out.string() << ": cannot write the report");
    }
  }
  std::filesystem::rename(tmp, out, ec);
  if (ec) {
    std::error_code ignore;
    std::filesystem::remove(tmp, ignore);
    unregister_temporary(tmp);
    ATTENDSIM_INPUT_ERROR(out.string() << ": cannot write the report: " << ec.message());
  }
  unregister_temporary(tmp);
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
      ->check(one_of<models::Language>());
  sub->add_option("--out", args->out, "output HTML file (default RESULTS_DIR/report_LANG.html)")
      ->check(output_path());
  sub->callback([args, &action] { action = [args] { return report_command(*args); }; });
}

}  // namespace attendsim::app
