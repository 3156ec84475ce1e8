// Hostile input and faults (issue 15), through the CLI: every case ends in exit 0 with a
// correct result or exit 2 with a message naming file (line) and key, never a crash, a hang,
// "internal error" or a half-written folder. Each test is a regression test of a failure
// found by hand or by the fuzzers (fuzz/).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "paths.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using testsupport::read_file;
using testsupport::run_cli;
using testsupport::shell_quoted;
using testsupport::write_file;

namespace {

/// The hidden temporary or old folders an output folder may leave in `dir`.
std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto n = e.path().filename().string();
    if (n.find("attendsim-tmp-") != std::string::npos ||
        n.find("attendsim-old-") != std::string::npos || n.find(".tmp-") != std::string::npos)
      out.push_back(n);
  }
  return out;
}

void expect_clean_error(const testsupport::CliResult& r, const std::string& file,
                        const std::string& also = "") {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(file), std::string::npos) << "file not named: " << r.err;
  if (!also.empty()) {
    EXPECT_NE(r.err.find(also), std::string::npos) << r.err;
  }
}

/// A small results folder of `run` (1000 pupils, 3 years, 2 replications), made once.
const fs::path& run_folder() {
  static const fs::path dir = [] {
    const fs::path d = testsupport::scratch_dir("hostile-base");
    const auto cfg = testsupport::small_reference_config(d);
    const auto r = run_cli(
        "run " + cfg + " --replications 2 --seed 3 --quiet --out " + shell_quoted(d / "res"), d);
    if (r.exit_code != 0) throw std::runtime_error("base run failed: " + r.err);
    return d / "res";
  }();
  return dir;
}

/// A copy of the base results folder to damage.
fs::path results_copy(const std::string& name) {
  const fs::path d = testsupport::scratch_dir("hostile-" + name);
  fs::copy(run_folder(), d / "res", fs::copy_options::recursive);
  return d;
}

}  // namespace

// ---- report: crashes on its own input --------------------------------------------------

TEST(Hostile, ReportSurvivesA30000CharacterConfigLine) {
  // std::regex recursed once per character and overflowed the stack (SIGSEGV).
  const fs::path d = results_copy("longline");
  write_file(d / "res" / "config.toml", read_file(d / "res" / "config.toml") + "# " +
                                            std::string(30000, 'x') + "\n" + "long = \"" +
                                            std::string(30000, 'y') + "\"  # assumption\n");
  const auto r = run_cli("report " + shell_quoted(d / "res") + " --lang en", d);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(d / "res" / "report_en.html"));
  fs::remove_all(d);
}

TEST(Hostile, ReportOnSummaryWithEmptyMetricIsNoCrash) {
  const fs::path d = results_copy("emptyroi");
  write_file(d / "res" / "summary.json", R"({"scenarios":{"baseline":{"roi":{}}}})");
  // occupancy.csv keeps the baseline's rows only, as the summary names no other scenario.
  std::istringstream occ(read_file(d / "res" / "occupancy.csv"));
  std::string kept, line;
  while (std::getline(occ, line)) {
    if (kept.empty() || line.rfind("baseline,", 0) == 0) kept += line + "\n";
  }
  write_file(d / "res" / "occupancy.csv", kept);
  const auto r = run_cli("report " + shell_quoted(d / "res"), d);
  EXPECT_EQ(r.exit_code, 0) << r.err;  // an empty metric is shown as "–"
  EXPECT_NE(read_file(d / "res" / "report_sv.html").find("–"), std::string::npos);
  fs::remove_all(d);
}

TEST(Hostile, ReportOnEmptyComparisonIsNoCrash) {
  const fs::path d = results_copy("emptycmp");
  write_file(d / "res" / "comparison.json", "{}");
  const auto r = run_cli("report " + shell_quoted(d / "res"), d);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  fs::remove_all(d);
}

TEST(Hostile, ReportNamesFileAndKeyOfAWrongType) {
  const fs::path d = results_copy("wrongtype");
  write_file(d / "res" / "summary.json",
             R"({"scenarios":{"baseline":{"roi":{"mean":"high","ci_low":0,"ci_high":1}}}})");
  expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "summary.json",
                     "scenarios.baseline.roi.mean");
  write_file(d / "res" / "summary.json", R"({"scenarios":{"baseline":[1,2]}})");
  expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "summary.json",
                     "scenarios.baseline");
  write_file(d / "res" / "summary.json", "[]");
  expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "summary.json");
  fs::copy(run_folder() / "summary.json", d / "res" / "summary.json",
           fs::copy_options::overwrite_existing);
  write_file(d / "res" / "comparison.json", R"({"roi_target":"x"})");
  expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "comparison.json",
                     "roi_target");
  write_file(d / "res" / "comparison.json",
             R"({"scenarios":{"a":{"payback_share_by_year":[0.1,"x"]}}})");
  expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "comparison.json",
                     "payback_share_by_year[1]");
  fs::remove(d / "res" / "comparison.json");
  write_file(d / "res" / "run.json",
             R"({"version":1,"config_hash":"x","seed":1,"replications":2})");
  expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "run.json", "version");
  fs::remove_all(d);
}

