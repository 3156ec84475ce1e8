#include "sim/sobol.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <optional>

#include "sim/error.hpp"
#include "sim/statistics.hpp"
#include "sim/streams.hpp"

namespace attendsim {

namespace {

SaltelliDesign make_design(std::size_t n, std::size_t d,
                           const std::optional<StreamKey>& shift_key) {
  ATTENDSIM_REQUIRE(n >= 2, "a Saltelli design needs N >= 2, got " << n);
  ATTENDSIM_REQUIRE(d >= 1, "a Saltelli design needs at least one input");
  ATTENDSIM_REQUIRE(
      2 * d <= boost::random::detail::qrng_tables::sobol::max_dimension,
      "a Saltelli design on " << d << " inputs needs more Sobol dimensions than Boost's table");
  boost::random::sobol qrng(2 * d);
  std::vector<std::uint64_t> shift(2 * d, 0);
  if (shift_key) {
    Engine e = make_engine(*shift_key);
    for (auto& s : shift) s = e();
  }
  std::vector<std::vector<double>> a(n, std::vector<double>(d)), b(n, std::vector<double>(d));
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t j = 0; j < 2 * d; ++j) {
      const std::uint64_t x = static_cast<std::uint64_t>(qrng()) ^ shift[j];
      const double u = (static_cast<double>(x >> 11) + 0.5) * 0x1p-53;
      (j < d ? a[k][j] : b[k][j - d]) = u;
    }
  }
  SaltelliDesign out;
  out.n = n;
  out.d = d;
  out.points.reserve(n * (d + 2));
  for (const auto& row : a) out.points.push_back(row);
  for (const auto& row : b) out.points.push_back(row);
  for (std::size_t i = 0; i < d; ++i) {
    for (std::size_t k = 0; k < n; ++k) {
      auto row = a[k];
      row[i] = b[k][i];
      out.points.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace

SaltelliDesign saltelli_design(std::size_t n, std::size_t d) {
  return make_design(n, d, std::nullopt);
}

SaltelliDesign saltelli_design(std::size_t n, std::size_t d, std::uint64_t seed, std::uint64_t q) {
  return make_design(n, d, StreamKey{seed, 0, q, kSobolShiftPurpose, 0});
}

namespace {

/// Estimates from the rows `rows` (a resample, or 0..N-1) of the design outputs.
void estimate(std::span<const double> y, std::size_t n, std::size_t d,
              const std::vector<std::size_t>& rows, std::vector<double>& s,
              std::vector<double>& st) {
  const double* fa = y.data();
  const double* fb = y.data() + n;
  RunningStats rs;
  for (auto k : rows) {
    rs.add(fa[k]);
    rs.add(fb[k]);
  }
  const double v = rs.variance(), mean = rs.mean();
  const double m = static_cast<double>(rows.size());
  s.assign(d, 0.0);
  st.assign(d, 0.0);
  for (std::size_t i = 0; i < d; ++i) {
    const double* fi = y.data() + (2 + i) * n;
    double first = 0, total = 0;
    for (auto k : rows) {
      first += (fb[k] - mean) * (fi[k] - fa[k]);
      total += (fa[k] - fi[k]) * (fa[k] - fi[k]);
    }
    s[i] = v > 0 ? first / m / v : 0.0;
    st[i] = v > 0 ? total / (2 * m) / v : 0.0;
  }
}

}  // namespace

SobolResult sobol_indices(std::span<const double> outputs, std::size_t n, std::size_t d,
                          const SobolOptions& opt) {
  ATTENDSIM_REQUIRE(n >= 2 && d >= 1, "Sobol indices need N >= 2 and d >= 1");
  ATTENDSIM_REQUIRE(
      outputs.size() == n * (d + 2),
      "Sobol indices need N (d + 2) = " << n * (d + 2) << " outputs, got " << outputs.size());
  ATTENDSIM_REQUIRE(opt.bootstrap >= 0, "bootstrap resamples must be >= 0");
  ATTENDSIM_REQUIRE(opt.confidence > 0 && opt.confidence < 1, "confidence must be in (0, 1)");
  for (double x : outputs) ATTENDSIM_REQUIRE(std::isfinite(x), "Sobol indices need finite outputs");
  std::vector<std::size_t> rows(n);
  for (std::size_t k = 0; k < n; ++k) rows[k] = k;
  RunningStats rs;
  for (std::size_t k = 0; k < 2 * n; ++k) rs.add(outputs[k]);
  SobolResult out;
  out.variance = rs.variance();
  ATTENDSIM_REQUIRE(out.variance > 0, "Sobol indices need an output that varies over the design");
  std::vector<double> s, st;
  estimate(outputs, n, d, rows, s, st);
  out.indices.resize(d);
  for (std::size_t i = 0; i < d; ++i) {
    auto& x = out.indices[i];
    x.first_order = x.first_order_ci_low = x.first_order_ci_high = s[i];
    x.total = x.total_ci_low = x.total_ci_high = st[i];
  }
  if (opt.bootstrap == 0) return out;
  const auto nb = static_cast<std::size_t>(opt.bootstrap);
  std::vector<std::vector<double>> bs(d, std::vector<double>(nb)), bst(d, std::vector<double>(nb));
  for (std::size_t b = 0; b < nb; ++b) {
    Engine e = make_engine({opt.seed, 0, 0, kSobolBootstrapPurpose, b});
    for (auto& r : rows) {
      r = std::min(n - 1, static_cast<std::size_t>(uniform53(e()) * static_cast<double>(n)));
    }
    estimate(outputs, n, d, rows, s, st);
    for (std::size_t i = 0; i < d; ++i) {
      bs[i][b] = s[i];
      bst[i][b] = st[i];
    }
  }
  const double lo = (1 - opt.confidence) / 2, hi = (1 + opt.confidence) / 2;
  for (std::size_t i = 0; i < d; ++i) {
    auto& x = out.indices[i];
    x.first_order_ci_low = quantile(bs[i], lo);
    x.first_order_ci_high = quantile(bs[i], hi);
    x.total_ci_low = quantile(bst[i], lo);
    x.total_ci_high = quantile(bst[i], hi);
  }
  return out;
}

SobolResult sobol_indices_randomised(std::span<const double> outputs, std::size_t n, std::size_t d,
                                     std::size_t k, double confidence) {
  ATTENDSIM_REQUIRE(k >= 2, "randomised QMC needs at least 2 randomisations, got " << k);
  ATTENDSIM_REQUIRE(confidence > 0 && confidence < 1, "confidence must be in (0, 1)");
  const std::size_t block = n * (d + 2);
  ATTENDSIM_REQUIRE(outputs.size() == k * block,
                    "randomised Sobol indices need K N (d + 2) = " << k * block << " outputs, got "
                                                                   << outputs.size());
  std::vector<RunningStats> s(d), st(d);
  RunningStats v;
  SobolOptions one;
  one.bootstrap = 0;
  for (std::size_t q = 0; q < k; ++q) {
    const auto r = sobol_indices(outputs.subspan(q * block, block), n, d, one);
    v.add(r.variance);
    for (std::size_t i = 0; i < d; ++i) {
      s[i].add(r.indices[i].first_order);
      st[i].add(r.indices[i].total);
    }
  }
  const boost::math::students_t t_dist(static_cast<double>(k - 1));
  const double t = boost::math::quantile(t_dist, (1 + confidence) / 2);
  const double root_k = std::sqrt(static_cast<double>(k));
  SobolResult out;
  out.variance = v.mean();
  out.indices.resize(d);
  for (std::size_t i = 0; i < d; ++i) {
    auto& x = out.indices[i];
    const double hs = t * std::sqrt(s[i].variance()) / root_k;
    const double hst = t * std::sqrt(st[i].variance()) / root_k;
    x.first_order = s[i].mean();
    x.first_order_ci_low = x.first_order - hs;
    x.first_order_ci_high = x.first_order + hs;
    x.total = st[i].mean();
    x.total_ci_low = x.total - hst;
    x.total_ci_high = x.total + hst;
  }
  return out;
}

SobolResult sobol_analysis(std::size_t n, std::size_t d,
                           const std::function<double(std::span<const double>)>& f,
                           const SobolOptions& opt) {
  const auto design = saltelli_design(n, d);
  std::vector<double> y;
  y.reserve(design.size());
  for (const auto& p : design.points) y.push_back(f(p));
  return sobol_indices(y, n, d, opt);
}

}  // namespace attendsim
