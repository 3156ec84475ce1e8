// attendsim report: content, language, chart labels, bad folders, and a real browser.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "io/html_report.hpp"
#include "io/svg_chart.hpp"
#include "paths.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using attendsim::models::format_for;
using attendsim::models::Language;

namespace {

/// A small compare run shared by the tests of this file.
const fs::path& results() {
  static const fs::path dir = [] {
    const auto d = testsupport::scratch_dir("report");
    const auto r = testsupport::run_cli(
        "compare '" + (fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "reference.toml").string() +
            "' --draws 4 --replications 2 --threads 2 --quiet --out '" + (d / "res").string() + "'",
        d);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return d / "res";
  }();
  return dir;
}

std::vector<std::string> svgs(const std::string& html) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = html.find("<svg", pos)) != std::string::npos) {
    const auto end = html.find("</svg>", pos);
    out.push_back(html.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

std::vector<std::string> texts(const std::string& svg) {
  std::vector<std::string> out;
  const std::regex re("<(text|title)[^>]*>([^<]*)</(text|title)>");
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), end; it != end; ++it)
    out.push_back((*it)[2].str());
  return out;
}

}  // namespace

TEST(Report, NumbersFormattedForTheLanguage) {
  EXPECT_EQ(format_for(Language::sv, 1234567, 0), "1 234 567");
  EXPECT_EQ(format_for(Language::sv, 2.8, 2), "2,80");
  EXPECT_EQ(format_for(Language::sv, -1234.5, 1), "-1 234,5");
  EXPECT_EQ(format_for(Language::en, 1234567, 0), "1,234,567");
  EXPECT_EQ(format_for(Language::en, 2.8, 2), "2.80");
  EXPECT_EQ(format_for(Language::en, -0.001, 2), "0.00");
}

TEST(Report, EveryChartHasLabelledAxes) {
  for (auto lang : {Language::sv, Language::en}) {
    const auto html = attendsim::models::build_report(results(), lang);
    const auto charts = svgs(html);
    ASSERT_GE(charts.size(), 5u);  // occupancy, ROI, net benefit, payback, equity
    const std::regex x("class=\"x-label\"[^>]*>([^<]+)<"), y("class=\"y-label\"[^>]*>([^<]+)<");
    for (const auto& c : charts) {
      std::smatch m;
      ASSERT_TRUE(std::regex_search(c, m, x)) << c.substr(0, 200);
      EXPECT_FALSE(m[1].str().empty());
      ASSERT_TRUE(std::regex_search(c, m, y)) << c.substr(0, 200);
      // a unit: one of the report's unit words
      const std::set<std::string> units = {
          "elever", "kr per kr",   "miljoner kr", "procent", "procentenheter",
          "pupils", "SEK per SEK", "million SEK", "percent", "percentage points"};
      EXPECT_TRUE(units.count(m[1].str())) << m[1].str();
    }
  }
}

TEST(Report, SwedishChartsHaveNoEnglishLabel) {
  const auto html = attendsim::models::build_report(results(), Language::sv);
  // English words the English report uses in its charts (from its rendered labels).
  const std::vector<std::string> english = {"months",  "pupils", "Return",   "SEK", "Net benefit",
                                            "percent", "years",  "baseline", "FTE", "girls",
                                            "boys",    "Share",  "million",  "gap"};
  for (const auto& c : svgs(html)) {
    for (const auto& t : texts(c)) {
      for (const auto& w : english)
        EXPECT_EQ(t.find(w), std::string::npos) << "'" << w << "' in '" << t << "'";
    }
  }
  EXPECT_NE(html.find("lang=\"sv\""), std::string::npos);
  EXPECT_NE(html.find("Rekommendation"), std::string::npos);
  EXPECT_NE(html.find(" kr"), std::string::npos);
  // The English report does use them (the check above has teeth).
  const auto en = attendsim::models::build_report(results(), Language::en);
  EXPECT_NE(en.find("months since start"), std::string::npos);
}

TEST(Report, EveryChartsSeriesHaveDistinctColours) {
  // The series colours: the palette's 8, then more around the hue circle; none repeats.
  std::set<std::string> seen;
  for (std::size_t k = 0; k < 64; ++k) {
    const auto c = attendsim::svg::series_colour(k);
    EXPECT_TRUE(std::regex_match(c, std::regex("#[0-9a-f]{6}"))) << c;
    EXPECT_TRUE(seen.insert(c).second) << "colour " << k << " repeats: " << c;
  }
  // In the report: the lines of a line chart and the clouds of a scatter chart (the legend
  // marks of each series) differ within every chart.
  for (auto lang : {Language::sv, Language::en}) {
    const auto html = attendsim::models::build_report(results(), lang);
    bool scatter = false;
    for (const auto& c : svgs(html)) {
      const std::regex line("<polyline fill=\"none\" stroke=\"(#[0-9a-f]{6})\"");
      const std::regex mark(
          "<circle cx=\"[0-9.]+\" cy=\"[0-9.]+\" r=\"4\" fill=\"(#[0-9a-f]{6})\"");
      for (const auto* re : {&line, &mark}) {
        std::vector<std::string> cols;
        for (std::sregex_iterator it(c.begin(), c.end(), *re), end; it != end; ++it)
          cols.push_back((*it)[1].str());
        scatter = scatter || (re == &mark && !cols.empty());
        const std::set<std::string> distinct(cols.begin(), cols.end());
        EXPECT_EQ(distinct.size(), cols.size()) << c.substr(0, 200);
      }
    }
    EXPECT_TRUE(scatter) << "no cost-effectiveness plane in the report";
  }
}

