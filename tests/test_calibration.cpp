// Calibration to a register (analysis/calibration.hpp): recovery of known matrices from a
// simulated register, interval coverage over many seeds, seasonal multipliers, and the CLI.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <chrono>
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

/// Replaces the (possibly multi-line) array `key = [...]` of a config text.
std::string set_array(std::string t, const std::string& key, const std::string& value) {
  const auto a = t.find("\n" + key + " = [");
  if (a == std::string::npos) throw std::runtime_error("no array " + key);
  int depth = 0;
  std::size_t e = t.find('[', a);
  for (; e < t.size(); ++e) {
    if (t[e] == '[') ++depth;
    if (t[e] == ']' && --depth == 0) break;
  }
  return t.substr(0, a + 1) + key + " = " + value + t.substr(e + 1);
}

/// The truth with every multiplier on (the reference config's seasonal, duration and relapse
/// multipliers), and a prior that knows none of them: Jeffreys rows, and each group of
/// multipliers flat at the truth's group mean (only products are identified; each group is
/// scaled to the prior's mean), relapse 1.
std::string multipliers_truth_text() {
  std::string t = testsupport::reference_config_text();
  t = set_array(t, "extensive_exit_mult", "[1.6, 0.85, 0.45]");
  t = set_key(t, "transitions.relapse", "mult", "2.0");
  return t;
}
std::string multipliers_prior_text() {
  std::string t = multipliers_truth_text();
  for (const auto* band : {"grade0_6", "grade7_9", "grade10_12"}) {
    const std::string sec = std::string("transitions.") + band;
    for (const auto* row : {"regular", "worrying", "high", "extensive"})
      t = set_key(t, sec, row, "[0.25, 0.25, 0.25, 0.25]");
    t = set_key(t, sec, "dirichlet_concentration", "[2, 2, 2, 2]");
  }
  t = set_key(t, "transitions.seasonality", "worsen_mult_sep_to_jun",
              "[1.04, 1.04, 1.04, 1.04, 1.04, 1.04, 1.04, 1.04, 1.04, 1.04]");
  t = set_array(t, "high_exit_mult", "[1.0, 1.0, 1.0]");
  const double ext = (1.6 + 0.85 + 0.45) / 3;
  t = set_array(
      t, "extensive_exit_mult",
      "[" + std::to_string(ext) + ", " + std::to_string(ext) + ", " + std::to_string(ext) + "]");
  t = set_key(t, "transitions.relapse", "mult", "1.0");
  return t;
}