TEST(Hostile, ReportNamesLineAndColumnOfABadCsvCell) {
  const fs::path d = results_copy("badcsv");
  std::string occ = read_file(d / "res" / "occupancy.csv");
  const auto nl = occ.find('\n');
  const auto second = occ.find('\n', nl + 1);
  // Line 2: its month cell becomes text.
  auto cells = attendsim::csv::parse(occ.substr(nl + 1, second - nl), "x").front().cells;
  cells[1] = "twelve";
  occ = occ.substr(0, nl + 1) + attendsim::csv::row(cells) + occ.substr(second + 1);
  write_file(d / "res" / "occupancy.csv", occ);
  expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "occupancy.csv:2", "'month'");
  write_file(d / "res" / "occupancy.csv", "scenario,month\n\"open quote,1\n");
  expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "occupancy.csv");
  fs::remove_all(d);
}

TEST(Hostile, ReportRefusesTamperedOccupancyRows) {
  // Each row of occupancy.csv written by run is a known scenario, a state, a month from 1 and
  // counts of pupils; a row changed to anything else is refused naming line and column (it was
  // drawn in part, or shown as dashes, with exit 0).
  const fs::path d = results_copy("tamperocc");
  const std::string good = read_file(d / "res" / "occupancy.csv");
  const auto nl = good.find('\n');
  const auto second = good.find('\n', nl + 1);
  const auto row2 = attendsim::csv::parse(good.substr(nl + 1, second - nl), "x").front().cells;
  struct Case {
    std::size_t cell;
    std::string value, column;
  };
  for (const Case& c :
       {Case{0, "nosuch", "'scenario'"}, Case{2, "absent", "'state'"}, Case{1, "0", "'month'"},
        Case{3, "-5", "'mean'"}, Case{3, "nan", "'mean'"}, Case{4, "inf", "'p2_5'"},
        Case{5, "", "'p97_5'"}, Case{4, "1e9", "'p2_5'"}}) {
    auto cells = row2;
    cells[c.cell] = c.value;
    write_file(d / "res" / "occupancy.csv",
               good.substr(0, nl + 1) + attendsim::csv::row(cells) + good.substr(second + 1));
    expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "occupancy.csv:2",
                       c.column);
  }
  // A row given twice (line 3 repeats line 2).
  write_file(
      d / "res" / "occupancy.csv",
      good.substr(0, second + 1) + good.substr(nl + 1, second - nl) + good.substr(second + 1));
  expect_clean_error(run_cli("report " + shell_quoted(d / "res"), d), "occupancy.csv:3",
                     "given twice");
  // The untouched file still makes a report.
  write_file(d / "res" / "occupancy.csv", good);
  EXPECT_EQ(run_cli("report " + shell_quoted(d / "res"), d).exit_code, 0);
  fs::remove_all(d);
}

TEST(Hostile, MoreThreadsThanCoresRunWithoutAWarning) {
  // --threads above the cores printed oneTBB's "The number of workers is currently limited"
  // on stderr; the threads asked for now run (oversubscribed), with the same bytes.
  const fs::path d = testsupport::scratch_dir("hostile-threads");
  const auto cfg = testsupport::small_reference_config(d);
  const std::string many = std::to_string(std::max(2U, std::thread::hardware_concurrency()) * 4);
  const auto a = run_cli("run " + cfg + " --replications 8 --seed 3 --quiet --threads " + many +
                             " --out " + shell_quoted(d / "a"),
                         d);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.err, "");
  const auto b = run_cli("run " + cfg + " --replications 8 --seed 3 --quiet --threads 1 --out " +
                             shell_quoted(d / "b"),
                         d);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(read_file(d / "a" / "summary.json"), read_file(d / "b" / "summary.json"));
  EXPECT_EQ(read_file(d / "a" / "occupancy.csv"), read_file(d / "b" / "occupancy.csv"));
  fs::remove_all(d);
}

TEST(Hostile, ReportReadsCrlfConfigAndTheRealDescription) {
  const fs::path d = results_copy("crlf");
  std::string cfg = read_file(d / "res" / "config.toml");
  // A commented-out description before the real one must not be shown.
  cfg = "# description = \"OLD TEXT\"\n" + cfg;
  std::string crlf;
  for (char c : cfg) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  write_file(d / "res" / "config.toml", crlf);
  const auto r = run_cli("report " + shell_quoted(d / "res") + " --lang en", d);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_file(d / "res" / "report_en.html");
  EXPECT_EQ(html.find("OLD TEXT"), std::string::npos);
  EXPECT_NE(html.find("Mid-sized Swedish municipality"), std::string::npos);
  // The assumptions table has rows (reference.toml cites sources: "# ...; S9"), the key in
  // words in English as in Swedish.
  EXPECT_NE(html.find("<td>school's own measures before referral (months)</td>"),
            std::string::npos);
  EXPECT_EQ(html.find("<td>detection.school_action_months</td>"), std::string::npos);
  fs::remove_all(d);
}

