#include "sim/sobol.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

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

/// Per-row summaries of the outputs of one design (layout of sobol_indices_replicated): the
/// replication means, and with R >= 2 the replicate-based noise terms (sobol.hpp, "Noise").
/// Every estimate is a function of row means of these, so a bootstrap resample of rows
/// resamples them.
struct RowTerms {
  std::size_t n = 0, d = 0;
  std::vector<double> fa, fb;           ///< mean over r at A_k, B_k
  std::vector<std::vector<double>> fi;  ///< [i][k] mean over r at A_B^(i)_k
  std::vector<double> noise;            ///< (s2(A_k) + s2(B_k)) / 2 / R
  /// [i][k] noise parts of (f_A - f_i)^2, (f_B - f_i)^2, f_B (f_i - f_A), f_A (f_i - f_B).
  std::vector<std::vector<double>> t_ai, t_bi, c_b, c_a;
};

RowTerms row_terms(std::span<const double> y, std::size_t n, std::size_t d, std::size_t reps) {
  RowTerms t;
  t.n = n;
  t.d = d;
  const double rr = static_cast<double>(reps);
  auto at = [&](std::size_t point, std::size_t r) { return y[point * reps + r]; };
  auto mean = [&](std::size_t point) {
    double m = 0;
    for (std::size_t r = 0; r < reps; ++r) m += at(point, r);
    return reps == 1 ? m : m / rr;
  };
  t.fa.resize(n);
  t.fb.resize(n);
  t.fi.assign(d, std::vector<double>(n));
  t.noise.assign(n, 0.0);
  for (auto* v : {&t.t_ai, &t.t_bi, &t.c_b, &t.c_a}) v->assign(d, std::vector<double>(n, 0.0));
  for (std::size_t k = 0; k < n; ++k) {
    t.fa[k] = mean(k);
    t.fb[k] = mean(n + k);
    for (std::size_t i = 0; i < d; ++i) t.fi[i][k] = mean((2 + i) * n + k);
  }
  if (reps < 2) return t;
  const double norm = rr * (rr - 1);  // unbiased (R - 1) (co)variance, then / R for the mean
  for (std::size_t k = 0; k < n; ++k) {
    double sa = 0, sb = 0;
    for (std::size_t r = 0; r < reps; ++r) {
      const double za = at(k, r) - t.fa[k], zb = at(n + k, r) - t.fb[k];
      sa += za * za;
      sb += zb * zb;
    }
    t.noise[k] = (sa + sb) / 2 / norm;
    for (std::size_t i = 0; i < d; ++i) {
      double tai = 0, tbi = 0, cb = 0, ca = 0;
      for (std::size_t r = 0; r < reps; ++r) {
        const double za = at(k, r) - t.fa[k], zb = at(n + k, r) - t.fb[k];
        const double zi = at((2 + i) * n + k, r) - t.fi[i][k];
        tai += (za - zi) * (za - zi);
        tbi += (zb - zi) * (zb - zi);
        cb += zb * (zi - za);
        ca += za * (zi - zb);
      }
      t.t_ai[i][k] = tai / norm;
      t.t_bi[i][k] = tbi / norm;
      t.c_b[i][k] = cb / norm;
      t.c_a[i][k] = ca / norm;
    }
  }
  return t;
}

struct Estimates {
  double v = 0, noise = 0, vg = 0;
  std::vector<double> s, st, s_noise, st_noise;
};

/// Sample covariance matrix entries of two row series (denominator M - 1).
struct Cov2 {
  double s11 = 0, s22 = 0, s12 = 0;
};
Cov2 cov2(const std::vector<double>& x, const std::vector<double>& y) {
  const double m = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    mx += x[k];
    my += y[k];
  }
  mx /= m;
  my /= m;
  Cov2 c;
  for (std::size_t k = 0; k < x.size(); ++k) {
    c.s11 += (x[k] - mx) * (x[k] - mx);
    c.s22 += (y[k] - my) * (y[k] - my);
    c.s12 += (x[k] - mx) * (y[k] - my);
  }
  return c;  // common factor 1 / (M - 1) omitted: only ratios are used
}

