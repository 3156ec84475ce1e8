// Calibration to a register (analysis/calibration.hpp): recovery of known matrices from a
// simulated register, interval coverage over many seeds, seasonal multipliers, and the CLI.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/calibration.hpp"
#include "analysis/model_config.hpp"
#include "analysis/synthetic_register.hpp"
#include "io/calibration_writer.hpp"
#include "io/config_schema.hpp"
#include "io/register_reader.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "tests/support.hpp"

using namespace attendsim;
using namespace attendsim::models;
using testsupport::set_key;

namespace {

/// The truth: the reference config with duration dependence and relapse off (so that a
/// pupil-month's transition follows the base row exactly), seasonality on or off.
std::string truth_text(bool seasonality) {
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "transitions.duration", "enabled", "false");
  t = set_key(t, "transitions.relapse", "enabled", "false");
  t = set_key(t, "transitions.seasonality", "enabled", seasonality ? "true" : "false");
  return t;
}

/// The prior: the truth's structure with every row uniform and concentration 2, i.e. the
/// Jeffreys prior Dirichlet(1/2, 1/2, 1/2, 1/2), far from the true rows.
std::string prior_text(bool seasonality) {
  std::string t = truth_text(seasonality);
  for (const auto* band : {"grade0_6", "grade7_9", "grade10_12"}) {
    const std::string sec = std::string("transitions.") + band;
    for (const auto* row : {"regular", "worrying", "high", "extensive"})
      t = set_key(t, sec, row, "[0.25, 0.25, 0.25, 0.25]");
    t = set_key(t, sec, "dirichlet_concentration", "[2, 2, 2, 2]");
  }
  return t;
}

ModelConfig parse(const std::string& text) {
  return parse_model_config(config::Document::parse(text, "test.toml"));
}

}  // namespace

TEST(Calibration, RecoversKnownMatricesEachEntryInItsInterval) {
  // 20 000 pupils x 36 months from the truth; the prior is Jeffreys, far from the truth.
  // 48 entries are checked at once, so each against its marginal interval at the Bonferroni
  // level 1 - 0.05 / 48 (family-wise 95 %), from the posterior Beta(alpha_j, A - alpha_j)
  // quantiles (boost), the same family as the 95 % intervals of fit.json.
  const auto truth =
      realise(parse(truth_text(false)), parse(truth_text(false)).parameters.base_values());
  const auto prior = parse(prior_text(false));
  const auto reg = simulate_register(truth, 20000, 36, 11);
  const auto cal = calibrate_register(prior, reg);
  EXPECT_FALSE(cal.seasonality_estimated);
  EXPECT_GT(cal.transitions, 500000U);
  const double tail = 0.05 / 48 / 2;
  int checked = 0;
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      const auto& rp = cal.rows[b][i];
      const double a0 = rp.concentration();
      for (int j = 0; j < kAttendanceStates; ++j) {
        const BetaPosterior m{rp.alpha[j], a0 - rp.alpha[j]};
        const double lo = m.quantile(tail), hi = m.quantile(1 - tail);
        const double p = truth.transitions.base[b][i][j];
        EXPECT_GE(p, lo) << kBandNames[b] << " " << i << "->" << j;
        EXPECT_LE(p, hi) << kBandNames[b] << " " << i << "->" << j;
        // The 95 % interval is narrower than the Bonferroni one and holds the mean.
        EXPECT_LE(rp.low[j], rp.mean()[j]);
        EXPECT_GE(rp.high[j], rp.mean()[j]);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 48);
  // The regular row of grades 7-9 is known to a fraction of a percent of its worrying entry.
  EXPECT_LT(cal.rows[1][0].high[1] - cal.rows[1][0].low[1], 0.1 * truth.transitions.base[1][0][1]);
  // Leaving: 0.004 per month in the truth, within 4 posterior sd.
  const double a = cal.leave.a, bb = cal.leave.b;
  const double sd = std::sqrt(a * bb / ((a + bb) * (a + bb) * (a + bb + 1)));
  EXPECT_NEAR(cal.leave.mean(), truth.transitions.p_leave_per_month, 4 * sd + 2e-4);
}

TEST(Calibration, NinetyFivePercentIntervalsCoverAtTheNominalRate) {
  // 200 seeds of a 2 000-pupil, 24-month register; coverage of the 95 % intervals of the 48
  // entries. Entries of one row are dependent (they sum to 1), so the binomial tolerance
  // counts rows, not entries, as the independent units: n = 200 x 12, and 3.5 SE of
  // sqrt(0.95 x 0.05 / n).
  const auto truth_cfg = parse(truth_text(false));
  const auto truth = realise(truth_cfg, truth_cfg.parameters.base_values());
  const auto prior = parse(prior_text(false));
  const int seeds = 200;
  double inside = 0, total = 0;
  for (int s = 0; s < seeds; ++s) {
    const auto cal = calibrate_register(prior, simulate_register(truth, 2000, 24, 1000 + s));
    for (int b = 0; b < kBands; ++b) {
      for (int i = 0; i < kAttendanceStates; ++i) {
        for (int j = 0; j < kAttendanceStates; ++j) {
          const double p = truth.transitions.base[b][i][j];
          inside += (p >= cal.rows[b][i].low[j] && p <= cal.rows[b][i].high[j]) ? 1 : 0;
          total += 1;
        }
      }
    }
  }
  const double coverage = inside / total;
  const double tol = 3.5 * std::sqrt(0.95 * 0.05 / (seeds * 12.0));
  RecordProperty("coverage", std::to_string(coverage));
  std::printf("coverage of the 95 %% intervals: %.4f over %.0f entries (tolerance %.4f)\n",
              coverage, total, tol);
  EXPECT_NEAR(coverage, 0.95, tol);
}

