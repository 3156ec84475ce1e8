// Sobol indices: the Saltelli design, the estimators on functions with analytic indices,
// and the `sensitivity --method sobol` command.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "analysis/global_sensitivity.hpp"
#include "analysis/sensitivity.hpp"
#include "io/config_schema.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/sobol.hpp"
#include "sim/statistics.hpp"
#include "sim/streams.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using attendsim::saltelli_design;
using attendsim::sobol_analysis;
using attendsim::SobolOptions;

namespace {

constexpr double kPi = boost::math::constants::pi<double>();

/// Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi), a = 7, b = 0.1.
/// With E[sin^2] = 1/2, E[sin^4] = 3/8, E[x^4] = pi^4/5, E[x^8] = pi^8/9 on U(-pi, pi):
///   V1  = Var E[f|x1] = Var[(1 + b pi^4/5) sin x1] = (1 + b pi^4/5)^2 / 2
///   V2  = Var[a sin^2 x2] = a^2 (3/8 - 1/4) = a^2/8
///   V3  = 0 (E[f|x3] does not depend on x3: E[sin x1] = 0)
///   V13 = Var[b x3^4 sin x1] - Var E[.|x1] = b^2 (pi^8/9)(1/2) - b^2 (pi^4/5)^2 (1/2)
///       = b^2 pi^8 (1/18 - 1/50)
///   V   = V1 + V2 + V13 = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
/// S_i = V_i / V; ST1 = (V1 + V13)/V, ST2 = V2/V, ST3 = V13/V.
struct Ishigami {
  double a = 7, b = 0.1;
  double v1() const { return 0.5 * std::pow(1 + b * std::pow(kPi, 4) / 5, 2); }
  double v2() const { return a * a / 8; }
  double v13() const { return b * b * std::pow(kPi, 8) * (1.0 / 18 - 1.0 / 50); }
  double v() const {
    return a * a / 8 + b * std::pow(kPi, 4) / 5 + b * b * std::pow(kPi, 8) / 18 + 0.5;
  }
  double operator()(std::span<const double> u) const {
    const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
    return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
  }
};

}  // namespace

TEST(Sobol, IshigamiAnalyticIndicesMatchTheLiterature) {
  const Ishigami f;
  EXPECT_NEAR(f.v1() + f.v2() + f.v13(), f.v(), 1e-12);
  EXPECT_NEAR(f.v1() / f.v(), 0.3139, 5e-5);
  EXPECT_NEAR(f.v2() / f.v(), 0.4424, 5e-5);
  EXPECT_NEAR((f.v1() + f.v13()) / f.v(), 0.5576, 5e-5);
  EXPECT_NEAR(f.v13() / f.v(), 0.2437, 5e-5);
}

TEST(Sobol, DesignTakesAFromTheFirstDimsAndBFromTheNext) {
  // Boost's 2-d Sobol sequence starts (0.5, 0.5), (0.75, 0.25), (0.25, 0.75) (Boost docs);
  // with d = 1, A is dimension 0 and B dimension 1; u = (bits53 + 0.5) 2^-53.
  const auto des = saltelli_design(3, 1);
  ASSERT_EQ(des.size(), 3u * 3u);
  const double eps = 0x1p-54;
  EXPECT_DOUBLE_EQ(des.points[0][0], 0.5 + eps);
  EXPECT_DOUBLE_EQ(des.points[1][0], 0.75 + eps);
  EXPECT_DOUBLE_EQ(des.points[2][0], 0.25 + eps);
  EXPECT_DOUBLE_EQ(des.points[3][0], 0.5 + eps);
  EXPECT_DOUBLE_EQ(des.points[4][0], 0.25 + eps);
  EXPECT_DOUBLE_EQ(des.points[5][0], 0.75 + eps);
  // A_B^(1) = B when d = 1.
  for (int k = 0; k < 3; ++k) EXPECT_EQ(des.points[6 + k][0], des.points[3 + k][0]);
  // d = 3: A_B^(i) is A with column i from B.
  const auto d3 = saltelli_design(16, 3);
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t k = 0; k < 16; ++k) {
      for (std::size_t j = 0; j < 3; ++j) {
        const double expect = j == i ? d3.points[16 + k][j] : d3.points[k][j];
        EXPECT_EQ(d3.points[(2 + i) * 16 + k][j], expect);
        EXPECT_GT(d3.points[(2 + i) * 16 + k][j], 0.0);
        EXPECT_LT(d3.points[(2 + i) * 16 + k][j], 1.0);
      }
    }
  }
}