TEST(Hostile, ReportOutNeverOverwritesAResultsFile) {
  const fs::path d = results_copy("reportout");
  const std::string before = read_file(d / "res" / "summary.json");
  expect_clean_error(run_cli("report " + shell_quoted(d / "res") + " --out " +
                                 shell_quoted(d / "res" / "summary.json"),
                             d),
                     "summary.json", ".html");
  write_file(d / "res" / "notes.html", "my own notes\n");
  expect_clean_error(run_cli("report " + shell_quoted(d / "res") + " --out " +
                                 shell_quoted(d / "res" / "notes.html"),
                             d),
                     "notes.html", "not an attendsim report");
  EXPECT_EQ(read_file(d / "res" / "summary.json"), before);
  EXPECT_EQ(read_file(d / "res" / "notes.html"), "my own notes\n");
  // A report is replaced by a report.
  EXPECT_EQ(run_cli("report " + shell_quoted(d / "res") + " --out " + shell_quoted(d / "r.html"), d)
                .exit_code,
            0);
  EXPECT_EQ(run_cli("report " + shell_quoted(d / "res") + " --out " + shell_quoted(d / "r.html"), d)
                .exit_code,
            0);
  EXPECT_TRUE(leftovers(d).empty());
  fs::remove_all(d);
}

// ---- TOML nesting: stack overflow inside the TOML library -------------------------------

TEST(Hostile, DeepDottedKeyIsRefusedByEveryReader) {
  const fs::path d = testsupport::scratch_dir("hostile-deep");
  std::string key = "a";
  for (int i = 0; i < 50000; ++i) key += ".a";
  write_file(d / "c.toml", testsupport::small_config_text() + key + " = 1\n");
  const auto lines = [&] {
    int n = 1;
    for (char c : testsupport::small_config_text()) n += c == '\n';
    return n;
  }();
  for (const std::string cmd : {"run", "calc", "allocate"}) {
    SCOPED_TRACE(cmd);
    expect_clean_error(
        run_cli(cmd + " " + shell_quoted(d / "c.toml") + " --out " + shell_quoted(d / "out"), d),
        (d / "c.toml").string() + ":" + std::to_string(lines), "dotted key");
    EXPECT_FALSE(fs::exists(d / "out"));
  }
  write_file(d / "c.toml", "x = " + std::string(100000, '[') + "\n");
  expect_clean_error(run_cli("run " + shell_quoted(d / "c.toml"), d), "c.toml:1", "nest");
  write_file(d / "c.toml", "x = " + std::string(100000, '{') + "\n");
  expect_clean_error(run_cli("allocate " + shell_quoted(d / "c.toml"), d), "c.toml:1", "nest");
  fs::remove_all(d);
}

TEST(Hostile, OnlyRegularFilesOfLimitedSizeAreRead) {
  const fs::path d = testsupport::scratch_dir("hostile-devzero");
  expect_clean_error(run_cli("run /dev/zero", d), "/dev/zero", "not a regular file");
  expect_clean_error(run_cli("allocate /dev/zero", d), "/dev/zero", "not a regular file");
  write_file(d / "big.toml", std::string(9 << 20, '#'));
  expect_clean_error(run_cli("run " + shell_quoted(d / "big.toml"), d), "big.toml", "MiB");
  // Every other reader goes through the same bounded read: a device never reaches a parser.
  write_file(d / "c.toml", testsupport::small_config_text());
  const std::string cfg = shell_quoted(d / "c.toml");
  expect_clean_error(
      run_cli("calibrate " + cfg + " --register /dev/zero --out " + shell_quoted(d / "o"), d),
      "/dev/zero", "not a regular file");
  expect_clean_error(
      run_cli("calibrate " + cfg + " --targets /dev/zero --out " + shell_quoted(d / "o"), d),
      "/dev/zero", "not a regular file");
  expect_clean_error(run_cli("sensitivity " + cfg + " --method psa --draws-from /dev/zero --out " +
                                 shell_quoted(d / "o"),
                             d),
                     "/dev/zero", "not a regular file");
  EXPECT_FALSE(fs::exists(d / "o"));
  fs::remove_all(d);
}

// ---- outputs ------------------------------------------------------------------------------

