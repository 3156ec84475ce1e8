// Expected terminal events ([outcomes] terminal_events = "expected", docs/methods.md §4.9):
// completion at the end of grade 12, summer school and the count of grade-9 pupils made
// eligible are counted by their probabilities given the simulated path. The paths are those
// of the drawn mode, the means agree with the drawn counts within Monte Carlo error, the
// noise across replications is lower (Rao-Blackwell), and every sum is a multiple of 2^-32.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/simulation.hpp"
#include "sim/config.hpp"
#include "sim/statistics.hpp"
#include "support.hpp"

namespace {

attendsim::models::ModelParams params(bool expected) {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "2000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "4");
  if (expected) {
    t = testsupport::set_key(t, "outcomes", "p_placement_per_year_if_extensive",
                             "0.03\nterminal_events = \"expected\"");
  }
  const auto cfg = attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
  return attendsim::models::realise(cfg, cfg.parameters.base_values());
}

}  // namespace

TEST(TerminalEvents, ExpectedCountsKeepThePathsAndAgreeWithTheDrawnOnesOnAverage) {
  const auto drawn = params(false), expected = params(true);
  ASSERT_EQ(drawn.outcomes.terminal_events, attendsim::models::TerminalEvents::drawn);
  ASSERT_EQ(expected.outcomes.terminal_events, attendsim::models::TerminalEvents::expected);
  attendsim::models::ScenarioSpec sc;
  sc.staffing.periods = {{0, 2.0}};
  const int reps = 400;
  attendsim::RunningStats diff_completed, diff_summer, diff_eligible, var_drawn, var_expected;
  for (int r = 0; r < reps; ++r) {
    const attendsim::StreamKey key{3, 0, static_cast<std::uint64_t>(r), 0, 0};
    const auto a = attendsim::models::simulate(drawn, sc, key);
    const auto b = attendsim::models::simulate(expected, sc, key);
    // The same pupils on the same paths: only the counted events differ.
    ASSERT_EQ(a.occupancy, b.occupancy) << r;
    ASSERT_EQ(a.sustained_returns[0], b.sustained_returns[0]) << r;
    ASSERT_EQ(a.repeated_years, b.repeated_years) << r;
    ASSERT_EQ(a.upper_sec_finishers, b.upper_sec_finishers) << r;
    ASSERT_EQ(a.grade9_finishers, b.grade9_finishers) << r;
    // Sums of multiples of 2^-32 below 2^21: exact, so x 2^32 is an integer.
    for (double x : {b.completed_upper_secondary, b.summer_school, b.eligible_upper_secondary}) {
      const double scaled = x * 0x1p32;
      EXPECT_EQ(scaled, std::floor(scaled)) << r;
    }
    // Every finisher either completes or not, in expectation too.
    double noncompletions = 0;
    for (double v : b.events.noncompletions) noncompletions += v;
    EXPECT_NEAR(b.completed_upper_secondary + noncompletions, b.upper_sec_finishers, 1e-6);
    diff_completed.add(b.completed_upper_secondary - a.completed_upper_secondary);
    diff_summer.add(b.summer_school - a.summer_school);
    diff_eligible.add(b.eligible_upper_secondary - a.eligible_upper_secondary);
    var_drawn.add(a.completed_upper_secondary);
    var_expected.add(b.completed_upper_secondary);
  }
  // On common paths each difference is a sum of (p - indicator) terms: mean 0.
  for (const auto* d : {&diff_completed, &diff_summer, &diff_eligible}) {
    const double se = std::sqrt(d->variance() / reps);
    ASSERT_GT(se, 0);
    EXPECT_LT(std::abs(d->mean()), 4 * se);
  }
  // Rao-Blackwell: removing the completion draws removes their variance.
  EXPECT_LT(var_expected.variance(), 0.8 * var_drawn.variance());
}