TEST(Sobol, IshigamiIndicesWithinTwoHundredthsAndCisCoverTheTruth) {
  const Ishigami f;
  SobolOptions opt;
  opt.bootstrap = 300;
  opt.seed = 5;
  const std::size_t n = 8192;  // 2^13 base points, 40 960 evaluations
  const auto r = sobol_analysis(n, 3, f, opt);
  const double s[] = {f.v1() / f.v(), f.v2() / f.v(), 0.0};
  const double st[] = {(f.v1() + f.v13()) / f.v(), f.v2() / f.v(), f.v13() / f.v()};
  ASSERT_EQ(r.indices.size(), 3u);
  EXPECT_NEAR(r.variance, f.v(), 0.02 * f.v());
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& x = r.indices[i];
    EXPECT_NEAR(x.first_order, s[i], 0.02) << "S" << i + 1;
    EXPECT_NEAR(x.total, st[i], 0.02) << "ST" << i + 1;
    EXPECT_LE(x.first_order_ci_low, s[i]) << "S" << i + 1;
    EXPECT_GE(x.first_order_ci_high, s[i]) << "S" << i + 1;
    EXPECT_LE(x.total_ci_low, st[i]) << "ST" << i + 1;
    EXPECT_GE(x.total_ci_high, st[i]) << "ST" << i + 1;
    EXPECT_LE(x.first_order_ci_low, x.first_order);
    EXPECT_GE(x.first_order_ci_high, x.first_order);
  }
}

namespace {

/// The Ishigami outputs at K randomisations of the design (randomisation-major).
std::vector<double> ishigami_randomised(std::size_t n, std::size_t k, std::uint64_t seed) {
  const Ishigami f;
  std::vector<double> y;
  for (std::size_t q = 0; q < k; ++q) {
    const auto des = saltelli_design(n, 3, seed, q);
    for (const auto& p : des.points) y.push_back(f(p));
  }
  return y;
}

}  // namespace

TEST(Sobol, RandomShiftKeepsEachCoordinateAUniformNetAndDiffersByRandomisation) {
  // The first 2^m points of each coordinate of a Sobol sequence fall one per dyadic interval
  // [j/2^m, (j+1)/2^m), and a digital shift only permutes those intervals. Boost skips the
  // zero point and runs in Gray-code order, so its first 2^m - 1 points are points 1..2^m-1
  // of the net: at most one per interval, before and after the shift.
  const std::size_t n = 64;
  const auto a = saltelli_design(n, 2, 7, 0), b = saltelli_design(n, 2, 7, 1),
             c = saltelli_design(n, 2, 7, 0);
  const auto plain = saltelli_design(n, 2);
  for (std::size_t j = 0; j < 2; ++j) {
    std::vector<int> hits(n, 0), plain_hits(n, 0);
    for (std::size_t k = 0; k + 1 < n; ++k) {
      ++hits[static_cast<std::size_t>(a.points[k][j] * n)];
      ++plain_hits[static_cast<std::size_t>(plain.points[k][j] * n)];
    }
    EXPECT_EQ(*std::max_element(plain_hits.begin(), plain_hits.end()), 1) << "coordinate " << j;
    EXPECT_EQ(*std::max_element(hits.begin(), hits.end()), 1) << "coordinate " << j;
  }
  EXPECT_EQ(a.points, c.points);  // reproducible from (seed, q)
  EXPECT_NE(a.points[0], b.points[0]);
  EXPECT_NE(a.points[0], saltelli_design(n, 2).points[0]);
  // The block structure is kept: A_B^(i) is A with column i from B.
  for (std::size_t k = 0; k < n; ++k) {
    EXPECT_EQ(a.points[2 * n + k][0], a.points[n + k][0]);
    EXPECT_EQ(a.points[2 * n + k][1], a.points[k][1]);
  }
}

TEST(Sobol, RandomisedQmcIshigamiWithinTwoHundredthsWithNarrowCis) {
  const Ishigami f;
  const std::size_t n = 1024, k = 16;  // 16 x 1024 base points, 81 920 evaluations
  const auto y = ishigami_randomised(n, k, 3);
  const auto r = attendsim::sobol_indices_randomised(y, n, 3, k);
  const double s[] = {f.v1() / f.v(), f.v2() / f.v(), 0.0};
  const double st[] = {(f.v1() + f.v13()) / f.v(), f.v2() / f.v(), f.v13() / f.v()};
  // (Coverage at the nominal rate is the next test's; here: close, and the CIs narrow.)
  EXPECT_NEAR(r.variance, f.v(), 0.02 * f.v());
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& x = r.indices[i];
    EXPECT_NEAR(x.first_order, s[i], 0.02) << "S" << i + 1;
    EXPECT_NEAR(x.total, st[i], 0.02) << "ST" << i + 1;
    EXPECT_LT(x.first_order_ci_high - x.first_order_ci_low, 0.02) << "S" << i + 1;
    EXPECT_LT(x.total_ci_high - x.total_ci_low, 0.02) << "ST" << i + 1;
    EXPECT_LE(x.first_order_ci_low, x.first_order);
    EXPECT_GE(x.total_ci_high, x.total);
  }
}

TEST(Sobol, RandomisedQmcCisCoverAtTheNominalRate) {
  // 200 independent analyses (seeds 1..200), K = 8 randomisations of N = 512: the 95 %
  // t-interval of each of the six indices should cover its analytic value in about 95 %
  // of them. Binomial(200, 0.95): sd 3.1 analyses; accept 180..200 (>= 90 %) for each.
  const Ishigami f;
  const double s[] = {f.v1() / f.v(), f.v2() / f.v(), 0.0};
  const double st[] = {(f.v1() + f.v13()) / f.v(), f.v2() / f.v(), f.v13() / f.v()};
  const std::size_t n = 512, k = 8, runs = 200;
  int cover_s[3] = {0, 0, 0}, cover_st[3] = {0, 0, 0};
  for (std::size_t seed = 1; seed <= runs; ++seed) {
    const auto r = attendsim::sobol_indices_randomised(ishigami_randomised(n, k, seed), n, 3, k);
    for (std::size_t i = 0; i < 3; ++i) {
      cover_s[i] +=
          r.indices[i].first_order_ci_low <= s[i] && s[i] <= r.indices[i].first_order_ci_high;
      cover_st[i] += r.indices[i].total_ci_low <= st[i] && st[i] <= r.indices[i].total_ci_high;
    }
  }
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GE(cover_s[i], 180) << "S" << i + 1;
    EXPECT_GE(cover_st[i], 180) << "ST" << i + 1;
  }
}

