#include "sim/voi.hpp"

#include <algorithm>
#include <cmath>

#include "sim/error.hpp"
#include "sim/statistics.hpp"

namespace attendsim {

double evpi(const Eigen::MatrixXd& net_benefit) {
  ATTENDSIM_REQUIRE(net_benefit.rows() >= 1 && net_benefit.cols() >= 1,
                    "EVPI needs at least one draw and one option");
  ATTENDSIM_REQUIRE(net_benefit.allFinite(), "EVPI needs finite net benefits");
  const double expected_max = net_benefit.rowwise().maxCoeff().mean();
  const double max_expected = net_benefit.colwise().mean().maxCoeff();
  return expected_max - max_expected;
}

int default_evppi_knots(Eigen::Index draws) {
  return draws < 60 ? 3 : draws < 200 ? 4 : 5;
}

namespace {

double cube_plus(double v) {
  return v > 0 ? v * v * v : 0.0;
}

/// Appends the restricted cubic spline columns of one standardised variable.
void append_spline(const Eigen::VectorXd& x, int knots, std::vector<Eigen::VectorXd>& cols) {
  const double mean = x.mean();
  const double sd =
      std::sqrt((x.array() - mean).square().sum() / std::max<double>(1.0, double(x.size() - 1)));
  if (!(sd > 0)) return;  // constant: nothing beyond the intercept
  const Eigen::VectorXd z = (x.array() - mean) / sd;
  cols.push_back(z);
  std::vector<double> zs(z.data(), z.data() + z.size());
  std::vector<double> t;
  for (int j = 0; j < knots; ++j) {
    const double q = quantile(zs, 0.05 + 0.9 * j / (knots - 1));
    if (t.empty() || q > t.back() + 1e-12) t.push_back(q);
  }
  const std::size_t m = t.size();
  if (m < 3) return;  // too few distinct values for curvature: linear only
  const double tm = t[m - 1], tm1 = t[m - 2], scale = (tm - t[0]) * (tm - t[0]);
  for (std::size_t j = 0; j + 2 < m; ++j) {
    Eigen::VectorXd c(z.size());
    for (Eigen::Index k = 0; k < z.size(); ++k) {
      const double v = z[k];
      c[k] = (cube_plus(v - t[j]) - cube_plus(v - tm1) * (tm - t[j]) / (tm - tm1) +
              cube_plus(v - tm) * (tm1 - t[j]) / (tm - tm1)) /
             scale;
    }
    cols.push_back(std::move(c));
  }
}

}  // namespace

Eigen::MatrixXd evppi_basis(const Eigen::MatrixXd& x, int knots) {
  ATTENDSIM_REQUIRE(knots >= 3 && knots <= 7, "EVPPI spline knots must be 3..7, got " << knots);
  ATTENDSIM_REQUIRE(x.rows() >= 1 && x.cols() >= 1,
                    "EVPPI basis needs draws of at least one parameter");
  std::vector<Eigen::VectorXd> cols;
  cols.emplace_back(Eigen::VectorXd::Ones(x.rows()));
  for (Eigen::Index j = 0; j < x.cols(); ++j) append_spline(x.col(j), knots, cols);
  Eigen::MatrixXd basis(x.rows(), static_cast<Eigen::Index>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j) basis.col(static_cast<Eigen::Index>(j)) = cols[j];
  return basis;
}

double evppi(const Eigen::MatrixXd& net_benefit, const Eigen::MatrixXd& x, int knots) {
  const Eigen::Index k = net_benefit.rows();
  ATTENDSIM_REQUIRE(k >= 10, "EVPPI needs at least 10 draws, got " << k);
  ATTENDSIM_REQUIRE(x.rows() == k,
                    "EVPPI: " << x.rows() << " parameter draws for " << k << " net-benefit draws");
  ATTENDSIM_REQUIRE(net_benefit.allFinite() && x.allFinite(), "EVPPI needs finite values");
  if (net_benefit.cols() < 2) return 0.0;
  const Eigen::MatrixXd basis = evppi_basis(x, knots > 0 ? knots : default_evppi_knots(k));
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(basis);
  Eigen::MatrixXd fitted =
      Eigen::MatrixXd::Zero(k, net_benefit.cols());  // column 0: reference, g_0 = 0
  for (Eigen::Index d = 1; d < net_benefit.cols(); ++d) {
    const Eigen::VectorXd inb = net_benefit.col(d) - net_benefit.col(0);
    fitted.col(d) = basis * qr.solve(inb);
  }
  return evpi(fitted);
}

}  // namespace attendsim
