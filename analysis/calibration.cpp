#include "analysis/calibration.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <cmath>
#include <numeric>
#include <string>

#include "models/transitions.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {

using detail_rows = std::array<std::array<Row, kAttendanceStates>, kBands>;

inline constexpr int kRegularRow = static_cast<int>(State::regular);
inline constexpr int kHighRow = static_cast<int>(State::high);
inline constexpr int kExtensiveRow = static_cast<int>(State::extensive);

/// Counts of one band, n[m][k][i][j]: school month m, bucket k (duration bucket of rows high
/// and extensive, relapse flag of row regular, 0 otherwise), from state i to state j.
using Counts =
    std::array<std::array<std::array<Row, kAttendanceStates>, kBuckets>, kSchoolMonthsPerYear>;
using BandCounts = std::array<Counts, kBands>;

/// Which multipliers the register estimates (those the prior config switches on).
struct Estimated {
  bool season = false, duration = false, relapse = false;
  bool any() const { return season || duration || relapse; }
};

/// The model's multipliers of a pupil outside a case (models/transitions.hpp): entry j != i of
/// row i in school month m and bucket k is p_j * of(i, k, m, j).
struct Multipliers {
  std::array<double, kSchoolMonthsPerYear> w{1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  std::array<double, kBuckets> high{1, 1, 1}, extensive{1, 1, 1};
  double relapse = 1;
  double of(int i, int k, int m, int j) const {
    double c = i == kHighRow ? high[k] : (i == kExtensiveRow ? extensive[k] : 1.0);
    if (j > i) {
      c *= w[m];
      if (i == kRegularRow && k == 1) c *= relapse;
    }
    return c;
  }
};

double beta_quantile(double a, double b, double u) {
  if (a <= 0) return 0.0;
  if (b <= 0) return 1.0;
  return boost::math::quantile(boost::math::beta_distribution<>(a, b), u);
}

/// The config's beta prior of a parameter, or (0.5, 0.5).
BetaPosterior beta_prior(const ModelConfig& cfg, const std::string& path) {
  BetaPosterior b;
  if (auto i = cfg.parameters.find(path)) {
    const auto& p = cfg.parameters.at(*i);
    if (p.dist && p.dist->kind == Distribution::Kind::beta) {
      b.a = p.dist->args[0];
      b.b = p.dist->args[1];
    }
  }
  return b;
}

/// What the register tells of one pupil's duration and relapse bookkeeping (the rules of
/// models/pupil_rules.hpp, school_month_path) along an unbroken chain of its school months.
/// Before the chain's first month nothing is known: the months in the current state are known
/// once the chain has seen the state begin (else only a lower bound), the high-or-extensive mark
/// once the pupil is seen in high or extensive (set) or `sustained` months in regular (cleared),
/// and the relapse months left are bounds [lo, hi] that become one value after a return with the
/// mark known or `relapse_months` months.
struct Chain {
  int run = 1;  ///< months in the current state seen (a lower bound unless run_known)
  bool run_known = false;
  int mark = -1;  ///< had high or extensive since the last sustained return: 0, 1, -1 unknown
  int relapse_lo = 0, relapse_hi = 0;
  int regular_run = 0;  ///< consecutive regular months seen (a lower bound)

  Chain(int state, int relapse_months)
      : mark(state >= kHighRow ? 1 : -1),
        relapse_hi(relapse_months),
        regular_run(state == kRegularRow ? 1 : 0) {}

  /// The bucket of a transition from state s, or -1 when the register cannot tell it.
  int bucket(int s, const Estimated& est) const {
    if (s >= kHighRow && est.duration) {
      if (run_known) return duration_bucket(run);
      return run >= 6 ? 2 : -1;  // bucket 2 is 6+ months: a lower bound of 6 suffices
    }
    if (s == kRegularRow && est.relapse) {
      if (relapse_lo > 0) return 1;
      if (relapse_hi == 0) return 0;
      return -1;
    }
    return 0;
  }