TEST(Sobol, RandomisedQmcSeesTheQuasiRandomGainThatTheBootstrapMisses) {
  // On a smooth function the quasi-random design's error is far below that of random
  // points; the row bootstrap (which treats rows as independent) reports the random-point
  // error, the randomisations the real one. Same 8 192 base points both ways.
  const Ishigami f;
  const auto y = ishigami_randomised(1024, 8, 11);
  const auto rq = attendsim::sobol_indices_randomised(y, 1024, 3, 8);
  SobolOptions opt;
  opt.bootstrap = 300;
  const auto bs = sobol_analysis(8192, 3, f, opt);
  for (std::size_t i = 0; i < 3; ++i) {
    const double w_rq = rq.indices[i].total_ci_high - rq.indices[i].total_ci_low;
    const double w_bs = bs.indices[i].total_ci_high - bs.indices[i].total_ci_low;
    EXPECT_LT(w_rq, w_bs) << "ST" << i + 1;
  }
}

TEST(Sobol, RandomisedIndicesRejectBadShapes) {
  std::vector<double> y(2 * 5 * 4, 1.0);
  EXPECT_THROW(attendsim::sobol_indices_randomised(y, 4, 3, 1), std::exception);
  EXPECT_THROW(attendsim::sobol_indices_randomised(y, 4, 3, 3), std::exception);
}

TEST(Sobol, NoiseCorrectedEstimatorsByHand) {
  // The Saltelli / Jansen pair with its noise corrections. N = 2 rows, d = 1, R = 2
  // replications; outputs[(j N + k) R + r]:
  //   A_0 (1, 3)  A_1 (4, 6)  B_0 (2, 2)  B_1 (7, 9)  A_B_0 (2, 6)  A_B_1 (5, 5)
  // Means fA = (2, 5), fB = (2, 8), fi = (4, 5); residuals z: A_0 (-1, 1), A_1 (-1, 1),
  // B_0 (0, 0), B_1 (-1, 1), A_B_0 (-2, 2), A_B_1 (0, 0). By hand, with R (R - 1) = 2:
  //   V = var{2, 5, 2, 8} = 24.75 / 3 = 8.25
  //   noise = mean_k (s2(A_k) + s2(B_k)) / 2 / R = mean(0.5, 1.0) = 0.75; V_g = 7.5
  //   Saltelli sum (fB - 4.25)(fi - fA) = -2.25 * 2 + 3.75 * 0 = -4.5
  //   c = [0 ; (-1)(0 + 1) + (1)(0 - 1)] / 2 = (0, -1); S = (-4.5 + 1) / 2 / 7.5 = -7/30
  //   Jansen sum (fA - fi)^2 = 4; t = [(1^2 + 1^2) / 2 ; ((-1)^2 + 1^2) / 2] = (1, 1)
  //   ST = (4 - 2) / 4 / 7.5 = 1/15; the noise parts -1 / 2 / 7.5 = -1/15 and 2 / 4 / 7.5 = 1/15.
  const std::vector<double> y{1, 3, 4, 6, 2, 2, 7, 9, 2, 6, 5, 5};
  SobolOptions opt;
  opt.bootstrap = 0;
  opt.estimator = attendsim::SobolEstimator::saltelli_jansen;
  const auto r = attendsim::sobol_indices_replicated(y, 2, 1, 2, opt);
  EXPECT_DOUBLE_EQ(r.variance, 8.25);
  EXPECT_DOUBLE_EQ(r.noise_variance, 0.75);
  EXPECT_DOUBLE_EQ(r.indices[0].first_order, -7.0 / 30);
  EXPECT_DOUBLE_EQ(r.indices[0].total, 1.0 / 15);
  EXPECT_DOUBLE_EQ(r.indices[0].first_order_noise, -1.0 / 15);
  EXPECT_DOUBLE_EQ(r.indices[0].total_noise, 1.0 / 15);
  // R = 1 is the plain estimator, with no noise parts: here on the means.
  const std::vector<double> means{2, 5, 2, 8, 4, 5};
  const auto plain = attendsim::sobol_indices_replicated(means, 2, 1, 1, opt);
  EXPECT_DOUBLE_EQ(plain.indices[0].first_order, -4.5 / 2 / 8.25);
  EXPECT_DOUBLE_EQ(plain.indices[0].total, 4.0 / 4 / 8.25);
  EXPECT_TRUE(std::isnan(plain.noise_variance));
  EXPECT_EQ(plain.indices[0].first_order,
            attendsim::sobol_indices(means, 2, 1, opt).indices[0].first_order);
  // All noise, no signal: not identifiable, not an index (and not an error). (a) The same value
  // at every point of each row: no input moves it.
  const std::vector<double> noise_only{0, 2, 2, 0, 0, 2, 2, 0, 0, 2, 2, 0};
  const auto a = attendsim::sobol_indices_replicated(noise_only, 2, 1, 2, opt);
  EXPECT_FALSE(a.identifiable);
  EXPECT_NE(a.note.find("no parameter moves it"), std::string::npos) << a.note;
  EXPECT_TRUE(std::isnan(a.indices[0].first_order));
  EXPECT_TRUE(std::isnan(a.indices[0].total));
  // (c) B differs from A within a row, but V over {f_A, f_B} = var{1, 2, 1, 2} = 1/3 is below
  // the noise: s2 = 2 at every point, / R = 1.
  const std::vector<double> below_noise{0, 2, 1, 3, 2, 0, 1, 3, 0, 2, 1, 3};
  const auto c = attendsim::sobol_indices_replicated(below_noise, 2, 1, 2, opt);
  EXPECT_FALSE(c.identifiable);
  EXPECT_NE(c.note.find("no larger than its replication noise"), std::string::npos) << c.note;
  EXPECT_DOUBLE_EQ(c.variance, 1.0 / 3);
  EXPECT_DOUBLE_EQ(c.noise_variance, 1.0);
  // Identifiable outputs say so.
  EXPECT_TRUE(r.identifiable);
  EXPECT_TRUE(r.note.empty());
}

