// Hostile input, command by command (issue 15, third session): options a command does not use,
// counts that only grow the run, outputs that would replace what is not the command's own,
// results files with a key given twice. Each test is the regression test of a case that
// ended in exit 0 with wrong or mixed output, a hang, or a replaced file before its fix.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "paths.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using testsupport::read_file;
using testsupport::run_cli;
using testsupport::seconds_since;
using testsupport::shell_quoted;
using testsupport::write_file;

namespace {

/// Exit 2 with a message holding `also`, never "internal error".
void expect_refused(const testsupport::CliResult& r, const std::string& also) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(also), std::string::npos) << r.err;
}

/// Nothing in `dir` but what the test put there: no folder at --out, no temporary folder.
void expect_no_output(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto n = e.path().filename().string();
    EXPECT_NE(n, "out");
    EXPECT_EQ(n.find("attendsim-tmp"), std::string::npos) << n;
    EXPECT_EQ(n.find(".tmp-"), std::string::npos) << n;
  }
}

/// The small reference config at 2 replications.
std::string small_text() {
  return testsupport::set_key(testsupport::small_config_text(), "simulation", "replications", "2");
}

}  // namespace

TEST(HostileCommands, CalibrateOptionsAreCheckedBeforeAnythingRuns) {
  const fs::path d = testsupport::scratch_dir("hc-calibrate");
  write_file(d / "c.toml", small_text());
  write_file(d / "t.csv",
             "target,band,gender,period,value,se\n"
             "prevalence_high_or_extensive,grade7_9,all,Y1,0.12,0.02\n");
  write_file(d / "reg.csv",
             "pupil_id,year_month,grade,gender,absence_percent\nP1,2023-09,3,boy,5.0\n");
  const std::string base =
      "calibrate " + shell_quoted(d / "c.toml") + " --quiet --out " + shell_quoted(d / "out");
  const std::string tgt = base + " --targets " + shell_quoted(d / "t.csv");
  const auto t0 = std::chrono::steady_clock::now();
  // A parameter given twice ran with exit 0 (two posterior columns of one parameter).
  expect_refused(run_cli(tgt + " --params transitions.relapse.mult,transitions.relapse.mult "
                               "--prior-draws 4",
                         d),
                 "'transitions.relapse.mult' given twice");
  // 10 000 000 posterior draws from 2 prior samples ran past 120 s.
  expect_refused(run_cli(tgt + " --params transitions.relapse.mult --prior-draws 2 "
                               "--posterior-draws 1000000",
                         d),
                 "raise --prior-draws");
  // 50 million pupils traced per sample: about 28 GiB per thread, refused before it starts.
  expect_refused(
      run_cli(tgt + " --params transitions.relapse.mult --prior-draws 2 --pupils 50000000", d),
      "--max-memory-gib");
  // Options of the other kind of calibration were ignored without a word.
  expect_refused(run_cli(base + " --register " + shell_quoted(d / "reg.csv") +
                             " --params transitions.relapse.mult --fit-draws 2",
                         d),
                 "--params");
  expect_refused(
      run_cli(tgt + " --params transitions.relapse.mult --prior-draws 4 --fit-draws 7", d),
      "--fit-draws");
  // A seed beyond 64 bits ran with exit 0 on some other seed.
  expect_refused(run_cli(tgt + " --params transitions.relapse.mult --prior-draws 4 "
                               "--seed 99999999999999999999",
                         d),
                 "--seed");
  EXPECT_LT(seconds_since(t0), 60);
  expect_no_output(d);
  // Without --posterior-draws, the default 200 is cut to the prior samples.
  const auto ok = run_cli(tgt + " --params transitions.relapse.mult --prior-draws 3", d);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(read_file(d / "out" / "fit.json").find("\"posterior_draws\": 3"), std::string::npos);
  fs::remove_all(d);
}