  /// The bookkeeping of a transition s -> ns, in the model's order.
  void step(int s, int ns, int relapse_months, int sustained) {
    relapse_lo = std::max(0, relapse_lo - 1);
    relapse_hi = std::max(0, relapse_hi - 1);
    if (ns == kRegularRow) {
      if (s != kRegularRow) {
        if (mark == 1) relapse_lo = relapse_hi = relapse_months;
        if (mark < 0) relapse_hi = relapse_months;
      }
      ++regular_run;
      if (regular_run >= sustained) mark = 0;
    } else {
      regular_run = 0;
      if (ns >= kHighRow) mark = 1;
    }
    if (ns == s) {
      ++run;
    } else {
      run = 1;
      run_known = true;
    }
  }
};

/// Log-likelihood of row i's counts under base row p and multipliers mu (-inf outside the
/// domain).
double row_loglik(const Counts& n, int i, const Multipliers& mu, const Row& p) {
  double ll = 0;
  for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
    for (int k = 0; k < kBuckets; ++k) {
      const Row& c = n[m][k][i];
      double d = 1.0;
      for (int j = 0; j < kAttendanceStates; ++j) {
        if (j == i) continue;
        const double q = p[j] * mu.of(i, k, m, j);
        if (c[j] > 0) {
          if (!(q > 0)) return -HUGE_VAL;
          ll += c[j] * std::log(q);
        }
        d -= q;
      }
      if (c[i] > 0) {
        if (!(d > 0)) return -HUGE_VAL;
        ll += c[i] * std::log(d);
      }
    }
  }
  return ll;
}

/// ML base row given the multipliers, by Newton's method with backtracking on the concave
///   l(p) = sum_{j != i} n_j log p_j + sum_cells n_ci log D_c,  D_c = 1 - sum_{k != i} p_k c_ck,
///   dl/dp_j = n_j / p_j - sum_c n_ci c_cj / D_c,
///   d2l/dp_j dp_k = -[j = k] n_j / p_j^2 - sum_c n_ci c_cj c_ck / D_c^2
/// (cells c: school month x bucket). Entries never observed (n_j = 0) stay at 0.
Row fit_row(const Counts& n, int i, const Multipliers& mu, Row p) {
  Row tot{};
  double all = 0;
  for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
    for (int k = 0; k < kBuckets; ++k) {
      for (int j = 0; j < kAttendanceStates; ++j) tot[j] += n[m][k][i][j];
    }
  }
  for (double v : tot) all += v;
  if (all == 0) return p;
  // Start from the plain proportions (the maximum when every multiplier is 1).
  for (int j = 0; j < kAttendanceStates; ++j) p[j] = tot[j] / all;
  if (tot[i] == 0) return p;  // no stays: the diagonal's likelihood term is absent
  std::vector<int> free;
  for (int j = 0; j < kAttendanceStates; ++j) {
    if (j != i && tot[j] > 0) free.push_back(j);
  }
  const int nf = static_cast<int>(free.size());
  if (nf == 0) return p;
  for (int h = 0; h < 200 && !std::isfinite(row_loglik(n, i, mu, p)); ++h) {
    for (int j : free) p[j] *= 0.5;
  }
  double ll = row_loglik(n, i, mu, p);
  for (int it = 0; it < 100; ++it) {
    Eigen::VectorXd g(nf);
    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(nf, nf);
    for (int a = 0; a < nf; ++a) {
      const int j = free[static_cast<std::size_t>(a)];
      g(a) = tot[j] / p[j];
      h(a, a) = -tot[j] / (p[j] * p[j]);
    }
    for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
      for (int k = 0; k < kBuckets; ++k) {
        const double stay = n[m][k][i][i];
        if (stay == 0) continue;
        double d = 1.0;
        for (int j = 0; j < kAttendanceStates; ++j) {
          if (j != i) d -= p[j] * mu.of(i, k, m, j);
        }
        for (int a = 0; a < nf; ++a) {
          const double ca = mu.of(i, k, m, free[static_cast<std::size_t>(a)]);
          g(a) -= stay * ca / d;
          for (int b = 0; b < nf; ++b) {
            h(a, b) -= stay * ca * mu.of(i, k, m, free[static_cast<std::size_t>(b)]) / (d * d);
          }
        }
      }
    }
    const Eigen::VectorXd step = h.ldlt().solve(-g);
    double t = 1.0;
    Row q = p;
    bool improved = false;
    for (int bt = 0; bt < 60; ++bt, t *= 0.5) {
      q = p;
      for (int a = 0; a < nf; ++a) q[free[static_cast<std::size_t>(a)]] += t * step(a);
      const double lq = row_loglik(n, i, mu, q);
      if (std::isfinite(lq) && lq >= ll) {
        improved = lq > ll;
        ll = lq;
        break;
      }
    }
    double change = 0;
    for (int j : free) change = std::max(change, std::abs(q[j] - p[j]));
    p = q;
    if (!improved || change < 1e-14) break;
  }
  double s = 0;
  for (int j = 0; j < kAttendanceStates; ++j) {
    if (j != i) s += p[j];
  }
  p[i] = 1.0 - s;
  return p;
}

