// Runs that would take far too long are refused before they start (issue 15, fourth session):
// every command that simulates describes its run as a WorkEstimate (sim/work_limit.hpp,
// analysis/work_estimate.hpp) and is refused with exit 2, naming --max-hours and the options
// that shrink it, above the limit. Also: followup's observed values within their metric's range,
// --out without control characters, and calibrate --register refusing what it cannot estimate.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "analysis/work_estimate.hpp"
#include "io/config_schema.hpp"
#include "sim/error.hpp"
#include "sim/work_limit.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using attendsim::InputError;
using attendsim::WorkEstimate;
using attendsim::WorkLimits;
using testsupport::read_file;
using testsupport::run_cli;
using testsupport::shell_quoted;
using testsupport::write_file;

namespace {

/// Exit 2 with a message holding each of `also`, never "internal error".
void expect_refused(const testsupport::CliResult& r, std::initializer_list<std::string> also) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  for (const auto& a : also) EXPECT_NE(r.err.find(a), std::string::npos) << a << "\n" << r.err;
}

/// Nothing in `dir` but the files the test wrote: no out folder, no temporary folder.
void expect_only(const fs::path& dir, std::initializer_list<std::string> names) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto n = e.path().filename().string();
    if (n.rfind("cli_std", 0) == 0) continue;
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << "left behind: " << n;
  }
}

/// configs/reference.toml at `pupils` pupils and 3 years.
std::string config_text(const std::string& pupils) {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", pupils);
  t = testsupport::set_key(t, "simulation", "horizon_years", "3");
  return t;
}

}  // namespace

TEST(WorkLimits, RefusesAboveEitherLimitAndSaysHowToRaiseIt) {
  WorkLimits limits;  // defaults: 8 GiB, 1 hour
  WorkEstimate e;
  e.bytes = 1024.0 * 1024 * 1024;  // 1 GiB
  e.thread_seconds = 3000;         // 50 minutes on one thread
  e.what = "the parts";
  e.lower = "--draws";
  EXPECT_NO_THROW(limits.check(e, 1, "run"));
  WorkEstimate more;
  more.lower = "--grid, --draws, --replications";
  more.what = "more";
  e += more;  // each option once
  EXPECT_EQ(e.lower, "--draws, --grid, --replications");
  EXPECT_EQ(e.what, "the parts; more");
  e.what = "the parts";
  e.lower = "--draws";
  e.thread_seconds = 7200;  // 2 hours on one thread
  try {
    limits.check(e, 1, "run");
    ADD_FAILURE() << "2 hours on 1 thread passed a 1 hour limit";
  } catch (const InputError& err) {
    const std::string m = err.what();
    EXPECT_NE(m.find("run would take about 2 hours on 1 thread(s), more than --max-hours 1"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("(the parts)"), std::string::npos) << m;
    EXPECT_NE(m.find("lower --draws or raise --max-hours"), std::string::npos) << m;
  }
  limits.max_hours = 2.5;
  EXPECT_NO_THROW(limits.check(e, 1, "run"));
  e.bytes = 9.0 * 1024 * 1024 * 1024;  // 9 GiB
  try {
    limits.check(e, 1, "run");
    ADD_FAILURE() << "9 GiB passed an 8 GiB limit";
  } catch (const InputError& err) {
    const std::string m = err.what();
    EXPECT_NE(m.find("need about 9 GiB of memory, more than --max-memory-gib 8"), std::string::npos)
        << m;
    EXPECT_NE(m.find("or raise --max-memory-gib"), std::string::npos) << m;
    EXPECT_EQ(m.find("--max-hours"), std::string::npos) << m;
  }
  limits.max_hours = 1;  // both: both named, both to raise
  try {
    limits.check(e, 1, "run");
    ADD_FAILURE() << "9 GiB and 2 hours passed";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("or raise --max-memory-gib and --max-hours"),
              std::string::npos)
        << err.what();
  }
}

TEST(WorkLimits, ThreadsCountUpToTheCores) {
  WorkEstimate e;
  e.thread_seconds = 3600 * 12;
  const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  EXPECT_DOUBLE_EQ(WorkLimits::hours(e, 1), 12.0);
  EXPECT_DOUBLE_EQ(WorkLimits::hours(e, 1000), 12.0 / cores);
  EXPECT_DOUBLE_EQ(WorkLimits::hours(e, 0), 12.0);
}

