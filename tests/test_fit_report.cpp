// attendsim report with calibration output: the fit section (observed beside simulated
// occupancy with intervals, goodness of fit, effective sample size), in Swedish without
// English words, a calibration folder alone, targets, and bad fit files.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "io/html_report.hpp"
#include "sim/error.hpp"
#include "tests/support.hpp"

namespace fs = std::filesystem;
using attendsim::models::build_report;
using attendsim::models::Language;
using testsupport::set_key;

namespace {

/// synth-register -> calibrate --register DIR -> run calibrated.toml --out DIR (the run adds
/// its files to the calibration's folder).
const fs::path& calibrated_results() {
  static const fs::path dir = [] {
    const auto d = testsupport::scratch_dir("fit-report");
    std::string t = testsupport::reference_config_text();
    t = set_key(t, "population", "pupils", "1500");
    t = set_key(t, "simulation", "horizon_years", "2");
    testsupport::write_file(d / "truth.toml", t);
    auto r = testsupport::run_cli("synth-register '" + (d / "truth.toml").string() +
                                      "' --pupils 1500 --months 20 --seed 3 --out '" +
                                      (d / "reg.csv").string() + "'",
                                  d);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = testsupport::run_cli("calibrate '" + (d / "truth.toml").string() + "' --register '" +
                                 (d / "reg.csv").string() + "' --out '" + (d / "res").string() +
                                 "' --fit-draws 8 --threads 2 --quiet",
                             d);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // The calibration alone reports too, before the run.
    EXPECT_NO_THROW((void)build_report(d / "res", Language::sv));
    r = testsupport::run_cli("run '" + (d / "res" / "calibrated.toml").string() +
                                 "' --replications 2 --threads 2 --quiet --out '" +
                                 (d / "res").string() + "'",
                             d);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return d / "res";
  }();
  return dir;
}

std::string fit_part(const std::string& html) {
  const auto a = html.find("<h2>Anpassning till kommunens data</h2>");
  const auto b = a == std::string::npos ? a : html.find("<h2>", a + 4);
  return a == std::string::npos ? "" : html.substr(a, b - a);
}

/// The words a reader sees: tags, entities and code spans removed.
std::string visible_words(std::string s) {
  s = std::regex_replace(s, std::regex("<code>[^<]*</code>"), " ");
  s = std::regex_replace(s, std::regex("<(style|defs)[^>]*>[\\s\\S]*?</(style|defs)>"), " ");
  s = std::regex_replace(s, std::regex("<[^>]*>"), " ");
  return s;
}

const std::vector<std::string> kEnglish = {
    "months",   "pupils",   "Return",   "SEK",       "Net benefit", "percent",
    "years",    "baseline", "FTE",      "girls",     "boys",        "Share",
    "million",  "gap",      "observed", "simulated", "grade",       "transitions",
    "sample",   "Goodness", "fit",      "absence",   "target",      "calibrat",
    "expected", "share",    "high",     "extensive", "residual",    "seconds"};

}  // namespace

TEST(FitReport, RegisterFitBesideTheRunInBothLanguages) {
  const auto sv = build_report(calibrated_results(), Language::sv);
  const auto part = fit_part(sv);
  ASSERT_FALSE(part.empty());
  // One chart per grade band with observed and simulated series and a band (interval).
  std::size_t charts = 0;
  for (auto p = part.find("<svg"); p != std::string::npos; p = part.find("<svg", p + 1)) ++charts;
  EXPECT_EQ(charts, 3U);
  EXPECT_NE(part.find("observerat, hög frånvaro"), std::string::npos);
  EXPECT_NE(part.find("simulerat, omfattande frånvaro"), std::string::npos);
  EXPECT_NE(part.find("Hur väl modellen stämmer"), std::string::npos);
  EXPECT_NE(part.find("95 %-intervallet"), std::string::npos);
  const auto words = visible_words(part);
  for (const auto& w : kEnglish)
    EXPECT_EQ(words.find(w), std::string::npos) << "'" << w << "' in the Swedish fit section";
  // The whole Swedish report's charts stay free of English too (the report test's list).
  const auto en = build_report(calibrated_results(), Language::en);
  EXPECT_NE(en.find("Fit to the municipality's data"), std::string::npos);
  EXPECT_NE(en.find("observed, high absence"), std::string::npos);
  EXPECT_NE(en.find("Goodness of fit"), std::string::npos);
  // The coverage shown is the one of fit.json (read back independently of the report code).
  const auto fit = testsupport::read_file(calibrated_results() / "fit.json");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(fit, m, std::regex("\"coverage_95\": ([0-9.eE+-]+)")));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100.0 * std::stod(m[1].str()));
  EXPECT_NE(en.find(buf), std::string::npos) << buf;
}