/// ML of one multiplier x given the base rows and the other multipliers. The entries that
/// carry x (`carries(b, m, k, i, j)`) give, per cell, q_j = x U_j; with u_c their counts, s_c
/// the cell's stays, U_c = sum q_j / x over them and L_c the cell's other off-diagonal sum, the
/// log-likelihood in x is sum_c [u_c log x + s_c log(1 - L_c - x U_c)] + const, concave: its
/// maximiser by bisection on the derivative. Unchanged when no entry carrying x is observed.
template <class Carries>
double fit_multiplier(const BandCounts& n, const detail_rows& p, const Multipliers& mu, double x,
                      Carries carries) {
  struct Term {
    double stay, L, U;
  };
  std::vector<Term> terms;
  double u_all = 0, x_max = 1e6;
  for (int b = 0; b < kBands; ++b) {
    for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
      for (int k = 0; k < kBuckets; ++k) {
        for (int i = 0; i < kAttendanceStates; ++i) {
          const Row& c = n[b][m][k][i];
          double L = 0, U = 0, u = 0;
          for (int j = 0; j < kAttendanceStates; ++j) {
            if (j == i) continue;
            const double q = p[b][i][j] * mu.of(i, k, m, j);
            if (carries(b, m, k, i, j)) {
              U += q / x;
              u += c[j];
            } else {
              L += q;
            }
          }
          if (U <= 0) continue;
          u_all += u;
          terms.push_back({c[i], L, U});
          if (c[i] > 0) x_max = std::min(x_max, (1.0 - L) / U);
        }
      }
    }
  }
  if (u_all == 0) return x;
  auto grad = [&](double v) {
    double g = u_all / v;
    for (const auto& t : terms) g -= t.stay * t.U / (1.0 - t.L - v * t.U);
    return g;
  };
  double lo = 0, hi = x_max;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (grad(mid) > 0)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

/// Scales a group of multipliers to the mean `target` and the entries they multiply
/// (`scaled(i, j)` of every band's row i) inversely: the likelihood is unchanged. Returns the
/// largest change of a multiplier.
template <std::size_t N, class Scaled>
double normalise(std::array<double, N>& mult, double target, detail_rows& p, Scaled scaled) {
  const double mean = std::accumulate(mult.begin(), mult.end(), 0.0) / static_cast<double>(N);
  const double f = target / mean;
  for (double& v : mult) v *= f;
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      double s = 0;
      for (int j = 0; j < kAttendanceStates; ++j) {
        if (j != i && scaled(i, j)) p[b][i][j] /= f;
        if (j != i) s += p[b][i][j];
      }
      p[b][i][i] = 1.0 - s;
    }
  }
  return std::abs(f - 1.0);
}

/// A free parameter of the joint likelihood: a base-row entry p_bij (j != i, observed) or a
/// multiplier (kind 1 seasonal w_m, 2 high exit k, 3 extensive exit k, 4 relapse).
struct Param {
  int kind = 0, b = 0, i = 0, j = 0, k = 0;
};