TEST(WorkLimits, AnExperimentCostsItsPupilMonths) {
  const fs::path d = testsupport::scratch_dir("work-estimate");
  write_file(d / "c.toml", config_text("1000"));
  const auto cfg = attendsim::models::load_model_config((d / "c.toml").string());
  // 10 units x 3 scenarios x 1000 pupils x 36 months, by hand.
  attendsim::models::RunOptions opt;
  opt.threads = 2;
  opt.from_baseline = false;
  const auto e = attendsim::models::experiment_work(cfg, opt, 10, 3, "10 units", "--draws");
  // Each unit of each scenario: its pupil-months at the throughput, plus its fixed cost.
  EXPECT_DOUBLE_EQ(e.thread_seconds,
                   10.0 * 3 *
                       (1000.0 * 36 / attendsim::models::kPupilMonthsPerThreadSecond +
                        attendsim::models::kSecondsPerUnitScenario));
  EXPECT_NE(e.what.find("10 units x 3 scenario(s) x 1000 pupils x 36 months"), std::string::npos)
      << e.what;
  // Per unit and scenario: 36 months of 4 occupancy values, 40 metrics, 3 yearly values and
  // 200 bytes; per unit 200 more; in flight, 2 threads x 1000 pupils x 64 bytes (the bound of
  // tests/memory_in_flight.cpp).
  EXPECT_DOUBLE_EQ(e.bytes, 10.0 * (3 * (36 * 8 * 4 + 40 * 8 + 3 * 8 + 200) + 200) + 2 * 1000 * 64);
  // From the baseline: the record keeps no draws (stream version 3), so no more in flight.
  opt.from_baseline = true;
  const auto r = attendsim::models::experiment_work(cfg, opt, 10, 3, "10 units", "--draws");
  EXPECT_DOUBLE_EQ(r.bytes, e.bytes);
  fs::remove_all(d);
}

TEST(WorkLimits, CalibrateRegisterCountsItsFitDraws) {
  const fs::path d = testsupport::scratch_dir("work-limits-fit");
  write_file(d / "c.toml", config_text("1000"));
  ASSERT_EQ(run_cli("synth-register " + shell_quoted(d / "c.toml") +
                        " --pupils 200 --months 24 --out " + shell_quoted(d / "reg.csv"),
                    d)
                .exit_code,
            0);
  // 100 000 runs of the register's pupils (about 200) over its months, traced: about 15 s on
  // one thread (at 3e7 pupil-months a second) plus 50 s of fixed costs (0.5 ms a run), above a
  // limit of about 1 s.
  const auto r = run_cli("calibrate " + shell_quoted(d / "c.toml") + " --register " +
                             shell_quoted(d / "reg.csv") +
                             " --fit-draws 100000 --threads 1 --max-hours 0.0003 --quiet --out " +
                             shell_quoted(d / "out"),
                         d);
  expect_refused(
      r, {"calibrate --register would take about", "100000 fit draws x ", "lower --fit-draws"});
  expect_only(d, {"c.toml", "reg.csv"});
  fs::remove_all(d);
}

TEST(WorkLimits, CalibrateRegisterRefusesWhatItCannotEstimate) {
  const fs::path d = testsupport::scratch_dir("calib-unsupported");
  const std::string base = config_text("1000");
  write_file(d / "c.toml", base);
  ASSERT_EQ(run_cli("synth-register " + shell_quoted(d / "c.toml") +
                        " --pupils 50 --months 12 --out " + shell_quoted(d / "reg.csv"),
                    d)
                .exit_code,
            0);
  // [transitions] months = "all": the rows, counted in school months, were applied in July and
  // August too, with exit 0. The key's line: after the lines before [transitions.grade0_6].
  const auto at = base.find("[transitions.grade0_6]");
  ASSERT_NE(at, std::string::npos);
  const std::string all =
      base.substr(0, at) + "[transitions]\nmonths = \"all\"\n" + base.substr(at);
  const auto line = 1 + std::count(base.begin(), base.begin() + static_cast<long>(at), '\n') + 1;
  write_file(d / "all.toml", all);
  const std::string cal =
      " --register " + shell_quoted(d / "reg.csv") + " --quiet --out " + shell_quoted(d / "out");
  expect_refused(
      run_cli("calibrate " + shell_quoted(d / "all.toml") + cal, d),
      {"all.toml:" + std::to_string(line) + ": key 'transitions.months'", "school months only"});
  // p_leave_by_state: leaving was estimated as one probability and counted twice.
  const auto leave = base.find("p_leave_per_month = ");
  ASSERT_NE(leave, std::string::npos);
  const std::string by_state = base.substr(0, leave) +
                               "p_leave_by_state = [0.001, 0.002, 0.003, 0.004]\n" +
                               base.substr(leave);
  write_file(d / "leave.toml", by_state);
  expect_refused(run_cli("calibrate " + shell_quoted(d / "leave.toml") + cal, d),
                 {"leave.toml:", "key 'transitions.leaving.p_leave_by_state'", "not by state"});
  expect_only(d, {"c.toml", "reg.csv", "all.toml", "leave.toml"});
  // The same configs still run: only the register calibration refuses them.
  EXPECT_EQ(run_cli("run " + shell_quoted(d / "all.toml") + " --replications 2 --quiet --out " +
                        shell_quoted(d / "ran"),
                    d)
                .exit_code,
            0);
  fs::remove_all(d);
}

