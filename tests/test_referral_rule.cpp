// Referrals that answer to the team's queue (docs/methods.md §4.3 step 7, §4.7): the
// referral decision of one pupil under each rule, worked by hand; and, over the staffing
// ladder of every founding config, the wait of admitted pupils falls as staffing grows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/case_book.hpp"
#include "models/pupil_rules.hpp"
#include "models/simulation.hpp"
#include "paths.hpp"
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

TEST(ReferralRule, QueueLimitHoldsAsTheQueueFillsWithinTheMonth) {
  // Limit 10, 7 waiting after the last case management: of five schools' pupils deciding in
  // the same month, in pupil order, with u = 0.1 (< p_r p_consent = 0.4), the first three
  // join the queue (Q = 7, 8, 9 < 10) and the other two are held back (Q = 10). A consent
  // refusal (u = 0.45) does not join the queue and does not count towards Q.
  const auto p = params(ReferralRule::queue_limit, 10, 1, -1);
  const PupilRules rules(p, ScenarioSpec{}, 12);
  MonthTally month;
  std::vector<Decision> got;
  for (double u : {0.1, 0.45, 0.1, 0.1, 0.1, 0.1}) {
    attendsim::models::Pupil q;
    q.state = 2;
    q.status = attendsim::models::detail::kSchoolAction;
    got.push_back(rules.refer(q, u, 3, true, 7, month));
  }
  const std::vector<Decision> want = {Decision::queued,       Decision::declined,
                                      Decision::queued,       Decision::queued,
                                      Decision::not_referred, Decision::not_referred};
  EXPECT_EQ(got, want);
  EXPECT_EQ(month.queued[0], 3U);
  EXPECT_EQ(month.queued_in_month, 3);
  EXPECT_EQ(month.referred[0], 4U);
  EXPECT_EQ(month.held_back[0], 2U);
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
    std::string t = testsupport::without_referral_rule(testsupport::reference_config_text());
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

namespace {

/// A case book with `n` pupils in extensive absence waiting (pupils 0..n-1, in order), and the
/// coordinator parameters of the CaseEnd tests: cases close after 20 regular months or 24 in
/// all, and end otherwise with probability `p_end` a month.
struct CaseEndBook {
  attendsim::models::CoordinatorParams cp;
  std::vector<attendsim::models::Pupil> pupils;
  attendsim::models::detail::CaseBook book;
  attendsim::models::ReplicationOutcome out = attendsim::models::detail::empty_outcome(24);
  CaseEndBook(int n, double p_end, attendsim::StreamKey key)
      : pupils(static_cast<std::size_t>(n)), book(attendsim::models::Allocation::fifo, key) {
    cp.close_after_regular_months = 20;
    cp.max_case_months = 24;
    cp.p_case_end_per_month = p_end;
    for (std::uint32_t i = 0; i < pupils.size(); ++i) {
      pupils[i].state = 3;
      pupils[i].status = attendsim::models::detail::kWaiting;
      book.add_referral(i);
    }
  }
  /// The case management of step t with n slots (every waiting pupil eligible).
  void manage(int t, int slots) {
    const double eligible[2] = {static_cast<double>(pupils.size()), 0};
    book.manage(t, slots, cp, eligible, pupils.data(), out);
  }
};

}  // namespace

TEST(CaseEnd, EveryCaseEndsAfterItsFirstMonthAtOneAndNoneAtZero) {
  // The case book's other ends (p_case_end_per_month, docs/methods.md §4.7), by hand: 40
  // pupils in extensive absence wait, 40 slots; at step 0 all are admitted. At p = 1 every case
  // ends at the next month's management (its first month counted), at p = 0 none before
  // max_case_months.
  for (double pe : {0.0, 1.0}) {
    CaseEndBook b(40, pe, attendsim::StreamKey{1, 0, 0, 0, 0});
    b.manage(0, 40);
    EXPECT_EQ(b.out.cases_started[0], 40);
    b.manage(1, 40);
    int open = 0;
    for (const auto& q : b.pupils) open += q.status == attendsim::models::detail::kInCase;
    EXPECT_EQ(open, pe == 0 ? 40 : 0) << pe;
    EXPECT_EQ(b.out.open_cases[1], pe == 0 ? 40 : 0) << pe;
  }
}

TEST(CaseEnd, ChanceOfEndingInAMonthIsTheConfiguredOne) {
  // 4 000 open cases, p = 0.067: after one month's management the cases still open are
  // Binomial(4 000, 0.933) (each case's draw is its own, docs/methods.md §4.7): mean 3 732,
  // SE sqrt(4 000 x 0.067 x 0.933) = 15.8; within 4 SE. And a second month: 0.933^2 x 4 000.
  const int n = 4000;
  CaseEndBook b(n, 0.067, attendsim::StreamKey{5, 0, 2, 0, 0});
  b.manage(0, n);
  const double p1 = 0.933, p2 = 0.933 * 0.933;
  b.manage(1, n);
  EXPECT_NEAR(b.out.open_cases[1], n * p1, 4 * std::sqrt(n * p1 * (1 - p1)));
  b.manage(2, n);
  EXPECT_NEAR(b.out.open_cases[2], n * p2, 4 * std::sqrt(n * p2 * (1 - p2)));
}

namespace {

/// Mean and 95 % confidence half-width of the values.
std::pair<double, double> mean_ci(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  const double se =
      std::sqrt(ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
  return {m, 1.96 * se};
}

}  // namespace

class LadderWait : public ::testing::TestWithParam<std::string> {};

// Along the config's staffing ladder (attendsim compare), the mean wait of the pupils who were
// admitted falls at every rung (until it is 0), and the 95 % intervals at the two ends of the
// ladder do not overlap (replications on common random numbers, base parameter values). Under a
// rule that answers to the queue a larger team drains the queue faster, and schools refer more only
// while the queue is short.
TEST_P(LadderWait, AdmittedWaitFallsWithStaffing) {
  const auto path = std::filesystem::path(ATTENDSIM_SOURCE_DIR) / "configs" / GetParam();
  const auto cfg = attendsim::models::parse_model_config(
      attendsim::config::Document::parse(testsupport::read_file(path), path.string()));
  const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  ASSERT_NE(p.detection.referral_rule, ReferralRule::always) << "a founding config answers to "
                                                                "the queue";
  // The ladder: the scenarios after the baseline, one per staffing level (a founding config
  // compares one allocation and one referral policy along its ladder).
  ASSERT_LE(cfg.compare.allocation_policies.size(), 1U);
  ASSERT_LE(cfg.compare.referral_policies.size(), 1U);
  const auto all = attendsim::models::comparison_scenarios(cfg);
  const std::size_t levels = cfg.compare.staffing_levels_fte.size();
  ASSERT_GE(all.size(), levels + 1);
  const std::vector<ScenarioSpec> ladder(all.begin() + 1,
                                         all.begin() + 1 + static_cast<long>(levels));
  // 40 replications: a 1-FTE team has 3 slots and admits about 8 pupils in a two-year
  // project, so its mean wait is noisy (sd about 2.5 months).
  constexpr int kReps = 40;
  std::vector<std::vector<double>> wait(ladder.size());
  for (int r = 0; r < kReps; ++r) {
    const attendsim::StreamKey key{cfg.run.seed, 0, static_cast<std::uint64_t>(r), 0, 0};
    const auto rec = attendsim::models::record_baseline(p, key);
    for (std::size_t k = 0; k < ladder.size(); ++k) {
      const auto o = attendsim::models::simulate_from_baseline(rec, p, ladder[k]);
      const double admitted = o.cases_started[0] + o.cases_started[1];
      ASSERT_GT(admitted, 0);
      wait[k].push_back((o.admitted_wait_months_sum[0] + o.admitted_wait_months_sum[1]) / admitted);
    }
  }
  std::vector<std::pair<double, double>> ci;
  for (const auto& w : wait) ci.push_back(mean_ci(w));
  // Never rises from one rung to the next beyond the two rungs' 95 % half-widths while anyone
  // waits (neighbouring rungs may be within noise: uppsala_2018's 1 and 2 FTE, whose long cases
  // fill the first slots at once), and a team large enough to admit everyone at once has a wait
  // of exactly 0, and so has every larger one.
  for (std::size_t k = 1; k < ci.size(); ++k) {
    if (ci[k - 1].first > 0) {
      EXPECT_LT(ci[k].first, ci[k - 1].first + ci[k - 1].second + ci[k].second)
          << ladder[k].name << " vs " << ladder[k - 1].name;
    } else {
      EXPECT_EQ(ci[k].first, 0) << ladder[k].name;
    }
  }
  for (std::size_t k = 0; k < ci.size(); ++k) {
    std::cout << GetParam() << " " << ladder[k].name << ": admitted wait " << ci[k].first << " +- "
              << ci[k].second << " months\n";
  }
  const auto lo = ci.front(), hi = ci.back();
  // Every founding config, uppsala_2018 included: its cases end at S6's other reasons too
  // (p_case_end_per_month, docs/methods.md §4.7), so a larger team's slots turn over faster
  // and serve its queue sooner. (Before, its cases lasted to the project's end, the queue was
  // drained by withdrawals at any staffing, and the ends overlapped: 3.4 +- 0.7 months at
  // 1 FTE, 2.8 +- 0.1 at 8.)
  EXPECT_GT(lo.first - lo.second, hi.first + hi.second)
      << ladder.front().name << " " << lo.first << " +- " << lo.second << ", " << ladder.back().name
      << " " << hi.first << " +- " << hi.second;
}

INSTANTIATE_TEST_SUITE_P(FoundingConfigs, LadderWait,
                         ::testing::Values("uppsala_2018.toml", "uppsala_2020.toml",
                                           "mora_2019.toml", "stockholm_2014.toml"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string n = param_info.param;
                           return n.substr(0, n.find('.'));
                         });

// On the simulator: with queue_limit L the queue after each month's case management never
// holds more than L pupils (every pupil joined it while fewer than L waited, and case
// management only takes pupils out), and the limit binds (held-back referrals, a queue at L).
// Scarce capacity (1 FTE, 10 slots) keeps demand above what the team takes.
TEST(ReferralRule, QueueStaysWithinItsLimitInEveryMonth) {
  std::string t = testsupport::without_referral_rule(testsupport::reference_config_text());
  t = testsupport::set_key(t, "population", "pupils", "6000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "3");
  t = testsupport::set_key(t, "detection", "p_consent",
                           "0.85\nreferral_rule = \"queue_limit\"\nqueue_limit = 12");
  const auto cfg = attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
  const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  ScenarioSpec scarce;
  scarce.name = "scarce";
  scarce.staffing.periods = {{0, 1.0}};
  for (std::uint64_t r = 0; r < 3; ++r) {
    const auto o = attendsim::models::simulate(p, scarce, attendsim::StreamKey{5, 0, r, 0, 0});
    double longest = 0;
    for (std::size_t s = 0; s < o.queue_length.size(); ++s) {
      EXPECT_LE(o.queue_length[s], 12) << "replication " << r << ", step " << s;
      longest = std::max(longest, o.queue_length[s]);
    }
    EXPECT_EQ(longest, 12) << "replication " << r;
    EXPECT_GT(o.referrals_held_back[0] + o.referrals_held_back[1], 0) << "replication " << r;
  }
}

TEST(ReferralRule, QueueLimitTakesAMonthsReferralsInNoPupilOrder) {
  // docs/methods.md §4.3 step 7: under a queue limit, who gets the queue's last places in a
  // month must not depend on the pupil index. Pupils are exchangeable (gender drawn per
  // pupil, grades round-robin over indices), so at a binding limit the pupils of the lower
  // half of the indices must get half the referrals that join the queue. Taken in index
  // order (the rule before this test) they got all of them: 1.00, with about 440 joining and
  // 2 400 held back in each replication (measured with the priority set to the index, which
  // gives the old decisions exactly). Girls' and each band's shares are compared as well;
  // under index order they were within 2 binomial SE too (girls 0.448 of the referred, 0.438
  // of the referable; grades 10-12 0.473 and 0.489).
  // 20 000 pupils for 4 years, queue limit 12, 12 FTE: the limit binds every month. Short
  // cases (the reference's coordinators before its refit) keep about 440 joining a replication.
  std::string t = testsupport::without_referral_rule(
      testsupport::with_short_cases(testsupport::reference_config_text()));
  t = testsupport::set_key(t, "population", "pupils", "20000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "4");
  t = testsupport::set_key(t, "detection", "p_consent",
                           "0.85\nreferral_rule = \"queue_limit\"\nqueue_limit = 12");
  const auto cfg = attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
  const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  ScenarioSpec scarce;
  scarce.name = "scarce";
  scarce.staffing.periods = {{0, 12.0}};
  const int n = p.population.pupils;
  std::vector<double> low_share;
  double referred_cells[2] = {0, 0}, referable_cells[2] = {0, 0};  // girls, all
  double band_referred[3] = {0, 0, 0}, band_referable[3] = {0, 0, 0};
  for (std::uint64_t r = 0; r < 8; ++r) {
    attendsim::models::Trace trace;
    trace.pupils.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
      trace.pupils[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(i);
    const auto o =
        attendsim::models::simulate(p, scarce, attendsim::StreamKey{9, 0, r, 0, 0}, &trace);
    double low = 0, all = 0;
    // A referral joined the queue in step s: the pupil was in school action before the step
    // and after it waits or (admitted in the same month) is in a case, queued at s.
    for (std::size_t s = 0; s < trace.after_step.size(); ++s) {
      const auto& before = s == 0 ? trace.initial : trace.after_step[s - 1];
      for (int i = 0; i < n; ++i) {
        const auto& q = trace.after_step[s][static_cast<std::size_t>(i)];
        const auto j = static_cast<std::size_t>(i);
        if (before[j].status == attendsim::models::detail::kSchoolAction && q.queued_at == s &&
            (q.status == attendsim::models::detail::kWaiting ||
             q.status == attendsim::models::detail::kInCase)) {
          all += 1;
          low += i < n / 2;
        }
      }
    }
    std::cout << "[order] replication " << r << ": " << all << " referrals joined the queue, "
              << o.referrals_held_back[0] + o.referrals_held_back[1] << " held back\n";
    ASSERT_GT(all, 200) << "replication " << r;
    low_share.push_back(low / all);
    // By gender and band: the share of girls (of each band) among the referred and among the
    // referable (referred + held back by the limit).
    for (int c = 0; c < attendsim::models::kSubgroupCells; ++c) {
      const auto& cell = o.cells[static_cast<std::size_t>(c)];
      const double referred = cell.referrals[0] + cell.referrals[1];
      const double referable = referred + cell.referrals_held_back[0] + cell.referrals_held_back[1];
      const int g = c / attendsim::models::kBands, b = c % attendsim::models::kBands;
      referred_cells[1] += referred;
      referable_cells[1] += referable;
      if (g == 1) {
        referred_cells[0] += referred;
        referable_cells[0] += referable;
      }
      band_referred[b] += referred;
      band_referable[b] += referable;
    }
  }
  double m = 0;
  for (double x : low_share) m += x;
  m /= static_cast<double>(low_share.size());
  double ss = 0;
  for (double x : low_share) ss += (x - m) * (x - m);
  const double se = std::sqrt(ss / static_cast<double>(low_share.size() - 1) /
                              static_cast<double>(low_share.size()));
  std::cout << "[order] lower half of the indices: " << m << " of the queued (MC SE " << se
            << ")\n";
  EXPECT_LT(se, 0.03) << "too few referrals to tell index order apart";
  EXPECT_NEAR(m, 0.5, 4 * se);
  // Neutral by gender and band: each share among the referred within 4 binomial SE of the
  // share among the referable (n = pupils referred).
  const double nref = referred_cells[1];
  const double girls_ref = referred_cells[0] / nref,
               girls_all = referable_cells[0] / referable_cells[1];
  std::cout << "[order] girls: " << girls_ref << " of the referred, " << girls_all
            << " of the referable\n";
  EXPECT_NEAR(girls_ref, girls_all, 4 * std::sqrt(girls_all * (1 - girls_all) / nref));
  for (int b = 0; b < attendsim::models::kBands; ++b) {
    const double a = band_referred[b] / nref, e = band_referable[b] / referable_cells[1];
    std::cout << "[order] band " << b << ": " << a << " of the referred, " << e
              << " of the referable\n";
    EXPECT_NEAR(a, e, 4 * std::sqrt(e * (1 - e) / nref)) << "band " << b;
  }
}
