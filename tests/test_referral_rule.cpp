// Referrals that answer to the team's queue (docs/methods.md §4.3 step 7, §4.7): the
// referral decision of one pupil under each rule, worked by hand; and, over the staffing
// ladder of every founding config, the wait of admitted pupils falls as staffing grows.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/pupil_rules.hpp"
#include "models/simulation.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

using attendsim::models::ModelParams;
using attendsim::models::ReferralRule;
using attendsim::models::ScenarioSpec;
using attendsim::models::detail::Decision;
using attendsim::models::detail::MonthTally;
using attendsim::models::detail::PupilRules;

/// A boy in school action, in state `state`, at his referral decision with uniform u and
/// `queue` pupils waiting; p_refer_boys 0.5, p_consent 0.8 (so p_r p_consent = 0.4).
struct Decided {
  Decision decision;
  MonthTally tally;
};
Decided decide(const ModelParams& p, double u, int queue, int state = 2) {
  const PupilRules rules(p, ScenarioSpec{}, 12);
  attendsim::models::Pupil q;
  q.state = static_cast<std::uint8_t>(state);
  q.status = attendsim::models::detail::kSchoolAction;
  Decided d;
  d.decision = rules.refer(q, u, 3, true, queue, d.tally);
  return d;
}

ModelParams params(ReferralRule rule, double limit, double half, double triage) {
  ModelParams p;
  p.detection.p_refer_boys = 0.5;
  p.detection.p_consent = 0.8;
  p.detection.referral_rule = rule;
  p.detection.queue_limit = limit;
  p.detection.queue_half = half;
  p.detection.triage_queue = triage;
  return p;
}

}  // namespace

TEST(ReferralRule, AlwaysIsTheConfiguredProbability) {
  const auto p = params(ReferralRule::always, 0, 1, -1);
  // Whatever the queue: queued below 0.4, declined in [0.4, 0.5), else not referred.
  for (int queue : {0, 50, 5000}) {
    EXPECT_EQ(decide(p, 0.39, queue).decision, Decision::queued);
    EXPECT_EQ(decide(p, 0.45, queue).decision, Decision::declined);
    const auto none = decide(p, 0.55, queue);
    EXPECT_EQ(none.decision, Decision::not_referred);
    EXPECT_EQ(none.tally.held_back[0], 0U);
  }
}

TEST(ReferralRule, QueueLimitStopsReferralsAtTheLimit) {
  const auto p = params(ReferralRule::queue_limit, 10, 1, -1);
  EXPECT_EQ(decide(p, 0.39, 9).decision, Decision::queued);
  EXPECT_EQ(decide(p, 0.45, 9).decision, Decision::declined);
  // At the limit no referral: a pupil the school would have referred (u < 0.5) is held back.
  for (double u : {0.01, 0.39, 0.45}) {
    const auto d = decide(p, u, 10);
    EXPECT_EQ(d.decision, Decision::not_referred) << u;
    EXPECT_EQ(d.tally.held_back[0], 1U) << u;
    EXPECT_EQ(d.tally.referred[0], 0U) << u;
  }
  EXPECT_EQ(decide(p, 0.6, 10).tally.held_back[0], 0U);
}

TEST(ReferralRule, QueueDeclineHalvesTheProbabilityAtQueueHalf) {
  const auto p = params(ReferralRule::queue_decline, 0, 5, -1);
  // queue 5 = queue_half: p_r = 0.5 x 5 / 10 = 0.25; queued below 0.25 x 0.8 = 0.2.
  EXPECT_EQ(decide(p, 0.199, 5).decision, Decision::queued);
  EXPECT_EQ(decide(p, 0.201, 5).decision, Decision::declined);
  EXPECT_EQ(decide(p, 0.249, 5).decision, Decision::declined);
  const auto held = decide(p, 0.251, 5);
  EXPECT_EQ(held.decision, Decision::not_referred);
  EXPECT_EQ(held.tally.held_back[0], 1U);
  // queue 15: p_r = 0.5 x 5 / 20 = 0.125, queued below 0.1.
  EXPECT_EQ(decide(p, 0.099, 15).decision, Decision::queued);
  EXPECT_EQ(decide(p, 0.101, 15).decision, Decision::declined);
  // An empty queue: as configured.
  EXPECT_EQ(decide(p, 0.39, 0).decision, Decision::queued);
}

TEST(ReferralRule, TriageTakesOnlyExtensiveAbsenceAboveItsQueue) {
  const auto p = params(ReferralRule::always, 0, 1, 4);
  const int high = 2, extensive = 3;
  EXPECT_EQ(decide(p, 0.1, 3, high).decision, Decision::queued);
  const auto turned = decide(p, 0.1, 4, high);
  EXPECT_EQ(turned.decision, Decision::not_referred);
  EXPECT_EQ(turned.tally.held_back[0], 1U);
  EXPECT_EQ(decide(p, 0.1, 4, extensive).decision, Decision::queued);
  EXPECT_EQ(decide(p, 0.1, 400, extensive).decision, Decision::queued);
}

TEST(ReferralRule, ConfigReadsTheRuleAndRefusesIncompleteOnes) {
  auto parse = [](const std::string& extra) {
    std::string t = testsupport::reference_config_text();
    t = testsupport::set_key(t, "detection", "p_consent", "0.85\n" + extra);
    return attendsim::models::parse_model_config(
        attendsim::config::Document::parse(t, "reference.toml"));
  };
  const auto cfg = parse("referral_rule = \"queue_decline\"\nqueue_half = 25");
  const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  EXPECT_EQ(p.detection.referral_rule, ReferralRule::queue_decline);
  EXPECT_EQ(p.detection.queue_half, 25);
  EXPECT_LT(p.detection.triage_queue, 0);
  EXPECT_THROW(parse("referral_rule = \"queue_decline\""), std::exception);
  EXPECT_THROW(parse("referral_rule = \"queue_limit\""), std::exception);
  EXPECT_THROW(parse("referral_rule = \"sometimes\""), std::exception);
  EXPECT_THROW(parse("queue_limit = 5"), std::exception);  // without its rule
  EXPECT_THROW(parse("referral_rule = \"queue_decline\"\nqueue_half = 0"), std::exception);
}
