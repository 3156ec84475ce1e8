// Metrics by subgroup (analysis/metrics.hpp, Subgroup): every count is counted in the total and
// in its pupil's cell (gender x grade band), so the cells of every count add up to the total
// word by word, and the subgroups of every additive metric add up to its total.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/metrics.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

using attendsim::StreamKey;
using attendsim::models::count_words;
using attendsim::models::CountWords;
using attendsim::models::kBands;
using attendsim::models::kGenders;
using attendsim::models::Metric;
using attendsim::models::ModelConfig;
using attendsim::models::ModelParams;
using attendsim::models::ReplicationOutcome;
using attendsim::models::ScenarioSpec;
using attendsim::models::Subgroup;

ModelConfig config(std::vector<std::array<std::string, 3>> edits, int pupils = 4000,
                   int years = 4) {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", std::to_string(pupils));
  t = testsupport::set_key(t, "simulation", "horizon_years", std::to_string(years));
  for (const auto& e : edits) t = testsupport::set_key(t, e[0], e[1], e[2]);
  return attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
}

ModelParams params_of(const ModelConfig& cfg) {
  return attendsim::models::realise(cfg, cfg.parameters.base_values());
}

ScenarioSpec team(double fte) {
  ScenarioSpec s;
  s.name = "team";
  s.staffing.periods.push_back({0, fte});
  return s;
}

/// The six cells of every count add up to the total, exactly.
void expect_cells_sum_to_total(const ReplicationOutcome& o, const std::string& what) {
  SCOPED_TRACE(what);
  CountWords sum{};
  for (const auto& c : o.cells) {
    const CountWords w = count_words(c);
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += w[i];
  }
  const CountWords total = count_words(o.counts());
  for (std::size_t i = 0; i < sum.size(); ++i) EXPECT_EQ(sum[i], total[i]) << "count word " << i;
}

/// For every additive metric, boys + girls and the three bands give the total (exactly for
/// plain counts; to rounding for counts over a shared denominator).
void expect_subgroups_sum_to_total(const ReplicationOutcome& o, const std::string& what) {
  SCOPED_TRACE(what);
  const auto total = attendsim::models::outcome_metrics(o, nullptr);
  const auto sub = attendsim::models::subgroup_metrics(o);  // boys, girls, bands 0-6, 7-9, 10-12
  ASSERT_EQ(sub.size(), 5U);
  int additive = 0;
  for (std::size_t m = 0; m < total.size(); ++m) {
    const auto metric = static_cast<Metric>(m);
    if (!attendsim::models::additive_over_subgroups(metric)) continue;
    ++additive;
    const double genders = sub[0][m] + sub[1][m];
    const double bands = sub[2][m] + sub[3][m] + sub[4][m];
    const auto name = std::string(attendsim::models::metric_info(metric).name);
    if (std::isnan(total[m])) {  // undefined in total (e.g. per FTE-year without a team)
      EXPECT_TRUE(std::isnan(genders) && std::isnan(bands)) << name;
      continue;
    }
    const double tol = 1e-12 * std::max(1.0, std::abs(total[m]));
    EXPECT_NEAR(genders, total[m], tol) << name;
    EXPECT_NEAR(bands, total[m], tol) << name;
  }
  EXPECT_GE(additive, 30);  // every count metric of the table is tested
}

TEST(Subgroups, CellsOfEveryCountSumToTheTotal) {
  const StreamKey key{11, 0, 0, 0, 0};
  const ModelParams ref = params_of(config({}));
  ModelParams expected = ref;
  expected.outcomes.terminal_events = attendsim::models::TerminalEvents::expected;
  ModelParams queue_decline = ref;
  queue_decline.detection.referral_rule = attendsim::models::ReferralRule::queue_decline;
  queue_decline.detection.queue_half = 20;
  for (const auto& [p, what] : {std::pair{ref, std::string("reference")},
                                std::pair{expected, std::string("expected terminal events")},
                                std::pair{queue_decline, std::string("queue_decline")}}) {
    for (double fte : {0.0, 1.0, 5.0}) {
      const ScenarioSpec sc = fte > 0 ? team(fte) : ScenarioSpec{};
      const ReplicationOutcome o = attendsim::models::simulate(p, sc, key);
      const std::string w = what + ", " + std::to_string(fte) + " FTE";
      expect_cells_sum_to_total(o, w);
      expect_subgroups_sum_to_total(o, w);
      // The counted queue pupil-months are the queue series over the staffed school months
      // (what mean_queue_length read before it was counted).
      double queue = 0;
      for (std::size_t t = 0; t < o.queue_length.size(); ++t) {
        if (attendsim::models::is_school_month(static_cast<int>(t)) && o.events.fte[t] > 0)
          queue += o.queue_length[t];
      }
      EXPECT_EQ(queue, o.queue_pupil_months) << w;
      // The subgroups see events: cases in both genders, pupil-months in every band.
      if (fte > 0) {
        for (int g = 0; g < kGenders; ++g) {
          double cases = 0;
          for (int b = 0; b < kBands; ++b)
            cases += o.cells[static_cast<std::size_t>(attendsim::models::subgroup_cell(g, b))]
                         .cases_started[g];
          EXPECT_GT(cases, 0) << w << ", gender " << g;
        }
      }
    }
  }
}

