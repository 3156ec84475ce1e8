// Monte Carlo summaries (sim/statistics.hpp) against hand computations.
//
// The reference sample is x = {10, 2, 4, 5, 4} (sorted: 2, 4, 4, 5, 10), n = 5:
//   mean = 25 / 5 = 5
//   deviations -3, -1, -1, 0, 5; squares 9, 1, 1, 0, 25; sum 36
//   sd = sqrt(36 / 4) = 3;  se = 3 / sqrt(5) = 1.3416407865
//   t_{0.975, 4} = 2.776445105 (printed t tables); half-width = 2.776445105 * 1.3416407865
//     = 3.7249920 ; CI = [1.2750080, 8.7249920]
//   type-7 quantiles, h = (n - 1) p = 4 p, x_(floor h) + frac(h) (x_(floor h + 1) - x_(floor h)):
//     p = 0.025: h = 0.1 -> 2 + 0.1 * (4 - 2) = 2.2
//     p = 0.975: h = 3.9 -> 5 + 0.9 * (10 - 5) = 9.5
//     p = 0.5:   h = 2   -> 4
//     p = 0.6:   h = 2.4 -> 4 + 0.4 * (5 - 4) = 4.4
//     p = 0.9:   h = 3.6 -> 5 + 0.6 * (10 - 5) = 8
//     p = 0.3:   h = 1.2 -> 4 + 0.2 * (4 - 4) = 4
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "sim/error.hpp"
#include "sim/statistics.hpp"

using attendsim::quantile;
using attendsim::RunningStats;
using attendsim::summarise;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::vector<double> kSample = {10, 2, 4, 5, 4};
constexpr double kT975df4 = 2.776445105;  // Student t, 97.5 %, 4 degrees of freedom (tables)
}  // namespace

TEST(Statistics, StudentTQuantileMatchesTables) {
  EXPECT_NEAR(attendsim::student_t_quantile(0.975, 4), kT975df4, 1e-9);
  EXPECT_NEAR(attendsim::student_t_quantile(0.975, 1), 12.70620474, 1e-7);
  EXPECT_NEAR(attendsim::student_t_quantile(0.975, 19), 2.093024054, 1e-8);
  EXPECT_NEAR(attendsim::student_t_quantile(0.975, 1e7), 1.959963985, 1e-6);  // -> normal
}

TEST(Statistics, SummariseHandComputedSample) {
  const auto s = summarise(kSample);
  EXPECT_EQ(s.n, 5U);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_NEAR(s.sd, 3.0, 1e-12);
  EXPECT_NEAR(s.se, 1.3416407865, 1e-9);
  EXPECT_NEAR(s.ci_low, 5.0 - 3.7249920, 1e-6);
  EXPECT_NEAR(s.ci_high, 5.0 + 3.7249920, 1e-6);
  EXPECT_NEAR(s.ci_high - s.mean, s.mean - s.ci_low, 1e-12);  // symmetric
  EXPECT_NEAR(s.p2_5, 2.2, 1e-12);
  EXPECT_NEAR(s.p97_5, 9.5, 1e-12);
  EXPECT_DOUBLE_EQ(s.p_positive, 1.0);
}

TEST(Statistics, SummariseUsesStudentTNotNormal) {
  // {1, 3}: mean 2, sd sqrt(2), se = sqrt(2)/sqrt(2) = 1; t_{0.975, 1} = 12.7062047.
  const std::vector<double> v = {1, 3};
  const auto s = summarise(v);
  EXPECT_DOUBLE_EQ(s.mean, 2.0);
  EXPECT_NEAR(s.se, 1.0, 1e-12);
  EXPECT_NEAR(s.ci_low, 2.0 - 12.70620474, 1e-7);
  EXPECT_NEAR(s.ci_high, 2.0 + 12.70620474, 1e-7);
  // Type 7 with n = 2: h = p -> 1 + p * 2.
  EXPECT_NEAR(s.p2_5, 1.05, 1e-12);
  EXPECT_NEAR(s.p97_5, 2.95, 1e-12);
}