/// Covariance of the constrained maximum likelihood estimate (Aitchison and Silvey): with the
/// observed information I = -d2 l / d theta2 over all free parameters and the normalisations as
/// linear constraints G theta = const (mean of each estimated multiplier group), the covariance
/// is the top-left block of [[I, G'], [G, 0]]^-1. The Hessian is exact: with q_j = p_j c_j
/// multilinear in the parameters, per cell
///   d2 l / dq_j dq_l = -[j = l] n_j / q_j^2 - n_i / D^2,   dl / dq_j = n_j / q_j - n_i / D,
///   d2 l / dth_a dth_b = sum_jl (d2 l / dq_j dq_l) (q_j / th_a) (q_l / th_b)
///                        + sum_j (dl / dq_j) q_j / (th_a th_b) [a != b, both factors of q_j].
/// Returns the covariance of the parameters (all 0 when the matrix is singular).
Eigen::MatrixXd covariance(const BandCounts& n, const detail_rows& p, const Multipliers& mu,
                           const Estimated& est, std::vector<Param>& params) {
  // Parameter indices.
  std::array<std::array<std::array<int, kAttendanceStates>, kAttendanceStates>, kBands> pi{};
  for (auto& a : pi)
    for (auto& r : a) r.fill(-1);
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      Row tot{};
      for (int m = 0; m < kSchoolMonthsPerYear; ++m)
        for (int k = 0; k < kBuckets; ++k)
          for (int j = 0; j < kAttendanceStates; ++j) tot[j] += n[b][m][k][i][j];
      for (int j = 0; j < kAttendanceStates; ++j) {
        if (j != i && tot[j] > 0 && p[b][i][j] > 0) {
          pi[b][i][j] = static_cast<int>(params.size());
          params.push_back({0, b, i, j, 0});
        }
      }
    }
  }
  std::array<int, kSchoolMonthsPerYear> wi{};
  wi.fill(-1);
  std::array<int, kBuckets> hi{-1, -1, -1}, xi{-1, -1, -1};
  int ri = -1;
  if (est.season) {
    for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
      wi[m] = static_cast<int>(params.size());
      params.push_back({1, 0, 0, 0, m});
    }
  }
  if (est.duration) {
    for (int k = 0; k < kBuckets; ++k) {
      hi[k] = static_cast<int>(params.size());
      params.push_back({2, 0, kHighRow, 0, k});
    }
    for (int k = 0; k < kBuckets; ++k) {
      xi[k] = static_cast<int>(params.size());
      params.push_back({3, 0, kExtensiveRow, 0, k});
    }
  }
  if (est.relapse) {
    ri = static_cast<int>(params.size());
    params.push_back({4, 0, kRegularRow, 0, 1});
  }
  auto value = [&](const Param& q) {
    switch (q.kind) {
      case 0:
        return p[q.b][q.i][q.j];
      case 1:
        return mu.w[q.k];
      case 2:
        return mu.high[q.k];
      case 3:
        return mu.extensive[q.k];
      default:
        return mu.relapse;
    }
  };
  const int np = static_cast<int>(params.size());
  Eigen::MatrixXd info = Eigen::MatrixXd::Zero(np, np);
  for (int b = 0; b < kBands; ++b) {
    for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
      for (int k = 0; k < kBuckets; ++k) {
        for (int i = 0; i < kAttendanceStates; ++i) {
          const Row& c = n[b][m][k][i];
          if (c[0] + c[1] + c[2] + c[3] == 0) continue;
          // Factors (parameter indices) of each off-diagonal entry.
          std::array<std::array<int, 4>, kAttendanceStates> f{};
          std::array<int, kAttendanceStates> nf{};
          Row q{};
          double d = 1.0;
          for (int j = 0; j < kAttendanceStates; ++j) {
            if (j == i) continue;
            q[j] = p[b][i][j] * mu.of(i, k, m, j);
            d -= q[j];
            auto add = [&](int a) {
              if (a >= 0) f[j][static_cast<std::size_t>(nf[j]++)] = a;
            };
            add(pi[b][i][j]);
            if (i == kHighRow) add(hi[k]);
            if (i == kExtensiveRow) add(xi[k]);
            if (j > i) add(wi[m]);
            if (j > i && i == kRegularRow && k == 1) add(ri);
          }
          for (int j = 0; j < kAttendanceStates; ++j) {
            if (j == i || q[j] <= 0) continue;
            const double gj = c[j] / q[j] - c[i] / d;
            for (int l = 0; l < kAttendanceStates; ++l) {
              if (l == i || q[l] <= 0) continue;
              const double hjl = -(j == l ? c[j] / (q[j] * q[j]) : 0.0) - c[i] / (d * d);
              for (int x = 0; x < nf[j]; ++x) {
                const int a = f[j][static_cast<std::size_t>(x)];
                for (int y = 0; y < nf[l]; ++y) {
                  const int bb = f[l][static_cast<std::size_t>(y)];
                  info(a, bb) -= hjl * (q[j] / value(params[static_cast<std::size_t>(a)])) *
                                 (q[l] / value(params[static_cast<std::size_t>(bb)]));
                }
              }
            }
            for (int x = 0; x < nf[j]; ++x) {
              for (int y = 0; y < nf[j]; ++y) {
                if (x == y) continue;
                const int a = f[j][static_cast<std::size_t>(x)];
                const int bb = f[j][static_cast<std::size_t>(y)];
                info(a, bb) -= gj * q[j] /
                               (value(params[static_cast<std::size_t>(a)]) *
                                value(params[static_cast<std::size_t>(bb)]));
              }
            }
          }
        }
      }
    }
  }
  // Constraints: the mean of each estimated group is fixed.
  std::vector<std::vector<int>> groups;
  auto group = [&](const auto& idx) {
    std::vector<int> g;
    for (int a : idx)
      if (a >= 0 && info(a, a) > 0) g.push_back(a);
    if (!g.empty()) groups.push_back(g);
  };
  if (est.season) group(wi);
  if (est.duration) {
    group(hi);
    group(xi);
  }
  // Parameters without information (nothing observed) are held fixed: a unit row.
  const int nc = static_cast<int>(groups.size());
  Eigen::MatrixXd big = Eigen::MatrixXd::Zero(np + nc, np + nc);
  big.topLeftCorner(np, np) = info;
  for (int a = 0; a < np; ++a) {
    if (!(info(a, a) > 0)) {
      big.row(a).setZero();
      big.col(a).setZero();
      big(a, a) = 1.0;
    }
  }
  for (int g = 0; g < nc; ++g) {
    for (int a : groups[static_cast<std::size_t>(g)]) {
      big(np + g, a) = 1.0;
      big(a, np + g) = 1.0;
    }
  }
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(np, np);
  Eigen::FullPivLU<Eigen::MatrixXd> lu(big);
  if (!lu.isInvertible()) return cov;
  cov = lu.inverse().topLeftCorner(np, np);
  for (int a = 0; a < np; ++a) {
    if (!(info(a, a) > 0)) {
      cov.row(a).setZero();
      cov.col(a).setZero();
    }
  }
  return cov;
}