TEST(Sobol, NoiseCorrectionRecoversTheIndicesOfANoisyIshigami) {
  // f_r(x) = Ishigami(x) + 2 eta_{k,r} + zeta_{x,r}: eta shared by the points of row k in
  // replication r (common random numbers within a row), zeta each point's own, both N(0, 1)
  // and independent between rows and replications. Per point the noise variance is 5, of
  // the mean of R = 2 replications 2.5 (18 % of Ishigami's 13.84): the plain estimators on
  // the means are biased (S_2 low by about 0.07), the corrected ones are not. N = 2^14.
  const Ishigami f;
  const std::size_t n = 16384, d = 3, reps = 2;
  const auto des = saltelli_design(n, d);
  std::vector<double> y(des.size() * reps), means(des.size());
  auto eng = attendsim::make_engine({5, 0, 0, 0, 0});
  boost::random::normal_distribution<double> normal;
  std::vector<double> eta(n * reps);
  for (auto& e : eta) e = normal(eng);
  for (std::size_t p = 0; p < des.size(); ++p) {
    const std::size_t k = p % n;
    for (std::size_t r = 0; r < reps; ++r) {
      y[p * reps + r] = f(des.points[p]) + 2 * eta[k * reps + r] + normal(eng);
      means[p] += y[p * reps + r] / reps;
    }
  }
  SobolOptions opt;
  opt.bootstrap = 200;
  const auto got = attendsim::sobol_indices_replicated(y, n, d, reps, opt);
  SobolOptions classic;
  classic.bootstrap = 0;
  classic.estimator = attendsim::SobolEstimator::saltelli_jansen;
  const auto plain = attendsim::sobol_indices(means, n, d, classic);
  const auto classic_corrected = attendsim::sobol_indices_replicated(y, n, d, reps, classic);
  const double s[] = {f.v1() / f.v(), f.v2() / f.v(), 0.0};
  const double st[] = {(f.v1() + f.v13()) / f.v(), f.v2() / f.v(), f.v13() / f.v()};
  EXPECT_NEAR(got.noise_variance, 2.5, 0.1);
  for (std::size_t i = 0; i < d; ++i) {
    const auto& x = got.indices[i];
    EXPECT_NEAR(x.first_order, s[i], 0.02) << "S" << i + 1;
    EXPECT_NEAR(x.total, st[i], 0.02) << "ST" << i + 1;
    EXPECT_LE(x.first_order_ci_low, s[i] + 0.005) << "S" << i + 1;
    EXPECT_GE(x.first_order_ci_high, s[i] - 0.005) << "S" << i + 1;
    EXPECT_LE(x.total_ci_low, st[i] + 0.005) << "ST" << i + 1;
    EXPECT_GE(x.total_ci_high, st[i] - 0.005) << "ST" << i + 1;
  }
  // The bias the correction removes (Saltelli's S_i on the means: low by V_g / V).
  EXPECT_LT(plain.indices[1].first_order, s[1] - 0.04);
  for (std::size_t i = 0; i < d; ++i) {
    EXPECT_NEAR(classic_corrected.indices[i].first_order, s[i], 0.03) << "S" << i + 1;
    EXPECT_NEAR(classic_corrected.indices[i].total, st[i], 0.03) << "ST" << i + 1;
  }
}