TEST(Subgroups, ScenarioFromBaselineKeepsTheCells) {
  const ModelParams p = params_of(config({}));
  const StreamKey key{5, 0, 2, 0, 0};
  const auto rec = attendsim::models::record_baseline(p, key);
  const auto fast = attendsim::models::simulate_from_baseline(rec, p, team(3));
  const auto full = attendsim::models::simulate(p, team(3), key);
  for (std::size_t c = 0; c < full.cells.size(); ++c)
    EXPECT_TRUE(fast.cells[c] == full.cells[c]) << "cell " << c;
  expect_cells_sum_to_total(fast, "from baseline");
}

// An independent figure: with grades fixed, nobody leaving and 0-12 in the population, band b
// holds the pupils of its grades (pupil i is in grade i mod 13) for every school month, so its
// pupil-months in all four states are (pupils of the band) x 10 x years.
TEST(Subgroups, PupilMonthsByBandAreThePupilsOfItsGrades) {
  const int pupils = 1300, years = 2;
  ModelParams p = params_of(config({}, pupils, years));  // grades 0-12
  ASSERT_EQ(p.population.grade_min, 0);
  ASSERT_EQ(p.population.grade_max, 12);
  p.population.grade_progression = false;
  p.transitions.leaving_enabled = false;
  const ReplicationOutcome o = attendsim::models::simulate(p, ScenarioSpec{}, {3, 0, 0, 0, 0});
  const int per_grade = pupils / 13;
  const double expected[kBands] = {7.0 * per_grade * 10 * years, 3.0 * per_grade * 10 * years,
                                   3.0 * per_grade * 10 * years};
  const Subgroup bands[kBands] = {Subgroup::grade0_6, Subgroup::grade7_9, Subgroup::grade10_12};
  for (int b = 0; b < kBands; ++b) {
    const auto m = attendsim::models::outcome_metrics(
        attendsim::models::subgroup_outcome(o, bands[b]), nullptr);
    double months = 0;
    for (Metric s : {Metric::pupil_months_regular, Metric::pupil_months_worrying,
                     Metric::pupil_months_high, Metric::pupil_months_extensive})
      months += m[attendsim::models::metric_position(s)];
    EXPECT_EQ(months, expected[b]) << "band " << b;
  }
}

// Through the experiment: the subgroups' means of every additive metric add up to the total
// mean (to rounding of the means), for the baseline and a scenario.
TEST(Subgroups, ExperimentMeansAddUp) {
  const ModelConfig cfg = config({}, 3000, 3);
  attendsim::models::RunOptions opt;
  opt.replications = 4;
  opt.threads = 1;
  std::vector<ScenarioSpec> sc = {ScenarioSpec{}, team(2)};
  const auto res = attendsim::models::run_experiment(cfg, sc, opt);
  for (std::size_t s = 0; s < sc.size(); ++s) {
    for (std::size_t m = 0; m < attendsim::models::metric_count(false); ++m) {
      if (!attendsim::models::additive_over_subgroups(static_cast<Metric>(m))) continue;
      auto mean = [&](Subgroup g) {
        const auto v = res.unit_values(s, g, m);
        double sum = 0;
        for (double x : v) sum += x;
        return sum / static_cast<double>(v.size());
      };
      const double total = mean(Subgroup::total);
      if (std::isnan(total)) continue;  // undefined (per FTE-year of the baseline)
      const double tol = 1e-12 * std::max(1.0, std::abs(total));
      EXPECT_NEAR(mean(Subgroup::boys) + mean(Subgroup::girls), total, tol) << m;
      EXPECT_NEAR(mean(Subgroup::grade0_6) + mean(Subgroup::grade7_9) + mean(Subgroup::grade10_12),
                  total, tol)
          << m;
    }
  }
}

}  // namespace