TEST(WorkLimits, CalibrateTargetsRefusesTargetsNoSampleCanReach) {
  const fs::path d = testsupport::scratch_dir("calib-underflow");
  write_file(d / "c.toml", config_text("1000"));
  // se = 1e-300: every sample's likelihood underflowed to 0; the weights were 0 / 0 and the
  // posterior draws were written with "effective sample size -nan", exit 0.
  write_file(d / "t.csv",
             "target,band,gender,period,value,se\n"
             "prevalence_high_or_extensive,grade7_9,all,Y1,0.123456789,1e-300\n");
  expect_refused(run_cli("calibrate " + shell_quoted(d / "c.toml") + " --targets " +
                             shell_quoted(d / "t.csv") +
                             " --params transitions.relapse.mult --prior-draws 4 --pupils 200 "
                             "--threads 1 --quiet --out " +
                             shell_quoted(d / "out"),
                         d),
                 {"likelihood 0", "smallest standard error is 1e-300"});
  expect_only(d, {"c.toml", "t.csv"});
  fs::remove_all(d);
}

TEST(WorkLimits, FollowupRefusesObservedValuesOutsideTheirMetricsRange) {
  const fs::path d = testsupport::scratch_dir("followup-range");
  write_file(d / "c.toml", config_text("1000"));
  ASSERT_EQ(run_cli("run " + shell_quoted(d / "c.toml") + " --replications 2 --quiet --out " +
                        shell_quoted(d / "res"),
                    d)
                .exit_code,
            0);
  const std::string f =
      "followup " + shell_quoted(d / "res") + " " + shell_quoted(d / "obs.csv") + " --quiet";
  // A negative count was compared with its interval, exit 0.
  write_file(d / "obs.csv", "metric,value\nsustained_returns,0.5\ncases_started,-3\n");
  expect_refused(run_cli(f, d), {"obs.csv:3: column 'value' (2)", "cannot be negative"});
  write_file(d / "obs.csv", "value,metric\n-0.5,cost_sek\n");
  expect_refused(run_cli(f, d), {"obs.csv:2: column 'value' (1)", "cost_sek"});
  write_file(d / "obs.csv", "metric,value\nsustained_return_within_12_months_share,1.5\n");
  expect_refused(run_cli(f, d), {"obs.csv:2: column 'value' (2)", "a share (0 to 1)"});
  // An unknown --scenario was blamed on column 'scenario' (0) of line 2 of a file without one.
  write_file(d / "obs.csv", "metric,value\nsustained_returns,5\n");
  expect_refused(run_cli(f + " --scenario nosuch", d),
                 {"--scenario: no scenario 'nosuch' in", "(scenarios: baseline, "});
  EXPECT_FALSE(fs::exists(d / "res" / "followup.csv"));
  // Net benefit and ROI can be below 0.
  write_file(d / "obs.csv", "metric,value\nnet_benefit_sek,-100000\nroi,-0.5\n");
  const auto ok = run_cli(f, d);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(d / "res" / "followup.csv"));
  fs::remove_all(d);
}

