// Calibration to aggregate targets by SIR (analysis/calibration_targets.hpp), the targets
// reader, and posterior draws through --draws-from.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/calibration_targets.hpp"
#include "io/config_schema.hpp"
#include "io/targets_reader.hpp"
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
