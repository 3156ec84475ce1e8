// Incremental analysis, dominance, recommendation and payback on small hand-built tables.
// Every expected number is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analysis/incremental_analysis.hpp"
#include "io/decision_brief.hpp"

using namespace attendsim::models;

namespace {
const IncrementalStep& step(const std::vector<IncrementalStep>& steps, const std::string& name) {
  for (const auto& s : steps) {
    if (s.scenario == name) return s;
  }
  throw std::runtime_error("no step " + name);
}
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST(IncrementalAnalysis, DominanceExtendedDominanceAndIcers) {
  // (cost, extra returns, extra completions), given out of cost order:
  //   A (100, 10, 4)  B (150, 8, 3)  C (300, 12, 5)  F (400, 30, 9)  D (600, 31, 10)
  // By cost: A, B, C, F, D. B is dominated (A is cheaper and more effective).
  // ICERs along A, C, F, D: A 100/10 = 10; C (300-100)/(12-10) = 100; F (400-300)/(30-12) = 5.56
  // < 100, so C is extendedly dominated. Again along A, F, D: 10; (400-100)/(30-10) = 15;
  // (600-400)/(31-30) = 200: increasing, done.
  const auto steps = incremental_analysis({{"D", 600, 31, 10},
                                           {"C", 300, 12, 5},
                                           {"A", 100, 10, 4},
                                           {"F", 400, 30, 9},
                                           {"B", 150, 8, 3}});
  ASSERT_EQ(steps.size(), 5U);
  const std::vector<std::string> order = {"A", "B", "C", "F", "D"};
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(steps[i].scenario, order[i]);

  const auto& a = step(steps, "A");
  EXPECT_EQ(a.from, "baseline");
  EXPECT_DOUBLE_EQ(a.extra_cost, 100);
  EXPECT_DOUBLE_EQ(a.extra_sustained_returns, 10);
  EXPECT_DOUBLE_EQ(a.extra_completions, 4);
  EXPECT_DOUBLE_EQ(a.cost_per_extra_return, 10);
  EXPECT_FALSE(a.dominated || a.extendedly_dominated);

  const auto& b = step(steps, "B");
  EXPECT_TRUE(b.dominated);
  EXPECT_EQ(b.from, "A");
  EXPECT_DOUBLE_EQ(b.extra_cost, 50);
  EXPECT_DOUBLE_EQ(b.extra_sustained_returns, -2);
  EXPECT_TRUE(std::isnan(b.cost_per_extra_return));

  const auto& c = step(steps, "C");
  EXPECT_FALSE(c.dominated);
  EXPECT_TRUE(c.extendedly_dominated);
  EXPECT_EQ(c.from, "A");
  EXPECT_DOUBLE_EQ(c.cost_per_extra_return, 100);

  const auto& f = step(steps, "F");
  EXPECT_FALSE(f.dominated || f.extendedly_dominated);
  EXPECT_EQ(f.from, "A");  // C is skipped: it is not on the frontier
  EXPECT_DOUBLE_EQ(f.extra_cost, 300);
  EXPECT_DOUBLE_EQ(f.extra_sustained_returns, 20);
  EXPECT_DOUBLE_EQ(f.extra_completions, 5);
  EXPECT_DOUBLE_EQ(f.cost_per_extra_return, 15);

  const auto& d = step(steps, "D");
  EXPECT_FALSE(d.dominated || d.extendedly_dominated);
  EXPECT_EQ(d.from, "F");
  EXPECT_DOUBLE_EQ(d.cost_per_extra_return, 200);
}

TEST(IncrementalAnalysis, EqualCostLessEffectiveAndHarmfulOptionsAreDominated) {
  // P and Q cost the same; Q buys more, so P is dominated whatever the input order.
  // H costs money and loses returns against the baseline: dominated by the baseline.
  const auto steps = incremental_analysis({{"P", 200, 5, 0}, {"H", 50, -1, 0}, {"Q", 200, 7, 0}});
  EXPECT_TRUE(step(steps, "H").dominated);
  EXPECT_TRUE(step(steps, "P").dominated);
  const auto& q = step(steps, "Q");
  EXPECT_FALSE(q.dominated || q.extendedly_dominated);
  EXPECT_EQ(q.from, "baseline");
  EXPECT_DOUBLE_EQ(q.cost_per_extra_return, 200.0 / 7.0);
}

TEST(IncrementalAnalysis, ExtendedDominanceCascades) {
  // X (100, 1): ICER 100; Y (200, 2): ICER 100; Z (250, 10): ICER 50/8 = 6.25 < 100 -> Y out;
  // then X, Z: 100 and (250-100)/9 = 16.7 < 100 -> X out; then Z alone: 25.
  const auto steps = incremental_analysis({{"X", 100, 1, 0}, {"Y", 200, 2, 0}, {"Z", 250, 10, 0}});
  EXPECT_TRUE(step(steps, "X").extendedly_dominated);
  EXPECT_TRUE(step(steps, "Y").extendedly_dominated);
  const auto& z = step(steps, "Z");
  EXPECT_EQ(z.from, "baseline");
  EXPECT_DOUBLE_EQ(z.cost_per_extra_return, 25);
}

TEST(Payback, FirstYearSharesAndMedian) {
  // Cumulative discounted net benefit by year; payback is the first year with net >= 0.
  EXPECT_EQ(first_payback_year({-5, -1, 0, 3}), 3.0);
  EXPECT_EQ(first_payback_year({2, -1}), kInf);  // paid back in year 1, not at the horizon
  EXPECT_EQ(first_payback_year({-5, -2}), kInf);
  EXPECT_EQ(first_payback_year({}), kInf);
  // Crosses 0 in year 2 and falls back in year 3: it pays back only from year 4, when it
  // stays at or above 0 to the horizon.
  EXPECT_EQ(first_payback_year({-5, 1, -0.5, 2, 4}), 4.0);
  // Crosses 0 and falls back below it at the horizon: never paid back.
  EXPECT_EQ(first_payback_year({-3, 0.5, 1, -0.1}), kInf);
  EXPECT_EQ(first_payback_year({-1, 0, -1e-9}), kInf);
  // Above 0 from the first year, with a dip that stays at 0: year 1.
  EXPECT_EQ(first_payback_year({1, 0, 2}), 1.0);
  // A NaN year (no cost, no savings) is not >= 0: payback only after it.
  EXPECT_EQ(first_payback_year({1, std::nan(""), 1}), 3.0);
  // Four units paying back in years 1, 3, never, 2: by the end of year 1: 1/4, year 2: 2/4,
  // year 3: 3/4, year 4: 3/4.
  EXPECT_EQ(payback_share_by_year({1, 3, kInf, 2}, 4),
            (std::vector<double>{0.25, 0.5, 0.75, 0.75}));
  // Lower median of {1, 2, 3, inf} is the 2nd value: 2.
  EXPECT_EQ(median_payback_year({1, 3, kInf, 2}), 2.0);
  // {1, inf, inf}: the median unit never pays back -> undefined.
  EXPECT_TRUE(std::isnan(median_payback_year({kInf, 1, kInf})));
  EXPECT_TRUE(std::isnan(median_payback_year({})));
}

namespace {
ScenarioDecision decision(const std::string& name, double cost, double net, double p_target,
                          double returns) {
  ScenarioDecision d;
  d.name = name;
  d.cost.mean = cost;
  d.net_benefit.mean = net;
  d.p_roi_at_least_target = p_target;
  d.extra_sustained_returns.mean = returns;
  return d;
}
}  // namespace

TEST(Recommendation, SmallestStaffingMeetingTheConfidenceRule) {
  // cost, mean net benefit, P(ROI >= target), extra returns (listed out of cost order):
  //   8fte 8e6, +3e5, 0.90, 40   1fte 1e6, -2e5, 0.30, 6   5fte 5e6, +4e5, 0.85, 30
  //   3fte 3e6, +1e5, 0.60, 18
  // Break-even (cheapest with net >= 0): 3fte. Best net benefit: 5fte.
  // Recommended at confidence 0.8: the cheapest with P >= 0.8 = 5fte; at 0.88: 8fte; at 0.95: none.
  ComparisonReport rep;
  rep.decisions = {decision("8fte", 8e6, 3e5, 0.90, 40), decision("1fte", 1e6, -2e5, 0.30, 6),
                   decision("5fte", 5e6, 4e5, 0.85, 30), decision("3fte", 3e6, 1e5, 0.60, 18)};
  rep.confidence = 0.8;
  fill_ladder_and_recommendation(rep);
  EXPECT_EQ(rep.break_even.value_or("none"), "3fte");
  EXPECT_EQ(rep.best_net_benefit.value_or("none"), "5fte");
  EXPECT_EQ(rep.recommended.value_or("none"), "5fte");
  ASSERT_EQ(rep.ladder.size(), 4U);
  EXPECT_EQ(rep.ladder.front().scenario, "1fte");
  rep.confidence = 0.88;
  fill_ladder_and_recommendation(rep);
  EXPECT_EQ(rep.recommended.value_or("none"), "8fte");
  rep.confidence = 0.95;
  fill_ladder_and_recommendation(rep);
  EXPECT_EQ(rep.recommended.value_or("none"), "baseline");  // no coordinators
  EXPECT_EQ(rep.ladder.size(), 4U);                         // refilled, not appended
}