TEST(Hostile, AnotherConfigsFolderIsRefusedUnlessAllowed) {
  const fs::path d = results_copy("otherconfig");
  write_file(d / "b.toml", testsupport::set_key(testsupport::small_config_text(), "detection",
                                                "p_consent", "0.5"));
  const std::string before = read_file(d / "res" / "summary.json");
  const std::string args =
      shell_quoted(d / "b.toml") + " --replications 2 --quiet --out " + shell_quoted(d / "res");
  expect_clean_error(run_cli("run " + args, d), "res", "another config");
  expect_clean_error(run_cli("sensitivity " + args + " --method oneway", d), "res",
                     "another config");
  EXPECT_EQ(read_file(d / "res" / "summary.json"), before);
  EXPECT_EQ(run_cli("run " + args + " --allow-other-config", d).exit_code, 0);
  EXPECT_NE(read_file(d / "res" / "summary.json"), before);
  EXPECT_TRUE(leftovers(d).empty());
  fs::remove_all(d);
}

TEST(Hostile, ANewRunLeavesNoStaleFileOfAnEarlierOne) {
  const fs::path d = testsupport::scratch_dir("hostile-stale");
  const auto cfg = testsupport::small_reference_config(d);
  const std::string args = cfg + " --replications 2 --quiet --out " + shell_quoted(d / "res");
  ASSERT_EQ(run_cli("run " + args + " --write-draws --seed 1", d).exit_code, 0);
  ASSERT_TRUE(fs::exists(d / "res" / "draws.csv"));
  write_file(d / "res" / "my_notes.txt", "kept\n");  // not an attendsim file: carried over
  ASSERT_EQ(run_cli("run " + args + " --seed 2", d).exit_code, 0);
  EXPECT_FALSE(fs::exists(d / "res" / "draws.csv")) << "draws.csv of the seed-1 run left behind";
  EXPECT_EQ(read_file(d / "res" / "my_notes.txt"), "kept\n");
  EXPECT_NE(read_file(d / "res" / "run.json").find("\"seed\": 2"), std::string::npos);
  EXPECT_TRUE(leftovers(d).empty());
  fs::remove_all(d);
}

TEST(Hostile, AFolderOfOtherFilesIsNeverReplaced) {
  const fs::path d = testsupport::scratch_dir("hostile-notresults");
  const auto cfg = testsupport::small_reference_config(d);
  fs::create_directory(d / "docs");
  write_file(d / "docs" / "thesis.txt", "years of work\n");
  expect_clean_error(
      run_cli("run " + cfg + " --replications 1 --quiet --out " + shell_quoted(d / "docs"), d),
      "docs", "not an attendsim results folder");
  EXPECT_EQ(read_file(d / "docs" / "thesis.txt"), "years of work\n");
  fs::remove_all(d);
}

TEST(Hostile, TwoRunsInTheSameSecondGetTwoFolders) {
  const fs::path d = testsupport::scratch_dir("hostile-collide");
  const auto cfg = testsupport::small_reference_config(d);
  const std::string one = std::string("'") + ATTENDSIM_BINARY + "' run " + cfg +
                          " --replications 1 --quiet --threads 1";
  const std::string cmd =
      "cd " + shell_quoted(d) + " && (" + one + " & " + one + " & " + one + " & wait)";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  int folders = 0;
  for (const auto& e : fs::directory_iterator(d / "results")) {
    folders += fs::exists(e.path() / "summary.json") ? 1 : 0;
  }
  EXPECT_EQ(folders, 3);
  EXPECT_TRUE(leftovers(d / "results").empty());
  fs::remove_all(d);
}

TEST(Hostile, StaleTemporaryFoldersOfDeadProcessesAreRemoved) {
  const fs::path d = testsupport::scratch_dir("hostile-staletmp");
  const auto cfg = testsupport::small_reference_config(d);
  // A PID that is not running (PIDs above /proc/sys/kernel/pid_max never are).
  const std::string dead = ".res.attendsim-tmp-" + std::to_string(4194304 + 7) + "-0";
  const std::string alive = ".res.attendsim-tmp-" + std::to_string(::getpid()) + "-0";
  fs::create_directories(d / dead);
  write_file(d / dead / "summary.json", "half\n");
  fs::create_directories(d / alive);
  ASSERT_EQ(run_cli("run " + cfg + " --replications 1 --quiet --out " + shell_quoted(d / "res"), d)
                .exit_code,
            0);
  EXPECT_FALSE(fs::exists(d / dead));
  EXPECT_TRUE(fs::exists(d / alive)) << "a running process's folder must be kept";
  fs::remove_all(d);
}