/// The weight w in [0, 1] of the first of two unbiased estimators in the minimum-variance
/// combination w X + (1 - w) Y, from their row series: w = (s22 - s12) / (s11 + s22 - 2 s12).
double combination_weight(const std::vector<double>& x, const std::vector<double>& y) {
  const Cov2 c = cov2(x, y);
  const double den = c.s11 + c.s22 - 2 * c.s12;
  if (!(den > 0)) return 0.5;
  return std::clamp((c.s22 - c.s12) / den, 0.0, 1.0);
}

/// Estimates from the rows `rows` (a resample, or 0..N-1). Returns false when the
/// noise-corrected variance is not positive (the estimates are then undefined).
bool estimate(const RowTerms& t, const std::vector<std::size_t>& rows, SobolEstimator how,
              Estimates& e) {
  RunningStats rs;
  double noise = 0;
  for (auto k : rows) {
    rs.add(t.fa[k]);
    rs.add(t.fb[k]);
    noise += t.noise[k];
  }
  const double m = static_cast<double>(rows.size());
  e.v = rs.variance();
  e.noise = noise / m;
  e.vg = e.v - e.noise;
  const double mean = rs.mean();
  e.s.assign(t.d, 0.0);
  e.st.assign(t.d, 0.0);
  e.s_noise.assign(t.d, 0.0);
  e.st_noise.assign(t.d, 0.0);
  if (!(e.vg > 0)) return false;
  if (how == SobolEstimator::saltelli_jansen) {
    for (std::size_t i = 0; i < t.d; ++i) {
      const auto& fi = t.fi[i];
      double first = 0, total = 0, first_noise = 0, total_noise = 0;
      for (auto k : rows) {
        first += (t.fb[k] - mean) * (fi[k] - t.fa[k]);
        total += (t.fa[k] - fi[k]) * (t.fa[k] - fi[k]);
        first_noise += t.c_b[i][k];
        total_noise += t.t_ai[i][k];
      }
      e.s[i] = (first - first_noise) / m / e.vg;
      e.st[i] = (total - total_noise) / (2 * m) / e.vg;
      e.s_noise[i] = first_noise / m / e.vg;
      e.st_noise[i] = total_noise / (2 * m) / e.vg;
    }
    return true;
  }
  // Combined: per row, v_k is row k's share of V_g; each index has two unbiased numerators
  // whose row series are combined with the minimum-variance weight (sobol.hpp).
  const auto nr = rows.size();
  std::vector<double> v(nr), x1(nr), x2(nr), y1(nr), y2(nr);
  for (std::size_t r = 0; r < nr; ++r) {
    const auto k = rows[r];
    v[r] = ((t.fa[k] - mean) * (t.fa[k] - mean) + (t.fb[k] - mean) * (t.fb[k] - mean)) / 2 -
           t.noise[k];
  }
  for (std::size_t i = 0; i < t.d; ++i) {
    const auto& fi = t.fi[i];
    double sal = 0, jan_b = 0, jan_a = 0, com = 0;          // raw numerator sums
    double n_sal = 0, n_jan_b = 0, n_jan_a = 0, n_com = 0;  // their noise parts
    for (std::size_t r = 0; r < nr; ++r) {
      const auto k = rows[r];
      const double a1 = (t.fb[k] - mean) * (fi[k] - t.fa[k]);       // Saltelli first order
      const double b1 = (t.fb[k] - fi[k]) * (t.fb[k] - fi[k]) / 2;  // Jansen first order
      const double a2 = (t.fa[k] - fi[k]) * (t.fa[k] - fi[k]) / 2;  // Jansen total
      const double b2 = (t.fa[k] - mean) * (fi[k] - t.fb[k]);       // Saltelli complement
      sal += a1;
      jan_b += b1;
      jan_a += a2;
      com += b2;
      n_sal += t.c_b[i][k];
      n_jan_b += t.t_bi[i][k] / 2;
      n_jan_a += t.t_ai[i][k] / 2;
      n_com += t.c_a[i][k];
      x1[r] = a1 - t.c_b[i][k];
      x2[r] = v[r] - (b1 - t.t_bi[i][k] / 2);
      y1[r] = a2 - t.t_ai[i][k] / 2;
      y2[r] = v[r] - (b2 - t.c_a[i][k]);
    }
    const double w1 = combination_weight(x1, x2), w2 = combination_weight(y1, y2);
    // First order: V_i = w1 T_S + (1 - w1) T_J, T_S = mean(a1 - c_b), T_J = V_g - mean(b1 -
    // t_bi/2).
    const double t_s = (sal - n_sal) / m, t_j = e.vg - (jan_b - n_jan_b) / m;
    // Total: VT_i = w2 mean(a2 - t_ai/2) + (1 - w2) (V_g - mean(b2 - c_a)).
    const double u_j = (jan_a - n_jan_a) / m, u_c = e.vg - (com - n_com) / m;
    e.s[i] = (w1 * t_s + (1 - w1) * t_j) / e.vg;
    e.st[i] = (w2 * u_j + (1 - w2) * u_c) / e.vg;
    // The noise parts: what the same combinations would have been without the corrections,
    // minus the corrected ones (in units of V_g).
    e.s_noise[i] = (w1 * n_sal / m - (1 - w1) * n_jan_b / m) / e.vg;
    e.st_noise[i] = (w2 * n_jan_a / m - (1 - w2) * n_com / m) / e.vg;
  }
  return true;
}

}  // namespace

