// A scenario of the hybrid (models/hybrid_chain.hpp, docs/methods.md §4.12) simulated from the
// hybrid's recorded baseline (record_hybrid_baseline, then simulate_from_baseline) equals
// simulate_hybrid of the scenario in full, in every field, bit for bit: over the allocation and
// referral policies, staffing schedules with gaps, scarce and ample capacity, the referral rules,
// PSA draws of every parameter, records made with other coordinator, detection and economic
// parameters, relapse and repeated years. The reference is simulate_hybrid itself (checked
// against the individual engine in distribution by tests/test_hybrid_chain.cpp); this file checks
// that the replay changes no number, as tests/test_scenario_from_baseline.cpp does for the
// individual engine. Plus the command line: run and compare give the same bytes from the record
// as with --full-scenarios, at 1 and 2 threads.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/derived_baseline.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/hybrid_chain.hpp"
#include "models/policies/allocation_policy.hpp"
#include "models/simulation.hpp"
#include "outcome_equal.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace fs = std::filesystem;

namespace {

using attendsim::StreamKey;
using attendsim::models::BaselineRecord;
using attendsim::models::ModelParams;
using attendsim::models::ReplicationOutcome;
using attendsim::models::ScenarioSpec;

/// configs/reference.toml with `edits` applied ({section, key, value}), pupils and horizon cut.
attendsim::models::ModelConfig hybrid_replay_config(
    std::vector<std::array<std::string, 3>> edits = {}, int pupils = 3000, int years = 4,
    bool without_referral_rule = false) {
  std::string t = testsupport::reference_config_text();
  if (without_referral_rule) t = testsupport::without_referral_rule(t);
  t = testsupport::set_key(t, "population", "pupils", std::to_string(pupils));
  t = testsupport::set_key(t, "simulation", "horizon_years",
                           std::to_string(years) + "\ncount_based = true");
  for (const auto& e : edits) t = testsupport::set_key(t, e[0], e[1], e[2]);
  return attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
}

ModelParams hybrid_replay_params(const attendsim::models::ModelConfig& cfg) {
  return attendsim::models::realise(cfg, cfg.parameters.base_values());
}

ScenarioSpec hybrid_replay_staffing(
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

/// Simulates `scenario` from the hybrid's record (made with `record_params`) and in full, for
/// replications 0..reps-1; returns the diverged share of the individuals' pupil-months. A
/// scenario that refers somebody must move some count off the baseline's (so that the equality
/// is not that of two baselines).
double hybrid_replay_check(const ModelParams& record_params, const ModelParams& params,
                           const ScenarioSpec& scenario, int reps, const std::string& what) {
  std::uint64_t diverged = 0, months = 0;
  for (int r = 0; r < reps; ++r) {
    const StreamKey key{7, 3, static_cast<std::uint64_t>(r), 0, 0};
    const BaselineRecord rec = attendsim::models::record_hybrid_baseline(record_params, key);
    EXPECT_TRUE(rec.hybrid);
    attendsim::models::FromBaselineCost cost;
    const auto fast = attendsim::models::simulate_from_baseline(rec, params, scenario, &cost);
    const auto full = attendsim::models::simulate_hybrid(params, scenario, key);
    testsupport::expect_same_outcome(fast, full, what + ", replication " + std::to_string(r));
    if (full.referrals[0] + full.referrals[1] > 0) {
      EXPECT_GT(cost.diverged_pupils, 0u) << what;
      EXPECT_FALSE(full.counts() == rec.outcome.counts()) << what;
    }
    diverged += cost.diverged_pupil_months;
    months += static_cast<std::uint64_t>(rec.pupils) * static_cast<std::uint64_t>(full.steps);
  }
  return static_cast<double>(diverged) / static_cast<double>(months);
}

/// Runs the CLI; returns the output folder.
fs::path hybrid_replay_cli(const fs::path& dir, const std::string& command, const std::string& args,
                           const std::string& tag) {
  const fs::path out = dir / tag;
  const auto r =
      testsupport::run_cli(command + " " + testsupport::shell_quoted(dir / "hybrid.toml") + " " +
                               args + " --quiet --out " + testsupport::shell_quoted(out),
                           dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

}  // namespace

TEST(HybridFromBaseline, RecordIsTheHybridBaselineAndBaselineScenarioIsTheRecord) {
  const auto cfg = hybrid_replay_config();
  const auto p = hybrid_replay_params(cfg);
  const StreamKey key{7, 0, 1, 0, 0};
  const auto rec = attendsim::models::record_hybrid_baseline(p, key);
  const auto full = attendsim::models::simulate_hybrid(p, ScenarioSpec{}, key);
  testsupport::expect_same_outcome(rec.outcome, full, "record");
  testsupport::expect_same_outcome(
      attendsim::models::simulate_from_baseline(rec, p, ScenarioSpec{}), full,
      "baseline from its record");
  testsupport::expect_same_outcome(attendsim::models::baseline_from_record(rec, p), full,
                                   "baseline");
  EXPECT_FALSE(rec.referral_points.empty());
  EXPECT_FALSE(rec.high_months.empty());
  EXPECT_FALSE(rec.replacements.empty());  // individuals finishing grade_max, replaced in place
  // The record's pupils are the individuals, fewer than the population's pupils (the rest stay
  // in cells), and every one of them has been in high or extensive absence.
  EXPECT_LT(rec.pupils, p.population.pupils);
  EXPECT_GE(full.eligible_pupils[0] + full.eligible_pupils[1], rec.pupils);
  for (const auto& rp : rec.referral_points) ASSERT_LT(rp.pupil, static_cast<unsigned>(rec.pupils));
  // A record of the hybrid is not derived from (derive_baseline steps the individual engine's
  // initial population).
  ModelParams q = p;
  q.population.share_girls = 0.45;
  BaselineRecord derived;
  EXPECT_THROW(attendsim::models::derive_baseline(rec, q, derived), std::exception);
}

TEST(HybridFromBaseline, ReferenceScenarioEqualsTheFullHybrid) {
  const auto cfg = hybrid_replay_config({}, 20000, 5);
  const auto p = hybrid_replay_params(cfg);
  // As configured: queue limit, relapse, repeated years, duration and seasonality.
  EXPECT_GT(p.transitions.relapse_mult, 1.0);
  const double share = hybrid_replay_check(p, p, cfg.scenario, 2, "reference");
  EXPECT_GT(share, 0.0);
  EXPECT_LT(share, 0.5);
}

TEST(HybridFromBaseline, EveryAllocationAndReferralPolicy) {
  const auto cfg = hybrid_replay_config();
  const auto p = hybrid_replay_params(cfg);
  for (const auto& policy : attendsim::names_of<attendsim::models::Allocation>()) {
    for (auto referral : {attendsim::models::ReferralPolicy::as_configured,
                          attendsim::models::ReferralPolicy::equal_referral}) {
      const auto sc = hybrid_replay_staffing(policy, {{0, 1.5}, {30, 0.0}}, policy, referral);
      hybrid_replay_check(p, p, sc, 2,
                          policy + (referral == attendsim::models::ReferralPolicy::equal_referral
                                        ? " + equal_referral"
                                        : ""));
    }
  }
}

TEST(HybridFromBaseline, StaffingWithGapsRampsAndALateStart) {
  const auto cfg = hybrid_replay_config();
  const auto p = hybrid_replay_params(cfg);
  hybrid_replay_check(
      p, p, hybrid_replay_staffing("gaps", {{0, 2.0}, {10, 0.0}, {14, 6.0}, {30, 1.0}, {40, 0.0}}),
      2, "gaps");
  hybrid_replay_check(p, p, hybrid_replay_staffing("late", {{21, 3.0}}), 2, "late start");
  hybrid_replay_check(p, p, hybrid_replay_staffing("summer", {{10, 4.0}, {12, 0.0}, {22, 4.0}}), 2,
                      "starts in July");
}

TEST(HybridFromBaseline, ScarceAndAmpleCapacityAndOtherRules) {
  // (Not coordinators.enabled = false: count_based then takes the count path, not the hybrid.)
  for (const auto& v : testsupport::replay_rule_variants()) {
    const auto cfg = hybrid_replay_config(v);
    const auto p = hybrid_replay_params(cfg);
    hybrid_replay_check(p, p, cfg.scenario, 1, v[0][0] + "." + v[0][1] + " = " + v[0][2]);
  }
}

TEST(HybridFromBaseline, EveryReferralRuleAndTriage) {
  // The rules read the queue of the last case management plus the month's referrals so far,
  // in id order, and pending decisions are taken in the referral-order stream's order: the
  // replay must hold the same queue at every decision. 1 FTE keeps the queue long.
  for (const auto& rule : testsupport::replay_referral_rules()) {
    const auto cfg =
        hybrid_replay_config({{"detection", "p_consent", "0.85\n" + rule}}, 3000, 4, true);
    const auto p = hybrid_replay_params(cfg);
    const auto scarce = hybrid_replay_staffing("scarce", {{0, 1.0}, {30, 0.0}});
    const auto full = attendsim::models::simulate_hybrid(p, scarce, StreamKey{7, 3, 0, 0, 0});
    EXPECT_GT(full.referrals_held_back[0] + full.referrals_held_back[1], 0) << rule << " binds";
    hybrid_replay_check(p, p, scarce, 2, rule + ", 1 FTE");
    for (const auto& policy : attendsim::names_of<attendsim::models::Allocation>())
      hybrid_replay_check(p, p, hybrid_replay_staffing(policy, {{0, 1.0}}, policy), 1,
                          rule + ", " + policy);
  }
}

TEST(HybridFromBaseline, PsaDrawsAndRecordsWithOtherCoordinatorDetectionAndEconomics) {
  // Five PSA draws of every parameter; the scenario simulated from a record of the draw's
  // parameters and from a record whose [coordinators], [detection] and [economics] come from
  // another draw (the detection decisions then replayed over the record's high months).
  const auto cfg = hybrid_replay_config();
  for (std::uint64_t d = 0; d < 5; ++d) {
    const auto p = attendsim::models::realise(cfg, cfg.parameters.sample(11, d));
    hybrid_replay_check(p, p, cfg.scenario, 1, "draw " + std::to_string(d));
    const ModelParams other = attendsim::models::realise(cfg, cfg.parameters.sample(11, d + 100));
    ModelParams rec = p;
    rec.coordinators = other.coordinators;
    rec.detection = other.detection;
    rec.economics = other.economics;
    ASSERT_TRUE(attendsim::models::same_baseline_path(rec, p));
    hybrid_replay_check(rec, p, cfg.scenario, 1,
                        "draw " + std::to_string(d) + " from another's record");
  }
}

TEST(HybridFromBaseline, OtherDetectionParametersAreReplayedOverTheRecord) {
  const auto cfg = hybrid_replay_config();
  const auto p = hybrid_replay_params(cfg);
  const StreamKey key{7, 3, 0, 0, 0};
  const auto rec = attendsim::models::record_hybrid_baseline(p, key);
  for (double detect : {0.05, 0.9, 1.0}) {
    for (int action : {0, 1, 4}) {
      ModelParams q = p;
      q.detection.p_detect_per_month = detect;
      q.detection.school_action_months = action;
      const std::string what =
          "p_detect " + std::to_string(detect) + ", school action " + std::to_string(action);
      hybrid_replay_check(p, q, cfg.scenario, 1, what);
      const auto full = attendsim::models::simulate_hybrid(q, ScenarioSpec{}, key);
      testsupport::expect_same_outcome(attendsim::models::baseline_from_record(rec, q), full,
                                       what + ": baseline");
    }
  }
  ModelParams q = p;
  q.detection.p_detect_per_month = 0.6;
  q.detection.school_action_months = 1;
  for (const std::string policy : {"gender_parity", "gender_proportional", "severity_first"})
    hybrid_replay_check(
        p, q, hybrid_replay_staffing(policy, {{0, 3.0}, {12, 0.0}, {20, 2.0}}, policy), 1, policy);
  // A record without high months serves only its own detection parameters.
  BaselineRecord lean;
  attendsim::models::record_hybrid_baseline(p, key, lean, /*keep_high_months=*/false);
  EXPECT_TRUE(lean.high_months.empty());
  testsupport::expect_same_outcome(attendsim::models::simulate_from_baseline(lean, p, cfg.scenario),
                                   attendsim::models::simulate_hybrid(p, cfg.scenario, key),
                                   "lean");
  EXPECT_THROW(attendsim::models::simulate_from_baseline(lean, q, cfg.scenario), std::exception);
}

TEST(HybridFromBaseline, TransitionsInEveryMonthAreNotRecorded) {
  // The replay steps summers by year_end and new_school_year alone: as record_baseline, the
  // hybrid's record refuses transitions in every month (run_experiment then simulates every
  // scenario in full).
  auto t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "1000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "2\ncount_based = true");
  t.insert(t.find("[transitions.grade0_6]"), "[transitions]\nmonths = \"all\"\n\n");
  const auto cfg =
      attendsim::models::parse_model_config(attendsim::config::Document::parse(t, "all.toml"));
  const auto p = hybrid_replay_params(cfg);
  EXPECT_THROW(attendsim::models::record_hybrid_baseline(p, {1, 0, 0, 0, 0}), std::exception);
}

TEST(HybridFromBaseline, RunAndCompareGiveTheSameBytesFromTheRecordAsInFullAtOneAndTwoThreads) {
  const auto dir = testsupport::scratch_dir("hybrid-replay-cli");
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "4000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "3\ncount_based = true");
  testsupport::write_file(dir / "hybrid.toml", t);
  const std::string run_args = "--replications 3 --seed 7";
  const auto full =
      hybrid_replay_cli(dir, "run", run_args + " --threads 2 --full-scenarios", "full");
  for (const int threads : {1, 2}) {
    const auto out =
        hybrid_replay_cli(dir, "run", run_args + " --threads " + std::to_string(threads),
                          "t" + std::to_string(threads));
    for (const char* name : {"summary.json", "summary.csv", "occupancy.csv"}) {
      const std::string a = testsupport::read_file(full / name);
      EXPECT_FALSE(a.empty()) << name;
      EXPECT_TRUE(a == testsupport::read_file(out / name))
          << name << " differs at " << threads << " threads";
    }
  }
  // compare: a ladder of staffing levels and policies, each a scenario from the one record.
  const std::string cmp_args = "--draws 2 --replications 2 --seed 7";
  const auto cmp_full =
      hybrid_replay_cli(dir, "compare", cmp_args + " --threads 2 --full-scenarios", "cmp-full");
  for (const int threads : {1, 2}) {
    const auto out =
        hybrid_replay_cli(dir, "compare", cmp_args + " --threads " + std::to_string(threads),
                          "cmp-t" + std::to_string(threads));
    for (const char* name : {"comparison.csv", "equity.csv", "summary.json"}) {
      const std::string a = testsupport::read_file(cmp_full / name);
      EXPECT_FALSE(a.empty()) << name;
      EXPECT_TRUE(a == testsupport::read_file(out / name))
          << "compare " << name << " differs at " << threads << " threads";
    }
  }
  fs::remove_all(dir);
}