/// The 17 multipliers of a calibration (10 seasonal, 3 high exit, 3 extensive exit, relapse)
/// with their standard errors, and the truth's.
struct MultiplierSet {
  std::vector<double> est, se, truth;
};
MultiplierSet multipliers(const RegisterCalibration& cal, const ModelParams& truth) {
  MultiplierSet m;
  for (int k = 0; k < kSchoolMonthsPerYear; ++k) {
    m.est.push_back(cal.worsen_mult[k]);
    m.se.push_back(cal.worsen_mult_se[k]);
    m.truth.push_back(truth.transitions.worsen_mult[k]);
  }
  for (int k = 0; k < kBuckets; ++k) {
    m.est.push_back(cal.high_exit_mult[k]);
    m.se.push_back(cal.high_exit_mult_se[k]);
    m.truth.push_back(truth.transitions.high_exit_mult[k]);
  }
  for (int k = 0; k < kBuckets; ++k) {
    m.est.push_back(cal.extensive_exit_mult[k]);
    m.se.push_back(cal.extensive_exit_mult_se[k]);
    m.truth.push_back(truth.transitions.extensive_exit_mult[k]);
  }
  m.est.push_back(cal.relapse_mult);
  m.se.push_back(cal.relapse_mult_se);
  m.truth.push_back(truth.transitions.relapse_mult);
  return m;
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

TEST(Calibration, RecoversDurationRelapseAndSeasonalMultipliers) {
  // 20 000 pupils x 36 months from the truth (reference multipliers: high exit 1.3, 1.0, 0.7;
  // extensive exit 1.6, 0.85, 0.45; relapse 2.0; seasonal 0.8-1.3); the prior knows none of
  // their shapes. Each of the 17 multipliers must hold the truth within z standard errors, z
  // the Bonferroni normal quantile for a family-wise 95 % over 17 (z = 2.97).
  const auto truth_cfg = parse(multipliers_truth_text());
  const auto truth = realise(truth_cfg, truth_cfg.parameters.base_values());
  ASSERT_TRUE(truth.transitions.duration_enabled && truth.transitions.relapse_enabled);
  const auto prior = parse(multipliers_prior_text());
  const auto reg = simulate_register(truth, 20000, 36, 7);
  const auto t0 = std::chrono::steady_clock::now();
  const auto cal = calibrate_register(prior, reg);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(cal.duration_estimated && cal.relapse_estimated && cal.seasonality_estimated);
  std::printf("calibrate_register: %.2f s, %d iterations, %llu transitions, %llu censored\n",
              seconds, cal.iterations, static_cast<unsigned long long>(cal.transitions),
              static_cast<unsigned long long>(cal.censored));
  EXPECT_GT(cal.censored, 0U);
  const auto m = multipliers(cal, truth);
  const double z = boost::math::quantile(boost::math::normal(), 1 - 0.05 / 17 / 2);
  for (std::size_t k = 0; k < m.est.size(); ++k) {
    std::printf("multiplier %2zu: truth %.3f estimate %.3f se %.3f\n", k, m.truth[k], m.est[k],
                m.se[k]);
    ASSERT_GT(m.se[k], 0.0) << k;
    EXPECT_NEAR(m.est[k], m.truth[k], z * m.se[k]) << "multiplier " << k;
  }
  // Informative: the relapse multiplier (2.0) is known to within +-25 % (1.96 se), and the
  // long-duration exit multipliers are told apart from the short ones.
  EXPECT_LT(1.96 * cal.relapse_mult_se, 0.25 * truth.transitions.relapse_mult);
  EXPECT_GT(cal.high_exit_mult[0] - cal.high_exit_mult[2],
            1.96 * std::hypot(cal.high_exit_mult_se[0], cal.high_exit_mult_se[2]));
  EXPECT_GT(cal.extensive_exit_mult[0] - cal.extensive_exit_mult[2],
            1.96 * std::hypot(cal.extensive_exit_mult_se[0], cal.extensive_exit_mult_se[2]));
  // The base rows are not checked here: in this register (seed 7) the grades 10-12 high row's
  // exit shares by bucket are 2-3 binomial SE below the model's (counted independently from the
  // CSV), which the rows reflect; the rows are checked without multipliers above.
  // The calibrated config carries them: duration and relapse on, each multiplier a lognormal
  // with median the estimate.
  const auto cal_cfg = parse(calibrated_config_toml(prior, cal, "reg.csv"));
  const auto back = realise(cal_cfg, cal_cfg.parameters.base_values());
  EXPECT_TRUE(back.transitions.duration_enabled);
  EXPECT_TRUE(back.transitions.relapse_enabled);
  for (int k = 0; k < kBuckets; ++k) {
    EXPECT_NEAR(back.transitions.high_exit_mult[k], cal.high_exit_mult[k], 1e-9);
    EXPECT_NEAR(back.transitions.extensive_exit_mult[k], cal.extensive_exit_mult[k], 1e-9);
  }
  EXPECT_NEAR(back.transitions.relapse_mult, cal.relapse_mult, 1e-9);
  const auto rel = cal_cfg.parameters.find("transitions.relapse.mult");
  ASSERT_TRUE(rel.has_value());
  EXPECT_TRUE(cal_cfg.parameters.at(*rel).dist.has_value());
}

TEST(Calibration, MultiplierIntervalsCoverAtTheNominalRate) {
  // 40 seeds of a 6 000-pupil, 24-month register; the 17 multipliers' intervals estimate
  // +- 1.96 se against the truth. Multipliers of one register are dependent (through the
  // shared rows and the groups' mean constraints), so the binomial tolerance counts registers
  // as the independent units: 3.5 SE of sqrt(0.95 x 0.05 / 40), plus the asymptotic
  // approximation's slack of 0.02.
  const auto truth_cfg = parse(multipliers_truth_text());
  const auto truth = realise(truth_cfg, truth_cfg.parameters.base_values());
  const auto prior = parse(multipliers_prior_text());
  const int seeds = 40;
  double inside = 0, total = 0;
  for (int s = 0; s < seeds; ++s) {
    const auto cal = calibrate_register(prior, simulate_register(truth, 6000, 24, 500 + s));
    const auto m = multipliers(cal, truth);
    for (std::size_t k = 0; k < m.est.size(); ++k) {
      inside += std::abs(m.est[k] - m.truth[k]) <= 1.96 * m.se[k] ? 1 : 0;
      total += 1;
    }
  }
  const double coverage = inside / total;
  const double tol = 3.5 * std::sqrt(0.95 * 0.05 / seeds) + 0.02;
  std::printf("coverage of the multipliers' 95 %% intervals: %.4f over %.0f (tolerance %.4f)\n",
              coverage, total, tol);
  EXPECT_NEAR(coverage, 0.95, tol);
}

TEST(Calibration, BucketsFollowTheModelsBookkeeping) {
  // Prior with duration and relapse on (relapse_months 6, sustained_return_months 3). Pupil a:
  // regular Sep, high Oct-Jan, regular Feb-Mar, worrying Apr. Sep -> Oct: the relapse window of
  // a regular pupil first seen is unknown (censored). Oct -> Nov, Nov -> Dec from high after 1
  // and 2 months (bucket 0); Dec -> Jan, Jan -> Feb after 3 and 4 (bucket 1). Feb was a return
  // after high: Feb -> Mar and Mar -> Apr are in the relapse window (regular, bucket 1).
  // Pupil b: high Sep-Feb, first seen in high (run before the register unknown): Sep -> Oct
  // .. Jan -> Feb are censored while fewer than 6 months are seen, then Feb -> Mar (6 seen)
  // is bucket 2 (6+). A gap (Mar -> May) restarts the chain: May -> Jun from high censored.
  const std::string csv =
      "pupil_id,year_month,grade,gender,state\n"
      "a,2023-09,3,girl,regular\na,2023-10,3,girl,high\na,2023-11,3,girl,high\n"
      "a,2023-12,3,girl,high\na,2024-01,3,girl,high\na,2024-02,3,girl,regular\n"
      "a,2024-03,3,girl,regular\na,2024-04,3,girl,worrying\n"
      "b,2023-09,3,boy,high\nb,2023-10,3,boy,high\nb,2023-11,3,boy,high\nb,2023-12,3,boy,high\n"
      "b,2024-01,3,boy,high\nb,2024-02,3,boy,high\nb,2024-03,3,boy,regular\n"
      "b,2024-05,3,boy,high\nb,2024-06,3,boy,high\n";
  const auto cal =
      calibrate_register(parse(multipliers_prior_text()), parse_register_csv(csv, "h.csv"));
  const int hi = static_cast<int>(State::high), re = static_cast<int>(State::regular),
            wo = static_cast<int>(State::worrying);
  const auto& n = cal.bucket_counts[0];
  EXPECT_EQ(cal.censored, 1U + 5U + 1U);
  EXPECT_EQ(cal.gaps, 1U);
  EXPECT_EQ(cal.transitions, 6U + 1U);
  EXPECT_EQ(n[0][hi][hi], 2);
  EXPECT_EQ(n[1][hi][hi], 1);
  EXPECT_EQ(n[1][hi][re], 1);
  EXPECT_EQ(n[1][re][re], 1);
  EXPECT_EQ(n[1][re][wo], 1);
  EXPECT_EQ(n[2][hi][re], 1);
  double all = 0;
  for (const auto& bk : cal.bucket_counts)
    for (const auto& k : bk)
      for (const auto& r : k)
        for (double v : r) all += v;
  EXPECT_EQ(all, 7);
}
