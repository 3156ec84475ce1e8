#include "analysis/calibration.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <cmath>
#include <numeric>
#include <string>

#include "sim/error.hpp"

namespace attendsim::models {

namespace {

using Counts = std::array<std::array<Row, kAttendanceStates>, kSchoolMonthsPerYear>;  // [m][i][j]

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

/// Multiplier of entry j of row i in a month with worsening multiplier w.
double mult(int i, int j, double w) {
  return j > i ? w : 1.0;
}

/// Log-likelihood of row i's counts under base row p and multipliers w (-inf outside the domain).
double row_loglik(const Counts& n, int i, const std::array<double, kSchoolMonthsPerYear>& w,
                  const Row& p) {
  double ll = 0;
  for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
    double d = 1.0;
    for (int k = 0; k < kAttendanceStates; ++k) {
      if (k == i) continue;
      const double q = p[k] * mult(i, k, w[m]);
      if (n[m][i][k] > 0) {
        if (!(q > 0)) return -HUGE_VAL;
        ll += n[m][i][k] * std::log(q);
      }
      d -= q;
    }
    if (n[m][i][i] > 0) {
      if (!(d > 0)) return -HUGE_VAL;
      ll += n[m][i][i] * std::log(d);
    }
  }
  return ll;
}

/// ML base row given w, by Newton's method with backtracking on the concave log-likelihood
///   l(p) = sum_{j != i} n_j log p_j + sum_m n_mi log D_m,  D_m = 1 - sum_{k != i} p_k c_mk,
///   dl/dp_j = n_j / p_j - sum_m n_mi c_mj / D_m,
///   d2l/dp_j dp_k = -[j = k] n_j / p_j^2 - sum_m n_mi c_mj c_mk / D_m^2.
/// Entries never observed (n_j = 0) have their maximum at 0 and stay there.
Row fit_row(const Counts& n, int i, const std::array<double, kSchoolMonthsPerYear>& w, Row p) {
  Row tot{};
  double all = 0;
  for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
    for (int j = 0; j < kAttendanceStates; ++j) tot[j] += n[m][i][j];
  }
  for (double v : tot) all += v;
  if (all == 0) return p;
  // Start from the plain proportions (the maximum when w = 1).
  for (int j = 0; j < kAttendanceStates; ++j) p[j] = tot[j] / all;
  if (tot[i] == 0) return p;  // no stays: the diagonal's likelihood term is absent
  std::vector<int> free;
  for (int j = 0; j < kAttendanceStates; ++j) {
    if (j != i && tot[j] > 0) free.push_back(j);
  }
  const int k = static_cast<int>(free.size());
  if (k == 0) return p;
  while (!std::isfinite(row_loglik(n, i, w, p))) {
    for (int j : free) p[j] *= 0.5;
  }
  double ll = row_loglik(n, i, w, p);
  for (int it = 0; it < 100; ++it) {
    Eigen::VectorXd g(k);
    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(k, k);
    for (int a = 0; a < k; ++a) {
      const int j = free[static_cast<std::size_t>(a)];
      g(a) = tot[j] / p[j];
      h(a, a) = -tot[j] / (p[j] * p[j]);
    }
    for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
      const double stay = n[m][i][i];
      if (stay == 0) continue;
      double d = 1.0;
      for (int j = 0; j < kAttendanceStates; ++j) {
        if (j != i) d -= p[j] * mult(i, j, w[m]);
      }
      for (int a = 0; a < k; ++a) {
        const double ca = mult(i, free[static_cast<std::size_t>(a)], w[m]);
        g(a) -= stay * ca / d;
        for (int b = 0; b < k; ++b) {
          h(a, b) -= stay * ca * mult(i, free[static_cast<std::size_t>(b)], w[m]) / (d * d);
        }
      }
    }
    const Eigen::VectorXd step = h.ldlt().solve(-g);
    double t = 1.0;
    Row q = p;
    bool improved = false;
    for (int bt = 0; bt < 60; ++bt, t *= 0.5) {
      q = p;
      for (int a = 0; a < k; ++a) q[free[static_cast<std::size_t>(a)]] += t * step(a);
      const double lq = row_loglik(n, i, w, q);
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

struct Band3 {
  std::array<Counts, kBands> n{};
};

/// ML of w_m given the base rows: maximises sum_{b,i} u log w + n_ii log(1 - L - w U).
/// Returns the maximiser and the observed information there.
std::pair<double, double> fit_month(const Band3& c,
                                    const std::array<std::array<Row, kAttendanceStates>, kBands>& p,
                                    int m, double w0) {
  double u_all = 0;
  double w_max = 1e6;
  struct Term {
    double stay, L, U;
  };
  std::vector<Term> terms;
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      double L = 0, U = 0, u = 0;
      for (int j = 0; j < kAttendanceStates; ++j) {
        if (j < i) L += p[b][i][j];
        if (j > i) {
          U += p[b][i][j];
          u += c.n[b][m][i][j];
        }
      }
      if (U <= 0) continue;
      u_all += u;
      const double stay = c.n[b][m][i][i];
      terms.push_back({stay, L, U});
      if (stay > 0) w_max = std::min(w_max, (1.0 - L) / U);
    }
  }
  if (u_all == 0) return {w0, 0.0};
  auto grad = [&](double w) {
    double g = u_all / w;
    for (const auto& t : terms) g -= t.stay * t.U / (1.0 - t.L - w * t.U);
    return g;
  };
  double lo = 0, hi = w_max;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (grad(mid) > 0)
      lo = mid;
    else
      hi = mid;
  }
  const double w = 0.5 * (lo + hi);
  double info = u_all / (w * w);
  for (const auto& t : terms) {
    const double d = 1.0 - t.L - w * t.U;
    info += t.stay * t.U * t.U / (d * d);
  }
  return {w, info};
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

  // Counts, prevalence in the first month, leaving.
  Band3 c;
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
    for (const RegisterRecord* pb = recs + k + 1; pb != recs + e; ++pb) {
      const RegisterRecord& a = pb[-1];
      const RegisterRecord& b = *pb;
      const int gap = b.month - a.month;
      const bool pair = gap == 1 || (gap == 3 && month_of(a.month) == 6 && month_of(b.month) == 9);
      if (!pair) {
        ++out.gaps;
        continue;
      }
      const int m = school_month_of(b.month);
      c.n[static_cast<int>(band_of_grade(b.grade))][m][a.state][b.state] += 1;
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
        rp.prior[j] = conc * base.transitions.base[b][i][j];
        for (int m = 0; m < kSchoolMonthsPerYear; ++m) rp.counts[j] += c.n[b][m][i][j];
      }
    }
  }

  // Base rows (and seasonal multipliers) by maximum likelihood.
  std::array<std::array<Row, kAttendanceStates>, kBands> p{};
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      const Row& n = out.rows[b][i].counts;
      const double all = n[0] + n[1] + n[2] + n[3];
      p[b][i] = all > 0 ? Row{n[0] / all, n[1] / all, n[2] / all, n[3] / all}
                        : base.transitions.base[b][i];
    }
  }
  out.seasonality_estimated = base.transitions.seasonality_enabled;
  if (out.seasonality_estimated) {
    auto w = base.transitions.worsen_mult;
    const double target_mean =
        std::accumulate(w.begin(), w.end(), 0.0) / static_cast<double>(kSchoolMonthsPerYear);
    std::array<double, kSchoolMonthsPerYear> info{};
    for (int it = 0; it < 500; ++it) {
      for (int b = 0; b < kBands; ++b) {
        for (int i = 0; i < kAttendanceStates; ++i) {
          if (out.rows[b][i].counts[0] + out.rows[b][i].counts[1] + out.rows[b][i].counts[2] +
                  out.rows[b][i].counts[3] >
              0)
            p[b][i] = fit_row(c.n[b], i, w, p[b][i]);
        }
      }
      double change = 0;
      std::array<double, kSchoolMonthsPerYear> nw{};
      for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
        auto [wm, im] = fit_month(c, p, m, w[m]);
        nw[m] = wm;
        info[m] = im;
      }
      // Normalise: mean(w) = the config's mean; worsening base entries scaled inversely.
      const double f = target_mean / (std::accumulate(nw.begin(), nw.end(), 0.0) /
                                      static_cast<double>(kSchoolMonthsPerYear));
      for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
        nw[m] *= f;
        info[m] /= f * f;
        change = std::max(change, std::abs(nw[m] - w[m]));
      }
      for (int b = 0; b < kBands; ++b) {
        for (int i = 0; i < kAttendanceStates; ++i) {
          double s = 0;
          for (int j = i + 1; j < kAttendanceStates; ++j) {
            p[b][i][j] /= f;
          }
          for (int j = 0; j < kAttendanceStates; ++j) {
            if (j != i) s += p[b][i][j];
          }
          p[b][i][i] = 1.0 - s;
        }
      }
      w = nw;
      out.iterations = it + 1;
      if (change < 1e-10) break;
    }
    out.worsen_mult = w;
    for (int m = 0; m < kSchoolMonthsPerYear; ++m)
      out.worsen_mult_se[m] = info[m] > 0 ? 1.0 / std::sqrt(info[m]) : 0.0;
  } else {
    out.worsen_mult = base.transitions.worsen_mult;
  }

  // Posteriors.
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      auto& rp = out.rows[b][i];
      const double n = rp.counts[0] + rp.counts[1] + rp.counts[2] + rp.counts[3];
      for (int j = 0; j < kAttendanceStates; ++j) {
        rp.data[j] = out.seasonality_estimated ? n * std::max(0.0, p[b][i][j]) : rp.counts[j];
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