TEST(WorkLimits, AnOutPathWithAControlCharacterIsRefused) {
  const fs::path d = testsupport::scratch_dir("out-control");
  write_file(d / "c.toml", config_text("1000"));
  write_file(d / "f.toml",
             "[funding]\nbudget_sek = 1000\ncap_per_unit_sek = 100\n[[applicant]]\nname = "
             "\"a\"\nunits = 1\nrequested_sek = 5\n");
  const std::string uppsala = (fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "uppsala_2018.toml");
  ASSERT_EQ(run_cli("run " + shell_quoted(d / "c.toml") + " --replications 2 --quiet --out " +
                        shell_quoted(d / "res"),
                    d)
                .exit_code,
            0);
  for (const std::string name : {"a\nb", "a\tb", "a\rb", "a\x1b[31mb", "a\x7f"}) {
    const auto o = shell_quoted(d / name);
    SCOPED_TRACE(o);
    expect_refused(run_cli("run " + shell_quoted(d / "c.toml") + " --quiet --out " + o, d),
                   {"--out", "control characters"});
    expect_refused(
        run_cli("sensitivity " + shell_quoted(d / "c.toml") + " --method psa --quiet --out " + o,
                d),
        {"control characters"});
    expect_refused(run_cli("calc " + shell_quoted(uppsala) + " --out " + o, d),
                   {"control characters"});
    expect_refused(run_cli("synth-register " + shell_quoted(d / "c.toml") +
                               " --pupils 5 --months 2 --out " + shell_quoted(d / (name + ".csv")),
                           d),
                   {"control characters"});
    expect_refused(run_cli("report " + shell_quoted(d / "res") + " --out " +
                               shell_quoted(d / (name + ".html")),
                           d),
                   {"control characters"});
    expect_refused(run_cli("allocate " + shell_quoted(d / "f.toml") + " --out " + o, d),
                   {"control characters"});
  }
  // `--out --quiet` made a folder named "--quiet" (and the run was not quiet).
  expect_refused(
      run_cli("run " + shell_quoted(d / "c.toml") + " --replications 2 --out --quiet", d),
      {"must not start with '-'"});
  expect_only(d, {"c.toml", "f.toml", "res"});
  fs::remove_all(d);
}

TEST(WorkLimits, TheCountPathCostsItsCellMonthsNotItsPupils) {
  // bench/national_counts.toml (1.45 million pupils, grades 0-12, ten years, count_based):
  // one replication per unit serves both scenarios, at the count path's rate per cell-month
  // (728 cells = 13 grades x 2 genders x 14 slots x 2 flags), and holds cells, not pupils.
  const auto path = fs::path(ATTENDSIM_SOURCE_DIR) / "bench" / "national_counts.toml";
  const auto cfg = attendsim::models::load_model_config(path.string());
  ASSERT_TRUE(cfg.run.count_based);
  attendsim::models::RunOptions opt;
  opt.threads = 2;
  const double units = 1000.0 * 20;  // --draws 1000 --replications 20
  const auto e = attendsim::models::experiment_work(cfg, opt, units, 2, "units", "--draws");
  EXPECT_DOUBLE_EQ(e.thread_seconds,
                   units * (728.0 * 120 / attendsim::models::kCountCellMonthsPerThreadSecond +
                            2 * attendsim::models::kSecondsPerUnitScenario));
  EXPECT_NE(e.what.find("count-based: 728 cells x 120 months (1450000 pupils)"), std::string::npos)
      << e.what;
  EXPECT_DOUBLE_EQ(e.bytes, units * (2 * (120 * 8 * 4 + 40 * 8 + 10 * 8 + 200) + 200) +
                                2 * 728 * attendsim::models::kCountBytesPerCell);
  // About 3 minutes of CPU (measured: 12 ms a replication), so the default 1 hour accepts it,
  // where the pupil-month estimate (about 10 hours of CPU) refused it.
  const WorkLimits limits;
  EXPECT_NO_THROW(limits.check(e, 2, "run"));
  auto individual = cfg;
  individual.run.count_based = false;
  const auto ei = attendsim::models::experiment_work(individual, opt, units, 2, "units", "--draws");
  EXPECT_DOUBLE_EQ(ei.thread_seconds,
                   units * 2 *
                       (1450000.0 * 120 / attendsim::models::kPupilMonthsPerThreadSecond +
                        attendsim::models::kSecondsPerUnitScenario));
  EXPECT_THROW(limits.check(ei, 2, "run"), InputError);
  // Through the CLI: 20 replications under --max-hours 0.001 (3.6 s) run on the count path
  // (estimated 0.2 s) and are refused on the individual engine (estimated 35 s), nothing written.
  const fs::path d = testsupport::scratch_dir("work-count-path");
  std::string t = read_file(path);
  write_file(d / "counted.toml", t);
  write_file(d / "individual.toml", testsupport::set_key(t, "simulation", "count_based", "false"));
  const std::string args = " --replications 20 --threads 2 --max-hours 0.001 --quiet --out ";
  auto r = run_cli("run " + shell_quoted(d / "counted.toml") + args + shell_quoted(d / "c"), d);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_cli("run " + shell_quoted(d / "individual.toml") + args + shell_quoted(d / "i"), d);
  expect_refused(r, {"--max-hours 0.001", "1450000 pupils x 120 months"});
  EXPECT_FALSE(fs::exists(d / "i"));
  fs::remove_all(d);
}