/// Whether the estimate is usable: multipliers finite and positive, rows in [0, 1]. A register
/// too small to inform the multipliers (a bucket without stays has its maximum at infinity)
/// fails it.
bool usable(const detail_rows& p, const Multipliers& mu) {
  auto ok = [](double v) { return std::isfinite(v) && v > 0 && v < 1e3; };
  for (double v : mu.w)
    if (!ok(v)) return false;
  for (int k = 0; k < kBuckets; ++k)
    if (!ok(mu.high[k]) || !ok(mu.extensive[k])) return false;
  if (!ok(mu.relapse)) return false;
  for (const auto& band : p)
    for (const auto& row : band)
      for (double v : row)
        if (!std::isfinite(v) || v < -1e-12 || v > 1 + 1e-12) return false;
  return true;
}

}  // namespace

Row RowPosterior::mean() const {
  const double a = concentration();
  Row r{};
  for (int j = 0; j < kAttendanceStates; ++j) r[j] = a > 0 ? alpha[j] / a : 0.0;
  return r;
}

double BetaPosterior::quantile(double u) const {
  return beta_quantile(a, b, u);
}

RegisterCalibration calibrate_register(const ModelConfig& prior, const AttendanceRegister& reg) {
  ATTENDSIM_REQUIRE(!reg.records.empty(), "empty register");
  const ModelParams base = realise(prior, prior.parameters.base_values());
  const TransitionParams& tp = base.transitions;
  RegisterCalibration out;
  out.records = reg.records.size();
  out.pupils = reg.pupils;
  out.summer_rows_ignored = reg.summer_rows_ignored;
  out.first_month = reg.records.front().month;
  out.last_month = reg.records.front().month;
  for (const auto& r : reg.records) {
    out.first_month = std::min(out.first_month, r.month);
    out.last_month = std::max(out.last_month, r.month);
  }
  Estimated est;  // (reset when the register cannot inform the multipliers)
  est.season = tp.seasonality_enabled;
  est.duration = tp.duration_enabled;
  est.relapse = tp.relapse_enabled && tp.relapse_months > 0;
  out.seasonality_estimated = est.season;
  out.duration_estimated = est.duration;
  out.relapse_estimated = est.relapse;
  out.relapse_months = tp.relapse_months;
  const int sustained = base.outcomes.sustained_return_months;

  // Counts, prevalence in the first month, leaving.
  BandCounts c{};
  std::array<std::array<double, kAttendanceStates>, kBands> first{};
  double leavers = 0, exposure = 0;
  const int grade_max = prior.structure.population.grade_max;
  const RegisterRecord* const recs = reg.records.data();
  const std::size_t n_recs = reg.records.size();
  for (std::size_t k = 0; k < n_recs;) {
    std::size_t e = k + 1;
    while (e < n_recs && recs[e].pupil == recs[k].pupil) ++e;
    if (recs[k].month == out.first_month)
      first[static_cast<int>(band_of_grade(recs[k].grade))][recs[k].state] += 1;
    Chain chain(recs[k].state, tp.relapse_months);
    for (const RegisterRecord* pb = recs + k + 1; pb != recs + e; ++pb) {
      const RegisterRecord& a = pb[-1];
      const RegisterRecord& b = *pb;
      const int gap = b.month - a.month;
      const bool pair = gap == 1 || (gap == 3 && month_of(a.month) == 6 && month_of(b.month) == 9);
      if (!pair) {
        ++out.gaps;
        chain = Chain(b.state, tp.relapse_months);
        continue;
      }
      const int bucket = chain.bucket(a.state, est);
      chain.step(a.state, b.state, tp.relapse_months, sustained);
      if (bucket < 0) {
        ++out.censored;
        continue;
      }
      const int m = school_month_of(b.month);
      const int band = static_cast<int>(band_of_grade(b.grade));
      c[band][m][bucket][a.state][b.state] += 1;
      out.bucket_counts[band][bucket][a.state][b.state] += 1;
      ++out.transitions;
    }
    const auto& last = recs[e - 1];
    double months = last.month - recs[k].month;
    if (last.month < out.last_month && !(month_of(last.month) == 6 && last.grade >= grade_max)) {
      leavers += 1;
      months += month_of(last.month) == 6 ? 2 : 1;
    }
    exposure += months;
    k = e;
  }

  // Priors of the rows.
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      const std::string path =
          "transitions." + std::string(kBandNames[b]) + "." + std::string(kStateNames[i]);
      double conc = 1.0;
      for (const auto& g : prior.parameters.groups()) {
        if (g.path == path) conc = g.concentration;
      }
      auto& rp = out.rows[b][i];
      for (int j = 0; j < kAttendanceStates; ++j) {
        rp.prior[j] = conc * tp.base[b][i][j];
        for (int m = 0; m < kSchoolMonthsPerYear; ++m)
          for (int k = 0; k < kBuckets; ++k) rp.counts[j] += c[b][m][k][i][j];
      }
    }
  }

  // Base rows and multipliers by maximum likelihood (coordinate ascent).
  detail_rows p{};
  std::array<std::array<double, kAttendanceStates>, kBands> effective{};
  auto has_data = [&](int b, int i) {
    const Row& n = out.rows[b][i].counts;
    return n[0] + n[1] + n[2] + n[3] > 0;
  };
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      const Row& n = out.rows[b][i].counts;
      const double all = n[0] + n[1] + n[2] + n[3];
      p[b][i] = all > 0 ? Row{n[0] / all, n[1] / all, n[2] / all, n[3] / all} : tp.base[b][i];
    }
  }
  Multipliers mu;
  auto mean_of = [](const auto& a) {
    return std::accumulate(a.begin(), a.end(), 0.0) / static_cast<double>(a.size());
  };
  if (est.season) mu.w = tp.worsen_mult;
  if (est.duration) {
    mu.high = tp.high_exit_mult;
    mu.extensive = tp.extensive_exit_mult;
  }
  if (est.relapse) mu.relapse = tp.relapse_mult;
  if (est.any()) {
    const double w_mean = mean_of(tp.worsen_mult), high_mean = mean_of(tp.high_exit_mult),
                 ext_mean = mean_of(tp.extensive_exit_mult);
    for (int it = 0; it < 2000; ++it) {
      const detail_rows p_before = p;
      const Multipliers mu_before = mu;
      for (int b = 0; b < kBands; ++b) {
        for (int i = 0; i < kAttendanceStates; ++i) {
          if (has_data(b, i)) p[b][i] = fit_row(c[b], i, mu, p[b][i]);
        }
      }
      if (est.season) {
        for (int mm = 0; mm < kSchoolMonthsPerYear; ++mm) {
          mu.w[mm] = fit_multiplier(
              c, p, mu, mu.w[mm], [mm](int, int m, int, int i, int j) { return m == mm && j > i; });
        }
        normalise(mu.w, w_mean, p, [](int i, int j) { return j > i; });
      }
      if (est.duration) {
        for (int kk = 0; kk < kBuckets; ++kk) {
          mu.high[kk] = fit_multiplier(c, p, mu, mu.high[kk], [kk](int, int, int k, int i, int) {
            return k == kk && i == kHighRow;
          });
          mu.extensive[kk] = fit_multiplier(
              c, p, mu, mu.extensive[kk],
              [kk](int, int, int k, int i, int) { return k == kk && i == kExtensiveRow; });
        }
        normalise(mu.high, high_mean, p, [](int i, int) { return i == kHighRow; });
        normalise(mu.extensive, ext_mean, p, [](int i, int) { return i == kExtensiveRow; });
      }
      if (est.relapse) {
        mu.relapse = fit_multiplier(c, p, mu, mu.relapse, [](int, int, int k, int i, int j) {
          return k == 1 && i == kRegularRow && j > i;
        });
      }
      double change = std::abs(mu.relapse - mu_before.relapse);
      for (int m = 0; m < kSchoolMonthsPerYear; ++m)
        change = std::max(change, std::abs(mu.w[m] - mu_before.w[m]));
      for (int k = 0; k < kBuckets; ++k) {
        change = std::max(change, std::abs(mu.high[k] - mu_before.high[k]));
        change = std::max(change, std::abs(mu.extensive[k] - mu_before.extensive[k]));
      }
      for (int b = 0; b < kBands; ++b)
        for (int i = 0; i < kAttendanceStates; ++i)
          for (int j = 0; j < kAttendanceStates; ++j)
            change = std::max(change, std::abs(p[b][i][j] - p_before[b][i][j]));
      out.iterations = it + 1;
      if (change < 1e-10 || !usable(p, mu)) break;
    }
    if (!usable(p, mu)) {
      // Not estimable: the counted rows (conjugate) and the prior's multipliers.
      out.multipliers_not_estimable = true;
      est = Estimated{};
      out.seasonality_estimated = out.duration_estimated = out.relapse_estimated = false;
      for (int b = 0; b < kBands; ++b) {
        for (int i = 0; i < kAttendanceStates; ++i) {
          const Row& n = out.rows[b][i].counts;
          const double all = n[0] + n[1] + n[2] + n[3];
          p[b][i] = all > 0 ? Row{n[0] / all, n[1] / all, n[2] / all, n[3] / all} : tp.base[b][i];
        }
      }
    } else {
      std::vector<Param> params;
      const Eigen::MatrixXd cov = covariance(c, p, mu, est, params);
      std::array<std::array<std::vector<int>, kAttendanceStates>, kBands> row_params{};
      for (std::size_t a = 0; a < params.size(); ++a) {
        const Param& q = params[a];
        const double se = std::sqrt(std::max(0.0, cov(static_cast<int>(a), static_cast<int>(a))));
        if (q.kind == 0) row_params[q.b][q.i].push_back(static_cast<int>(a));
        if (q.kind == 1) out.worsen_mult_se[q.k] = se;
        if (q.kind == 2) out.high_exit_mult_se[q.k] = se;
        if (q.kind == 3) out.extensive_exit_mult_se[q.k] = se;
        if (q.kind == 4) out.relapse_mult_se = se;
      }
      // Effective transitions of each row: the largest N whose multinomial variance
      // p(1 - p) / (N + 1) is at least the ML variance of every entry (the diagonal's from the
      // row's block), so that the row's Dirichlet is no narrower than the estimate.
      for (int b = 0; b < kBands; ++b) {
        for (int i = 0; i < kAttendanceStates; ++i) {
          const Row& n = out.rows[b][i].counts;
          double ne = n[0] + n[1] + n[2] + n[3];
          const auto& idx = row_params[b][i];
          double var_diag = 0;
          for (int a : idx) {
            for (int a2 : idx) var_diag += cov(a, a2);
            const double pj = p[b][i][params[static_cast<std::size_t>(a)].j], v = cov(a, a);
            if (v > 0 && pj > 0 && pj < 1) ne = std::min(ne, pj * (1 - pj) / v - 1);
          }
          const double pi = p[b][i][i];
          if (!idx.empty() && var_diag > 0 && pi > 0 && pi < 1)
            ne = std::min(ne, pi * (1 - pi) / var_diag - 1);
          effective[b][i] = std::max(0.0, ne);
        }
      }
    }
  }
  out.worsen_mult = est.season ? mu.w : tp.worsen_mult;
  out.high_exit_mult = est.duration ? mu.high : tp.high_exit_mult;
  out.extensive_exit_mult = est.duration ? mu.extensive : tp.extensive_exit_mult;
  out.relapse_mult = est.relapse ? mu.relapse : tp.relapse_mult;

  // Posteriors.
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      auto& rp = out.rows[b][i];
      rp.effective_transitions =
          est.any() ? effective[b][i] : rp.counts[0] + rp.counts[1] + rp.counts[2] + rp.counts[3];
      for (int j = 0; j < kAttendanceStates; ++j) {
        rp.data[j] =
            est.any() ? rp.effective_transitions * std::max(0.0, p[b][i][j]) : rp.counts[j];
        rp.alpha[j] = rp.prior[j] + rp.data[j];
      }
      const double a0 = rp.concentration();
      for (int j = 0; j < kAttendanceStates; ++j) {
        rp.low[j] = beta_quantile(rp.alpha[j], a0 - rp.alpha[j], 0.025);
        rp.high[j] = beta_quantile(rp.alpha[j], a0 - rp.alpha[j], 0.975);
      }
    }
  }
  static const char* kPrev[] = {"worrying", "high", "extensive"};
  for (int b = 0; b < kBands; ++b) {
    const double n = first[b][0] + first[b][1] + first[b][2] + first[b][3];
    out.first_month_pupils += static_cast<int>(n);
    for (int s = 0; s < 3; ++s) {
      auto bp =
          beta_prior(prior, "population.prevalence." + std::string(kBandNames[b]) + "." + kPrev[s]);
      bp.events = first[b][s + 1];
      bp.trials = n;
      bp.a += bp.events;
      bp.b += n - bp.events;
      out.prevalence[b][s] = bp;
    }
  }
  out.leave = beta_prior(prior, "transitions.leaving.p_leave_per_month");
  out.leave.events = leavers;
  out.leave.trials = exposure;
  out.leave.a += leavers;
  out.leave.b += std::max(0.0, exposure - leavers);
  return out;
}

}  // namespace attendsim::models
