// Calibration to aggregate targets by SIR (analysis/calibration_targets.hpp), the targets
// reader, and posterior draws through --draws-from.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/calibration_targets.hpp"
#include "io/case_log_reader.hpp"
#include "io/config_schema.hpp"
#include "io/targets_reader.hpp"
#include "models/simulation.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "tests/support.hpp"

using namespace attendsim;
using namespace attendsim::models;
using testsupport::set_key;

namespace {

ModelConfig one_year_reference() {
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "simulation", "horizon_years", "1");
  return parse_model_config(config::Document::parse(t, "ref1.toml"));
}

struct Moments {
  double mean = 0, sd = 0;
};
Moments moments(const std::vector<std::vector<double>>& draws, std::size_t k) {
  Moments m;
  for (const auto& d : draws) m.mean += d[k];
  m.mean /= static_cast<double>(draws.size());
  for (const auto& d : draws) m.sd += (d[k] - m.mean) * (d[k] - m.mean);
  m.sd = std::sqrt(m.sd / static_cast<double>(draws.size() - 1));
  return m;
}

}  // namespace

TEST(TargetCalibration, RecoversAKnownParameterAndNarrowsAsSeShrinks) {
  // Truth: prevalence of high absence in grades 7-9 at 0.085 (prior beta(30, 400): mean 0.070,
  // sd 0.012). The target (share of pupil-months in high or extensive absence, grades 7-9,
  // autumn of year 1) is simulated at the truth with 40 000 pupils on a key the SIR never uses.
  auto cfg = one_year_reference();
  const std::string path = "population.prevalence.grade7_9.high";
  const auto idx = *cfg.parameters.find(path);
  auto truth = cfg.parameters.base_values();
  truth[idx] = 0.085;
  Target t;
  t.kind = TargetKind::prevalence_high_or_extensive;
  t.band = 1;
  t.year = 1;
  t.term = 1;
  t.value = simulate_targets(cfg, truth, {t}, 40000, StreamKey{424242, 0, 0})[0];
  TargetOptions opt;
  opt.params = {path};
  opt.prior_draws = 300;
  opt.posterior_draws = 300;
  opt.pupils = 15000;
  opt.seed = 3;
  auto run = [&](double se) {
    Target x = t;
    x.se = se;
    return calibrate_targets(cfg, {x}, opt);
  };
  const auto wide = run(0.02);
  const auto narrow = run(0.004);
  const auto mw = moments(wide.posterior(), 0);
  const auto mn = moments(narrow.posterior(), 0);
  std::printf(
      "prior sd 0.0123; posterior (se 0.02): %.4f +- %.4f, ESS %.0f; (se 0.004): %.4f +- "
      "%.4f, ESS %.0f; truth 0.085\n",
      mw.mean, mw.sd, wide.ess, mn.mean, mn.sd, narrow.ess);
  EXPECT_NEAR(mn.mean, 0.085, 3 * mn.sd);
  EXPECT_LT(mn.sd, 0.7 * mw.sd);
  EXPECT_GT(narrow.ess, 10.0);
  EXPECT_GT(wide.ess, narrow.ess);
  // Same seed, same draws (on a smaller run).
  opt.prior_draws = 20;
  opt.pupils = 2000;
  EXPECT_EQ(run(0.004).resampled, run(0.004).resampled);
}

TEST(TargetsReader, BadInputNamesFileLineAndColumn) {
  const std::string head = "target,band,gender,period,value,se\n";
  struct Case {
    std::string text, expect;
  };
  const std::vector<Case> cases = {
      {head + "prevalence_high_or_extensive,grade7_9,all,Y1,0.1,\n",
       "t.csv:2: column 'se' (6): a target needs a standard error"},
      {head + "prevalence_high_or_extensive,grade7_9,all,Y1,0.1,0\n", "t.csv:2: column 'se' (6)"},
      {head + "prevalence,grade7_9,all,Y1,0.1,0.01\n", "t.csv:2: column 'target' (1)"},
      {head + "prevalence_extensive,grade5,all,Y1,0.1,0.01\n", "t.csv:2: column 'band' (2)"},
      {head + "prevalence_extensive,all,both,Y1,0.1,0.01\n", "t.csv:2: column 'gender' (3)"},
      {head + "prevalence_extensive,all,all,2024,0.1,0.01\n", "t.csv:2: column 'period' (4)"},
      {head + "prevalence_extensive,all,all,Y3-winter,0.1,0.01\n", "t.csv:2: column 'period' (4)"},
      {head + "prevalence_extensive,all,all,Y9,0.1,0.01\n", "beyond the config's horizon"},
      {head + "prevalence_extensive,all,all,Y1,1.5,0.01\n", "t.csv:2: column 'value' (5)"},
      {"target,band,gender,period,value\n", "t.csv:1: missing column 'se'"},
      {"target,band,sex,period,value,se\n", "t.csv:1: column 'sex' (3)"},
      {head, "t.csv: no targets"},
  };
  for (const auto& c : cases) {
    std::string e;
    try {
      parse_targets_csv(c.text, "t.csv", 5);
    } catch (const InputError& x) {
      e = x.what();
    }
    EXPECT_NE(e.find(c.expect), std::string::npos) << c.text << " -> " << e;
  }
  const auto ok = parse_targets_csv(
      head + "long_term_absent_share,grade10_12,girls,Y2-spring,0.05,0.01\n", "t.csv", 5);
  ASSERT_EQ(ok.size(), 1U);
  EXPECT_EQ(ok[0].band, 2);
  EXPECT_EQ(ok[0].gender, 1);
  EXPECT_EQ(ok[0].year, 2);
  EXPECT_EQ(ok[0].term, 2);
}