TEST(Statistics, SummariseSkipsNaN) {
  const std::vector<double> v = {kNaN, 10, 2, kNaN, 4, 5, 4, kNaN};
  const auto s = summarise(v);
  EXPECT_EQ(s.n, 5U);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_NEAR(s.sd, 3.0, 1e-12);
  EXPECT_NEAR(s.ci_low, 5.0 - 3.7249920, 1e-6);
  EXPECT_NEAR(s.p2_5, 2.2, 1e-12);
  EXPECT_NEAR(s.p97_5, 9.5, 1e-12);
  EXPECT_FALSE(std::isnan(s.mean));
}

TEST(Statistics, SummariseSingleValueHasNoErrorEstimate) {
  const std::vector<double> v = {kNaN, 7.5};
  const auto s = summarise(v);
  EXPECT_EQ(s.n, 1U);
  EXPECT_DOUBLE_EQ(s.mean, 7.5);
  EXPECT_EQ(s.se, 0.0);
  EXPECT_EQ(s.ci_low, 7.5);
  EXPECT_EQ(s.ci_high, 7.5);
  EXPECT_EQ(s.p2_5, 7.5);
  EXPECT_EQ(s.p97_5, 7.5);
}

TEST(Statistics, SummariseOfNothingThrows) {
  EXPECT_THROW(summarise(std::vector<double>{}), attendsim::PreconditionError);
  EXPECT_THROW(summarise(std::vector<double>{kNaN, kNaN}), attendsim::PreconditionError);
}

TEST(Statistics, PPositiveCountsStrictlyPositive) {
  // {-1, 0, 2, 3}: two of four are > 0 (0 is not).
  const auto s = summarise(std::vector<double>{-1, 0, 2, 3});
  EXPECT_DOUBLE_EQ(s.p_positive, 0.5);
  // mean 1; squares of deviations 4, 1, 1, 4 -> sd = sqrt(10/3)
  EXPECT_DOUBLE_EQ(s.mean, 1.0);
  EXPECT_NEAR(s.sd, std::sqrt(10.0 / 3.0), 1e-12);
}

TEST(Statistics, ConstantSampleHasZeroSpread) {
  const auto s = summarise(std::vector<double>{4, 4, 4, 4});
  EXPECT_DOUBLE_EQ(s.mean, 4.0);
  EXPECT_EQ(s.sd, 0.0);
  EXPECT_EQ(s.se, 0.0);
  EXPECT_EQ(s.ci_low, 4.0);
  EXPECT_EQ(s.ci_high, 4.0);
}

TEST(Statistics, QuantileType7HandComputed) {
  EXPECT_NEAR(quantile(kSample, 0.025), 2.2, 1e-12);
  EXPECT_NEAR(quantile(kSample, 0.975), 9.5, 1e-12);
  EXPECT_NEAR(quantile(kSample, 0.5), 4.0, 1e-12);
  EXPECT_NEAR(quantile(kSample, 0.6), 4.4, 1e-12);
  EXPECT_NEAR(quantile(kSample, 0.9), 8.0, 1e-12);
  EXPECT_NEAR(quantile(kSample, 0.3), 4.0, 1e-12);
  // 0.25 on 1..4 (R: quantile(1:4, .25) = 1.75).
  EXPECT_NEAR(quantile(std::vector<double>{4, 3, 2, 1}, 0.25), 1.75, 1e-12);
}

TEST(Statistics, QuantileEdgeCases) {
  EXPECT_EQ(quantile(kSample, 0.0), 2.0);   // minimum
  EXPECT_EQ(quantile(kSample, 1.0), 10.0);  // maximum, no read past the end
  const std::vector<double> one = {3.25};
  EXPECT_EQ(quantile(one, 0.0), 3.25);
  EXPECT_EQ(quantile(one, 0.5), 3.25);
  EXPECT_EQ(quantile(one, 1.0), 3.25);
  const std::vector<double> neg = {-5, -1};
  EXPECT_NEAR(quantile(neg, 0.5), -3.0, 1e-12);
  // Ties and the input left untouched (quantile copies).
  std::vector<double> v = {2, 1, 2};
  EXPECT_EQ(quantile(v, 0.75), 2.0);
  EXPECT_EQ(v, (std::vector<double>{2, 1, 2}));
  EXPECT_THROW(quantile(std::vector<double>{}, 0.5), attendsim::PreconditionError);
  EXPECT_THROW(quantile(kSample, -0.01), attendsim::PreconditionError);
  EXPECT_THROW(quantile(kSample, 1.01), attendsim::PreconditionError);
}

