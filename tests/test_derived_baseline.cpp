// A baseline record derived from another (models/baseline/derived_baseline.hpp) equals a record
// made directly with the new parameters: outcome, referral points, high/extensive months,
// replacements and running eligible counts, bit for bit; and scenarios simulated from it
// equal their full simulations. The reference is record_baseline() / simulate(), checked
// elsewhere against hand computations and the analytic chain.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/derived_baseline.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/simulation.hpp"
#include "outcome_equal.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

using attendsim::models::BaselineRecord;
using attendsim::models::ModelParams;

attendsim::models::ModelConfig config(std::vector<std::array<std::string, 3>> edits = {}) {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "3000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "4");
  for (const auto& e : edits) t = testsupport::set_key(t, e[0], e[1], e[2]);
  return attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
}

void expect_same_record(const BaselineRecord& a, const BaselineRecord& b) {
  EXPECT_TRUE(a.params == b.params);
  testsupport::expect_same_outcome(a.outcome, b.outcome, "the record's outcome");
  EXPECT_EQ(a.eligible_after_step, b.eligible_after_step);
  EXPECT_EQ(a.replacements, b.replacements);
  ASSERT_EQ(a.high_months.size(), b.high_months.size());
  for (std::size_t k = 0; k < a.high_months.size(); ++k) {
    const auto &x = a.high_months[k], &y = b.high_months[k];
    ASSERT_TRUE(x.pupil == y.pupil && x.step == y.step && x.generation == y.generation &&
                x.r == y.r && x.state == y.state)
        << "high month " << k << ": pupil " << x.pupil << "/" << y.pupil << " step " << x.step
        << "/" << y.step << " generation " << x.generation << "/" << y.generation;
  }
  ASSERT_EQ(a.referral_points.size(), b.referral_points.size());
  for (std::size_t k = 0; k < a.referral_points.size(); ++k) {
    const auto &x = a.referral_points[k], &y = b.referral_points[k];
    ASSERT_TRUE(x.pupil == y.pupil && x.step == y.step && x.u == y.u && x.state == y.state)
        << "referral point " << k;
  }
}

/// Derives q's record from p's and checks it against q's recording; returns the derived one.
void check(const ModelParams& p, const ModelParams& q, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_TRUE(attendsim::models::derivable_baseline(p, q));
  for (std::uint64_t r = 0; r < 2; ++r) {
    const attendsim::StreamKey key{5, 2, r, 0, 0};
    const auto source = attendsim::models::record_baseline(p, key);
    BaselineRecord derived;
    attendsim::models::derive_baseline(source, q, derived);
    ModelParams q_detect = q;  // the derived record keeps the source's detection
    q_detect.detection = p.detection;
    expect_same_record(derived, attendsim::models::record_baseline(q_detect, key));
    // And a scenario (with q's own detection, replayed) from the derived record.
    attendsim::models::ScenarioSpec sc;
    sc.staffing.periods = {{0, 3.0}, {30, 0.0}};
    const auto fast = attendsim::models::simulate_from_baseline(derived, q, sc);
    const auto full = attendsim::models::simulate(q, sc, key);
    EXPECT_EQ(fast.occupancy, full.occupancy);
    EXPECT_EQ(fast.completed_upper_secondary, full.completed_upper_secondary);
    EXPECT_EQ(fast.events.noncompletions, full.events.noncompletions);
    EXPECT_EQ(fast.cases_started[0] + fast.cases_started[1],
              full.cases_started[0] + full.cases_started[1]);
    EXPECT_EQ(fast.detected[0], full.detected[0]);
    EXPECT_EQ(fast.wait_months_sum[1], full.wait_months_sum[1]);
  }
}

}  // namespace

TEST(DerivedBaseline, EachInitialStateParameterAlone) {
  const auto cfg = config();
  const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  for (int k = 0; k < 8; ++k) {
    ModelParams q = p;
    auto& pop = q.population;
    std::string what;
    switch (k) {
      case 0:
        pop.prevalence[2][1] = 0.12, what = "high share, grades 10-12";
        break;
      case 1:
        pop.prevalence[0][0] = 0.08, what = "worrying share, grades 0-6 (new entrants)";
        break;
      case 2:
        pop.prevalence[1][2] = 0.03, what = "extensive share, grades 7-9";
        break;
      case 3:
        pop.share_girls = 0.55, what = "share of girls (new entrants too)";
        break;
      case 4:
        pop.worrying_mult_boys = 1.3, what = "worrying multiplier, boys";
        break;
      case 5:
        pop.high_ratio_girls_vs_boys_grade7_12 = 1.4, what = "high ratio girls/boys";
        break;
      case 6:
        q.outcomes.share_eligible_at_start_upper_sec = 0.7, what = "eligible at start";
        break;
      default:
        pop.prevalence[0][1] = 0.04, pop.prevalence[2][2] = 0.05, pop.share_girls = 0.45;
        q.detection.p_detect_per_month = 0.5;  // the derived record keeps the source's
        q.coordinators.rr_improve = 2.0;
        what = "several at once, with other detection and coordinator values";
    }
    check(p, q, what);
  }
}

TEST(DerivedBaseline, PsaDrawsOfThePrevalenceAndTheSwitches) {
  const std::vector<std::vector<std::array<std::string, 3>>> variants = {
      {},
      {{"population", "grade_progression", "false"}},
      {{"population", "new_cohort_each_year", "false"}},
      {{"outcomes", "p_placement_per_year_if_extensive", "0.03\nterminal_events = \"expected\""}},
  };
  for (const auto& v : variants) {
    const auto cfg = config(v);
    const auto base = cfg.parameters.base_values();
    for (std::uint64_t d = 0; d < 3; ++d) {
      // Every initial-state parameter from a PSA draw, the rest at base.
      const auto draw = cfg.parameters.sample(21, d);
      auto values = base;
      for (std::size_t j = 0; j < values.size(); ++j) {
        const auto& path = cfg.parameters.at(j).path;
        if (path.rfind("population.", 0) == 0 ||
            path == "outcomes.share_eligible_at_start_upper_sec")
          values[j] = draw[j];
      }
      check(attendsim::models::realise(cfg, base), attendsim::models::realise(cfg, values),
            (v.empty() ? std::string("reference") : v[0][1]) + ", draw " + std::to_string(d));
    }
  }
}

TEST(DerivedBaseline, RefusesOtherChangesAndDerivedSources) {
  const auto cfg = config();
  const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  const auto source = attendsim::models::record_baseline(p, {1, 0, 0, 0, 0});
  BaselineRecord out;
  ModelParams q = p;
  q.transitions.relapse_mult = 3;
  EXPECT_FALSE(attendsim::models::derivable_baseline(p, q));
  EXPECT_THROW(attendsim::models::derive_baseline(source, q, out), std::exception);
  q = p;
  q.population.pupils = 2999;
  EXPECT_THROW(attendsim::models::derive_baseline(source, q, out), std::exception);
  q = p;
  q.population.prevalence[2][1] = 0.1;
  attendsim::models::derive_baseline(source, q, out);
  BaselineRecord again;
  EXPECT_THROW(attendsim::models::derive_baseline(out, q, again), std::exception);
}