namespace {

/// Starts `attendsim run` in the background, waits until its temporary folder is there,
/// sends `sig` and returns how it ended. The run is long (20 000 replications of the small
/// config, about 12 s at 0.6 ms each on one thread), so that the signal 200 ms after the
/// folder appears finds it running on a fast or a quiet machine.
int kill_mid_run(const fs::path& d, const std::string& cfg, int sig) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string out = (d / "out").string();
    ::execl(ATTENDSIM_BINARY, ATTENDSIM_BINARY, "run", cfg.c_str(), "--out", out.c_str(), "--quiet",
            "--threads", "1", "--replications", "20000", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  bool seen = false;
  for (int i = 0; i < 600 && !seen; ++i) {  // up to 30 s for the config to be read
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    seen = !leftovers(d).empty();
  }
  EXPECT_TRUE(seen) << "no temporary folder appeared";
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

}  // namespace

TEST(Hostile, ARunKilledMidWayLeavesNothing) {
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
    SCOPED_TRACE(sig);
    const fs::path d = testsupport::scratch_dir("hostile-signal");
    const auto cfg = testsupport::small_reference_config(d);
    const int status = kill_mid_run(d, cfg.substr(1, cfg.size() - 2), sig);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << "status " << status;
    EXPECT_FALSE(fs::exists(d / "out")) << "--out folder appeared";
    EXPECT_TRUE(leftovers(d).empty()) << "temporary folder left: " << leftovers(d).front();
    fs::remove_all(d);
  }
}

// ---- input validation ------------------------------------------------------------------

namespace {

void expect_config_error(const std::string& name, const std::string& text, const std::string& key,
                         const std::string& cmd = "run") {
  SCOPED_TRACE(name);
  const fs::path d = testsupport::scratch_dir("hostile-cfg-" + name);
  write_file(d / "c.toml", text);
  const std::string quiet = cmd == "calc" ? "" : " --quiet";  // calc prints no progress
  const auto r = run_cli(
      cmd + " " + shell_quoted(d / "c.toml") + quiet + " --out " + shell_quoted(d / "out"), d);
  expect_clean_error(r, (d / "c.toml").string() + ":", "'" + key);
  EXPECT_FALSE(fs::exists(d / "out"));
  EXPECT_TRUE(leftovers(d).empty());
  fs::remove_all(d);
}

std::string with_compare(const std::string& scenario_body) {
  return testsupport::small_config_text() +
         "\n[compare]\nstaffing_levels_fte = [2]\n[[compare.scenario]]\n" + scenario_body +
         "\n[[compare.scenario.staffing]]\nfrom_month = 0\nfte = 3.0\n";
}

}  // namespace

TEST(Hostile, UnknownKeyInComparedScenarioIsAnError) {
  expect_config_error("cmp-unknown",
                      with_compare("name = \"x3\"\nallocation_polcy = \"severity_first\""),
                      "compare.scenario[0].allocation_polcy", "compare");
}

TEST(Hostile, ScenarioNamesThatBreakFilesAreRefused) {
  expect_config_error("name-comma", with_compare("name = \"a,b\""), "compare.scenario[0].name",
                      "compare");
  expect_config_error("name-newline", with_compare("name = \"a\\nb\""), "compare.scenario[0].name",
                      "compare");
  expect_config_error("name-quote", with_compare("name = 'say \"hi\"'"), "compare.scenario[0].name",
                      "compare");
  expect_config_error("scenario-name",
                      testsupport::set_key(testsupport::small_config_text(), "coordinators",
                                           "scenario_name", "\"x\\ty\""),
                      "coordinators.scenario_name");
}

TEST(Hostile, IntegersAreRangeCheckedNotCut) {
  // 4294967297 = 2^32 + 1 ran 1 replication when cut to 32 bits.
  expect_config_error("reps-2^32+1",
                      testsupport::set_key(testsupport::small_config_text(), "simulation",
                                           "replications", "4294967297"),
                      "simulation.replications");
  expect_config_error(
      "draws-huge",
      testsupport::set_key(testsupport::small_config_text(), "simulation", "draws", "4294967296"),
      "simulation.draws");
  expect_config_error("grade-huge",
                      testsupport::set_key(testsupport::small_config_text(), "population",
                                           "grade_max", "4294967300"),
                      "population.grade_max");
}

TEST(Hostile, MonthCountsMustBeWhole) {
  expect_config_error("close-0.4",
                      testsupport::set_key(testsupport::small_config_text(), "coordinators",
                                           "close_after_regular_months", "0.4"),
                      "coordinators.close_after_regular_months");
  expect_config_error("maxcase-2.5",
                      testsupport::set_key(testsupport::small_config_text(), "coordinators",
                                           "max_case_months", "2.5"),
                      "coordinators.max_case_months");
  expect_config_error("action-1e300",
                      testsupport::set_key(testsupport::small_config_text(), "detection",
                                           "school_action_months", "1e300"),
                      "detection.school_action_months");
}

TEST(Hostile, HugeValuesThatOverflowCostsAreRefused) {
  expect_config_error("cost-1e300",
                      testsupport::set_key(testsupport::small_config_text(), "economics",
                                           "cost_per_fte_year_sek", "1e300"),
                      "economics.cost_per_fte_year_sek");
  expect_config_error(
      "cost-dist-1e300",
      testsupport::set_key(testsupport::small_config_text(), "economics", "cost_repeated_year_sek",
                           "{ dist = \"uniform\", low = 0, high = 1e300 }"),
      "economics.cost_repeated_year_sek");
}

