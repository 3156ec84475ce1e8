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

#include "support.hpp"

namespace fs = std::filesystem;
using testsupport::read_file;
using testsupport::run_cli;
using testsupport::write_file;

namespace {

std::string q(const fs::path& p) {
  return "'" + p.string() + "'";
}

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

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string small_text() {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "1000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "3");
  t = testsupport::set_key(t, "simulation", "replications", "2");
  return t;
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
  const std::string base = "calibrate " + q(d / "c.toml") + " --quiet --out " + q(d / "out");
  const std::string tgt = base + " --targets " + q(d / "t.csv");
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
  expect_refused(run_cli(base + " --register " + q(d / "reg.csv") +
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
  const std::string s = "sensitivity " + q(d / "c.toml") + " --quiet --out " + q(d / "out");
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
