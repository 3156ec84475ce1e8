#include "analysis/calibration_fit.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "models/simulation.hpp"
#include "sim/error.hpp"
#include "sim/runner.hpp"

namespace attendsim::models {

namespace {

/// p-quantile of sorted values, linear interpolation (type 7).
double quantile_sorted(const std::vector<double>& v, double p) {
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(v.size() - 1, lo + 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

RegisterFit register_fit(const ModelConfig& calibrated, const AttendanceRegister& reg, int draws,
                         std::uint64_t seed, int threads) {
  ATTENDSIM_REQUIRE(draws >= 1, "draws must be >= 1");
  ATTENDSIM_REQUIRE(!reg.records.empty(), "empty register");
  const auto t0 = std::chrono::steady_clock::now();
  int first = reg.records.front().month, last = first;
  for (const auto& r : reg.records) {
    first = std::min(first, r.month);
    last = std::max(last, r.month);
  }
  const int sep0 =
      month_of(first) >= 9 ? month_index(year_of(first), 9) : month_index(year_of(first) - 1, 9);
  const int steps = last - sep0 + 1;
  // Observed counts [t][band][state].
  using Cell = std::array<std::array<double, kAttendanceStates>, kBands>;
  std::vector<Cell> obs(static_cast<std::size_t>(steps), Cell{});
  int pupils0 = 0;
  for (const auto& r : reg.records) {
    obs[static_cast<std::size_t>(r.month - sep0)][static_cast<int>(band_of_grade(r.grade))]
       [r.state] += 1;
    if (r.month == first) ++pupils0;
  }
  // Simulated shares [draw][t][band][state].
  const auto values_of = [&](int k) {
    return draws > 1 ? calibrated.parameters.sample(seed, static_cast<std::uint64_t>(k))
                     : calibrated.parameters.base_values();
  };
  const auto sim = run_indexed<
      std::vector<Cell>>(static_cast<std::size_t>(draws), threads, [&](std::size_t kk) {
    const int k = static_cast<int>(kk);
    ModelParams p = realise(calibrated, values_of(k));
    p.population.pupils = pupils0;
    p.population.pupils_by_grade = {};  // another count: spread evenly over the grades
    p.horizon_years = (steps + kMonthsPerYear - 1) / kMonthsPerYear;
    Trace trace;
    trace.pupils.resize(static_cast<std::size_t>(pupils0));
    for (int i = 0; i < pupils0; ++i)
      trace.pupils[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(i);
    (void)simulate(p, ScenarioSpec{}, StreamKey{seed, static_cast<std::uint64_t>(k), 0}, &trace);
    std::vector<Cell> out(static_cast<std::size_t>(steps), Cell{});
    for (int t = 0; t < steps; ++t) {
      Cell n{};
      for (const auto& q : trace.after_step[static_cast<std::size_t>(t)]) {
        if (q.state < kAttendanceStates) n[q.band][q.state] += 1;
      }
      for (int b = 0; b < kBands; ++b) {
        double tot = 0;
        for (double v : n[b]) tot += v;
        for (int s = 0; s < kAttendanceStates; ++s)
          out[static_cast<std::size_t>(t)][b][s] = tot > 0 ? n[b][s] / tot : 0.0;
      }
    }
    return out;
  });
  RegisterFit fit;
  fit.draws = draws;
  fit.pupils = pupils0;
  double inside = 0, z2 = 0, se2 = 0;
  int nz = 0;
  std::vector<double> v(static_cast<std::size_t>(draws));
  for (int t = 0; t < steps; ++t) {
    for (int b = 0; b < kBands; ++b) {
      const auto& o = obs[static_cast<std::size_t>(t)][b];
      const double tot = o[0] + o[1] + o[2] + o[3];
      if (tot == 0) continue;
      for (int s = 0; s < kAttendanceStates; ++s) {
        FitCell c;
        c.month = sep0 + t;
        c.band = b;
        c.state = s;
        c.observed = o[s] / tot;
        c.observed_pupils = static_cast<int>(tot);
        double mean = 0;
        for (int k = 0; k < draws; ++k) {
          v[static_cast<std::size_t>(k)] =
              sim[static_cast<std::size_t>(k)][static_cast<std::size_t>(t)][b][s];
          mean += v[static_cast<std::size_t>(k)];
        }
        mean /= draws;
        double var = 0;
        for (double x : v) var += (x - mean) * (x - mean);
        var = draws > 1 ? var / (draws - 1) : 0.0;
        std::sort(v.begin(), v.end());
        c.sim_mean = mean;
        c.sim_sd = std::sqrt(var);
        c.sim_p2_5 = quantile_sorted(v, 0.025);
        c.sim_p97_5 = quantile_sorted(v, 0.975);
        inside += c.inside() ? 1 : 0;
        se2 += (c.observed - mean) * (c.observed - mean);
        if (var > 0) {
          z2 += (c.observed - mean) * (c.observed - mean) / var;
          ++nz;
        }
        fit.cells.push_back(c);
      }
    }
  }
  const double n = static_cast<double>(fit.cells.size());
  fit.coverage = n > 0 ? inside / n : 0;
  fit.rmse = n > 0 ? std::sqrt(se2 / n) : 0;
  fit.mean_sq_std_residual = nz > 0 ? z2 / nz : 0;
  fit.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return fit;
}

}  // namespace attendsim::models