TEST(WorkLimits, ASobolRowCountsItsBaselineRecords) {
  // A national ten-parameter Sobol unit on one thread peaked at 537 MB (0.51 GiB) RSS,
  // measured 2026-12-03 with /usr/bin/time (README, "Across nodes"), where 64 bytes per pupil
  // of the largest group (1.42 million) are 91 MB: the row's baseline records hold the rest.
  const auto sweden =
      attendsim::models::load_model_config(fs::path(ATTENDSIM_SOURCE_DIR) / "configs/sweden.toml");
  const double measured = 537380.0 * 1024;
  const double one = attendsim::models::sobol_rows_in_flight_bytes(sweden, 1, 8);
  EXPECT_GE(one, measured);
  EXPECT_LE(one, 2 * measured);  // not so high that it refuses what fits
  // Two threads hold two rows; a design of one row holds one.
  EXPECT_DOUBLE_EQ(attendsim::models::sobol_rows_in_flight_bytes(sweden, 2, 8), 2 * one);
  EXPECT_DOUBLE_EQ(attendsim::models::sobol_rows_in_flight_bytes(sweden, 2, 1), one);
  // Through the CLI: refused under a limit below the measured peak, before any work.
  const fs::path d = testsupport::scratch_dir("wl-sobol-national");
  const auto r = run_cli("sensitivity " +
                             shell_quoted(fs::path(ATTENDSIM_SOURCE_DIR) / "configs/sweden.toml") +
                             " --method sobol --params coordinators.rr_improve_in_case --sobol-n 8 "
                             "--replications 1 --threads 1 --max-memory-gib 0.45 --quiet --out " +
                             shell_quoted(d / "out"),
                         d);
  expect_refused(r, {"--max-memory-gib", "sobol"});
  EXPECT_FALSE(fs::exists(d / "out"));
}

TEST(WorkLimits, ASobolRowInFlightIsItsEnginesRow) {
  // Sobol runs the config's engine (docs/methods.md §8.5), so its rows in flight are that
  // engine's: on the count path (configs/sweden_baseline.toml: grades 0-12, no programme) the
  // cells, 13 grades x 2 genders x 14 slots x 2 flags = 728 of kCountBytesPerCell each, however
  // many pupils; on the hybrid (configs/sweden.toml with count_based), which records its
  // baselines as the individual engine does (record_hybrid_baseline), the individual engine's
  // row: 64 bytes per pupil of the largest group and the records' high months.
  namespace m = attendsim::models;
  const auto baseline =
      m::load_model_config(fs::path(ATTENDSIM_SOURCE_DIR) / "configs/sweden_baseline.toml");
  ASSERT_TRUE(baseline.run.count_based);
  ASSERT_FALSE(baseline.structure.coordinators.enabled);
  EXPECT_DOUBLE_EQ(m::sobol_rows_in_flight_bytes(baseline, 2, 8), 2 * 728 * m::kCountBytesPerCell);
  EXPECT_DOUBLE_EQ(m::sobol_rows_in_flight_bytes(baseline, 2, 1), 728 * m::kCountBytesPerCell);
  auto hybrid = m::load_model_config(fs::path(ATTENDSIM_SOURCE_DIR) / "configs/sweden.toml");
  const auto individual = hybrid;
  hybrid.run.count_based = true;
  const double largest = m::largest_population(hybrid);
  EXPECT_GT(m::sobol_rows_in_flight_bytes(individual, 2, 8), 2 * largest * 64);
  EXPECT_DOUBLE_EQ(m::sobol_rows_in_flight_bytes(hybrid, 2, 8),
                   m::sobol_rows_in_flight_bytes(individual, 2, 8));
  // Its time: one count-based run per design point and replication (728 cells x 120 months
  // at kCountCellMonthsPerThreadSecond), as the count path's `run`, which the Sobol now is.
  m::RunOptions opt;
  opt.threads = 2;
  const double units = 8.0 * 4;  // --sobol-n 8, 2 parameters, --replications 1
  const auto e = m::experiment_work(baseline, opt, units, 2, "points", "--sobol-n");
  EXPECT_DOUBLE_EQ(e.thread_seconds, units * (728.0 * 120 / m::kCountCellMonthsPerThreadSecond +
                                              2 * m::kSecondsPerUnitScenario));
}
