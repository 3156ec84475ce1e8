// A scenario simulated from a recorded baseline (models/baseline/scenario_from_baseline.hpp) equals
// the full simulation of that scenario in every field, bit for bit: over the allocation and
// referral policies, staffing schedules with gaps, scarce and ample capacity, PSA draws of
// every parameter, and the switches of the analytic checks. The reference is simulate()
// itself, the code the rest of the suite checks against hand computations and analytic
// results; this file checks that the shortcut changes no number.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/policies/allocation_policy.hpp"
#include "models/simulation.hpp"
#include "outcome_equal.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

using attendsim::StreamKey;
using attendsim::models::BaselineRecord;
using attendsim::models::ModelParams;
using attendsim::models::ReplicationOutcome;
using attendsim::models::ScenarioSpec;

/// configs/reference.toml with `edits` applied ({section, key, value}), pupils and horizon cut.
attendsim::models::ModelConfig edited_config(std::vector<std::array<std::string, 3>> edits = {},
                                             int pupils = 3000, int years = 4,
                                             bool without_referral_rule = false) {
  std::string t = testsupport::reference_config_text();
  if (without_referral_rule) t = testsupport::without_referral_rule(t);
  t = testsupport::set_key(t, "population", "pupils", std::to_string(pupils));
  t = testsupport::set_key(t, "simulation", "horizon_years", std::to_string(years));
  for (const auto& e : edits) t = testsupport::set_key(t, e[0], e[1], e[2]);
  return attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
}

ScenarioSpec staffing(
    const std::string& name, std::vector<std::pair<int, double>> periods,
    const std::string& policy = "fifo",
    attendsim::models::ReferralPolicy referral = attendsim::models::ReferralPolicy::as_configured) {
  ScenarioSpec s;
  s.name = name;
  for (auto [from, fte] : periods) s.staffing.periods.push_back({from, fte});
  s.allocation_policy = attendsim::parse_name<attendsim::models::Allocation>(policy).value();
  s.referral_policy = referral;
  return s;
}

/// Simulates `scenario` both ways for replications 0..reps-1; returns the diverged share.
double check(const ModelParams& record_params, const ModelParams& params,
             const ScenarioSpec& scenario, int reps, const std::string& what) {
  std::uint64_t diverged = 0, total = 0;
  for (int r = 0; r < reps; ++r) {
    const StreamKey key{7, 3, static_cast<std::uint64_t>(r), 0, 0};
    const BaselineRecord rec = attendsim::models::record_baseline(record_params, key);
    attendsim::models::FromBaselineCost cost;
    const auto fast = attendsim::models::simulate_from_baseline(rec, params, scenario, &cost);
    const auto full = attendsim::models::simulate(params, scenario, key);
    testsupport::expect_same_outcome(fast, full, what + ", replication " + std::to_string(r));
    diverged += cost.diverged_pupil_months;
    total += full.pupil_months_simulated;
  }
  return static_cast<double>(diverged) / static_cast<double>(total);
}

ModelParams base_params(const attendsim::models::ModelConfig& cfg) {
  return attendsim::models::realise(cfg, cfg.parameters.base_values());
}

}  // namespace

TEST(ScenarioFromBaseline, RecordIsTheBaselineAndBaselineScenarioIsTheRecord) {
  const auto cfg = edited_config();
  const auto p = base_params(cfg);
  const StreamKey key{7, 0, 1, 0, 0};
  const auto rec = attendsim::models::record_baseline(p, key);
  const auto full = attendsim::models::simulate(p, ScenarioSpec{}, key);
  testsupport::expect_same_outcome(rec.outcome, full, "record");
  testsupport::expect_same_outcome(
      attendsim::models::simulate_from_baseline(rec, p, ScenarioSpec{}), full,
      "baseline from its record");
  EXPECT_FALSE(rec.referral_points.empty());
}

TEST(ScenarioFromBaseline, ReferenceScenarioEqualsTheFullSimulation) {
  const auto cfg = edited_config({}, 20000, 5);
  const auto p = base_params(cfg);
  const double share = check(p, p, cfg.scenario, 2, "reference");
  // It is worth doing: most pupil-months stay on the baseline's path.
  EXPECT_GT(share, 0.0);
  EXPECT_LT(share, 0.25);
}