TEST(Statistics, RunningStatsHandComputed) {
  RunningStats rs;
  EXPECT_EQ(rs.count(), 0U);
  EXPECT_EQ(rs.variance(), 0.0);
  rs.add(7);
  EXPECT_EQ(rs.variance(), 0.0);  // n < 2
  RunningStats all;
  for (double x : kSample) all.add(x);
  EXPECT_EQ(all.count(), 5U);
  EXPECT_DOUBLE_EQ(all.mean(), 5.0);
  EXPECT_NEAR(all.variance(), 9.0, 1e-12);
}

TEST(Statistics, RunningStatsMergeEqualsAddAll) {
  // A fixed, awkward sample: large offset (cancellation-prone) plus small spread.
  std::vector<double> x;
  for (int i = 0; i < 37; ++i)
    x.push_back(1e6 + 0.37 * i - 0.011 * i * i + (i % 3 == 0 ? 2.5 : -1.0));
  RunningStats all;
  for (double v : x) all.add(v);
  // Two-pass reference.
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double m2 = 0;
  for (double v : x) m2 += (v - mean) * (v - mean);
  const double var = m2 / static_cast<double>(x.size() - 1);
  EXPECT_NEAR(all.mean(), mean, 1e-9);
  EXPECT_NEAR(all.variance(), var, 1e-9 * var);

  for (std::size_t split :
       {std::size_t{0}, std::size_t{1}, std::size_t{10}, std::size_t{36}, std::size_t{37}}) {
    RunningStats a, b;
    for (std::size_t i = 0; i < x.size(); ++i) (i < split ? a : b).add(x[i]);
    RunningStats ab = a;
    ab.merge(b);
    EXPECT_EQ(ab.count(), all.count()) << "split " << split;
    EXPECT_NEAR(ab.mean(), all.mean(), 1e-9) << "split " << split;
    EXPECT_NEAR(ab.variance(), all.variance(), 1e-9 * var) << "split " << split;
    RunningStats ba = b;  // merge order does not matter
    ba.merge(a);
    EXPECT_NEAR(ba.mean(), all.mean(), 1e-9) << "split " << split;
    EXPECT_NEAR(ba.variance(), all.variance(), 1e-9 * var) << "split " << split;
  }
  // Many small pieces folded in order.
  RunningStats folded;
  for (std::size_t i = 0; i < x.size(); i += 5) {
    RunningStats piece;
    for (std::size_t j = i; j < std::min(x.size(), i + 5); ++j) piece.add(x[j]);
    folded.merge(piece);
  }
  EXPECT_EQ(folded.count(), all.count());
  EXPECT_NEAR(folded.mean(), all.mean(), 1e-9);
  EXPECT_NEAR(folded.variance(), all.variance(), 1e-9 * var);
}

TEST(Statistics, RunningStatsMergeWithEmpty) {
  RunningStats a, empty;
  for (double x : kSample) a.add(x);
  RunningStats a2 = a;
  a2.merge(empty);
  EXPECT_EQ(a2.count(), 5U);
  EXPECT_DOUBLE_EQ(a2.mean(), 5.0);
  EXPECT_NEAR(a2.variance(), 9.0, 1e-12);
  RunningStats e2;
  e2.merge(a);
  EXPECT_EQ(e2.count(), 5U);
  EXPECT_DOUBLE_EQ(e2.mean(), 5.0);
  EXPECT_NEAR(e2.variance(), 9.0, 1e-12);
}