TEST(HostileCommands, SensitivityRefusesOptionsItsMethodDoesNotUse) {
  const fs::path d = testsupport::scratch_dir("hc-sensitivity");
  write_file(d / "c.toml", small_text());
  const std::string s =
      "sensitivity " + shell_quoted(d / "c.toml") + " --quiet --out " + shell_quoted(d / "out");
  // oneway ran with exit 0 and never used --values-per-return -1.
  expect_refused(run_cli(s + " --method oneway --values-per-return -1", d), "--values-per-return");
  expect_refused(run_cli(s + " --method oneway --values-per-return 1000", d), "psa only");
  // psa wrote acceptability rows for nan, for a negative value, for values that overflow the
  // net benefit (1e308: the curve's best scenario was wrong) and for a value given twice.
  for (const std::string v : {"nan", "-1", "inf", "1e308", "1000 1000"}) {
    SCOPED_TRACE(v);
    expect_refused(run_cli(s + " --method psa --draws 3 --values-per-return " + v, d),
                   "--values-per-return");
  }
  // --target-se with --method: the method was ignored; an infinite target is met at once.
  expect_refused(run_cli(s + " --target-se roi=1 --method sobol", d), "--method");
  expect_refused(run_cli(s + " --target-se roi=inf", d), "finite");
  // An explicit --draws 1 was silently raised to 100 (psa) or 200 (voi).
  expect_refused(run_cli(s + " --method psa --draws 1", d), "--draws 1");
  expect_refused(run_cli(s + " --method voi --draws 1", d), "--draws 1");
  // voi valued one parameter twice.
  expect_refused(run_cli(s + " --method voi --draws 10 --params "
                             "transitions.relapse.mult,transitions.relapse.mult",
                         d),
                 "given twice");
  expect_no_output(d);
  fs::remove_all(d);
}

TEST(HostileCommands, SynthRegisterReplacesOnlyARegister) {
  const fs::path d = testsupport::scratch_dir("hc-synth");
  write_file(d / "c.toml", small_text());
  const std::string s =
      "synth-register " + shell_quoted(d / "c.toml") + " --pupils 20 --months 2 --out ";
  // It replaced a results file, a FIFO (and, as root, /dev/null) with the register.
  write_file(d / "summary.json", "{}");
  expect_refused(run_cli(s + shell_quoted(d / "summary.json"), d), ".csv file");
  EXPECT_EQ(read_file(d / "summary.json"), "{}");
  write_file(d / "mine.csv", "a,b\n1,2\n");
  expect_refused(run_cli(s + shell_quoted(d / "mine.csv"), d), "not a register");
  EXPECT_EQ(read_file(d / "mine.csv"), "a,b\n1,2\n");
  ASSERT_EQ(::mkfifo((d / "pipe.csv").c_str(), 0600), 0);
  expect_refused(run_cli(s + shell_quoted(d / "pipe.csv"), d), "not a regular file");
  EXPECT_TRUE(fs::is_fifo(d / "pipe.csv"));
  fs::create_directories(d / "dir.csv");
  expect_refused(run_cli(s + shell_quoted(d / "dir.csv"), d), "not a regular file");
  // A register it wrote before is replaced.
  ASSERT_EQ(run_cli(s + shell_quoted(d / "reg.csv"), d).exit_code, 0);
  const auto again = run_cli("synth-register " + shell_quoted(d / "c.toml") +
                                 " --pupils 30 --months 2 --out " + shell_quoted(d / "reg.csv"),
                             d);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(read_file(d / "reg.csv").find("P0000029"), std::string::npos);
  // 5 000 000 pupils x 1200 months grew without bound; now refused at once: up to 5e9
  // records of at least 27 bytes, beyond the 1 GiB a register file can have.
  const auto t0 = std::chrono::steady_clock::now();
  expect_refused(run_cli("synth-register " + shell_quoted(d / "c.toml") +
                             " --pupils 5000000 --months 1200 --out " + shell_quoted(d / "big.csv"),
                         d),
                 "lower --pupils or --months");
  EXPECT_LT(seconds_since(t0), 20);
  EXPECT_FALSE(fs::exists(d / "big.csv"));
  for (const auto& e : fs::directory_iterator(d))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos);
  fs::remove_all(d);
}

