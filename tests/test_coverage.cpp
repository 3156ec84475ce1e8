// Coverage of the 95 % CI of the mean (sim/statistics.hpp, models::metric_summary).
//
// Model: the plain Markov chain. Coordinators, duration dependence, relapse, seasonality and
// leaving are switched off, every pupil is in grade 7 (one stratum, the grade7_9 matrix),
// gender multipliers are 1, so every pupil starts from pi0 = (1 - w - h - e, w, h, e) and
// moves by P each school month. The horizon is one year: steps 0..9 are the school months
// September..June (step t is the (t+1)-th transition), step 10 (July) and 11 (August) are
// not school months and are not counted in pupil_months_*. Hence
//   E[pupil_months_regular] = N * sum_{t=1..10} (pi0 P^t)[regular],
// computed below with Eigen from the numbers written into the config, independently of the
// simulator.
//
// Design: R = 1000 independent runs (seeds 1001..2000, distinct stream keys), each with
// n = 5 replications of N = 500 pupils; for each run the CI [ci_low, ci_high] (mean -+
// t_{0.975,4} se) is checked against the truth. Per-replication values are sums over 500
// pupils x 10 months, close to normal, so the t interval should cover at ~95 %.
//
// Tolerance: the number of covering runs is Binomial(R, 0.95) if the CI is right, with
// sd sqrt(0.95 * 0.05 / R) = 0.00689 on the rate for R = 1000. We accept 0.95 +- 3 sd =
// [0.929, 0.971]. At a fixed seed the test is deterministic (never flaky); the band is wide
// enough that a correct CI passes for essentially any seed (two-sided 3-sd miss ~0.3 %),
// and narrow enough to reject a z interval with n = 5 (~88 % coverage), an interval built
// on the sd instead of the se (~100 %) or a biased simulator. The same data checked with a
// z interval (mean -+ 1.96 se, P(|t_4| < 1.96) = 0.878) must fall below the band: the test
// has power against the commonest CI mistake.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <cstdio>
#include <string>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "io/results_writer.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

constexpr int kPupils = 500;
constexpr int kReplications = 5;
constexpr int kRuns = 1000;

// Initial shares of grade 7-9 and the grade 7-9 monthly matrix, written into the config
// (the values of configs/reference.toml, EVIDENCE A and B).
constexpr double kW = 0.085, kH = 0.070, kE = 0.015;
const char* const kRows[4] = {
    "[0.9628, 0.0300, 0.0070, 0.0002]", "[0.3000, 0.5880, 0.1100, 0.0020]",
    "[0.0800, 0.1300, 0.7740, 0.0160]", "[0.0200, 0.0250, 0.0500, 0.9050]"};

Eigen::Matrix4d transition_matrix() {
  Eigen::Matrix4d P;
  P << 0.9628, 0.0300, 0.0070, 0.0002,  //
      0.3000, 0.5880, 0.1100, 0.0020,   //
      0.0800, 0.1300, 0.7740, 0.0160,   //
      0.0200, 0.0250, 0.0500, 0.9050;
  return P;
}

std::string plain_markov_config() {
  using testsupport::set_key;
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "simulation", "horizon_years", "1");
  t = set_key(t, "population", "pupils", std::to_string(kPupils));
  t = set_key(t, "population", "grade_min", "7");
  t = set_key(t, "population", "grade_max", "7");
  t = set_key(t, "population.prevalence.grade7_9", "worrying", std::to_string(kW));
  t = set_key(t, "population.prevalence.grade7_9", "high", std::to_string(kH));
  t = set_key(t, "population.prevalence.grade7_9", "extensive", std::to_string(kE));
  t = set_key(t, "population.gender", "worrying_mult_boys", "1.0");
  t = set_key(t, "population.gender", "worrying_mult_girls", "1.0");
  t = set_key(t, "population.gender", "high_ratio_girls_vs_boys_grade7_12", "1.0");
  t = set_key(t, "population.gender", "extensive_ratio_girls_vs_boys", "1.0");
  const char* names[4] = {"regular", "worrying", "high", "extensive"};
  for (int s = 0; s < 4; ++s) t = set_key(t, "transitions.grade7_9", names[s], kRows[s]);
  t = set_key(t, "transitions.duration", "enabled", "false");
  t = set_key(t, "transitions.relapse", "enabled", "false");
  t = set_key(t, "transitions.seasonality", "enabled", "false");
  t = set_key(t, "transitions.leaving", "enabled", "false");
  t = set_key(t, "coordinators", "enabled", "false");
  // No staffing at all: drop every [[coordinators.staffing]] block (they run up to [outcomes]).
  const auto a = t.find("[[coordinators.staffing]]");
  const auto b = t.find("\n[outcomes]");
  if (a == std::string::npos || b == std::string::npos || b < a)
    throw std::runtime_error("config layout changed");
  t.erase(a, b + 1 - a);
  return t;
}