TEST(TargetCalibrationCli, PosteriorDrawsRunThroughDrawsFrom) {
  const auto dir = testsupport::scratch_dir("targets");
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "simulation", "horizon_years", "2");
  t = set_key(t, "population", "pupils", "1000");
  testsupport::write_file(dir / "c.toml", t);
  testsupport::write_file(dir / "t.csv",
                          "target,band,gender,period,value,se\n"
                          "prevalence_high_or_extensive,grade7_9,all,Y1,0.12,0.02\n"
                          "long_term_absent_share,all,all,Y2,0.03,0.01\n");
  const std::string c = "'" + (dir / "c.toml").string() + "'";
  auto r = testsupport::run_cli(
      "calibrate " + c + " --targets '" + (dir / "t.csv").string() +
          "' --params population.prevalence.grade7_9.high,transitions.relapse.mult "
          "--prior-draws 20 --posterior-draws 5 --quiet --out '" +
          (dir / "cal").string() + "'",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto draws = dir / "cal" / "posterior_draws.csv";
  ASSERT_TRUE(std::filesystem::exists(draws));
  r = testsupport::run_cli("run " + c + " --replications 1 --quiet --draws-from '" +
                               draws.string() + "' --out '" + (dir / "run").string() + "'",
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(testsupport::read_file(dir / "run" / "summary.json").find("\"draws\": 5"),
            std::string::npos);
  r = testsupport::run_cli("run '" + (dir / "cal" / "calibrated.toml").string() +
                               "' --replications 1 --quiet --out '" + (dir / "run2").string() + "'",
                           dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Bad draws file and a target without se: exit 2, nothing written.
  testsupport::write_file(dir / "bad.csv", "draw,no.such.param\n0,1\n");
  r = testsupport::run_cli("run " + c + " --replications 1 --quiet --draws-from '" +
                               (dir / "bad.csv").string() + "' --out '" + (dir / "run3").string() +
                               "'",
                           dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.csv:1: column 'no.such.param' (2)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "run3"));
  testsupport::write_file(dir / "t2.csv",
                          "target,band,gender,period,value,se\n"
                          "prevalence_extensive,all,all,Y1,0.02,\n");
  r = testsupport::run_cli("calibrate " + c + " --targets '" + (dir / "t2.csv").string() +
                               "' --params transitions.relapse.mult --out '" +
                               (dir / "cal2").string() + "'",
                           dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("t2.csv:2: column 'se' (6)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "cal2"));
  std::filesystem::remove_all(dir);
}

namespace {

/// The reference config over two years with 3000 pupils: the team of 5 FTE
/// (ladder scenario 5fte) runs from the start, with short cases (many admissions a month to
/// count and to calibrate on; testsupport::with_short_cases).
ModelConfig two_year_team() {
  std::string t = testsupport::with_short_cases(testsupport::reference_config_text());
  t = set_key(t, "simulation", "horizon_years", "2");
  t = set_key(t, "population", "pupils", "3000");
  return parse_model_config(config::Document::parse(t, "team.toml"));
}

ScenarioSpec team_scenario(const ModelConfig& cfg) {
  for (const auto& s : comparison_scenarios(cfg)) {
    if (s.name == "5fte") return s;
  }
  ADD_FAILURE() << "no 5fte scenario";
  return {};
}

}  // namespace

TEST(TargetCalibration, CaseCountsAddUpToTheModelsOwnCounters) {
  // cases_started and returns are counted month by month from the pupils' trace; over all
  // months, bands and genders they must equal the simulation's own counters (cases_started,
  // returns_within_12_months), which it keeps by a separate path.
  const auto cfg = two_year_team();
  const auto scen = team_scenario(cfg);
  const auto values = cfg.parameters.base_values();
  std::vector<Target> ts;
  for (auto kind : {TargetKind::cases_started, TargetKind::returns}) {
    for (int year = 1; year <= 2; ++year) {
      Target t;
      t.kind = kind;
      t.year = year;
      ts.push_back(t);
      for (int g = 0; g < 2; ++g) {  // and split by gender and term, adding up the same
        for (int term = 1; term <= 2; ++term) {
          t.gender = g;
          t.term = term;
          ts.push_back(t);
        }
      }
    }
  }
  const StreamKey key{7, 0, 0};
  const auto sim = simulate_targets(cfg, values, ts, 0, key, scen);
  ModelParams p = realise(cfg, values);
  const auto out = simulate(p, scen, key);
  double started = 0, returns = 0, started_terms = 0, returns_terms = 0;
  for (std::size_t k = 0; k < ts.size(); ++k) {
    const bool whole = ts[k].term == 0;
    auto& acc = ts[k].kind == TargetKind::cases_started ? (whole ? started : started_terms)
                                                        : (whole ? returns : returns_terms);
    acc += sim[k];
  }
  const double want_started = out.cases_started[0] + out.cases_started[1];
  const double want_returns = out.returns_within_12_months[0] + out.returns_within_12_months[1];
  std::printf("cases started %.0f (model %.0f), returns %.0f (model %.0f)\n", started, want_started,
              returns, want_returns);
  EXPECT_GT(want_started, 50.0);
  EXPECT_GT(want_returns, 10.0);
  EXPECT_EQ(started, want_started);
  EXPECT_EQ(returns, want_returns);
  // The terms (Sep-Dec, Jan-Jun) leave out only the summer months, when no case starts late
  // in the term and no pupil returns (no transitions in July and August).
  EXPECT_LE(started_terms, started);
  EXPECT_EQ(returns_terms, returns);
  // Referrals: the trace's monthly counts (taken where referrals happen, once per month, by
  // subgroup cell) over every month add up to the model's counter; so do boys + girls, the
  // bands, and the two terms (no referral in July and August: no school month).
  std::vector<Target> rs;
  Target r;
  r.kind = TargetKind::referrals;
  for (int year = 1; year <= 2; ++year) {
    r.year = year;
    r.band = -1;
    r.gender = -1;
    r.term = 0;
    r.month = -1;
    rs.push_back(r);  // whole year
    for (int g = 0; g < 2; ++g) {
      r.gender = g;
      rs.push_back(r);
    }
    r.gender = -1;
    for (int b = 0; b < kBands; ++b) {
      r.band = b;
      rs.push_back(r);
    }
    r.band = -1;
    for (int m = 0; m < kMonthsPerYear; ++m) {
      r.month = m;
      rs.push_back(r);
    }
    r.month = -1;
  }
  const auto rsim = simulate_targets(cfg, values, rs, 0, key, scen);
  double whole = 0, by_gender = 0, by_band = 0, by_month = 0;
  for (std::size_t k = 0; k < rs.size(); ++k) {
    if (rs[k].month >= 0)
      by_month += rsim[k];
    else if (rs[k].gender >= 0)
      by_gender += rsim[k];
    else if (rs[k].band >= 0)
      by_band += rsim[k];
    else
      whole += rsim[k];
  }
  const double want_referrals = out.referrals[0] + out.referrals[1];
  std::printf("referrals %.0f by month %.0f (model %.0f)\n", whole, by_month, want_referrals);
  EXPECT_GT(want_referrals, 50.0);
  EXPECT_EQ(whole, want_referrals);
  EXPECT_EQ(by_gender, want_referrals);
  EXPECT_EQ(by_band, want_referrals);
  EXPECT_EQ(by_month, want_referrals);
  // The same count from the trace directly, step by step and cell by cell.
  Trace trace;
  (void)simulate(p, scen, key, &trace);
  ASSERT_EQ(trace.referrals.size(), static_cast<std::size_t>(p.horizon_years * kMonthsPerYear));
  double traced = 0;
  for (std::size_t t = 0; t < trace.referrals.size(); ++t) {
    for (int c = 0; c < kSubgroupCells; ++c) {
      const double v = trace.referrals[t][static_cast<std::size_t>(c)];
      EXPECT_GE(v, 0.0);
      if (t % kMonthsPerYear >= kSchoolMonthsPerYear) {
        EXPECT_EQ(v, 0.0) << "summer step " << t;
      }
      traced += v;
    }
  }
  EXPECT_EQ(traced, want_referrals);
  // The baseline has no team: no cases, and count targets need --scenario.
  TargetOptions opt;
  opt.params = {"coordinators.rr_improve_in_case"};
  opt.prior_draws = 2;
  EXPECT_THROW(calibrate_targets(cfg, {ts[0]}, opt), InputError);
  opt.scenario = "5fte";
  opt.pupils = 1000;
  EXPECT_THROW(calibrate_targets(cfg, {ts[0]}, opt), InputError);
  opt.scenario = "no_such_team";
  opt.pupils = 0;
  EXPECT_THROW(calibrate_targets(cfg, {ts[0]}, opt), InputError);
}

TEST(TargetCalibration, RecoversTheCaseEffectFromReturnsAndCasesStarted) {
  // Truth: the case's improvement RR coordinators.rr_improve_in_case = 2.0 (prior lognormal
  // median 1.5, sigma 0.207: 2.0 is 1.4 prior sd above the median). Targets: returns and
  // cases started by school year, simulated at the truth on a key the SIR never uses, with
  // Poisson-sized standard errors sqrt(count) (wide) and sqrt(count) / 3 (narrow).
  const auto cfg = two_year_team();
  const std::string path = "coordinators.rr_improve_in_case";
  const auto idx = *cfg.parameters.find(path);
  auto truth = cfg.parameters.base_values();
  truth[idx] = 2.0;
  std::vector<Target> ts;
  for (auto kind : {TargetKind::returns, TargetKind::cases_started}) {
    for (int year = 1; year <= 2; ++year) {
      Target t;
      t.kind = kind;
      t.year = year;
      ts.push_back(t);
    }
  }
  const auto scen = team_scenario(cfg);
  // The targets: the mean of 4 simulations at the truth (keys the SIR never uses).
  std::vector<double> v(ts.size(), 0.0);
  for (std::uint64_t r = 0; r < 4; ++r) {
    const auto s = simulate_targets(cfg, truth, ts, 0, StreamKey{515151, r, 0}, scen);
    for (std::size_t k = 0; k < v.size(); ++k) v[k] += s[k] / 4;
  }
  TargetOptions opt;
  opt.params = {path};
  opt.prior_draws = 300;
  opt.posterior_draws = 300;
  opt.seed = 5;
  opt.threads = 2;
  opt.scenario = "5fte";
  auto run = [&](double shrink) {
    auto x = ts;
    for (std::size_t k = 0; k < x.size(); ++k) {
      x[k].value = v[k];
      x[k].se = std::sqrt(std::max(1.0, v[k])) / shrink;
    }
    return calibrate_targets(cfg, x, opt);
  };
  const auto wide = run(1.0);
  const auto narrow = run(3.0);
  const auto mw = moments(wide.posterior(), 0);
  const auto mn = moments(narrow.posterior(), 0);
  std::printf(
      "returns Y1 %.1f Y2 %.1f, cases started Y1 %.1f Y2 %.1f; posterior (se sqrt n): %.3f +- "
      "%.3f, ESS %.0f; (se sqrt n / 3): %.3f +- %.3f, ESS %.0f; truth 2.0, prior 1.5 +- 0.31\n",
      v[0], v[1], v[2], v[3], mw.mean, mw.sd, wide.ess, mn.mean, mn.sd, narrow.ess);
  EXPECT_NEAR(mw.mean, 2.0, 3 * mw.sd);
  EXPECT_NEAR(mn.mean, 2.0, 3 * mn.sd);
  // Prior sd of lognormal(0.405, 0.207): exp(0.405 + 0.207^2 / 2) sqrt(exp(0.207^2) - 1)
  // = 1.53 x 0.209 = 0.320. The data narrow it, and narrow it more as the se shrink; the
  // simulator's own Poisson noise in ~70 returns a year (not modelled by the SIR) bounds how far.
  EXPECT_LT(mw.sd, 0.9 * 0.320);
  EXPECT_LT(mn.sd, mw.sd);
  EXPECT_GT(narrow.ess, 5.0);
}

TEST(CaseLogReader, MonthsBecomeCountTargetsAndBadDataNamesFileLineAndColumn) {
  const std::string head = "month,referrals,cases_started,returns\n";
  // A log from November 2024: month 0 is September 2024, so 2024-11 is month 2 of year 1 and
  // 2025-09 month 0 of year 2.
  const auto ok = parse_case_log_csv(head + "2024-11,9,4,1\n2025-09,3,0,2\n", "log.csv", 2);
  ASSERT_EQ(ok.size(), 6U);
  EXPECT_EQ(ok[0].kind, TargetKind::cases_started);
  EXPECT_EQ(ok[0].year, 1);
  EXPECT_EQ(ok[0].month, 2);
  EXPECT_EQ(ok[0].value, 4.0);
  EXPECT_EQ(ok[0].se, 2.0);  // sqrt(4)
  EXPECT_EQ(ok[1].kind, TargetKind::returns);
  EXPECT_EQ(ok[1].se, 1.0);  // sqrt(max(1, 1))
  EXPECT_EQ(ok[2].kind, TargetKind::referrals);
  EXPECT_EQ(ok[2].value, 9.0);
  EXPECT_EQ(ok[2].se, 3.0);  // sqrt(9)
  EXPECT_EQ(ok[3].year, 2);
  EXPECT_EQ(ok[3].month, 0);
  EXPECT_EQ(ok[3].se, 1.0);  // a zero count: sqrt(max(0, 1))
  EXPECT_EQ(ok[4].value, 2.0);
  EXPECT_EQ(ok[5].value, 3.0);
  struct Case {
    std::string text, expect;
  };
  const std::vector<Case> cases = {
      {head + "2024-13,1,1,1\n", "log.csv:2: column 'month' (1): expected a month YYYY-MM"},
      {head + "2024-11,1,1,1\n2024-11,1,1,1\n", "log.csv:3: column 'month' (1): month given twice"},
      {head + "2024-11,1,-1,1\n", "log.csv:2: column 'cases_started' (3)"},
      {head + "2024-11,1,1,0.5\n", "log.csv:2: column 'returns' (4)"},
      {head + "2024-11,x,1,1\n", "log.csv:2: column 'referrals' (2)"},
      {head + "2024-11,1,1\n", "log.csv:2: expected 4 columns, got 3"},
      {head + "2024-11,1,1,1\n2026-09,1,1,1\n", "log.csv:3: column 'month' (1): month beyond"},
      {"month,referrals,cases,returns\n", "log.csv:1: column 'cases' (3): unknown column"},
      {"month,referrals,returns\n", "log.csv:1: missing column 'cases_started'"},
      {head, "log.csv: no months"},
  };
  for (const auto& c : cases) {
    std::string e;
    try {
      parse_case_log_csv(c.text, "log.csv", 2);
    } catch (const InputError& x) {
      e = x.what();
    }
    EXPECT_NE(e.find(c.expect), std::string::npos) << c.text << " -> " << e;
  }
}

TEST(CaseLogCli, CalibratesFromTheLogAndRejectsBadDataWritingNothing) {
  const auto dir = testsupport::scratch_dir("case-log");
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "simulation", "horizon_years", "1");
  t = set_key(t, "population", "pupils", "800");
  testsupport::write_file(dir / "c.toml", t);
  testsupport::write_file(dir / "log.csv",
                          "month,referrals,cases_started,returns\n2024-09,4,3,0\n"
                          "2024-10,5,4,0\n2024-11,3,2,1\n");
  const std::string c = "'" + (dir / "c.toml").string() + "'";
  auto r = testsupport::run_cli("calibrate " + c + " --case-log '" + (dir / "log.csv").string() +
                                    "' --scenario 5fte --params "
                                    "coordinators.rr_improve_in_case --prior-draws 6 "
                                    "--posterior-draws 3 --threads 2 --quiet --out '" +
                                    (dir / "cal").string() + "'",
                                dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto fit = testsupport::read_file(dir / "cal" / "fit.json");
  EXPECT_NE(fit.find("\"cases_started all all 2024-10\""), std::string::npos);
  EXPECT_NE(fit.find("\"referrals all all 2024-11\""), std::string::npos);
  EXPECT_NE(fit.find("\"scenario\": \"5fte\""), std::string::npos);
  // Bad data: exit 2 naming file, line and column; no output folder.
  testsupport::write_file(dir / "bad.csv",
                          "month,referrals,cases_started,returns\n2024-09,4,3,0\n"
                          "2024-10,5,four,0\n");
  r = testsupport::run_cli("calibrate " + c + " --case-log '" + (dir / "bad.csv").string() +
                               "' --scenario 5fte --params "
                               "coordinators.rr_improve_in_case --quiet --out '" +
                               (dir / "bad").string() + "'",
                           dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.csv:3: column 'cases_started' (3)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad"));
  // Without the team's scenario: exit 2, nothing written.
  r = testsupport::run_cli("calibrate " + c + " --case-log '" + (dir / "log.csv").string() +
                               "' --params coordinators.rr_improve_in_case --quiet --out '" +
                               (dir / "bad").string() + "'",
                           dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--scenario"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad"));
  std::filesystem::remove_all(dir);
}
