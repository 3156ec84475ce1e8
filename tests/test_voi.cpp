// Value of information: EVPI and regression EVPPI against closed forms, and the
// `sensitivity --method voi` command.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "sim/error.hpp"
#include "sim/statistics.hpp"
#include "sim/streams.hpp"
#include "sim/voi.hpp"
#include "support.hpp"

namespace fs = std::filesystem;

namespace {

const boost::math::normal_distribution<> kStd(0.0, 1.0);
double phi(double z) {
  return boost::math::pdf(kStd, z);
}
double Phi(double z) {
  return boost::math::cdf(kStd, z);
}

/// E[max(0, D)] for D ~ N(mu, s^2): mu Phi(mu/s) + s phi(mu/s).
double expected_positive_part(double mu, double s) {
  return mu * Phi(mu / s) + s * phi(mu / s);
}

/// K standard normal draws by inversion from one keyed stream.
Eigen::VectorXd normals(Eigen::Index k, std::uint64_t sub) {
  auto e = attendsim::make_engine({11, 0, 0, 0x74657374U, sub});
  Eigen::VectorXd z(k);
  for (Eigen::Index i = 0; i < k; ++i)
    z[i] = boost::math::quantile(kStd, (static_cast<double>(e() >> 11) + 0.5) * 0x1p-53);
  return z;
}

/// Net benefits of two options: option 0 = 0, option 1 = d.
Eigen::MatrixXd two_options(const Eigen::VectorXd& d) {
  Eigen::MatrixXd nb = Eigen::MatrixXd::Zero(d.size(), 2);
  nb.col(1) = d;
  return nb;
}

}  // namespace

TEST(Voi, EvpiOfTwoNormalOptionsMatchesTheClosedForm) {
  // D = NB1 - NB0 ~ N(mu, s^2): EVPI = E[max(0, D)] - max(0, mu) = s phi(mu/s) - mu Phi(-mu/s)
  // for mu > 0. With mean(D) > 0 (certain here: mu = 1 is 70 SE of the mean above 0) the
  // estimate is (1/K) sum max(0, -D_k), whose Monte Carlo SE is sd(max(0, -D)) / sqrt(K).
  const double mu = 1.0, s = 2.0;
  const Eigen::Index k = 20000;
  const Eigen::VectorXd d = (mu + s * normals(k, 1).array()).matrix();
  const double truth = s * phi(mu / s) - mu * Phi(-mu / s);
  EXPECT_NEAR(truth, expected_positive_part(mu, s) - mu, 1e-12);
  std::vector<double> neg(static_cast<std::size_t>(k));
  for (Eigen::Index i = 0; i < k; ++i) neg[static_cast<std::size_t>(i)] = std::max(0.0, -d[i]);
  const double se = attendsim::summarise(neg).se;
  EXPECT_NEAR(attendsim::evpi(two_options(d)), truth, 4 * se) << "4 Monte Carlo SE = " << 4 * se;
  // Adding a constant to every option changes nothing; a dominated third option neither.
  Eigen::MatrixXd nb3(k, 3);
  nb3.col(0).setConstant(5.0);
  nb3.col(1) = (d.array() + 5.0).matrix();
  nb3.col(2).setConstant(-100.0);
  EXPECT_NEAR(attendsim::evpi(nb3), attendsim::evpi(two_options(d)), 1e-9);
}

TEST(Voi, EvppiOfAParameterOutsideTheModelIsAboutZero) {
  // D = mu + s x1; x2 independent of D. E[D | x2] = mu, so EVPPI(x2) = 0; the regression's
  // overfitting leaves about 0.4 sd(D) sqrt(columns / K) ~ 0.4 * 2 * sqrt(5 / 10000) = 0.018,
  // i.e. < 5 % of EVPI (0.80 here).
  const double mu = 0.2, s = 2.0;
  const Eigen::Index k = 10000;
  const Eigen::VectorXd x1 = normals(k, 2), x2 = normals(k, 3);
  const auto nb = two_options((mu + s * x1.array()).matrix());
  const double evpi = attendsim::evpi(nb);
  const double v = attendsim::evppi(nb, x2);
  EXPECT_GE(v, 0.0);
  EXPECT_LT(v, 0.05 * evpi) << "EVPPI " << v << " EVPI " << evpi;
}

TEST(Voi, EvppiOfTheOnlyUncertainParameterEqualsEvpi) {
  // Linear in x: the basis holds x, the fit is exact, EVPPI = EVPI to rounding.
  const Eigen::Index k = 5000;
  const Eigen::VectorXd x = normals(k, 4);
  const auto lin = two_options((0.3 + 1.5 * x.array()).matrix());
  EXPECT_NEAR(attendsim::evppi(lin, x), attendsim::evpi(lin), 1e-9 * attendsim::evpi(lin));
  // Nonlinear (D = exp(x) - 1.3, x ~ N(0, 0.5^2)): the spline approximates E[D | x] = D.
  const Eigen::VectorXd y = (0.5 * x.array()).exp() - 1.3;
  const auto nl = two_options(y);
  EXPECT_NEAR(attendsim::evppi(nl, x), attendsim::evpi(nl), 0.02 * attendsim::evpi(nl));
}