TEST(Sobol, CombinedEstimatorIsUnbiasedAndNarrowerThanEitherAlone) {
  // f = sum_i c_i x_i with x_i ~ N(0, 1): S_i = ST_i = c_i^2 / sum c_j^2, here
  // c = (3, 2, 1, 0.5): S = (0.6792, 0.3019, 0.0755, 0.0189) (and 0 interactions). Over 40
  // independent random (Monte Carlo) designs of N = 512, the combined estimates average to
  // the truth within 3 standard errors, and their spread is no larger than the better of
  // the two classic estimators' for every index (first order: Saltelli's for small,
  // Jansen's for large; the combination should track the better one).
  const double c[] = {3, 2, 1, 0.5};
  const double total = 9 + 4 + 1 + 0.25;
  const std::size_t n = 512, d = 4, runs = 40;
  boost::random::normal_distribution<double> normal;
  std::vector<attendsim::RunningStats> comb_s(d), comb_st(d), sal_s(d), jan_st(d), jan_s(d),
      com_st(d);
  for (std::size_t run = 0; run < runs; ++run) {
    auto eng = attendsim::make_engine({9, run, 0, 0, 0});
    std::vector<std::vector<double>> a(n, std::vector<double>(d)), b = a;
    for (auto& row : a)
      for (auto& x : row) x = normal(eng);
    for (auto& row : b)
      for (auto& x : row) x = normal(eng);
    auto f = [&](const std::vector<double>& x) {
      double y = 0;
      for (std::size_t i = 0; i < d; ++i) y += c[i] * x[i];
      return y;
    };
    std::vector<double> y;
    for (const auto& row : a) y.push_back(f(row));
    for (const auto& row : b) y.push_back(f(row));
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t k = 0; k < n; ++k) {
        auto row = a[k];
        row[i] = b[k][i];
        y.push_back(f(row));
      }
    }
    SobolOptions opt;
    opt.bootstrap = 0;
    const auto comb = attendsim::sobol_indices(y, n, d, opt);
    opt.estimator = attendsim::SobolEstimator::saltelli_jansen;
    const auto classic = attendsim::sobol_indices(y, n, d, opt);
    // The other two forms, written out here: Jansen's first order and the complement total.
    double m = 0, v = 0;
    for (std::size_t k = 0; k < 2 * n; ++k) m += y[k] / (2.0 * n);
    for (std::size_t k = 0; k < 2 * n; ++k) v += (y[k] - m) * (y[k] - m) / (2.0 * n - 1);
    for (std::size_t i = 0; i < d; ++i) {
      double jb = 0, ca = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const double fa = y[k], fb = y[n + k], fi = y[(2 + i) * n + k];
        jb += (fb - fi) * (fb - fi) / 2;
        ca += (fa - m) * (fi - fb);
      }
      jan_s[i].add(1 - jb / n / v);
      com_st[i].add(1 - ca / n / v);
      comb_s[i].add(comb.indices[i].first_order);
      comb_st[i].add(comb.indices[i].total);
      sal_s[i].add(classic.indices[i].first_order);
      jan_st[i].add(classic.indices[i].total);
    }
  }
  for (std::size_t i = 0; i < d; ++i) {
    const double truth = c[i] * c[i] / total;
    const double k = static_cast<double>(runs);
    EXPECT_NEAR(comb_s[i].mean(), truth, 3 * std::sqrt(comb_s[i].variance()) / std::sqrt(k))
        << "S" << i + 1;
    EXPECT_NEAR(comb_st[i].mean(), truth, 3 * std::sqrt(comb_st[i].variance()) / std::sqrt(k))
        << "ST" << i + 1;
    // 1.15: the spread of 40 runs is itself uncertain (about 11 %).
    EXPECT_LE(std::sqrt(comb_s[i].variance()),
              1.15 * std::min(std::sqrt(sal_s[i].variance()), std::sqrt(jan_s[i].variance())))
        << "S" << i + 1;
    EXPECT_LE(std::sqrt(comb_st[i].variance()),
              1.15 * std::min(std::sqrt(jan_st[i].variance()), std::sqrt(com_st[i].variance())))
        << "ST" << i + 1;
  }
  // And the combination helps where it should: Jansen's first order beats Saltelli's for the
  // largest index, Saltelli's for the smallest.
  EXPECT_LT(std::sqrt(jan_s[0].variance()), std::sqrt(sal_s[0].variance()));
  EXPECT_LT(std::sqrt(sal_s[3].variance()), std::sqrt(jan_s[3].variance()));
}

TEST(Sobol, LinearAdditiveModelHasKnownIndices) {
  // f = sum c_i x_i with independent x_i: S_i = ST_i = c_i^2 var_i / sum_j c_j^2 var_j.
  // x1 ~ U(0, 1) (var 1/12), x2 ~ N(0, 2^2) (var 4), x3 ~ U(-1, 3) (var 16/12).
  const double c[] = {3.0, 0.5, -1.0};
  const double var[] = {1.0 / 12, 4.0, 16.0 / 12};
  const boost::math::normal_distribution<> nd(0.0, 2.0);
  auto f = [&](std::span<const double> u) {
    return c[0] * u[0] + c[1] * boost::math::quantile(nd, u[1]) + c[2] * (-1 + 4 * u[2]);
  };
  SobolOptions opt;
  opt.bootstrap = 200;
  const auto r = sobol_analysis(4096, 3, f, opt);
  double sum = 0;
  for (int i = 0; i < 3; ++i) sum += c[i] * c[i] * var[i];
  for (std::size_t i = 0; i < 3; ++i) {
    const double truth = c[i] * c[i] * var[i] / sum;
    EXPECT_NEAR(r.indices[i].first_order, truth, 0.02) << i;
    EXPECT_NEAR(r.indices[i].total, truth, 0.02) << i;
    EXPECT_LE(r.indices[i].total_ci_low, truth) << i;
    EXPECT_GE(r.indices[i].total_ci_high, truth) << i;
  }
}