namespace {
/// True when, in every row k, the output is the same at every point (A_k, B_k, A_B^(i)_k) of
/// each replication: outputs[(j N + k) R + r] == outputs[k R + r] for all j, k, r.
bool constant_within_rows(std::span<const double> outputs, std::size_t n, std::size_t d,
                          std::size_t reps) {
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t r = 0; r < reps; ++r) {
      const double a = outputs[k * reps + r];
      for (std::size_t j = 1; j < d + 2; ++j) {
        if (outputs[(j * n + k) * reps + r] != a) return false;
      }
    }
  }
  return true;
}
}  // namespace

SobolResult sobol_indices_replicated(std::span<const double> outputs, std::size_t n, std::size_t d,
                                     std::size_t reps, const SobolOptions& opt) {
  ATTENDSIM_REQUIRE(n >= 2 && d >= 1, "Sobol indices need N >= 2 and d >= 1");
  ATTENDSIM_REQUIRE(reps >= 1, "Sobol indices need at least one replication per point");
  ATTENDSIM_REQUIRE(outputs.size() == n * (d + 2) * reps,
                    "Sobol indices need N (d + 2) R = " << n * (d + 2) * reps << " outputs, got "
                                                        << outputs.size());
  ATTENDSIM_REQUIRE(opt.bootstrap >= 0, "bootstrap resamples must be >= 0");
  ATTENDSIM_REQUIRE(opt.confidence > 0 && opt.confidence < 1, "confidence must be in (0, 1)");
  for (double x : outputs) ATTENDSIM_REQUIRE(std::isfinite(x), "Sobol indices need finite outputs");
  const RowTerms terms = row_terms(outputs, n, d, reps);
  std::vector<std::size_t> rows(n);
  for (std::size_t k = 0; k < n; ++k) rows[k] = k;
  Estimates e;
  const bool ok = estimate(terms, rows, opt.estimator, e);
  SobolResult out;
  out.variance = e.v;
  out.noise_variance = reps >= 2 ? e.noise : std::numeric_limits<double>::quiet_NaN();
  out.indices.resize(d);
  {  // Not identifiable (sobol.hpp): (a) constant within every row, (b) V = 0, (c) V_g <= 0.
    std::ostringstream note;
    if (constant_within_rows(outputs, n, d, reps)) {
      note << "no parameter moves it: its value is the same at every point of every row of the "
              "design";
    } else if (!(e.v > 0)) {
      note << "it does not vary over the design";
    } else if (!ok) {
      note << "its variance over the design (" << e.v
           << ") is no larger than its replication noise (" << e.noise << ")";
    }
    if (!note.str().empty()) {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      out.identifiable = false;
      out.note = note.str();
      for (auto& x : out.indices) {
        x.first_order = x.first_order_ci_low = x.first_order_ci_high = nan;
        x.total = x.total_ci_low = x.total_ci_high = nan;
        x.first_order_noise = x.total_noise = nan;
      }
      return out;
    }
  }
  for (std::size_t i = 0; i < d; ++i) {
    auto& x = out.indices[i];
    x.first_order = x.first_order_ci_low = x.first_order_ci_high = e.s[i];
    x.total = x.total_ci_low = x.total_ci_high = e.st[i];
    x.first_order_noise = reps >= 2 ? e.s_noise[i] : std::numeric_limits<double>::quiet_NaN();
    x.total_noise = reps >= 2 ? e.st_noise[i] : std::numeric_limits<double>::quiet_NaN();
  }
  if (opt.bootstrap == 0) return out;
  const auto nb = static_cast<std::size_t>(opt.bootstrap);
  std::vector<std::vector<double>> bs(d), bst(d);
  Estimates eb;
  for (std::size_t b = 0; b < nb; ++b) {
    Engine g = make_engine({opt.seed, 0, 0, kSobolBootstrapPurpose, b});
    for (auto& r : rows) {
      r = std::min(n - 1, static_cast<std::size_t>(uniform53(g()) * static_cast<double>(n)));
    }
    if (!estimate(terms, rows, opt.estimator, eb))
      continue;  // a resample whose variance is all noise
    for (std::size_t i = 0; i < d; ++i) {
      bs[i].push_back(eb.s[i]);
      bst[i].push_back(eb.st[i]);
    }
  }
  const double lo = (1 - opt.confidence) / 2, hi = (1 + opt.confidence) / 2;
  for (std::size_t i = 0; i < d; ++i) {
    auto& x = out.indices[i];
    if (bs[i].empty()) {  // no resample had a variance above the noise
      x.first_order_ci_low = x.first_order_ci_high = x.total_ci_low = x.total_ci_high =
          std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    x.first_order_ci_low = quantile(bs[i], lo);
    x.first_order_ci_high = quantile(bs[i], hi);
    x.total_ci_low = quantile(bst[i], lo);
    x.total_ci_high = quantile(bst[i], hi);
  }
  return out;
}

SobolResult sobol_indices(std::span<const double> outputs, std::size_t n, std::size_t d,
                          const SobolOptions& opt) {
  return sobol_indices_replicated(outputs, n, d, 1, opt);
}

SobolResult sobol_indices_randomised(std::span<const double> outputs, std::size_t n, std::size_t d,
                                     std::size_t k, std::size_t reps, double confidence,
                                     SobolEstimator estimator) {
  ATTENDSIM_REQUIRE(k >= 2, "randomised QMC needs at least 2 randomisations, got " << k);
  ATTENDSIM_REQUIRE(confidence > 0 && confidence < 1, "confidence must be in (0, 1)");
  const std::size_t block = n * (d + 2) * reps;
  ATTENDSIM_REQUIRE(outputs.size() == k * block, "randomised Sobol indices need K N (d + 2) R = "
                                                     << k * block << " outputs, got "
                                                     << outputs.size());
  std::vector<RunningStats> s(d), st(d), s_noise(d), st_noise(d);
  RunningStats v, noise;
  SobolOptions one;
  one.bootstrap = 0;
  one.estimator = estimator;
  for (std::size_t q = 0; q < k; ++q) {
    const auto r = sobol_indices_replicated(outputs.subspan(q * block, block), n, d, reps, one);
    if (!r.identifiable) {  // one randomisation that cannot attribute it: none can be averaged
      auto out = r;
      out.note += " (randomisation " + std::to_string(q) + ")";
      return out;
    }
    v.add(r.variance);
    noise.add(r.noise_variance);
    for (std::size_t i = 0; i < d; ++i) {
      s[i].add(r.indices[i].first_order);
      st[i].add(r.indices[i].total);
      s_noise[i].add(r.indices[i].first_order_noise);
      st_noise[i].add(r.indices[i].total_noise);
    }
  }
  const boost::math::students_t t_dist(static_cast<double>(k - 1));
  const double t = boost::math::quantile(t_dist, (1 + confidence) / 2);
  const double root_k = std::sqrt(static_cast<double>(k));
  SobolResult out;
  out.variance = v.mean();
  out.noise_variance = noise.mean();
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
    x.first_order_noise = s_noise[i].mean();
    x.total_noise = st_noise[i].mean();
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