TEST(Calibration, RecoversSeasonalMultipliers) {
  // Truth with seasonality; the prior's multipliers have the truth's mean (only p_j w_m is
  // identified, and w is scaled to the prior's mean), but a flat shape.
  auto truth_cfg = parse(truth_text(true));
  const auto truth = realise(truth_cfg, truth_cfg.parameters.base_values());
  std::string pt = prior_text(true);
  double mean = 0;
  for (double w : truth.transitions.worsen_mult) mean += w / kSchoolMonthsPerYear;
  std::string flat = "[";
  for (int m = 0; m < kSchoolMonthsPerYear; ++m) flat += (m ? ", " : "") + std::to_string(mean);
  pt = set_key(pt, "transitions.seasonality", "worsen_mult_sep_to_jun", flat + "]");
  const auto prior = parse(pt);
  const auto cal = calibrate_register(prior, simulate_register(truth, 20000, 36, 5));
  ASSERT_TRUE(cal.seasonality_estimated);
  for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
    EXPECT_GT(cal.worsen_mult_se[m], 0.0);
    EXPECT_NEAR(cal.worsen_mult[m], truth.transitions.worsen_mult[m], 4 * cal.worsen_mult_se[m])
        << "month " << m;
  }
  // Base rows: each entry in its Bonferroni interval, as without seasonality.
  const double tail = 0.05 / 48 / 2;
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      const auto& rp = cal.rows[b][i];
      for (int j = 0; j < kAttendanceStates; ++j) {
        const BetaPosterior m{rp.alpha[j], rp.concentration() - rp.alpha[j]};
        EXPECT_GE(truth.transitions.base[b][i][j], m.quantile(tail)) << b << i << j;
        EXPECT_LE(truth.transitions.base[b][i][j], m.quantile(1 - tail)) << b << i << j;
      }
    }
  }
}

TEST(Calibration, CountsFollowTheDocumentedPairRules) {
  // Hand-made register: pupil a regular Sep..Nov then high in Dec (3 transitions); pupil b
  // June -> September (one September transition, in the band of the September grade 7) and
  // a gap Sep -> Nov (skipped).
  const std::string csv =
      "pupil_id,year_month,grade,gender,state\n"
      "a,2023-09,3,girl,regular\na,2023-10,3,girl,regular\na,2023-11,3,girl,regular\n"
      "a,2023-12,3,girl,high\n"
      "b,2024-06,6,boy,worrying\nb,2024-09,7,boy,high\nb,2024-11,7,boy,high\n";
  const auto reg = parse_register_csv(csv, "hand.csv");
  const auto cal = calibrate_register(parse(prior_text(false)), reg);
  EXPECT_EQ(cal.transitions, 4U);
  EXPECT_EQ(cal.gaps, 1U);
  EXPECT_EQ(cal.rows[0][0].counts[0], 2);
  EXPECT_EQ(cal.rows[0][0].counts[2], 1);
  EXPECT_EQ(cal.rows[1][1].counts[2], 1);
  // Posterior = Jeffreys prior + counts: regular row of grades 0-6 is Dirichlet(2.5, .5, 1.5, .5).
  EXPECT_NEAR(cal.rows[0][0].alpha[0], 2.5, 1e-12);
  EXPECT_NEAR(cal.rows[0][0].mean()[0], 2.5 / 5.0, 1e-12);
}

TEST(CalibrateCli, CalibratedConfigRunsThroughRunAndCompare) {
  const auto dir = testsupport::scratch_dir("calibrate");
  testsupport::write_file(dir / "truth.toml",
                          set_key(truth_text(true), "population", "pupils", "2000"));
  const auto reg = dir / "reg.csv";
  auto r =
      testsupport::run_cli("synth-register '" + (dir / "truth.toml").string() +
                               "' --pupils 2000 --months 24 --seed 2 --out '" + reg.string() + "'",
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = dir / "cal";
  r = testsupport::run_cli("calibrate '" + (dir / "truth.toml").string() + "' --register '" +
                               reg.string() + "' --out '" + out.string() +
                               "' --fit-draws 8 --quiet",
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto* f : {"calibrated.toml", "fit.json", "fit.csv"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  EXPECT_EQ(testsupport::read_file(out / "calibrated.toml").find("P0000"), std::string::npos);
  EXPECT_EQ(testsupport::read_file(out / "fit.csv").find("P0000"), std::string::npos);
  const std::string cal = "'" + (out / "calibrated.toml").string() + "'";
  r = testsupport::run_cli(
      "run " + cal + " --replications 2 --draws 2 --quiet --out '" + (dir / "run").string() + "'",
      dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = testsupport::run_cli(
      "compare " + cal + " --replications 2 --quiet --out '" + (dir / "cmp").string() + "'", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Bad register: exit 2, the file and line named, nothing written.
  testsupport::write_file(
      dir / "bad.csv", "pupil_id,year_month,grade,gender,absence_percent\na,2024-09,3,girl,120\n");
  r = testsupport::run_cli("calibrate '" + (dir / "truth.toml").string() + "' --register '" +
                               (dir / "bad.csv").string() + "' --out '" + (dir / "bad").string() +
                               "'",
                           dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.csv:2: column 'absence_percent' (5)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad"));
  r = testsupport::run_cli(
      "calibrate '" + (dir / "truth.toml").string() + "' --out '" + (dir / "none").string() + "'",
      dir);
  EXPECT_EQ(r.exit_code, 2);
  std::filesystem::remove_all(dir);
}