TEST(Sobol, BootstrapIsReproducibleForASeed) {
  const Ishigami f;
  SobolOptions opt;
  opt.bootstrap = 50;
  opt.seed = 9;
  const auto a = sobol_analysis(256, 3, f, opt);
  const auto b = sobol_analysis(256, 3, f, opt);
  opt.seed = 10;
  const auto c = sobol_analysis(256, 3, f, opt);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a.indices[i].first_order_ci_low, b.indices[i].first_order_ci_low);
    EXPECT_EQ(a.indices[i].total_ci_high, b.indices[i].total_ci_high);
    EXPECT_EQ(a.indices[i].first_order, c.indices[i].first_order);  // estimates do not depend on it
  }
  EXPECT_NE(a.indices[0].first_order_ci_low, c.indices[0].first_order_ci_low);
}

TEST(Sobol, RejectsBadSizes) {
  EXPECT_THROW(saltelli_design(1, 3), attendsim::PreconditionError);
  EXPECT_THROW(saltelli_design(4, 0), attendsim::PreconditionError);
  const std::vector<double> y(4 * 5, 1.0);
  // A constant output is not an error but not identifiable (no input moves it).
  const auto constant = attendsim::sobol_indices(y, 4, 3);
  EXPECT_FALSE(constant.identifiable);
  EXPECT_TRUE(std::isnan(constant.indices[0].total));
  const std::vector<double> short_y(7, 1.0);
  EXPECT_THROW(attendsim::sobol_indices(short_y, 4, 3), attendsim::PreconditionError);
}

namespace {

std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(testsupport::read_file(p));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST(SobolModel, ReusedSimulationsGiveTheSameIndicesAsAnExperimentOverTheDesign) {
  // Independent path: run_experiment over each row's points on that row's streams, the
  // per-replication outputs, then the noise-corrected estimator. Must equal the analysis
  // that reuses A's outcomes for economics parameters and simulates scenarios from recorded
  // baselines, bit for bit; and so must the analysis that simulates every point in full.
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "400");
  t = testsupport::set_key(t, "simulation", "horizon_years", "3");
  const auto cfg =
      attendsim::models::parse_model_config(attendsim::config::Document::parse(t, "small.toml"));
  attendsim::models::RunOptions opt;
  opt.seed = 7;
  opt.replications = 2;
  opt.threads = 2;
  const auto params = attendsim::models::uncertain_parameters(
      cfg,
      "economics.cost_per_fte_year_sek,coordinators.rr_improve_in_case,detection.p_detect_per_"
      "month,population.prevalence.grade10_12.high");
  const std::size_t n = 8, d = 4;
  const auto got = attendsim::models::sobol_sensitivity(cfg, opt, params, n, 0, 1, true);
  const auto plain = attendsim::models::sobol_sensitivity(cfg, opt, params, n, 0, 1, false);
  EXPECT_EQ(plain.baselines, n * 2 * (d + 2));
  EXPECT_EQ(plain.scenario_runs, n * 2 * (d + 2));
  const auto design = saltelli_design(n, d);
  // The work the reuse should do, from the design alone: a point simulates like an earlier
  // point of its row when rr_improve, p_detect and the prevalence (coordinates 1-3) agree
  // (the cost is economics), and shares an earlier point's baseline record when the
  // prevalence agrees (coordinator and detection parameters leave the baseline's paths as
  // they are); the row's first baseline is recorded, the others (other prevalence values)
  // derived from it. Sobol coordinates coincide often at N = 8, so this is not simply 1 + 1
  // records and 5 scenarios per row.
  std::size_t want_baselines = 0, want_runs = 0;
  for (std::size_t k = 0; k < n; ++k) {
    std::vector<std::vector<double>> sims, bases;
    for (std::size_t j = 0; j < d + 2; ++j) {
      const auto& u = design.points[j * n + k];
      const std::vector<double> sim{u[1], u[2], u[3]}, base{u[3]};
      if (std::find(sims.begin(), sims.end(), sim) != sims.end()) continue;
      sims.push_back(sim);
      ++want_runs;
      if (std::find(bases.begin(), bases.end(), base) != bases.end()) continue;
      bases.push_back(base);
      ++want_baselines;
    }
  }
  EXPECT_EQ(got.baselines, 2 * n);  // 2 replications, one recording per row
  EXPECT_EQ(got.derived_baselines, 2 * (want_baselines - n));
  EXPECT_EQ(got.scenario_runs, 2 * want_runs);
  EXPECT_GT(want_baselines, n);  // some rows derive
  EXPECT_LT(want_baselines, n * (d + 2));
  // Row k's points on the streams {7, 0, k R + r} (the documented row streams): one
  // experiment per row, its d + 2 points as parameter sets on common streams, replications
  // starting at k R; per-replication outputs laid out [(j N + k) R + r].
  const std::size_t reps = 2;
  std::vector<std::vector<double>> y(3, std::vector<double>(n * (d + 2) * reps));
  for (std::size_t k = 0; k < n; ++k) {
    auto o = opt;
    o.common_streams_across_draws = true;
    o.first_replication = static_cast<int>(k * reps);
    for (std::size_t j = 0; j < d + 2; ++j) {
      const auto& u = design.points[j * n + k];
      auto v = cfg.parameters.base_values();
      for (std::size_t i = 0; i < d; ++i)
        v[params[i]] = cfg.parameters.at(params[i]).dist->quantile(u[i]);
      o.parameter_sets.push_back(v);
    }
    o.draws = static_cast<int>(o.parameter_sets.size());
    const auto res =
        attendsim::models::run_experiment(cfg, attendsim::models::baseline_and_configured(cfg), o);
    const auto i_net = res.metric_index("net_benefit_sek"), i_roi = res.metric_index("roi"),
               i_ret = res.metric_index("sustained_returns");
    for (std::size_t j = 0; j < d + 2; ++j) {
      for (std::size_t r = 0; r < reps; ++r) {
        const auto& m = res.units[j * reps + r].metrics;
        const std::size_t at = (j * n + k) * reps + r;
        y[0][at] = m[1][i_net];
        y[1][at] = m[1][i_roi];
        y[2][at] = m[1][i_ret] - m[0][i_ret];
      }
    }
  }
  SobolOptions so;
  so.bootstrap = 0;
  // Bit for bit, an index that is not identifiable (NaN) on both sides included.
  const auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
  for (std::size_t k = 0; k < 3; ++k) {
    const auto expect = attendsim::sobol_indices_replicated(y[k], n, d, reps, so);
    for (std::size_t i = 0; i < d; ++i) {
      EXPECT_TRUE(same(got.rows[k * d + i].index.first_order, expect.indices[i].first_order))
          << k << " " << i;
      EXPECT_TRUE(same(got.rows[k * d + i].index.total, expect.indices[i].total)) << k << " " << i;
      EXPECT_TRUE(same(plain.rows[k * d + i].index.first_order, expect.indices[i].first_order))
          << k << " " << i;
      EXPECT_TRUE(same(plain.rows[k * d + i].index.total, expect.indices[i].total))
          << k << " " << i;
    }
    EXPECT_EQ(got.noise[k].noise_variance, plain.noise[k].noise_variance);
  }
}