TEST(Hostile, HugePlanValuesAreRefused) {
  // calc printed a 309-digit cost and ROI inf with exit 0.
  std::string t =
      testsupport::read_file(fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "uppsala_2018.toml");
  t = testsupport::set_key(t, "plan", "cost_of_effort_sek", "1e308");
  expect_config_error("plan-1e308", t, "plan.cost_of_effort_sek", "calc");
}

TEST(Hostile, DistributionsWhereSamplersDoNotConvergeAreRefusedQuickly) {
  const auto start = std::chrono::steady_clock::now();
  expect_config_error(
      "beta-1e50",
      testsupport::set_key(testsupport::small_config_text(), "economics",
                           "longterm_loss_public_share", "{ dist = \"beta\", a = 1e50, b = 1e50 }"),
      "economics.longterm_loss_public_share");
  expect_config_error("lognormal-sigma",
                      testsupport::set_key(testsupport::small_config_text(), "economics",
                                           "cost_placement_per_day_sek",
                                           "{ dist = \"lognormal\", mu = 8, sigma = 1e10 }"),
                      "economics.cost_placement_per_day_sek");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 60);
}

TEST(Hostile, MemoryIsEstimatedBeforeAllocatingAndOptionsAreRangeChecked) {
  const fs::path d = testsupport::scratch_dir("hostile-memory");
  const auto cfg = testsupport::small_reference_config(d);
  auto r = run_cli("sensitivity " + cfg + " --method sobol --sobol-n 100000000 --quiet --out " +
                       shell_quoted(d / "out"),
                   d);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--max-memory-gib"), std::string::npos) << r.err;
  r = run_cli("run " + cfg + " --draws 1000 --replications 1000000 --quiet --out " +
                  shell_quoted(d / "out"),
              d);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--max-memory-gib"), std::string::npos) << r.err;
  // Beyond the option's own range: refused with a readable range, not DBL_MAX's 309 digits.
  r = run_cli("run " + cfg + " --replications 4294967297 --quiet --out " + shell_quoted(d / "out"),
              d);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("between 1 and 1000000"), std::string::npos) << r.err;
  r = run_cli("compare " + cfg + " --roi-target -1 --quiet --out " + shell_quoted(d / "out"), d);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find("17976931348623157"), std::string::npos) << r.err;
  r = run_cli("compare " + cfg + " --confidence nan --quiet --out " + shell_quoted(d / "out"), d);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run_cli("run " + cfg + " --threads 100000 --quiet --out " + shell_quoted(d / "out"), d);
  EXPECT_EQ(r.exit_code, 2) << r.err;  // crashed in TBB (SIGSEGV)
  EXPECT_FALSE(fs::exists(d / "out"));
  fs::remove_all(d);
}

TEST(Hostile, ApplicantNamesAreQuotedOrRefused) {
  const fs::path d = testsupport::scratch_dir("hostile-applicant");
  const std::string head =
      "[funding]\nbudget_sek = 1000\ncap_per_unit_sek = 100\n"
      "[[applicant]]\nname = \"Skola A, norr\"\nunits = 2\nrequested_sek = 300\n"
      "[[applicant]]\nname = \"Skola \\\"B\\\"\"\nunits = 1\nrequested_sek = 50\n";
  write_file(d / "f.toml", head);
  const auto r =
      run_cli("allocate " + shell_quoted(d / "f.toml") + " --out " + shell_quoted(d / "out"), d);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows =
      attendsim::csv::parse(read_file(d / "out" / "allocation.csv"), "allocation.csv");
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[1].cells[0], "Skola A, norr");
  EXPECT_EQ(rows[2].cells[0], "Skola \"B\"");
  EXPECT_EQ(rows[1].cells.size(), 4U);
  write_file(d / "g.toml",
             head + "[[applicant]]\nname = \"C\\nD\"\nunits = 1\nrequested_sek = 1\n");
  expect_clean_error(run_cli("allocate " + shell_quoted(d / "g.toml"), d),
                     "g.toml:", "applicant[2].name");
  fs::remove_all(d);
}

TEST(Csv, QuotesWhatNeedsItAndReadsItBack) {
  using attendsim::csv::field;
  EXPECT_EQ(field("plain"), "plain");
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("say \"x\""), "\"say \"\"x\"\"\"");
  const auto rows = attendsim::csv::parse("h1,h2\r\n\"a,\nb\",\"\"\"\"\n\nx,\n", "t.csv");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"a,\nb", "\""}));
  EXPECT_EQ(rows[2].line, 5);
  EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"x", ""}));
  EXPECT_THROW(attendsim::csv::parse("\"never closed\n", "t.csv"), attendsim::InputError);
  EXPECT_THROW(attendsim::csv::parse("\"a\"b\n", "t.csv"), attendsim::InputError);
}