/// N * sum_{t=1..10} (pi0 P^t)[state].
double expected_pupil_months(int state) {
  const Eigen::Matrix4d P = transition_matrix();
  Eigen::RowVector4d pi(1.0 - kW - kH - kE, kW, kH, kE);
  double sum = 0;
  for (int t = 1; t <= 10; ++t) {
    pi = pi * P;
    sum += pi(state);
  }
  return kPupils * sum;
}

}  // namespace

TEST(Coverage, TruthIsPlausible) {
  // Sanity of the analytic side: rows of P sum to 1, and the occupancies of the four states
  // sum to N * 10 pupil-months (nobody leaves).
  const Eigen::Matrix4d P = transition_matrix();
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
  double total = 0;
  for (int s = 0; s < 4; ++s) total += expected_pupil_months(s);
  EXPECT_NEAR(total, kPupils * 10.0, 1e-9);
  // Regular stays near its start share 0.83 (the chain starts near stationarity).
  EXPECT_NEAR(expected_pupil_months(0) / (kPupils * 10.0), 0.83, 0.03);
}

TEST(Coverage, CiOfMeanCoversAnalyticTruthAtNominalRate) {
  const auto doc = attendsim::config::Document::parse(plain_markov_config(), "coverage.toml");
  const auto cfg = attendsim::models::parse_model_config(doc);
  ASSERT_FALSE(cfg.structure.coordinators.enabled);
  ASSERT_TRUE(cfg.scenario.staffing.periods.empty());

  attendsim::models::ScenarioSpec baseline;  // no coordinators
  const std::vector<attendsim::models::ScenarioSpec> scenarios = {baseline};
  const std::size_t regular = 0;  // metric_names(): pupil_months_regular first
  ASSERT_EQ(attendsim::models::metric_names(false)[regular], "pupil_months_regular");
  const std::size_t high = 2;
  ASSERT_EQ(attendsim::models::metric_names(false)[high], "pupil_months_high");

  const double truth_regular = expected_pupil_months(0);
  const double truth_high = expected_pupil_months(2);

  int covered_regular = 0, covered_high = 0, covered_z = 0;
  double sum_means = 0, sum_sq_means = 0;
  for (int run = 0; run < kRuns; ++run) {
    attendsim::models::RunOptions opt;
    opt.seed = 1001 + static_cast<std::uint64_t>(run);
    opt.draws = 1;
    opt.replications = kReplications;
    opt.threads = 1;
    const auto res = attendsim::models::run_experiment(cfg, scenarios, opt);
    ASSERT_EQ(res.steps, 12);
    const auto s = attendsim::models::metric_summary(res, 0, regular);
    ASSERT_EQ(s.n, static_cast<std::size_t>(kReplications));
    ASSERT_GT(s.se, 0.0);
    covered_regular += (s.ci_low <= truth_regular && truth_regular <= s.ci_high) ? 1 : 0;
    covered_z += std::abs(s.mean - truth_regular) <= 1.959963985 * s.se ? 1 : 0;
    sum_means += s.mean;
    sum_sq_means += s.mean * s.mean;
    const auto sh = attendsim::models::metric_summary(res, 0, high);
    covered_high += (sh.ci_low <= truth_high && truth_high <= sh.ci_high) ? 1 : 0;
  }
  const double n = kRuns;
  const double sd_rate = std::sqrt(0.95 * 0.05 / n);  // 0.00689 for 1000 runs
  const double lo = 0.95 - 3 * sd_rate, hi = 0.95 + 3 * sd_rate;
  const double rate_regular = covered_regular / n;
  const double rate_high = covered_high / n;
  EXPECT_GE(rate_regular, lo) << covered_regular << " of " << kRuns << " CIs covered "
                              << truth_regular;
  EXPECT_LE(rate_regular, hi) << covered_regular << " of " << kRuns << " CIs covered "
                              << truth_regular;
  EXPECT_GE(rate_high, lo) << covered_high << " of " << kRuns << " CIs covered " << truth_high;
  EXPECT_LE(rate_high, hi) << covered_high << " of " << kRuns << " CIs covered " << truth_high;
  // Power: a z interval on 5 units (expected coverage 0.878) is rejected by the same band.
  EXPECT_LT(covered_z / n, lo) << "z interval covered " << covered_z << " of " << kRuns;
  std::printf("coverage: t CI regular %.3f, high %.3f; z CI regular %.3f; band [%.3f, %.3f]\n",
              rate_regular, rate_high, covered_z / n, lo, hi);

  // No bias overall: the grand mean of the 1000 run means (5 000 replications) lies within
  // 4 of its own standard errors of the truth.
  const double grand = sum_means / n;
  const double sd_means = std::sqrt((sum_sq_means - n * grand * grand) / (n - 1));
  EXPECT_LT(std::abs(grand - truth_regular), 4 * sd_means / std::sqrt(n))
      << "grand mean " << grand << " truth " << truth_regular;
}
