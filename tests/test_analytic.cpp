// Analytic check of the simulator: with coordinators, duration dependence, relapse,
// seasonality, leaving and grade progression switched off, the attendance state of each
// pupil is a plain Markov chain, so the expected occupancy after step t is
//   N * pi0 * P^k(t),  k(t) = number of school months among steps 0..t
// (summer steps July/August make no transition). pi0 and P come from the config text and
// are evaluated with Eigen here, independently of the simulator. Each simulated monthly
// mean must lie within 4 Monte Carlo standard errors of it, for months 1-24.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

std::string plain_markov_config(int pupils) {
  using testsupport::set_key;
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "population", "pupils", std::to_string(pupils));
  t = set_key(t, "population", "grade_min", "7");
  t = set_key(t, "population", "grade_max", "7");
  t = set_key(t, "population", "grade_progression", "false");
  t = set_key(t, "population.gender", "worrying_mult_boys", "1.0");
  t = set_key(t, "population.gender", "worrying_mult_girls", "1.0");
  t = set_key(t, "population.gender", "high_ratio_girls_vs_boys_grade7_12", "1.0");
  t = set_key(t, "population.gender", "extensive_ratio_girls_vs_boys", "1.0");
  t = set_key(t, "simulation", "horizon_years", "2");
  t = set_key(t, "transitions.duration", "enabled", "false");
  t = set_key(t, "transitions.relapse", "enabled", "false");
  t = set_key(t, "transitions.seasonality", "enabled", "false");
  t = set_key(t, "transitions.leaving", "enabled", "false");
  t = set_key(t, "coordinators", "enabled", "false");
  return t;
}

}  // namespace

TEST(Analytic, OccupancyMatchesPi0PowersOfP) {
  const int pupils = 2000;
  const auto doc = attendsim::config::Document::parse(plain_markov_config(pupils), "plain.toml");
  const auto cfg = attendsim::models::parse_model_config(doc);

  // Grade 7-9 matrix and prevalence exactly as written in configs/reference.toml (EVIDENCE B, A).
  Eigen::Matrix4d P;
  P << 0.9628, 0.0300, 0.0070, 0.0002,  //
      0.3000, 0.5880, 0.1100, 0.0020,   //
      0.0800, 0.1300, 0.7740, 0.0160,   //
      0.0200, 0.0250, 0.0500, 0.9050;
  Eigen::RowVector4d pi0(1.0 - 0.085 - 0.070 - 0.015, 0.085, 0.070, 0.015);

  attendsim::models::RunOptions opt;
  opt.seed = 20261125;
  opt.replications = 60;
  opt.threads = 2;
  attendsim::models::ScenarioSpec baseline;
  const auto res = attendsim::models::run_experiment(cfg, {baseline}, opt);
  ASSERT_EQ(res.steps, 24);

  Eigen::RowVector4d pi = pi0;
  int checked = 0;
  for (int t = 0; t < 24; ++t) {
    if (t % 12 < 10) pi = pi * P;  // a school month: one transition
    for (int s = 0; s < 4; ++s) {
      const double truth = pupils * pi(s);
      std::vector<double> v;
      for (const auto& u : res.units)
        v.push_back(u.occupancy[0][static_cast<std::size_t>(t * 5 + s)]);
      double mean = 0, m2 = 0;
      for (double x : v) mean += x;
      mean /= static_cast<double>(v.size());
      for (double x : v) m2 += (x - mean) * (x - mean);
      const double se =
          std::sqrt(m2 / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
      ASSERT_GT(se, 0.0);
      EXPECT_LT(std::abs(mean - truth), 4.0 * se)
          << "month " << t + 1 << " state " << s << ": simulated " << mean << " analytic " << truth
          << " se " << se;
      ++checked;
    }
    // Nobody leaves when leaving is off.
    for (const auto& u : res.units)
      EXPECT_EQ(u.occupancy[0][static_cast<std::size_t>(t * 5 + 4)], 0.0f);
  }
  EXPECT_EQ(checked, 96);
}

TEST(Analytic, DeviationIsDetectable) {
  // The check has power: a chain with a perturbed regular row is rejected. Same simulation,
  // compared against P with the R->W entry raised by 0.01 (a 33 % change of that rate).
  const int pupils = 2000;
  const auto doc = attendsim::config::Document::parse(plain_markov_config(pupils), "plain.toml");
  const auto cfg = attendsim::models::parse_model_config(doc);
  Eigen::Matrix4d P;
  P << 0.9528, 0.0400, 0.0070, 0.0002,  //
      0.3000, 0.5880, 0.1100, 0.0020,   //
      0.0800, 0.1300, 0.7740, 0.0160,   //
      0.0200, 0.0250, 0.0500, 0.9050;
  Eigen::RowVector4d pi(1.0 - 0.085 - 0.070 - 0.015, 0.085, 0.070, 0.015);
  attendsim::models::RunOptions opt;
  opt.seed = 20261125;
  opt.replications = 60;
  opt.threads = 2;
  const auto res = attendsim::models::run_experiment(cfg, {attendsim::models::ScenarioSpec{}}, opt);
  int rejected = 0;
  for (int t = 0; t < 24; ++t) {
    if (t % 12 < 10) pi = pi * P;
    std::vector<double> v;
    for (const auto& u : res.units)
      v.push_back(u.occupancy[0][static_cast<std::size_t>(t * 5 + 1)]);
    double mean = 0, m2 = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    for (double x : v) m2 += (x - mean) * (x - mean);
    const double se =
        std::sqrt(m2 / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
    rejected += std::abs(mean - pupils * pi(1)) > 4.0 * se;
  }
  EXPECT_GT(rejected, 12);
}
