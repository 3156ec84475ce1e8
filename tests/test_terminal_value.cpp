// Value past the horizon (models/terminal_value.hpp, analysis/economics.hpp): one pupil in a
// given state and grade at the end of the horizon, worked by hand; and a pure grade 7-9
// effect, which is worth something with the value past the horizon and nothing without.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/economics.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/simulation.hpp"
#include "models/terminal_value.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

using attendsim::models::ModelParams;
using attendsim::models::ScenarioSpec;

/// One pupil, grade fixed at `grade` (no progression), starting in `state` for sure, with
/// monthly matrices that keep every state where it is except that `high_row` replaces the
/// row of high absence in every band; nobody leaves.
ModelParams one_pupil(int grade, int state, attendsim::models::Row high_row) {
  ModelParams p;
  p.horizon_years = 2;
  p.population.pupils = 1;
  p.population.grade_min = grade;
  p.population.grade_max = grade;
  p.population.grade_progression = false;
  p.population.new_cohort_each_year = false;
  for (auto& band : p.population.prevalence) {
    band = {0, 0, 0};
    if (state > 0) band[static_cast<std::size_t>(state - 1)] = 1.0;
  }
  for (auto& m : p.transitions.base) {
    for (int i = 0; i < 4; ++i) {
      m[i] = {0, 0, 0, 0};
      m[i][i] = 1.0;
    }
    m[2] = high_row;
  }
  p.transitions.leaving_enabled = false;
  p.transitions.duration_enabled = false;
  p.transitions.relapse_enabled = false;
  p.transitions.seasonality_enabled = false;
  p.coordinators.enabled = false;
  return p;
}

}  // namespace

TEST(TerminalValue, OnePupilInHighAbsenceInGradeSevenByHand) {
  // States stay put: a grade-7 pupil in high absence is in high absence at the end of
  // grade 9 and of grade 12. Default outcome probabilities (models/params.hpp):
  //   P(eligible) = p_eligible_by_state[high] = 0.65
  //   P(complete) = 0.65 x p_complete_if_eligible_by_state[high] + 0.35 x
  //                 p_complete_if_not_eligible = 0.65 x 0.60 + 0.35 x 0.15 = 0.4425
  // so 1 - 0.4425 = 0.5575 expected non-completions, in July of the grade-12 year: after a
  // horizon of 2 years the pupil starts grade 7 at step 24 and finishes grade 12 at step
  // 24 + 12 x 5 + 10 = 94.
  const auto p = one_pupil(7, 2, {0, 0, 1, 0});
  const auto o = attendsim::models::simulate(p, ScenarioSpec{}, {1, 0, 0, 0, 0});
  const auto& tn = o.events.terminal_noncompletions;
  ASSERT_GT(tn.size(), 94U);
  for (std::size_t t = 0; t < tn.size(); ++t) {
    if (t == 94)
      EXPECT_NEAR(tn[t], 0.5575, 1e-12);
    else
      EXPECT_EQ(tn[t], 0.0) << "step " << t;
  }
  EXPECT_EQ(attendsim::models::completion_step(2, 7), 94);
}

TEST(TerminalValue, ProjectionMovesThePupilOnTheBaseMatrices) {
  // High absence returns to regular for sure in the first month: the pupil is regular at
  // the end of grade 9 and of grade 12: P(complete) = 0.92 x 0.90 + 0.08 x 0.15 = 0.84.
  const auto p = one_pupil(7, 2, {1, 0, 0, 0});
  EXPECT_NEAR(attendsim::models::projected_completion(p, 7, 2, false), 0.84, 1e-12);
  // Half the mass leaves high absence for regular each month; over the 30 school months of
  // grades 7-9, 2^-30 stays: pe = 0.92 (1 - 2^-30) + 0.65 2^-30; then 30 more months in
  // grades 10-12: the share still high at the end is 2^-60.
  const auto q = one_pupil(7, 2, {0.5, 0, 0.5, 0});
  const double h9 = std::ldexp(1.0, -30), h12 = std::ldexp(1.0, -60);
  const double pe = 0.92 * (1 - h9) + 0.65 * h9;
  const double pc = 0.90 * (1 - h12) + 0.60 * h12;
  EXPECT_NEAR(attendsim::models::projected_completion(q, 7, 2, false), pe * pc + (1 - pe) * 0.15,
              1e-12);
  // In grade 11 eligibility is known: eligible completes with pc, not eligible with 0.15.
  const auto r = one_pupil(11, 2, {0, 0, 1, 0});
  EXPECT_NEAR(attendsim::models::projected_completion(r, 11, 2, true), 0.60, 1e-12);
  EXPECT_NEAR(attendsim::models::projected_completion(r, 11, 2, false), 0.15, 1e-12);
}

