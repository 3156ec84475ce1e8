// The regular-pupil fast path of models/simulation.cpp against the general rules
// (PupilRules::school_month, models/pupil_rules.hpp): every pupil-month of a baseline
// simulation is stepped again by hand from the traced state before it, on the same engine
// output (the pupil stream of docs/methods.md §2.4), through the general rules only. State
// and counters must be the same, pupil by pupil and month by month.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/pupil_rules.hpp"
#include "models/simulation.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "sim/streams.hpp"
#include "support.hpp"

namespace {

using namespace attendsim::models;
using namespace attendsim::models::detail;

void check_fast_path_against_general_rules(const std::string& text, std::uint64_t seed) {
  const auto cfg = parse_model_config(attendsim::config::Document::parse(text, "fast.toml"));
  const ModelParams p = realise(cfg, cfg.parameters.base_values());
  ASSERT_LE(p.population.pupils, kChunkPupils) << "one chunk: one engine, pupils in order";
  const ScenarioSpec baseline;
  const attendsim::StreamKey key{seed, 0, 0, 0, 0};
  Trace trace;
  trace.pupils.resize(static_cast<std::size_t>(p.population.pupils));
  std::iota(trace.pupils.begin(), trace.pupils.end(), 0U);
  const ReplicationOutcome sim = simulate(p, baseline, key, &trace);
  const int steps = sim.steps;
  ASSERT_EQ(trace.after_step.size(), static_cast<std::size_t>(steps));

  const PupilRules rules(p, baseline, steps);
  const attendsim::CounterStream draws = pupil_month_stream(key);
  ReplicationOutcome scratch;
  scratch.steps = steps;
  scratch.occupancy.assign(static_cast<std::size_t>(steps), {});
  scratch.events.resize(steps);
  double sustained[kGenders] = {0, 0}, detected[kGenders] = {0, 0};
  std::uint64_t regular_no_status = 0, summer_stays = 0;
  // Under transitions in every month July and August are stepped too, by summer_step (the
  // general rules of the summer fast path, Simulator::summer_stay).
  const bool all_months = p.transitions.months == TransitionMonths::all;
  const std::vector<Pupil>* before = &trace.initial;
  for (int t = 0; t < steps; ++t) {
    const auto& after = trace.after_step[static_cast<std::size_t>(t)];
    const bool school = t % kMonthsPerYear < kSchoolMonthsPerYear;
    MonthTally tally;
    const SchoolMonth k =
        school ? rules.school_month_constants(t, false, 0) : rules.summer_month_constants(t);
    for (std::size_t i = 0; i < after.size(); ++i) {
      const std::uint64_t x = draws.at(i, static_cast<std::uint32_t>(t));  // draw (i, t)
      if (!school && !all_months) continue;
      Pupil q = (*before)[i];
      if (q.state == kRegular && q.status == 0) ++regular_no_status;
      if (!school) {
        rules.summer_step(q, x, k, tally, scratch);
        summer_stays += q.state == (*before)[i].state && q.state != kLeft && q.status == 0;
        ASSERT_TRUE(q == after[i]) << "pupil " << i << ", summer step " << t << ": state "
                                   << int(q.state) << " vs " << int(after[i].state);
        continue;
      }
      const Decision d = rules.school_month(q, x, k, -1, tally, scratch);
      ASSERT_NE(d, Decision::queued) << "no programme in the baseline";
      ASSERT_TRUE(q == after[i]) << "pupil " << i << ", step " << t << ": state " << int(q.state)
                                 << " vs " << int(after[i].state);
    }
    if (school || all_months) {
      // The tally is by subgroup cell (gender x band): its sums over cells.
      for (int s = 0; s < kStates; ++s) {
        std::uint32_t occ = 0;
        for (const auto& cell : tally.occ) occ += cell[s];
        EXPECT_EQ(occ, sim.occupancy[static_cast<std::size_t>(t)][s])
            << "step " << t << ", state " << s;
      }
      for (int c = 0; c < attendsim::models::kSubgroupCells; ++c) {
        const int g = c / attendsim::models::kBands;
        sustained[g] += tally.sustained[c];
        detected[g] += tally.detected[c];
      }
    }
    before = &after;
  }
  for (int g = 0; g < kGenders; ++g) {
    EXPECT_EQ(sustained[g], sim.sustained_returns[g]) << "gender " << g;
    EXPECT_EQ(detected[g], sim.detected[g]) << "gender " << g;
  }
  // The table covered the fast path: most pupil-months start regular without status.
  EXPECT_GT(regular_no_status, static_cast<std::uint64_t>(p.population.pupils) * 10);
  // And, in every month, the summer one: most summer pupil-months stay in their state.
  if (all_months) {
    EXPECT_GT(summer_stays, static_cast<std::uint64_t>(p.population.pupils) * (steps / 12));
  }
}

TEST(FastPath, SameStateAndCountersAsTheGeneralRulesOnTheReference) {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "4000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "3");
  check_fast_path_against_general_rules(t, 11);
  check_fast_path_against_general_rules(t, 12);
}

TEST(FastPath, SameStateAndCountersWithFrequentMovesAndShortSustainedReturns) {
  // Many moves out of and back to regular, relapse windows and sustained returns after one
  // month: the fast path's bookkeeping of runs, flags and returns is exercised often.
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "2000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "2");
  t = testsupport::set_key(t, "outcomes", "sustained_return_months", "1");
  t = testsupport::set_key(t, "population.prevalence.grade0_6", "high", "0.2");
  check_fast_path_against_general_rules(t, 3);
}

TEST(FastPath, SameStateAndCountersWithoutDetection) {
  // Nobody detected: pupils staying in high or extensive take the fast path too.
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "3000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "2");
  t = testsupport::set_key(t, "detection", "p_detect_per_month", "0");
  check_fast_path_against_general_rules(t, 5);
}

TEST(FastPath, SameStateAndCountersOnThePeerChain) {
  // The peers' chain (leaving by state, no detection), at one chunk; in school months only,
  // as the check steps school months (summer returns would not be in its sums).
  std::string t =
      testsupport::read_file(std::string(ATTENDSIM_SOURCE_DIR) + "/bench/peer_chain.toml");
  t = testsupport::set_key(t, "population", "pupils", "4000");
  t = testsupport::set_key(t, "transitions", "months", "\"school\"");
  check_fast_path_against_general_rules(t, 7);
}

TEST(FastPath, SameStateAndCountersInEveryMonthOnThePeerChainAndTheReference) {
  // Transitions in every month: July and August take the summer fast path
  // (Simulator::summer_stay) or PupilRules::summer_step, checked against summer_step alone.
  // The peers' chain (one grade, no progression, leaving by state), and the reference with
  // grades 0-12 moving up, new entrants, the year's events of grades 8-12, relapse windows
  // and detection; and the reference with sustained returns after one month.
  std::string t =
      testsupport::read_file(std::string(ATTENDSIM_SOURCE_DIR) + "/bench/peer_chain.toml");
  t = testsupport::set_key(t, "population", "pupils", "4000");
  check_fast_path_against_general_rules(t, 8);
  std::string r = testsupport::reference_config_text();
  r = testsupport::set_key(r, "population", "pupils", "4000");
  r = testsupport::set_key(r, "simulation", "horizon_years", "3");
  r.insert(r.find("[transitions.grade0_6]"), "[transitions]\nmonths = \"all\"\n\n");
  check_fast_path_against_general_rules(r, 9);
  r = testsupport::set_key(r, "outcomes", "sustained_return_months", "1");
  check_fast_path_against_general_rules(r, 10);
}

}  // namespace