TEST(ScenarioFromBaseline, EveryAllocationAndReferralPolicy) {
  const auto cfg = edited_config();
  const auto p = base_params(cfg);
  for (const auto& policy : attendsim::names_of<attendsim::models::Allocation>()) {
    for (auto referral : {attendsim::models::ReferralPolicy::as_configured,
                          attendsim::models::ReferralPolicy::equal_referral}) {
      const auto sc = staffing(policy, {{0, 1.5}, {30, 0.0}}, policy, referral);
      check(p, p, sc, 2,
            policy + (referral == attendsim::models::ReferralPolicy::equal_referral
                          ? " + equal_referral"
                          : ""));
    }
  }
}

TEST(ScenarioFromBaseline, StaffingWithGapsRampsAndALateStart) {
  const auto cfg = edited_config();
  const auto p = base_params(cfg);
  check(p, p, staffing("gaps", {{0, 2.0}, {10, 0.0}, {14, 6.0}, {30, 1.0}, {40, 0.0}}), 2, "gaps");
  check(p, p, staffing("late", {{21, 3.0}}), 2, "late start, to the end");
  check(p, p, staffing("summer", {{10, 4.0}, {12, 0.0}, {22, 4.0}}), 2, "starts in July");
}

TEST(ScenarioFromBaseline, ScarceAndAmpleCapacityAndOtherCaseRules) {
  auto variants = testsupport::replay_rule_variants();
  variants.push_back({{"coordinators", "enabled", "false"}});  // no programme: idle scenarios
  for (const auto& v : variants) {
    const auto cfg = edited_config(v);
    const auto p = base_params(cfg);
    check(p, p, cfg.scenario, 1, v[0][0] + "." + v[0][1] + " = " + v[0][2]);
  }
}

TEST(ScenarioFromBaseline, EveryReferralRuleAndTriage) {
  // The referral rules read the queue left by the previous month's case management plus the
  // referrals of the month so far, in pupil order: the scenario from the baseline must hold
  // the same queue at every decision. Scarce capacity (1 FTE) keeps the queue long, so that
  // the rules bind, within the month as well (limit 12 with about 10 slots).
  for (const auto& rule : testsupport::replay_referral_rules()) {
    const auto cfg = edited_config({{"detection", "p_consent", "0.85\n" + rule}}, 3000, 4, true);
    const auto p = base_params(cfg);
    EXPECT_NE(p.detection.referral_rule == attendsim::models::ReferralRule::always &&
                  p.detection.triage_queue < 0,
              true)
        << rule;
    const auto scarce = staffing("scarce", {{0, 1.0}, {30, 0.0}});
    const auto full = attendsim::models::simulate(p, scarce, StreamKey{7, 3, 0, 0, 0});
    EXPECT_GT(full.referrals_held_back[0] + full.referrals_held_back[1], 0) << rule << " binds";
    check(p, p, scarce, 2, rule + ", 1 FTE");
    check(p, p, staffing("gaps", {{2, 3.0}, {10, 0.0}, {14, 1.0}}), 1, rule + ", gaps");
    for (const auto& policy : attendsim::names_of<attendsim::models::Allocation>())
      check(p, p, staffing(policy, {{0, 1.0}}, policy), 1, rule + ", " + policy);
  }
}

TEST(ScenarioFromBaseline, CasesEndingForOtherReasons) {
  // p_case_end_per_month (docs/methods.md §4.7) draws on a stream of its own in the case book,
  // which both paths share: the scenario from the baseline ends the same cases in the same
  // months. A high chance (0.3) turns the slots over often; with a queue limit and scarce
  // staffing, so that the queue reads the case ends as well.
  for (const char* rule : {"", "\nreferral_rule = \"queue_limit\"\nqueue_limit = 12"}) {
    const auto cfg = edited_config({{"coordinators", "p_case_end_per_month", "0.3"},
                                    {"detection", "p_consent", std::string("0.85") + rule}},
                                   3000, 4, true);
    const auto p = base_params(cfg);
    EXPECT_EQ(p.coordinators.p_case_end_per_month, 0.3);
    check(p, p, staffing("scarce", {{0, 1.0}, {30, 0.0}}), 2, std::string("1 FTE") + rule);
    check(p, p, staffing("gaps", {{2, 3.0}, {10, 0.0}, {14, 1.0}}), 1, std::string("gaps") + rule);
    for (const auto& policy : attendsim::names_of<attendsim::models::Allocation>())
      check(p, p, staffing(policy, {{0, 2.0}}, policy), 1, policy + rule);
  }
}