TEST(TerminalValue, EconomicsValuesTheExpectedNonCompletionsAtTheirStep) {
  // A baseline with 0.5575 expected non-completions at step 94 and a scenario with none:
  // with the value past the horizon on, the saving is 0.5575 x value x (1 + r)^(-94/12);
  // off, 0.
  attendsim::models::EconomicsParams e;
  e.discount_rate = 0.03;
  attendsim::models::EventSeries b, s;
  b.resize(24);
  s.resize(24);
  b.terminal_noncompletions.assign(95, 0.0);
  s.terminal_noncompletions.assign(95, 0.0);
  b.terminal_noncompletions[94] = 0.5575;
  e.terminal_value = false;
  const auto off = attendsim::models::evaluate_economics(e, b, s);
  EXPECT_EQ(off.savings_sek, 0.0);
  EXPECT_EQ(off.savings_terminal_sek, 0.0);
  e.terminal_value = true;
  const auto on = attendsim::models::evaluate_economics(e, b, s);
  // value per non-completion, by hand: public share 0.5 x 3 600 000 x A, A the mean over
  // k = 0..40 of 1.03^-(5 + k) (ages 24..64 from completion at 19).
  double a = 0;
  for (int k = 0; k < 41; ++k) a += std::pow(1.03, -(5.0 + k));
  a /= 41;
  const double expected = 0.5575 * 0.5 * 3600000 * a * std::pow(1.03, -94.0 / 12.0);
  EXPECT_NEAR(on.savings_terminal_sek, expected, 1e-6 * expected);
  EXPECT_NEAR(on.savings_sek, expected, 1e-6 * expected);
  EXPECT_NEAR(on.savings_long_term_sek, expected, 1e-6 * expected);
  EXPECT_NEAR(on.cumulative_savings_by_year.back(), expected, 1e-6 * expected);
}

namespace {

/// configs/stockholm_2014.toml (grades 7-9) with the short-term unit values at 0, so that
/// only completions carry value, and the value past the horizon on or off.
attendsim::models::ModelConfig grades_7_9(bool terminal) {
  const auto path = std::filesystem::path(ATTENDSIM_SOURCE_DIR) / "configs" / "stockholm_2014.toml";
  std::string t = testsupport::read_file(path);
  for (const char* k : {"cost_repeated_year_sek", "cost_repeated_year_compulsory_sek",
                        "cost_summer_school_sek", "cost_placement_per_day_sek"})
    t = testsupport::set_key(t, "economics", k, "0");
  t = testsupport::set_key(t, "economics", "terminal_value", terminal ? "true" : "false");
  t = testsupport::set_key(t, "population", "pupils", "3000");
  return attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, path.string()));
}

}  // namespace

TEST(TerminalValue, PureGradeSevenToNineEffectIsWorthSomethingOnlyWithIt) {
  // Grades 7-9 only: nobody finishes upper secondary school inside the horizon, so without
  // the value past the horizon the effect is worth exactly 0; with it, the pupils helped in
  // grades 7-9 leave grade 9 more often eligible and in better attendance, which is worth a
  // positive amount (mean over replications more than 3 standard errors above 0).
  for (bool terminal : {false, true}) {
    const auto cfg = grades_7_9(terminal);
    const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
    ASSERT_EQ(p.economics.terminal_value, terminal);
    std::vector<double> savings;
    for (int r = 0; r < 12; ++r) {
      const attendsim::StreamKey key{3, 0, static_cast<std::uint64_t>(r), 0, 0};
      const auto rec = attendsim::models::record_baseline(p, key);
      const auto o = attendsim::models::simulate_from_baseline(rec, p, cfg.scenario);
      const auto e =
          attendsim::models::evaluate_economics(p.economics, rec.outcome.events, o.events);
      if (!terminal) {
        EXPECT_EQ(e.savings_sek, 0.0) << "replication " << r;
      }
      savings.push_back(e.savings_sek);
    }
    if (terminal) {
      double m = 0, ss = 0;
      for (double x : savings) m += x;
      m /= static_cast<double>(savings.size());
      for (double x : savings) ss += (x - m) * (x - m);
      const double se = std::sqrt(ss / static_cast<double>(savings.size() - 1) /
                                  static_cast<double>(savings.size()));
      EXPECT_GT(m, 3 * se) << "mean " << m << ", se " << se;
    }
  }
}