TEST(HostileCommands, DrawsFromRefusesRepeatsAndMoreRowsThanDrawsMayHave) {
  const fs::path d = testsupport::scratch_dir("hc-drawsfrom");
  write_file(d / "c.toml", small_text());
  const std::string r = "run " + shell_quoted(d / "c.toml") + " --quiet --out " +
                        shell_quoted(d / "out") + " --draws-from ";
  // A column given twice ran with the second value silently.
  write_file(d / "col.csv",
             "draw,transitions.relapse.mult,transitions.relapse.mult\n0,1,1.2\n1,1,1.2\n");
  expect_refused(run_cli(r + shell_quoted(d / "col.csv"), d),
                 "col.csv:1: column 'transitions.relapse.mult' (3)");
  write_file(d / "dup.csv", "draw,transitions.relapse.mult\n0,1\n0,1.2\n");
  expect_refused(run_cli(r + shell_quoted(d / "dup.csv"), d),
                 "dup.csv:3: column 'draw' (1): draw 0 given twice");
  write_file(d / "word.csv", "draw,transitions.relapse.mult\nfirst,1\n");
  expect_refused(run_cli(r + shell_quoted(d / "word.csv"), d), "word.csv:2: column 'draw' (1)");
  // More rows than --draws may ask for: refused before a parameter set is allocated.
  std::string big = "draw,transitions.relapse.mult\n";
  for (int i = 0; i <= 1000000; ++i) big += std::to_string(i) + ",1\n";
  write_file(d / "big.csv", big);
  expect_refused(run_cli(r + shell_quoted(d / "big.csv"), d),
                 "1000001 draws, more than the 1000000");
  EXPECT_FALSE(fs::exists(d / "out"));
  fs::remove_all(d);
}

TEST(HostileCommands, CalcChecksItsOutFolderBeforeItSimulates) {
  const fs::path d = testsupport::scratch_dir("hc-calc");
  write_file(d / "c.toml", small_text());
  ASSERT_EQ(
      run_cli("run " + shell_quoted(d / "c.toml") + " --quiet --out " + shell_quoted(d / "res"), d)
          .exit_code,
      0);
  const std::string before = read_file(d / "res" / "run.json");
  const std::string uppsala = (fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "uppsala_2018.toml");
  // calc.json of uppsala went into the run folder of another config, with exit 0.
  const auto r = run_cli(
      "calc " + shell_quoted(uppsala) + " --replications 2 --out " + shell_quoted(d / "res"), d);
  expect_refused(r, "another config");
  EXPECT_TRUE(r.out.empty()) << "printed before it refused: " << r.out;
  EXPECT_FALSE(fs::exists(d / "res" / "calc.json"));
  EXPECT_EQ(read_file(d / "res" / "run.json"), before);
  // --out "" wrote nothing (calc) or a default folder (run), with exit 0.
  expect_refused(run_cli("calc " + shell_quoted(uppsala) + " --replications 2 --out ''", d),
                 "--out");
  expect_refused(run_cli("run " + shell_quoted(d / "c.toml") + " --quiet --out ''", d), "--out");
  EXPECT_FALSE(fs::exists(d / "results"));
  fs::remove_all(d);
}