TEST(SobolCli, WritesSobolCsvWithItsColumns) {
  const auto dir = testsupport::scratch_dir("sobol-cli");
  const auto cfg = testsupport::small_reference_config(dir);
  const std::string params =
      "coordinators.rr_improve_in_case,economics.cost_per_fte_year_sek,economics.longterm_loss_"
      "public_share";
  const auto r = testsupport::run_cli(
      "sensitivity " + cfg + " --method sobol --params " + params +
          " --sobol-n 64 --replications 2 --bootstrap 100 --threads 2 --quiet --out '" +
          (dir / "out").string() + "'",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "summary.json"));
  EXPECT_TRUE(fs::exists(dir / "out" / "sobol_noise.csv"));
  const auto rows = read_csv(dir / "out" / "sobol.csv");
  ASSERT_EQ(rows.size(), 1u + 3u * 3u);
  const std::vector<std::string> header = {"output",
                                           "parameter",
                                           "first_order",
                                           "first_order_ci_low",
                                           "first_order_ci_high",
                                           "total",
                                           "total_ci_low",
                                           "total_ci_high",
                                           "status"};
  EXPECT_EQ(rows[0], header);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 9u);
    EXPECT_EQ(rows[i][8], "ok");
    // Shares of a variance, estimated from N = 64 noisy rows: finite, ST >= 0 (Jansen's is
    // a mean of squares), and of order one (not SEK-scale garbage); ST may exceed 1 here.
    for (std::size_t c : {2u, 5u}) {
      const double v = std::stod(rows[i][c]);
      EXPECT_TRUE(std::isfinite(v)) << rows[i][0] << " " << rows[i][1];
      EXPECT_GE(v, c == 5u ? 0.0 : -2.0) << rows[i][0] << " " << rows[i][1];
      EXPECT_LE(v, 2.0) << rows[i][0] << " " << rows[i][1];
    }
    EXPECT_LE(std::stod(rows[i][3]), std::stod(rows[i][4]));
    EXPECT_LE(std::stod(rows[i][6]), std::stod(rows[i][7]));
  }
  fs::remove_all(dir);
}