TEST(FitReport, CalibrationFolderAloneAndTargets) {
  const auto dir = testsupport::scratch_dir("fit-report-targets");
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "simulation", "horizon_years", "2");
  t = set_key(t, "population", "pupils", "600");
  testsupport::write_file(dir / "c.toml", t);
  testsupport::write_file(dir / "t.csv",
                          "target,band,gender,period,value,se\n"
                          "prevalence_high_or_extensive,grade7_9,all,Y1,0.12,0.02\n"
                          "long_term_absent_share,all,girls,Y2-autumn,0.03,0.01\n");
  auto r = testsupport::run_cli("calibrate '" + (dir / "c.toml").string() + "' --targets '" +
                                    (dir / "t.csv").string() +
                                    "' --params population.prevalence.grade7_9.high "
                                    "--prior-draws 12 --posterior-draws 4 --threads 2 --quiet "
                                    "--out '" +
                                    (dir / "cal").string() + "'",
                                dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = testsupport::run_cli("report '" + (dir / "cal").string() + "' --lang sv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sv = testsupport::read_file(dir / "cal" / "report_sv.html");
  EXPECT_NE(sv.find("Kalibreringsrapport"), std::string::npos);
  EXPECT_NE(sv.find("Effektiv urvalsstorlek"), std::string::npos);
  EXPECT_NE(sv.find("andel elever med minst en månad omfattande frånvaro, alla årskurser, "
                    "flickor, hösttermin läsår 2"),
            std::string::npos);
  EXPECT_NE(sv.find("<code>population.prevalence.grade7_9.high</code>"), std::string::npos);
  const auto words = visible_words(sv);
  for (const auto& w : kEnglish)
    EXPECT_EQ(words.find(w), std::string::npos) << "'" << w << "' in the Swedish fit report";
  const auto en = build_report(dir / "cal", Language::en);
  EXPECT_NE(en.find("Effective sample size"), std::string::npos);
  EXPECT_NE(en.find("share of pupil-months with high or extensive absence, grades 7-9"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(FitReport, BadFitFilesExitTwoNamingFileLineAndColumn) {
  const auto dir = testsupport::scratch_dir("fit-report-bad");
  fs::copy(calibrated_results(), dir / "res", fs::copy_options::recursive);
  const auto csv = testsupport::read_file(dir / "res" / "fit.csv");
  // Line 3 of fit.csv: its observed share made a word.
  const auto l2 = csv.find('\n', csv.find('\n') + 1);
  const auto l3 = csv.find('\n', l2 + 1);
  std::string line = csv.substr(l2 + 1, l3 - l2 - 1);
  std::vector<std::string> f;
  for (std::size_t s = 0, k = 0; k <= line.size(); ++k) {
    if (k == line.size() || line[k] == ',') {
      f.push_back(line.substr(s, k - s));
      s = k + 1;
    }
  }
  f[3] = "lots";
  std::string bad_line;
  for (std::size_t k = 0; k < f.size(); ++k) bad_line += (k ? "," : "") + f[k];
  testsupport::write_file(dir / "res" / "fit.csv",
                          csv.substr(0, l2 + 1) + bad_line + csv.substr(l3));
  auto r = testsupport::run_cli(
      "report '" + (dir / "res").string() + "' --out '" + (dir / "r.html").string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fit.csv:3: column 'observed_share'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "r.html"));
  // An unknown method in fit.json.
  testsupport::write_file(dir / "res" / "fit.csv", csv);
  auto fit = testsupport::read_file(dir / "res" / "fit.json");
  fit.replace(fit.find("\"register\""), 10, "\"magic\"");
  testsupport::write_file(dir / "res" / "fit.json", fit);
  r = testsupport::run_cli(
      "report '" + (dir / "res").string() + "' --out '" + (dir / "r.html").string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fit.json: key 'method'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "r.html"));
  // A goodness-of-fit figure removed from fit.json was shown as a dash (exit 0).
  testsupport::write_file(dir / "res" / "fit.json",
                          std::regex_replace(fit, std::regex("\"magic\""), "\"register\""));
  fit = testsupport::read_file(dir / "res" / "fit.json");
  ASSERT_NE(fit.find("\"rmse_share\""), std::string::npos);
  testsupport::write_file(dir / "res" / "fit.json",
                          std::regex_replace(fit, std::regex("\"rmse_share\""), "\"rmse_x\""));
  r = testsupport::run_cli(
      "report '" + (dir / "res").string() + "' --out '" + (dir / "r.html").string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fit.json: key 'fit.rmse_share' missing"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "r.html"));
  // Line 3 of fit.csv keeps its observed share but loses its simulated mean (the chart was
  // drawn without it), then the line is given twice.
  testsupport::write_file(dir / "res" / "fit.json", fit);
  std::vector<std::string> g;  // line 3's fields, unchanged
  for (std::size_t s = 0, k = 0; k <= line.size(); ++k) {
    if (k == line.size() || line[k] == ',') {
      g.push_back(line.substr(s, k - s));
      s = k + 1;
    }
  }
  ASSERT_NE(g[3], "");
  f = g;
  f[5] = "";  // year_month, band, state, observed_share, observed_pupils, simulated_mean
  bad_line.clear();
  for (std::size_t k = 0; k < f.size(); ++k) bad_line += (k ? "," : "") + f[k];
  testsupport::write_file(dir / "res" / "fit.csv",
                          csv.substr(0, l2 + 1) + bad_line + csv.substr(l3));
  r = testsupport::run_cli(
      "report '" + (dir / "res").string() + "' --out '" + (dir / "r.html").string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fit.csv:3: column 'simulated_mean'"), std::string::npos) << r.err;
  testsupport::write_file(dir / "res" / "fit.csv", csv.substr(0, l3 + 1) + line + csv.substr(l3));
  r = testsupport::run_cli(
      "report '" + (dir / "res").string() + "' --out '" + (dir / "r.html").string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fit.csv:4: band"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("given twice"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "r.html"));
  fs::remove_all(dir);
}