TEST(HostileCommands, CompareNeedsAScenarioBesidesTheBaseline) {
  const fs::path d = testsupport::scratch_dir("hc-compare-none");
  // It recommended "no coordinators" among the baseline alone, with exit 0.
  write_file(d / "c.toml", small_text() + "\n[compare]\nstaffing_levels_fte = []\n");
  const auto r = run_cli("compare " + shell_quoted(d / "c.toml") + " --draws 1 --quiet --out " +
                             shell_quoted(d / "out"),
                         d);
  expect_refused(r, "c.toml:");
  EXPECT_NE(r.err.find("'compare.staffing_levels_fte'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(d / "out"));
  fs::remove_all(d);
}

TEST(HostileCommands, ThresholdRangeEndsAreBoundedAsConfigValues) {
  const fs::path d = testsupport::scratch_dir("hc-threshold");
  write_file(d / "c.toml", small_text());
  // --range 1,1e300 gave a threshold of 3.5e295 with the interval [-inf, inf], exit 0.
  const auto r =
      run_cli("threshold " + shell_quoted(d / "c.toml") +
                  " --range 1,1e300 --replications 4 --batches 2 --grid 3 --quiet --out " +
                  shell_quoted(d / "out"),
              d);
  expect_refused(r, "at most 1e15");
  EXPECT_FALSE(fs::exists(d / "out"));
  fs::remove_all(d);
}

TEST(HostileCommands, AKeyGivenTwiceInAResultsFileIsAnError) {
  const fs::path d = testsupport::scratch_dir("hc-jsondup");
  write_file(d / "c.toml", small_text());
  ASSERT_EQ(
      run_cli("run " + shell_quoted(d / "c.toml") + " --quiet --out " + shell_quoted(d / "res"), d)
          .exit_code,
      0);
  // nlohmann keeps the last of two equal keys: followup compared with the second interval.
  write_file(d / "res" / "summary.json",
             R"({"scenarios":{"baseline":{},"x":{"sustained_returns":{"mean":1,"p2_5":0,)"
             R"("p97_5":2},"sustained_returns":{"mean":5,"p2_5":4,"p97_5":6}}}})");
  write_file(d / "obs.csv", "metric,value\nsustained_returns,0.5\n");
  expect_refused(run_cli("followup " + shell_quoted(d / "res") + " " + shell_quoted(d / "obs.csv") +
                             " --quiet",
                         d),
                 "key 'scenarios.x.sustained_returns' given twice");
  EXPECT_FALSE(fs::exists(d / "res" / "followup.csv"));
  expect_refused(run_cli("report " + shell_quoted(d / "res"), d), "summary.json: key 'scenarios.x");
  write_file(d / "res" / "summary.json", R"({"a":[{"k":1,"k":2}]})");
  expect_refused(run_cli("report " + shell_quoted(d / "res"), d), "key 'a[].k' given twice");
  fs::remove_all(d);
}

TEST(HostileCommands, AnApplicantCannotBeNamedAsTheTotalRow) {
  const fs::path d = testsupport::scratch_dir("hc-total");
  // allocation.csv had two rows "total", the applicant's and the sum.
  write_file(d / "f.toml",
             "[funding]\nbudget_sek = 1000\ncap_per_unit_sek = 100\n[[applicant]]\nname = "
             "\"total\"\nunits = 1\nrequested_sek = 5\n");
  expect_refused(
      run_cli("allocate " + shell_quoted(d / "f.toml") + " --out " + shell_quoted(d / "out"), d),
      "f.toml:5: key 'applicant[0].name'");
  EXPECT_FALSE(fs::exists(d / "out"));
  fs::remove_all(d);
}

TEST(HostileCommands, ACsvWithAByteOrderMarkIsRead) {
  const fs::path d = testsupport::scratch_dir("hc-bom");
  write_file(d / "c.toml", small_text());
  ASSERT_EQ(
      run_cli("run " + shell_quoted(d / "c.toml") + " --quiet --out " + shell_quoted(d / "res"), d)
          .exit_code,
      0);
  // A spreadsheet's UTF-8 BOM made the header "\xEF\xBB\xBFmetric": "unknown column 'metric'".
  write_file(d / "obs.csv", "\xEF\xBB\xBFmetric,value\r\nsustained_returns,0.5\r\n");
  const auto r = run_cli(
      "followup " + shell_quoted(d / "res") + " " + shell_quoted(d / "obs.csv") + " --quiet", d);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(d / "res" / "followup.csv").find("sustained_returns,pupils,0.5"),
            std::string::npos);
  fs::remove_all(d);
}