TEST(Hostile, FormerInternalErrorsAreInputErrors) {
  const fs::path d = testsupport::scratch_dir("hostile-internal");
  const auto cfg = testsupport::small_reference_config(d);
  const std::string out = " --quiet --out " + shell_quoted(d / "out");
  for (const std::string& args :
       {"sensitivity " + cfg + " --target-se roi=0.1 --batch 50 --max-replications 10" + out,
        "sensitivity " + cfg +
            " --method twoway --params detection.p_consent,detection.p_consent --grid 2" + out,
        "sensitivity " + cfg + " --method oneway --params detection.p_consent" + out}) {
    SCOPED_TRACE(args);
    const auto r = run_cli(args, d);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(d / "out"));
  fs::remove_all(d);
  // A payback share of 1e308 overflowed the chart to "line chart has no data" (exit 1).
  const fs::path e = results_copy("payback");
  write_file(e / "res" / "comparison.json",
             R"({"scenarios":{"a":{"payback_share_by_year":[1e308,-1e308]}}})");
  expect_clean_error(run_cli("report " + shell_quoted(e / "res"), e), "comparison.json",
                     "payback_share_by_year[0]");
  fs::remove_all(e);
}

// ---- names and labels wherever written ---------------------------------------------------

TEST(Hostile, ScenarioLabelsAreOneLineOfBoundedLength) {
  const std::string both = "label_en = \"E\"\n";
  expect_config_error("label-newline", with_compare("name = \"x3\"\nlabel_sv = \"a\\nb\"\n" + both),
                      "compare.scenario[0].label_sv", "compare");
  expect_config_error("label-tab",
                      with_compare("name = \"x3\"\nlabel_sv = \"S\"\nlabel_en = \"a\\tb\""),
                      "compare.scenario[0].label_en", "compare");
  expect_config_error(
      "label-long",
      with_compare("name = \"x3\"\nlabel_sv = \"" + std::string(201, 'a') + "\"\n" + both),
      "compare.scenario[0].label_sv", "compare");
}

/// Count of the '|' that are not escaped as "\|" in a Markdown line.
int table_bars(const std::string& line) {
  int n = 0;
  for (std::size_t i = 0; i < line.size(); ++i)
    n += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
  return n;
}

TEST(Hostile, NamesWithMarkupDoNotBreakDecisionMdOrTheReport) {
  const fs::path d = testsupport::scratch_dir("hostile-markup");
  write_file(
      d / "c.toml",
      with_compare("name = \"x<b>&\"\nlabel_sv = \"Plan | B <i>\"\nlabel_en = \"Plan | B <i>\""));
  const auto r = run_cli("compare " + shell_quoted(d / "c.toml") +
                             " --replications 2 --quiet --out " + shell_quoted(d / "out"),
                         d);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string md = read_file(d / "out" / "decision.md");
  // '|' escaped for the table and markup as entities: decision.md passed "<i>" through as
  // inline HTML (a Markdown viewer renders it).
  ASSERT_NE(md.find("Plan \\| B &lt;i&gt;"), std::string::npos) << md;
  EXPECT_EQ(md.find("<i>"), std::string::npos);
  EXPECT_EQ(md.find("x<b>"), std::string::npos);
  // Every table row has as many cell borders as its table's header.
  std::istringstream is(md);
  std::string line;
  int header = -1, rows = 0;
  while (std::getline(is, line)) {
    if (line.rfind("|", 0) != 0) {
      header = -1;
      continue;
    }
    if (header < 0) {
      header = table_bars(line);
      continue;
    }
    EXPECT_EQ(table_bars(line), header) << line;
    ++rows;
  }
  EXPECT_GT(rows, 0);
  const auto rep =
      run_cli("report " + shell_quoted(d / "out") + " --out " + shell_quoted(d / "r.html"), d);
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  const std::string html = read_file(d / "r.html");
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("x<b>"), std::string::npos);
  EXPECT_NE(html.find("Plan | B &lt;i&gt;"), std::string::npos);
  fs::remove_all(d);
}

// ---- allocate --out: one folder, whole or not at all --------------------------------------

