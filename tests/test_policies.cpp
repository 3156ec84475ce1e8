// Allocation policies on hand-built queues, and the gender-equity test of issue #3 on the
// simulator: with equal prevalence and girls referred at 0.8 x the boys' probability,
// `fifo` leaves girls with lower access (CI of the gap excludes 0), while `equal_referral`
// with `gender_parity` closes the gap (CI includes 0).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "analysis/comparison.hpp"
#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/policies/allocation_policy.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace attendsim::models;

namespace {

Candidate cand(int queued_at, State s, Gender g) {
  Candidate c;
  c.queued_at = queued_at;
  c.state = s;
  c.gender = g;
  return c;
}
constexpr Gender B = Gender::boy;
constexpr Gender G = Gender::girl;

std::vector<std::size_t> sorted(std::vector<std::size_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::size_t> choose(const std::string& policy, const std::vector<Candidate>& q,
                                int free, const AccessCounts& c = {}) {
  const auto kind = attendsim::parse_name<Allocation>(policy);
  EXPECT_TRUE(kind.has_value()) << policy;
  auto p = make_allocation_policy(kind.value_or(Allocation::fifo));
  EXPECT_EQ(p->name(), policy);
  return p->choose(q, free, c);
}

}  // namespace

TEST(Policies, OneNameTableNamesEveryPolicyAndItsClass) {
  const std::vector<std::string> names{"fifo", "severity_first", "gender_proportional",
                                       "gender_parity"};
  EXPECT_EQ(attendsim::names_of<Allocation>(), names);
  for (const auto& n : names) {
    const auto kind = attendsim::parse_name<Allocation>(n);
    ASSERT_TRUE(kind.has_value()) << n;
    EXPECT_EQ(attendsim::name_of(*kind), n);
    EXPECT_EQ(make_allocation_policy(*kind)->name(), n);  // the class answers to its name
  }
  EXPECT_FALSE(attendsim::parse_name<Allocation>("lottery").has_value());
  EXPECT_EQ(attendsim::known_names<Allocation>(),
            "fifo, severity_first, gender_proportional, gender_parity");
}

TEST(Policies, EveryPolicyAdmitsAtMostFreeSlotsAndEveryoneWhenRoom) {
  const std::vector<Candidate> q = {cand(0, State::high, B), cand(1, State::extensive, G),
                                    cand(2, State::high, G)};
  AccessCounts c;
  c.eligible[0] = 10;
  c.eligible[1] = 10;
  for (const auto& n : attendsim::names_of<Allocation>()) {
    EXPECT_EQ(sorted(choose(n, q, 10, c)), (std::vector<std::size_t>{0, 1, 2})) << n;
    EXPECT_EQ(choose(n, q, 2, c).size(), 2U) << n;
    EXPECT_TRUE(choose(n, q, 0, c).empty()) << n;
    EXPECT_TRUE(choose(n, {}, 3, c).empty()) << n;
  }
}

TEST(Policies, FifoTakesEarliestReferrals) {
  const std::vector<Candidate> q = {cand(0, State::high, B), cand(1, State::extensive, G),
                                    cand(2, State::high, G)};
  EXPECT_EQ(choose("fifo", q, 2), (std::vector<std::size_t>{0, 1}));
}

TEST(Policies, SeverityFirstServesExtensiveThenHighThenLongestWait) {
  // index:                     0 high@1            1 extensive@5            2 worrying@0
  //                            3 extensive@3       4 high@0
  const std::vector<Candidate> q = {cand(1, State::high, B), cand(5, State::extensive, G),
                                    cand(0, State::worrying, B), cand(3, State::extensive, B),
                                    cand(0, State::high, G)};
  // Extensive by referral step (3 before 5), then the longest-waiting high (step 0).
  EXPECT_EQ(choose("severity_first", q, 3), (std::vector<std::size_t>{3, 1, 4}));
  EXPECT_EQ(sorted(choose("severity_first", q, 4)), (std::vector<std::size_t>{0, 1, 3, 4}));
}

TEST(Policies, GenderParityServesTheGenderWithLowerAccessRate) {
  // Boys: 30 started of 100 eligible (0.30); girls: 10 of 50 (0.20). Hand computation, slot
  // by slot: girls 0.20 < 0.30 -> girl (11/50 = 0.22), girl (0.24), girl (0.26), girl (0.28),
  // girl (0.30); now equal -> earliest referral overall.
  AccessCounts c;
  c.eligible[0] = 100;
  c.cases_started[0] = 30;
  c.eligible[1] = 50;
  c.cases_started[1] = 10;
  const std::vector<Candidate> q = {cand(0, State::high, B), cand(1, State::high, B),
                                    cand(2, State::high, G), cand(3, State::high, G),
                                    cand(4, State::high, G), cand(5, State::high, G),
                                    cand(6, State::high, G), cand(7, State::high, G)};
  EXPECT_EQ(choose("gender_parity", q, 3, c), (std::vector<std::size_t>{2, 3, 4}));
  // Six slots: five girls bring the rates level (0.30 = 0.30); the sixth goes to the earliest
  // referral (boy at index 0).
  EXPECT_EQ(choose("gender_parity", q, 6, c), (std::vector<std::size_t>{0, 2, 3, 4, 5, 6}));
  // When the under-served gender has nobody waiting, the slot is not wasted.
  const std::vector<Candidate> boys_only = {cand(0, State::high, B), cand(1, State::high, B)};
  EXPECT_EQ(choose("gender_parity", boys_only, 2, c), (std::vector<std::size_t>{0, 1}));
}

TEST(Policies, GenderProportionalKeepsCaseloadInProportionToDetected) {
  // Eligible 60 boys, 40 girls; open cases 6 boys, 0 girls; 4 free slots -> S = 10, targets
  // 6 boys and 4 girls: all four slots to girls (shortfalls 0 vs 4, 3, 2, 1).
  AccessCounts c;
  c.eligible[0] = 60;
  c.eligible[1] = 40;
  c.in_case[0] = 6;
  const std::vector<Candidate> q = {cand(0, State::high, B), cand(1, State::high, B),
                                    cand(2, State::high, G), cand(3, State::high, G),
                                    cand(4, State::high, G), cand(5, State::high, G),
                                    cand(6, State::high, G)};
  EXPECT_EQ(choose("gender_proportional", q, 4, c), (std::vector<std::size_t>{2, 3, 4, 5}));
  // No open cases, 5 free: targets 3 boys, 2 girls. Shortfalls (boys, girls): (3, 2) -> boy 0;
  // (2, 2) tie -> earlier referral, boy 1 (before girl 2); (1, 2) -> girl 2; (1, 1) tie, but
  // no boy is left waiting -> girl 3, then girl 4.
  c.in_case[0] = 0;
  EXPECT_EQ(choose("gender_proportional", q, 5, c), (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  // Girls' quota with no girls waiting goes to boys.
  const std::vector<Candidate> boys_only = {cand(0, State::high, B), cand(1, State::high, B),
                                            cand(2, State::high, B)};
  EXPECT_EQ(choose("gender_proportional", boys_only, 3, c), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(Policies, GenderProportionalDiffersFromParityWhenPastAccessWasUneven) {
  // Girls were under-served in the past (started 5 of 50) but hold their share of open cases
  // now: parity serves girls, proportional follows the caseload (targets 6/4 of S = 10 with
  // 5 boys and 4 girls open, one free slot -> boy).
  AccessCounts c;
  c.eligible[0] = 60;
  c.eligible[1] = 40;
  c.cases_started[0] = 30;
  c.cases_started[1] = 5;
  c.in_case[0] = 5;
  c.in_case[1] = 4;
  const std::vector<Candidate> q = {cand(0, State::high, G), cand(1, State::high, B)};
  EXPECT_EQ(choose("gender_parity", q, 1, c), (std::vector<std::size_t>{0}));
  EXPECT_EQ(choose("gender_proportional", q, 1, c), (std::vector<std::size_t>{1}));
}

namespace {

/// configs/reference.toml with equal prevalence by gender and girls referred at 0.8 x boys.
ModelConfig equal_prevalence_config() {
  using testsupport::set_key;
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "population.gender", "worrying_mult_boys", "1.0");
  t = set_key(t, "population.gender", "worrying_mult_girls", "1.0");
  t = set_key(t, "population.gender", "high_ratio_girls_vs_boys_grade7_12", "1.0");
  t = set_key(t, "population.gender", "extensive_ratio_girls_vs_boys", "1.0");
  t = set_key(t, "detection", "referral_ratio_girls_vs_boys", "0.8");
  const auto dir = testsupport::scratch_dir("policies");
  testsupport::write_file(dir / "equal.toml", t);
  return load_model_config(dir / "equal.toml");
}

}  // namespace

TEST(Policies, FifoLeavesGirlsBehindAndParityWithEqualReferralClosesTheGap) {
  const auto cfg = equal_prevalence_config();
  const auto scen = comparison_scenarios(cfg);
  ScenarioSpec fifo = cfg.scenario;
  fifo.name = "fifo";
  fifo.allocation_policy = Allocation::fifo;
  fifo.referral_policy = ReferralPolicy::as_configured;
  ScenarioSpec parity = cfg.scenario;
  parity.name = "parity_equal_referral";
  parity.allocation_policy = Allocation::gender_parity;
  parity.referral_policy = ReferralPolicy::equal_referral;
  RunOptions opt;
  opt.seed = 2020;
  opt.replications = 40;
  opt.threads = 2;
  const auto res = run_experiment(cfg, {scen[0], fifo, parity}, opt);
  const auto eq = equity_table(res);
  auto row = [&](const std::string& scenario, const std::string& measure) {
    for (const auto& r : eq) {
      if (r.scenario == scenario && r.measure == measure) return r;
    }
    ADD_FAILURE() << "no equity row " << scenario << " " << measure;
    return EquityRow{};
  };
  const auto f = row("fifo", "access_rate");
  EXPECT_LT(f.gap.ci_high, 0.0) << "fifo gap " << f.gap.mean << " [" << f.gap.ci_low << ", "
                                << f.gap.ci_high << "]";
  const auto p = row("parity_equal_referral", "access_rate");
  EXPECT_LE(p.gap.ci_low, 0.0) << "parity gap " << p.gap.mean;
  EXPECT_GE(p.gap.ci_high, 0.0) << "parity gap " << p.gap.mean;
  // The referral rates tell the same story: 0.8 x under fifo's as-configured referral.
  const auto fr = row("fifo", "referral_rate");
  EXPECT_NEAR(fr.girls.mean / fr.boys.mean, 0.8, 0.08);
  const auto pr = row("parity_equal_referral", "referral_rate");
  EXPECT_NEAR(pr.girls.mean / pr.boys.mean, 1.0, 0.08);
}