TEST(Voi, EvppiOfOneOfTwoNormalParametersMatchesTheClosedForm) {
  // D = mu + x1 + x2, x1 ~ N(0, s1^2), x2 ~ N(0, s2^2) independent. E[D | x1] = mu + x1, so
  //   EVPPI(x1) = E[max(0, mu + x1)] - max(0, mu) = mu Phi(mu/s1) + s1 phi(mu/s1) - mu  (mu > 0)
  // and the group {x1, x2} has EVPPI = EVPI (the additive basis holds D exactly).
  const double mu = 1.0, s1 = 2.0, s2 = 1.5;
  const Eigen::Index k = 20000;
  const Eigen::VectorXd x1 = (s1 * normals(k, 5).array()).matrix(),
                        x2 = (s2 * normals(k, 6).array()).matrix();
  const auto nb = two_options((mu + x1.array() + x2.array()).matrix());
  const double truth = expected_positive_part(mu, s1) - mu;
  std::vector<double> neg(static_cast<std::size_t>(k));
  for (Eigen::Index i = 0; i < k; ++i)
    neg[static_cast<std::size_t>(i)] = std::max(0.0, -(mu + x1[i]));
  const double se = attendsim::summarise(neg).se;
  EXPECT_NEAR(attendsim::evppi(nb, x1), truth, 4 * se) << "4 SE = " << 4 * se;
  Eigen::MatrixXd both(k, 2);
  both << x1, x2;
  EXPECT_NEAR(attendsim::evppi(nb, both), attendsim::evpi(nb), 1e-9 * attendsim::evpi(nb));
  EXPECT_LT(attendsim::evppi(nb, x1), attendsim::evpi(nb));
}

TEST(Voi, GroupsWithCollinearMembersAndConstantsAreFine) {
  // A probability row (p, 1 - p) and a constant member: rank-deficient basis, same answer
  // as p alone.
  const Eigen::Index k = 2000;
  const Eigen::VectorXd z = normals(k, 7);
  Eigen::MatrixXd row(k, 3);
  for (Eigen::Index i = 0; i < k; ++i) {
    const double p = Phi(z[i]);
    row(i, 0) = p;
    row(i, 1) = 1 - p;
    row(i, 2) = 0.0;
  }
  const auto nb = two_options((row.col(0).array() - 0.45).matrix());
  EXPECT_NEAR(attendsim::evppi(nb, row), attendsim::evppi(nb, row.col(0)), 1e-9);
  EXPECT_NEAR(attendsim::evppi(nb, row.col(0)), attendsim::evpi(nb), 1e-9);
  EXPECT_THROW(attendsim::evppi(nb.topRows(5), row.topRows(5)), attendsim::PreconditionError);
}

TEST(VoiCli, WritesVoiCsvWithItsColumns) {
  const auto dir = testsupport::scratch_dir("voi-cli");
  const auto cfg = testsupport::small_reference_config(dir);
  const auto r = testsupport::run_cli(
      "sensitivity " + cfg +
          " --method voi --draws 40 --replications 1 --threads 2 --quiet --out '" +
          (dir / "out").string() + "'",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "summary.json"));
  std::istringstream in(testsupport::read_file(dir / "out" / "voi.csv"));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "measure,parameter,voi_sek,share_of_evpi");
  std::getline(in, line);
  EXPECT_EQ(line.rfind("evpi,all,", 0), 0u) << line;
  int evppi_rows = 0;
  bool saw_group = false;
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) c.push_back(cell);
    ASSERT_EQ(c.size(), 4u) << line;
    EXPECT_EQ(c[0], "evppi");
    EXPECT_GE(std::stod(c[2]), 0.0) << line;
    EXPECT_GE(std::stod(c[3]), -0.2) << line;
    EXPECT_LE(std::stod(c[3]), 1.2) << line;
    saw_group = saw_group || c[1] == "transitions.grade7_9.high";
    ++evppi_rows;
  }
  EXPECT_GT(evppi_rows, 40);  // every uncertain parameter and every Dirichlet row
  EXPECT_TRUE(saw_group);
  fs::remove_all(dir);
}

TEST(VoiCli, BadInputExitsTwoAndWritesNothing) {
  const auto dir = testsupport::scratch_dir("voi-cli-bad");
  const auto cfg = testsupport::small_reference_config(dir);
  const std::string out = " --quiet --replications 1 --out '" + (dir / "bad").string() + "'";
  auto r = testsupport::run_cli("sensitivity " + cfg + " --method voi --draws 5" + out, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--draws"), std::string::npos) << r.err;
  r = testsupport::run_cli(
      "sensitivity " + cfg + " --method voi --draws 10 --params nope.key" + out, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "bad"));
  fs::remove_all(dir);
}