TEST(ScenarioFromBaseline, PsaDrawsAndScenarioParametersOtherThanTheRecords) {
  // Five PSA draws of every parameter; the scenario is simulated from a record made with the
  // draw's parameters and, second, from a record whose coordinator, detection and economic
  // parameters come from another draw: they must not matter.
  const auto cfg = edited_config();
  for (std::uint64_t d = 0; d < 5; ++d) {
    const auto p = attendsim::models::realise(cfg, cfg.parameters.sample(11, d));
    check(p, p, cfg.scenario, 1, "draw " + std::to_string(d));
    ModelParams other = attendsim::models::realise(cfg, cfg.parameters.sample(11, d + 100));
    ModelParams rec = p;
    rec.coordinators = other.coordinators;
    rec.detection = other.detection;
    rec.economics = other.economics;
    ASSERT_TRUE(attendsim::models::same_baseline_path(rec, p));
    check(rec, p, cfg.scenario, 1, "draw " + std::to_string(d) + " from another's record");
  }
}

TEST(ScenarioFromBaseline, OtherDetectionParametersAreReplayedOverTheRecord) {
  // A record made with the config's detection (0.35 per month, 2 months of school action)
  // serves scenarios and baselines with other detection parameters: the detections and
  // referral decisions are replayed over its high/extensive months.
  const auto cfg = edited_config();
  const auto p = base_params(cfg);
  for (double detect : {0.05, 0.35, 0.9, 1.0}) {
    for (int action : {0, 1, 2, 4}) {
      ModelParams q = p;
      q.detection.p_detect_per_month = detect;
      q.detection.school_action_months = action;
      const std::string what =
          "p_detect " + std::to_string(detect) + ", school action " + std::to_string(action);
      ASSERT_TRUE(attendsim::models::same_baseline_path(p, q));
      check(p, q, cfg.scenario, 1, what);
      const StreamKey key{7, 3, 0, 0, 0};
      const auto rec = attendsim::models::record_baseline(p, key);
      ReplicationOutcome base;
      attendsim::models::simulate_from_baseline(rec, q, cfg.scenario, nullptr, &base);
      const auto full = attendsim::models::simulate(q, ScenarioSpec{}, key);
      testsupport::expect_same_outcome(base, full, what + ": baseline");
      testsupport::expect_same_outcome(attendsim::models::baseline_from_record(rec, q), full,
                                       what + ": baseline");
    }
  }
  // With the gender policies (which read running counts) and a schedule with a gap.
  ModelParams q = p;
  q.detection.p_detect_per_month = 0.6;
  q.detection.school_action_months = 1;
  for (const std::string policy : {"gender_parity", "gender_proportional", "severity_first"})
    check(p, q, staffing(policy, {{0, 3.0}, {12, 0.0}, {20, 2.0}}, policy), 1, policy);
}

TEST(ScenarioFromBaseline, RefusesARecordOfAnotherBaseline) {
  const auto cfg = edited_config();
  const auto p = base_params(cfg);
  const auto rec = attendsim::models::record_baseline(p, {1, 0, 0, 0, 0});
  for (int k = 0; k < 4; ++k) {
    ModelParams q = p;
    if (k == 0) q.population.prevalence[2][1] = 0.1;
    if (k == 1) q.transitions.relapse_mult = 3.0;
    if (k == 2) q.transitions.p_leave_per_month = 0.01;
    if (k == 3) q.outcomes.p_complete_if_not_eligible = 0.2;
    EXPECT_FALSE(attendsim::models::same_baseline_path(rec.params, q)) << k;
    EXPECT_THROW(attendsim::models::simulate_from_baseline(rec, q, cfg.scenario), std::exception)
        << k;
    EXPECT_THROW(attendsim::models::baseline_from_record(rec, q), std::exception) << k;
  }
  ModelParams e = p;
  e.economics.cost_per_fte_year_sek *= 2;
  EXPECT_TRUE(attendsim::models::same_simulation(p, e));
  ModelParams c = p;
  c.coordinators.rr_improve *= 2;
  EXPECT_FALSE(attendsim::models::same_simulation(p, c));
  EXPECT_TRUE(attendsim::models::same_baseline_path(p, c));
}
