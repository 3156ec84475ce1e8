#pragma once
// Every field of two replication outcomes, exactly: the check of a scenario simulated from a
// recorded baseline against the same scenario simulated in full, on the individual engine
// (test_scenario_from_baseline.cpp) and on the hybrid (test_hybrid_from_baseline.cpp), and the
// config variants both engines' replays are checked over.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

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

/// Config edits ({section, key, value}, applied to configs/reference.toml) under which a replay
/// must equal the full simulation: scarce and ample capacity, other case and detection rules,
/// fixed grades, no new cohorts, no leaving, leaving by state (a pupil waiting in the queue can
/// leave with its transition), expected terminal events, cases ending for other reasons.
inline std::vector<std::vector<std::array<std::string, 3>>> replay_rule_variants() {
  return {
      {{"coordinators", "caseload_per_fte", "1"}},
      {{"coordinators", "caseload_per_fte", "200"}},
      {{"coordinators", "close_after_regular_months", "1"},
       {"coordinators", "max_case_months", "2"}},
      {{"detection", "school_action_months", "0"}},
      {{"detection", "school_action_months", "3"}, {"detection", "p_consent", "1.0"}},
      {{"coordinators", "rr_improve_in_case", "6.0"}, {"coordinators", "rr_worsen_in_case", "0.1"}},
      {{"population", "grade_progression", "false"}},
      {{"population", "new_cohort_each_year", "false"}},
      {{"transitions.leaving", "enabled", "false"}},
      {{"transitions.leaving", "enabled", "true\np_leave_by_state = [0.001, 0.002, 0.004, 0.01]"}},
      {{"outcomes", "p_placement_per_year_if_extensive", "0.03\nterminal_events = \"expected\""}},
      {{"coordinators", "p_case_end_per_month", "0.3"}},
  };
}

/// The referral rules and triage (the [detection] lines after p_consent) that read the queue:
/// a replay must hold the same queue at every decision.
inline std::vector<std::string> replay_referral_rules() {
  return {
      "referral_rule = \"queue_limit\"\nqueue_limit = 12",
      "referral_rule = \"queue_limit\"\nqueue_limit = 0",
      "referral_rule = \"queue_decline\"\nqueue_half = 5",
      "referral_rule = \"queue_decline\"\nqueue_half = 5\ntriage_queue = 3",
      "triage_queue = 0",
  };
}

}  // namespace testsupport