TEST(Report, SelfContained) {
  const auto html = attendsim::models::build_report(results(), Language::sv);
  EXPECT_EQ(html.find("http://"),
            html.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
}

TEST(Report, CliWritesHtmlAndRejectsIncompleteFolders) {
  const auto dir = testsupport::scratch_dir("report-cli");
  auto r = testsupport::run_cli(
      "report '" + results().string() + "' --lang en --out '" + (dir / "r.html").string() + "'",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "r.html"));
  // missing folder
  r = testsupport::run_cli("report '" + (dir / "nope").string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
  // incomplete folder: no summary.json
  fs::create_directories(dir / "partial");
  fs::copy_file(results() / "run.json", dir / "partial" / "run.json");
  r = testsupport::run_cli(
      "report '" + (dir / "partial").string() + "' --out '" + (dir / "p.html").string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("summary.json"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "p.html"));
  // malformed run.json
  fs::copy_file(results() / "summary.json", dir / "partial" / "summary.json");
  fs::copy_file(results() / "occupancy.csv", dir / "partial" / "occupancy.csv");
  testsupport::write_file(dir / "partial" / "run.json", "{ not json");
  r = testsupport::run_cli(
      "report '" + (dir / "partial").string() + "' --out '" + (dir / "p.html").string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("run.json"), std::string::npos) << r.err;
  // bad language
  r = testsupport::run_cli("report '" + results().string() + "' --lang de", dir);
  EXPECT_EQ(r.exit_code, 2);
  fs::remove_all(dir);
}

TEST(Report, OpensInHeadlessChromiumWithoutConsoleErrors) {
  // Debian's Chromium (installed by scripts/install-deps.sh) loads the report from a file;
  // a screenshot must not be blank (tests/png_nonblank.py decodes it).
  ASSERT_TRUE(fs::exists("/usr/bin/chromium"))
      << "install Debian's chromium (scripts/install-deps.sh)";
  const auto dir = testsupport::scratch_dir("report-chromium");
  const auto html = dir / "report.html";
  testsupport::write_file(html, attendsim::models::build_report(results(), Language::sv));
  const std::string cmd =
      "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic "
      "--no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--enable-logging=stderr --v=0 "
      "--user-data-dir='" +
      (dir / "profile").string() + "' --window-size=1000,2000 --screenshot='" +
      (dir / "shot.png").string() + "' 'file://" + html.string() + "' >'" +
      (dir / "out.txt").string() + "' 2>'" + (dir / "err.txt").string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << testsupport::read_file(dir / "err.txt");
  const auto log = testsupport::read_file(dir / "err.txt");
  EXPECT_EQ(log.find("CONSOLE"), std::string::npos) << log;
  EXPECT_EQ(log.find("Uncaught"), std::string::npos) << log;
  ASSERT_TRUE(fs::exists(dir / "shot.png"));
  const std::string check = "/usr/bin/python3 '" + std::string(ATTENDSIM_SOURCE_DIR) +
                            "/tests/png_nonblank.py' '" + (dir / "shot.png").string() + "'";
  EXPECT_EQ(std::system(check.c_str()), 0);
  fs::remove_all(dir);
}

namespace {
/// The cells (without tags) of the first table row of `html` whose first cell is `label`.
std::vector<std::string> report_row_cells_after(const std::string& html, const std::string& label) {
  std::vector<std::string> cells;
  const auto start = html.find("<tr><td>" + label + "</td>");
  if (start == std::string::npos) return cells;
  const auto end = html.find("</tr>", start);
  const std::string row = html.substr(start, end - start);
  const std::regex cell("<td>([^<]*)</td>");
  for (std::sregex_iterator it(row.begin(), row.end(), cell), e; it != e; ++it)
    cells.push_back((*it)[1].str());
  if (!cells.empty()) cells.erase(cells.begin());  // the label
  return cells;
}
}  // namespace

TEST(Report, CompletionIsADashWhenThePopulationHasNoUpperSecondaryPupils) {
  // A population of grades 0-9 (grade_max = 9: its pupils leave after grade 9) holds no upper
  // secondary pupil, so nobody can complete upper secondary within the horizon: the report's
  // completion row is "–" in every column (it was "0,0 [0,0; 0,0]") with the reason under the
  // table. The reference's grades 0-12 keep a number.
  const auto dir = testsupport::scratch_dir("report-completion-dash");
  auto text =
      testsupport::set_key(testsupport::small_config_text(), "population", "grade_max", "9");
  testsupport::write_file(dir / "f9.toml", text);
  auto r = testsupport::run_cli("run " + testsupport::shell_quoted(dir / "f9.toml") +
                                    " --replications 2 --threads 2 --quiet --out " +
                                    testsupport::shell_quoted(dir / "f9"),
                                dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = testsupport::run_cli("report " + testsupport::shell_quoted(dir / "f9") + " --lang sv --out " +
                               testsupport::shell_quoted(dir / "f9.html"),
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string html = testsupport::read_file(dir / "f9.html");
  EXPECT_EQ(report_row_cells_after(html, "fullföljd gymnasieskola"),
            (std::vector<std::string>{"–", "–"}))
      << html;
  EXPECT_NE(html.find("Fullföljd gymnasieskola –: populationen omfattar inga gymnasieelever"),
            std::string::npos);
  // The appendix of assumptions leaves out the five rows that act only on upper secondary
  // pupils (its three prevalence shares, eligibility at the start, repeated years there; the
  // config cites a source on each) and says so; the rows of the other bands stay.
  const auto appendix = html.substr(html.find("Viktiga antaganden och källor</h2>"));
  for (const char* row : {"andel elever med oroande frånvaro (10–20 %), gymnasiet",
                          "andel elever med hög frånvaro (20–50 %), gymnasiet",
                          "andel elever med mycket hög frånvaro (över 50 %), gymnasiet",
                          "andel behöriga bland dem som börjar gymnasiet",
                          "sannolikhet att gå om ett år i gymnasiet"})
    EXPECT_EQ(appendix.find(row), std::string::npos) << row;
  EXPECT_NE(appendix.find("andel elever med hög frånvaro (20–50 %), årskurs 7–9"),
            std::string::npos);
  EXPECT_NE(appendix.find(" 5 antaganden gäller bara årskurser som populationen inte har"),
            std::string::npos);
  r = testsupport::run_cli("report " + testsupport::shell_quoted(results()) + " --lang sv --out " +
                               testsupport::shell_quoted(dir / "ref.html"),
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  html = testsupport::read_file(dir / "ref.html");
  const std::regex number_with_ci("[0-9 ]+,[0-9] \\[-?[0-9 ]+,[0-9]; [0-9 ]+,[0-9]\\]");
  for (const auto& cell : report_row_cells_after(html, "fullföljd gymnasieskola"))
    EXPECT_TRUE(std::regex_match(cell, number_with_ci)) << cell;
  EXPECT_EQ(html.find("Fullföljd gymnasieskola –"), std::string::npos);
  EXPECT_NE(html.find("andel elever med hög frånvaro (20–50 %), gymnasiet"), std::string::npos);
  EXPECT_EQ(html.find("antaganden gäller bara årskurser"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Report, AWaitWhereNobodyWaitedIsADashNotZero) {
  // The mean wait of an option without coordinators (the baseline; a run of a config without a
  // programme) is not defined: nobody was referred, nobody waited. The report shows "–" there,
  // says why, and keeps a staffed option's wait a number.
  const auto dir = testsupport::scratch_dir("report-wait-dash");
  auto r = testsupport::run_cli("report " + testsupport::shell_quoted(results()) +
                                    " --lang sv --out " + testsupport::shell_quoted(dir / "c.html"),
                                dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string html = testsupport::read_file(dir / "c.html");
  auto cells = report_row_cells_after(html, "genomsnittlig väntetid (månader)");
  ASSERT_EQ(cells.size(), 6U) << html;  // the baseline and the five staffing levels
  EXPECT_EQ(cells[0], "–");             // the baseline (summary.json's first scenario)
  const std::regex number_with_ci("[0-9]+,[0-9] \\[-?[0-9]+,[0-9]; [0-9]+,[0-9]\\]");
  for (std::size_t i = 1; i < cells.size(); ++i)
    EXPECT_TRUE(std::regex_match(cells[i], number_with_ci)) << i << ": " << cells[i];
  EXPECT_NE(html.find("Väntetid –: ingen remitterades till koordinatorerna"), std::string::npos);
  // A run of a config without a programme: both columns "–" (it was "0,0 [0,0; 0,0]").
  testsupport::write_file(
      dir / "none.toml",
      testsupport::set_key(testsupport::small_config_text(), "coordinators", "enabled", "false"));
  r = testsupport::run_cli("run " + testsupport::shell_quoted(dir / "none.toml") +
                               " --replications 2 --threads 2 --quiet --out " +
                               testsupport::shell_quoted(dir / "none"),
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = testsupport::run_cli("report " + testsupport::shell_quoted(dir / "none") +
                               " --lang en --out " + testsupport::shell_quoted(dir / "n.html"),
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  html = testsupport::read_file(dir / "n.html");
  cells = report_row_cells_after(html, "mean wait (months)");
  EXPECT_EQ(cells, (std::vector<std::string>{"–", "–"})) << html;
  EXPECT_NE(html.find("Wait –: nobody was referred to the coordinators"), std::string::npos);
  fs::remove_all(dir);
}