TEST(SobolCli, AnOutputTheParametersCannotMoveIsNotIdentifiableAndTheOthersKeepTheirIndices) {
  // Economics parameters only: the simulation never reads them, so extra sustained returns
  // are the same at every point of a row (the row's points share their random numbers). It
  // used to exit 2 on about half the seeds; now it is marked not identifiable at every seed,
  // and net benefit and ROI, which the costs move, keep their indices.
  const auto dir = testsupport::scratch_dir("sobol-unidentifiable");
  const auto cfg = testsupport::small_reference_config(dir);
  for (const char* seed : {"1", "2", "3"}) {
    const auto out = dir / (std::string("out") + seed);
    const auto r = testsupport::run_cli(
        "sensitivity " + cfg +
            " --method sobol --params economics.cost_per_fte_year_sek,economics.cost_repeated_"
            "year_sek --sobol-n 8 --replications 2 --bootstrap 20 --threads 2 --seed " +
            seed + " --out '" + out.string() + "'",
        dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("extra_sustained_returns: not identifiable"), std::string::npos) << r.out;
    const auto rows = read_csv(out / "sobol.csv");
    ASSERT_EQ(rows.size(), 1u + 3u * 2u);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].size(), 9u);
      if (rows[i][0] == "extra_sustained_returns") {
        EXPECT_EQ(rows[i][8], "not_identifiable");
        EXPECT_EQ(rows[i][2], "nan");
        EXPECT_EQ(rows[i][5], "nan");
      } else if (rows[i][0] == "net_benefit_sek") {
        // The cost per FTE-year moves it far beyond the noise.
        EXPECT_EQ(rows[i][8], "ok") << rows[i][0];
        EXPECT_TRUE(std::isfinite(std::stod(rows[i][5]))) << rows[i][0];
      } else {
        // ROI: at N = 8 its variance may or may not stand out from the noise; its status
        // and its numbers agree.
        EXPECT_EQ(rows[i][8] == "ok", rows[i][5] != "nan") << rows[i][0];
      }
    }
    const auto status = read_csv(out / "sobol_status.csv");
    ASSERT_EQ(status.size(), 4u);
    EXPECT_EQ(status[3][0], "extra_sustained_returns");
    EXPECT_EQ(status[3][1], "not_identifiable");
    EXPECT_NE(status[3][2].find("no parameter moves it"), std::string::npos);
  }
  // The report says so, in Swedish without the code name.
  const auto rep = testsupport::run_cli("report '" + (dir / "out1").string() +
                                            "' --lang sv --out '" + (dir / "r.html").string() + "'",
                                        dir);
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  const auto html = testsupport::read_file(dir / "r.html");
  EXPECT_NE(html.find("Extra varaktiga återgångar till skolan: går inte att fördela"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(SobolCli, RandomisedDesignGivesTIntervalsAroundTheMeanOfItsRandomisations) {
  // K = 4 randomisations of N = 16: the CSV's estimate is the centre of its interval (a
  // Student t interval is symmetric), unlike a percentile bootstrap; and the same seed gives
  // the same bytes.
  const auto dir = testsupport::scratch_dir("sobol-rqmc");
  const auto cfg = testsupport::small_reference_config(dir);
  const std::string args =
      " --method sobol --params coordinators.rr_improve_in_case,economics.cost_per_fte_year_sek"
      " --sobol-n 16 --randomisations 4 --replications 1 --quiet --out '";
  for (const char* name : {"a", "b"}) {
    const auto r =
        testsupport::run_cli("sensitivity " + cfg + args + (dir / name).string() + "'", dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(testsupport::read_file(dir / "a" / "sobol.csv"),
            testsupport::read_file(dir / "b" / "sobol.csv"));
  const auto rows = read_csv(dir / "a" / "sobol.csv");
  ASSERT_EQ(rows.size(), 1u + 3u * 2u);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i][0] == "extra_sustained_returns" && rows[i][1] == "economics.cost_per_fte_year_sek")
      continue;
    for (std::size_t c : {2u, 5u}) {
      const double est = std::stod(rows[i][c]), lo = std::stod(rows[i][c + 1]),
                   hi = std::stod(rows[i][c + 2]);
      EXPECT_LT(lo, hi) << rows[i][0] << " " << rows[i][1];
      EXPECT_NEAR((lo + hi) / 2, est, 1e-9 * (1 + std::abs(est)))
          << rows[i][0] << " " << rows[i][1];
    }
  }
  fs::remove_all(dir);
}

TEST(SobolCli, BadInputExitsTwoAndWritesNothing) {
  const auto dir = testsupport::scratch_dir("sobol-cli-bad");
  const auto cfg = testsupport::small_reference_config(dir);
  const std::string out = " --quiet --replications 1 --out '" + (dir / "bad").string() + "'";
  auto r = testsupport::run_cli(
      "sensitivity " + cfg + " --method sobol --params nope.key,detection.p_consent" + out, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.key"), std::string::npos) << r.err;
  r = testsupport::run_cli(
      "sensitivity " + cfg + " --method sobol --params detection.p_consent --sobol-n 1" + out, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--sobol-n"), std::string::npos) << r.err;
  r = testsupport::run_cli(
      "sensitivity " + cfg +
          " --method sobol --params detection.p_consent,detection.p_consent --sobol-n 4" + out,
      dir);
  EXPECT_EQ(r.exit_code, 2);
  r = testsupport::run_cli(
      "sensitivity " + cfg + " --method sobol --params detection.school_action_months --sobol-n 4" +
          out,
      dir);
  EXPECT_EQ(r.exit_code, 2);  // a fixed parameter has no distribution to vary
  EXPECT_NE(r.err.find("no distribution"), std::string::npos) << r.err;
  r = testsupport::run_cli(
      "sensitivity " + cfg +
          " --method sobol --params detection.p_consent --sobol-n 4 --randomisations 0" + out,
      dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--randomisations"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "bad"));
  fs::remove_all(dir);
}