TEST(Hostile, AllocateOutIsOneFolderAndAFailedWriteLeavesNothing) {
  const fs::path d = testsupport::scratch_dir("hostile-alloc-out");
  std::string toml = "[funding]\nbudget_sek = 1000000\ncap_per_unit_sek = 1000\n";
  for (int i = 0; i < 200; ++i)
    toml += "[[applicant]]\nname = \"Skola nummer " + std::to_string(i) +
            "\"\nunits = 3\nrequested_sek = 2500\n";
  write_file(d / "f.toml", toml);
  write_file(d / "small.toml",
             "[funding]\nbudget_sek = 10\ncap_per_unit_sek = 1\n[[applicant]]\nname = "
             "\"A\"\nunits = 1\nrequested_sek = 5\n");
  auto r = run_cli(
      "allocate " + shell_quoted(d / "small.toml") + " --out " + shell_quoted(d / "out"), d);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string old_csv = read_file(d / "out" / "allocation.csv");
  const std::string old_json = read_file(d / "out" / "allocate.json");
  // A folder of other files is never taken over.
  fs::create_directories(d / "mine");
  write_file(d / "mine" / "notes.txt", "x");
  expect_clean_error(
      run_cli("allocate " + shell_quoted(d / "f.toml") + " --out " + shell_quoted(d / "mine"), d),
      "mine", "not an attendsim results folder");
  EXPECT_EQ(read_file(d / "mine" / "notes.txt"), "x");
  // Writes that fail half-way (file size limit of 1 or 2 KiB: allocate.json fits, the
  // 200-row allocation.csv does not): into an existing folder and into a new one.
  for (const std::string out : {"out", "new"}) {
    SCOPED_TRACE(out);
    const std::string cmd = "sh -c " +
                            shell_quoted("trap \"\" XFSZ; ulimit -f 2; exec \"$0\" \"$@\"") + " '" +
                            ATTENDSIM_BINARY + "' allocate " + shell_quoted(d / "f.toml") +
                            " --out " + shell_quoted(d / out);
    const std::string so = (d / "so.txt").string(), se = (d / "se.txt").string();
    const int status = std::system(
        (cmd + " >" + shell_quoted(so) + " 2>" + shell_quoted(se) + " </dev/null").c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2) << read_file(se);
    EXPECT_NE(read_file(se).find("cannot write output file"), std::string::npos) << read_file(se);
    EXPECT_TRUE(leftovers(d).empty());
  }
  EXPECT_FALSE(fs::exists(d / "new"));
  EXPECT_EQ(read_file(d / "out" / "allocation.csv"), old_csv);
  EXPECT_EQ(read_file(d / "out" / "allocate.json"), old_json);
  // Without the limit the same command replaces the folder whole.
  r = run_cli("allocate " + shell_quoted(d / "f.toml") + " --out " + shell_quoted(d / "out"), d);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(d / "out" / "allocation.csv").find("Skola nummer 199"), std::string::npos);
  fs::remove_all(d);
}

// ---- former internal errors and silent results of --draws-from and followup ----------------

TEST(Hostile, DrawsFromIsForPsaOnlyAndNeedsTwoRows) {
  const fs::path d = testsupport::scratch_dir("hostile-draws-from");
  const auto cfg = testsupport::small_reference_config(d);
  write_file(d / "one.csv", "draw,detection.p_consent\n0,0.5\n");
  const std::string out = " --replications 2 --quiet --out " + shell_quoted(d / "out");
  // One row: psa raised its draws to 100 against 1 parameter set, "internal error".
  expect_clean_error(run_cli("sensitivity " + cfg + " --method psa --draws-from " +
                                 shell_quoted(d / "one.csv") + out,
                             d),
                     "one.csv", "at least 2 draws");
  // voi (and the other methods) ignored the file without a word.
  expect_clean_error(run_cli("sensitivity " + cfg + " --method voi --draws-from " +
                                 shell_quoted(d / "one.csv") + out,
                             d),
                     "one.csv", "psa only");
  EXPECT_FALSE(fs::exists(d / "out"));
  EXPECT_TRUE(leftovers(d).empty());
  fs::remove_all(d);
}

TEST(Hostile, FollowupRefusesIntervalsItCannotCompareAndWritesItsHeader) {
  const fs::path e = results_copy("followup");
  const fs::path res = e / "res";
  write_file(e / "obs.csv", "metric,value\nsustained_returns,0.5\n");
  auto r =
      run_cli("followup " + shell_quoted(res) + " " + shell_quoted(e / "obs.csv") + " --quiet", e);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The header names every column of the rows (unit was missing: 8 names, 9 cells).
  const auto rows = attendsim::csv::parse(read_file(res / "followup.csv"), "followup.csv");
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].cells.size(), rows[1].cells.size());
  EXPECT_EQ(rows[0].cells[2], "unit");
  for (const std::string interval :
       {R"({"mean":1,"p2_5":3,"p97_5":2})", R"({"mean":0,"p2_5":-1e308,"p97_5":1e308})"}) {
    SCOPED_TRACE(interval);
    write_file(res / "summary.json",
               R"({"scenarios":{"baseline":{},"x":{"sustained_returns":)" + interval + "}}}");
    r = run_cli("followup " + shell_quoted(res) + " " + shell_quoted(e / "obs.csv") + " --quiet",
                e);
    expect_clean_error(r, "summary.json", "scenarios.x.sustained_returns");
  }
  write_file(
      res / "summary.json",
      R"({"scenarios":{"x":{"sustained_returns":{"mean":0,"p2_5":-1.7e308,"p97_5":-1e308}}}})");
  write_file(e / "obs.csv", "metric,value\nsustained_returns,1.7e308\n");
  expect_clean_error(
      run_cli("followup " + shell_quoted(res) + " " + shell_quoted(e / "obs.csv") + " --quiet", e),
      "obs.csv:2", "'value'");
  fs::remove_all(e);
}
