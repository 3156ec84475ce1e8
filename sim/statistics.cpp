#include "sim/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

#include "sim/error.hpp"

namespace attendsim {

void RunningStats::add(double x) {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
}

void RunningStats::merge(const RunningStats& o) {
  if (o.n_ == 0) return;
  if (n_ == 0) {
    *this = o;
    return;
  }
  const double n = static_cast<double>(n_ + o.n_);
  const double delta = o.mean_ - mean_;
  mean_ += delta * static_cast<double>(o.n_) / n;
  m2_ += o.m2_ + delta * delta * static_cast<double>(n_) * static_cast<double>(o.n_) / n;
  n_ += o.n_;
}

double quantile(std::span<const double> values, double p) {
  ATTENDSIM_REQUIRE(!values.empty(), "quantile of an empty sample");
  ATTENDSIM_REQUIRE(p >= 0.0 && p <= 1.0, "quantile level must be in [0,1], got " << p);
  std::vector<double> v(values.begin(), values.end());
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double student_t_quantile(double p, double df) {
  return boost::math::quantile(boost::math::students_t_distribution<>(df), p);
}

Summary summarise(std::span<const double> values) {
  std::vector<double> finite;
  finite.reserve(values.size());
  for (double x : values) {
    if (!std::isnan(x)) finite.push_back(x);
  }
  ATTENDSIM_REQUIRE(!finite.empty(), "summary of no values");
  RunningStats rs;
  std::size_t positive = 0;
  for (double x : finite) {
    rs.add(x);
    positive += x > 0.0 ? 1 : 0;
  }
  Summary s;
  s.n = finite.size();
  s.mean = rs.mean();
  s.sd = std::sqrt(rs.variance());
  s.se = s.n > 1 ? s.sd / std::sqrt(static_cast<double>(s.n)) : 0.0;
  const double half =
      s.n > 1 ? student_t_quantile(0.975, static_cast<double>(s.n - 1)) * s.se : 0.0;
  s.ci_low = s.mean - half;
  s.ci_high = s.mean + half;
  s.p2_5 = quantile(finite, 0.025);
  s.p97_5 = quantile(finite, 0.975);
  s.p_positive = static_cast<double>(positive) / static_cast<double>(s.n);
  return s;
}

}  // namespace attendsim
