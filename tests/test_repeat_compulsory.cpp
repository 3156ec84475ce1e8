// Repeated years in compulsory school (docs/methods.md §4.9 step 5): grades 1-8 repeat with
// probability p_repeat_year_per_extensive_year_compulsory x (extensive months / 10), drawn
// on July's high word (unused below grade 9), stay in their grade, and are costed at
// cost_repeated_year_compulsory_sek (S41).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis/economics.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/simulation.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

using attendsim::models::ModelParams;
using attendsim::models::ReplicationOutcome;
using attendsim::models::ScenarioSpec;

/// 1 300 pupils, 100 in each grade 0..12 (pupil i in grade i mod 13), all in extensive absence
/// for good (the extensive row stays put), nobody leaving: in July every pupil has 10 months in
/// extensive absence.
ModelParams all_extensive(int years, double p_compulsory) {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "1300");
  t = testsupport::set_key(t, "simulation", "horizon_years", std::to_string(years));
  auto cfg = attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
  auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  for (auto& pr : p.population.prevalence) pr = {0.0, 0.0, 1.0};
  for (auto& band : p.transitions.base) band[3] = {0.0, 0.0, 0.0, 1.0};
  p.transitions.leaving_enabled = false;
  p.outcomes.p_placement_per_year_if_extensive = 0;
  p.outcomes.p_repeat_per_extensive_year_compulsory = p_compulsory;
  return p;
}

TEST(RepeatCompulsory, EveryPupilOfGrades1To8RepeatsAtProbabilityOne) {
  const auto p = all_extensive(1, 1.0);
  const auto o = attendsim::models::simulate(p, ScenarioSpec{}, {5, 0, 0, 0, 0});
  EXPECT_EQ(o.repeated_years_compulsory, 800.0);  // grades 1..8, 100 each
  double cells = 0;
  for (const auto& c : o.cells) cells += c.repeated_years_compulsory;
  EXPECT_EQ(cells, 800.0);
  // Upper-secondary repeats (grades 10-12 at 0.25) are counted in repeated_years beside them.
  EXPECT_GT(o.repeated_years, 800.0);
  EXPECT_EQ(o.events.repeated_years_compulsory[10], 800.0);  // July of the first year
}

TEST(RepeatCompulsory, RepeatersStayInTheirGrade) {
  // Two years at probability 1: grade 8 stays grade 8, so no pupil finishes grade 9 in the
  // second July (only the 100 of the first); without repeats the first year's grade 8 does.
  const auto with = attendsim::models::simulate(all_extensive(2, 1.0), {}, {5, 0, 0, 0, 0});
  const auto without = attendsim::models::simulate(all_extensive(2, 0.0), {}, {5, 0, 0, 0, 0});
  EXPECT_EQ(with.grade9_finishers, 100.0);
  EXPECT_EQ(without.grade9_finishers, 200.0);
  EXPECT_EQ(without.repeated_years_compulsory, 0.0);
  // Second July: grades 1-8 hold the first year's 800 repeaters and the 100 of grade 0 who
  // moved up to grade 1: 900 repeat, 1 700 in two years.
  EXPECT_EQ(with.repeated_years_compulsory, 1700.0);
}

TEST(RepeatCompulsory, OwnDrawLeavesOtherEventsUnchanged) {
  // One year: the repeats happen in the last July, so every other count of the year is the
  // same with and without them (the draw is the July high word below grade 9, unused before).
  const attendsim::StreamKey key{9, 0, 3, 0, 0};
  const auto a = attendsim::models::simulate(all_extensive(1, 0.3), {}, key);
  const auto b = attendsim::models::simulate(all_extensive(1, 0.0), {}, key);
  EXPECT_EQ(a.repeated_years - a.repeated_years_compulsory, b.repeated_years);
  EXPECT_EQ(a.summer_school, b.summer_school);
  EXPECT_EQ(a.eligible_upper_secondary, b.eligible_upper_secondary);
  EXPECT_EQ(a.completed_upper_secondary, b.completed_upper_secondary);
  EXPECT_EQ(a.long_term_absent_pupil_years, b.long_term_absent_pupil_years);
  EXPECT_EQ(a.occupancy, b.occupancy);
  // Binomial(800, 0.3): mean 240, sd 12.96; within 4 sd.
  EXPECT_NEAR(a.repeated_years_compulsory, 240.0, 4 * std::sqrt(800 * 0.3 * 0.7));
}

TEST(RepeatCompulsory, CostedAtItsOwnPrice) {
  attendsim::models::EconomicsParams e;
  e.discount_rate = 0;
  e.attribution = 0;
  e.dropoff_per_year = 0;
  e.cost_repeated_year_sek = 120000;
  e.cost_repeated_year_compulsory_sek = 115000;
  attendsim::models::EventSeries b, s;
  b.resize(12);
  s.resize(12);
  b.repeated_years[10] = 3;             // two in compulsory school, one in upper secondary
  b.repeated_years_compulsory[10] = 2;  // avoided by the scenario
  s.repeated_years[10] = 0;
  const auto r = attendsim::models::evaluate_economics(e, b, s);
  EXPECT_DOUBLE_EQ(r.savings_short_term_sek, 2 * 115000.0 + 120000.0);
  EXPECT_DOUBLE_EQ(
      r.savings_by_payer[static_cast<std::size_t>(attendsim::models::Payer::education)],
      2 * 115000.0 + 120000.0);
}

}  // namespace
