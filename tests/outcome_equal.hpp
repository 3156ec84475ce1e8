#pragma once
// Every field of two replication outcomes, exactly: the check of a scenario simulated from a
// recorded baseline against the same scenario simulated in full, on the individual engine
// (test_scenario_from_baseline.cpp) and on the hybrid (test_hybrid_from_baseline.cpp).
#include <gtest/gtest.h>

#include <string>

#include "models/simulation.hpp"

namespace testsupport {

/// Every field of a and b, exactly (doubles compared with ==: they hold integers, or sums of
/// multiples of 2^-32 that are exact in any order).
inline void expect_same_outcome(const attendsim::models::ReplicationOutcome& a,
                                const attendsim::models::ReplicationOutcome& b,
                                const std::string& what) {
  namespace m = attendsim::models;
  SCOPED_TRACE(what);
  ASSERT_EQ(a.steps, b.steps);
  ASSERT_EQ(a.occupancy.size(), b.occupancy.size());
  for (std::size_t t = 0; t < a.occupancy.size(); ++t)
    ASSERT_EQ(a.occupancy[t], b.occupancy[t]) << "occupancy at step " << t;
  EXPECT_EQ(a.events.fte, b.events.fte);
  EXPECT_EQ(a.events.repeated_years, b.events.repeated_years);
  EXPECT_EQ(a.events.repeated_years_compulsory, b.events.repeated_years_compulsory);
  EXPECT_EQ(a.events.summer_school, b.events.summer_school);
  EXPECT_EQ(a.events.placements, b.events.placements);
  EXPECT_EQ(a.events.noncompletions, b.events.noncompletions);
  EXPECT_EQ(a.events.terminal_noncompletions, b.events.terminal_noncompletions);
  EXPECT_EQ(a.events.terminal_noncompletions_by_cell, b.events.terminal_noncompletions_by_cell);
  for (int s = 0; s < m::kAttendanceStates; ++s)
    EXPECT_EQ(a.pupil_months[s], b.pupil_months[s]) << "state " << s;
  EXPECT_EQ(a.long_term_absent_pupil_years, b.long_term_absent_pupil_years);
  EXPECT_EQ(a.school_years, b.school_years);
  // Every count, word by word (member order of OutcomeCounts), and as a whole.
  const auto wa = m::count_words(a), wb = m::count_words(b);
  for (std::size_t i = 0; i < wa.size(); ++i) EXPECT_EQ(wa[i], wb[i]) << "count word " << i;
  EXPECT_TRUE(a.counts() == b.counts());
  // And every subgroup cell's counts (gender x band), word by word.
  for (std::size_t c = 0; c < a.cells.size(); ++c) {
    const auto ca = m::count_words(a.cells[c]);
    const auto cb = m::count_words(b.cells[c]);
    for (std::size_t i = 0; i < ca.size(); ++i)
      EXPECT_EQ(ca[i], cb[i]) << "cell " << c << " count word " << i;
  }
  EXPECT_EQ(a.queue_length, b.queue_length);
  for (int s = 0; s < m::kAttendanceStates; ++s)
    EXPECT_EQ(a.admitted_by_state[s], b.admitted_by_state[s]);
  for (int k = 0; k < m::kBands; ++k) EXPECT_EQ(a.admitted_by_band[k], b.admitted_by_band[k]);
  EXPECT_EQ(a.school_exits, b.school_exits);
  EXPECT_EQ(a.open_cases, b.open_cases);
  EXPECT_EQ(a.pupil_months_simulated, b.pupil_months_simulated);
}

}  // namespace testsupport
