#include "analysis/threshold.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/tools/roots.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>

#include "analysis/metrics.hpp"
#include "analysis/work_estimate.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

ThresholdMetric parse_threshold_metric(const std::string& name, const std::string& option) {
  if (name == "net_benefit") return ThresholdMetric::net_benefit;
  if (name == "roi") return ThresholdMetric::roi;
  ATTENDSIM_INPUT_ERROR(option << ": net_benefit or roi, got '" << name << "'");
}

const char* threshold_metric_name(ThresholdMetric m) {
  return m == ThresholdMetric::roi ? "roi" : "net_benefit";
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t parameter_index(const ModelConfig& cfg, const std::string& key) {
  const auto i = cfg.parameters.find(key);
  if (!i) {
    ATTENDSIM_INPUT_ERROR(cfg.file << ": --param: '" << key
                                   << "' is not a numeric parameter of this config (give a dotted "
                                      "key such as "
                                   << kDefaultThresholdParameter
                                   << " or economics.cost_per_fte_year_sek)");
  }
  return *i;
}

/// Replications [first, first + count) of one batch.
struct Batch {
  int first = 0, count = 0;
};

std::vector<Batch> split(int replications, int batches) {
  std::vector<Batch> out;
  for (int b = 0; b < batches; ++b) {
    const int lo = static_cast<int>(static_cast<long long>(b) * replications / batches);
    const int hi = static_cast<int>(static_cast<long long>(b + 1) * replications / batches);
    out.push_back({lo, hi - lo});
  }
  return out;
}

/// The root of g on [a, b] (g(a), g(b) of opposite signs or one of them 0) by TOMS 748.
template <class F>
double find_root(F g, double a, double b, double ga, double gb, double tol, int& evaluations) {
  if (ga == 0) return a;
  if (gb == 0) return b;
  std::uintmax_t iters = 100;
  const auto stop = [tol](double x, double y) { return std::abs(x - y) <= tol; };
  const auto r = boost::math::tools::toms748_solve(
      [&](double x) {
        ++evaluations;
        return g(x);
      },
      a, b, ga, gb, stop, iters);
  return (r.first + r.second) / 2;
}

/// The first sign change of values - target on the grid: its interval index, or -1; `count`
/// receives the number of sign changes. A grid value equal to the target counts as a change.
int first_sign_change(const std::vector<double>& v, double target, int& count) {
  count = 0;
  int first = -1;
  for (std::size_t j = 0; j + 1 < v.size(); ++j) {
    const double a = v[j] - target, b = v[j + 1] - target;
    const bool change = (a < 0 && b >= 0) || (a > 0 && b <= 0) || (j == 0 && a == 0);
    if (change) {
      ++count;
      if (first < 0) first = static_cast<int>(j);
    }
  }
  return first;
}

}  // namespace

std::pair<double, double> threshold_range(const ModelConfig& cfg, const ThresholdSpec& spec) {
  const auto i = parameter_index(cfg, spec.parameter);
  const auto& p = cfg.parameters.at(i);
  double lo = 0, hi = 0;
  if (spec.range) {
    lo = spec.range->first;
    hi = spec.range->second;
  } else {
    if (!p.dist) {
      ATTENDSIM_INPUT_ERROR(p.file << ":" << p.line << ": " << p.path
                                   << " is fixed (no distribution), so it has no range; give one "
                                      "with --range LO,HI");
    }
    lo = p.dist->quantile(0.025);
    hi = p.dist->quantile(0.975);
  }
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi)) {
    ATTENDSIM_INPUT_ERROR(p.file << ":" << p.line << ": " << p.path << ": the range [" << lo << ", "
                                 << hi << "] is empty (it needs LO < HI)");
  }
  for (double v : {lo, hi}) {
    std::string what;
    if (!in_domain(p.domain, v, what)) {
      ATTENDSIM_INPUT_ERROR(p.file << ":" << p.line << ": " << p.path << ": the range end " << v
                                   << " is outside the parameter's domain (" << what << ")");
    }
  }
  return {lo, hi};
}

ModelConfig threshold_config(ModelConfig cfg) {
  cfg.structure.outcomes.terminal_events = TerminalEvents::expected;
  return cfg;
}

bool has_compare_threshold(const ModelConfig& cfg) {
  const auto i = cfg.parameters.find(kDefaultThresholdParameter);
  return i && cfg.parameters.at(*i).dist.has_value();
}

ThresholdSpec compare_threshold_spec(const ModelConfig& cfg) {
  ThresholdSpec spec;
  const auto [lo, hi] = threshold_range(cfg, spec);  // the plausible range, checked
  double top = lo + 3 * (hi - lo);
  if (cfg.parameters.at(parameter_index(cfg, spec.parameter)).domain == Domain::probability)
    top = std::min(top, 1.0);
  spec.range = std::make_pair(lo, std::max(top, hi));
  spec.grid_points = kCompareThresholdGridPoints;
  spec.batches = 5;
  spec.refine = false;
  return spec;
}

ThresholdResult compare_threshold(const ModelConfig& cfg, const RunOptions& opt) {
  RunOptions o;
  o.seed = opt.seed;
  o.threads = opt.threads;
  o.from_baseline = opt.from_baseline;
  o.split = opt.split;
  o.progress = false;
  o.draws = 1;
  o.replications = kCompareThresholdReplications;
  return threshold_analysis(threshold_config(cfg), o, compare_threshold_spec(cfg));
}

WorkEstimate threshold_work(const ModelConfig& cfg, const RunOptions& opt,
                            const ThresholdSpec& spec) {
  const std::size_t scenarios =
      spec.scenarios.empty() ? comparison_scenarios(cfg).size() : 1 + spec.scenarios.size();
  const double reps = opt.replications;
  auto e = experiment_work(cfg, opt, spec.grid_points * reps, scenarios,
                           std::to_string(spec.grid_points) + " grid points x " +
                               std::to_string(opt.replications) + " replications",
                           "--grid, --replications");
  if (spec.refine && scenarios > 1) {
    // Per scenario: the pooled root over R replications and B batch roots over R / B each.
    const double units = static_cast<double>(scenarios - 1) * kRefineEvaluations * 2 * reps;
    auto refine = experiment_work(cfg, opt, units, 2,
                                  std::to_string(scenarios - 1) + " root(s) refined over " +
                                      std::to_string(spec.batches) + " batches + the pooled root",
                                  "--replications");
    refine.bytes = 0;  // each refinement's results are dropped before the next
    e += refine;
  }
  return e;
}

ThresholdResult threshold_analysis(const ModelConfig& cfg, const RunOptions& opt,
                                   const ThresholdSpec& spec) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto pi = parameter_index(cfg, spec.parameter);
  const auto [lo, hi] = threshold_range(cfg, spec);
  ATTENDSIM_REQUIRE(spec.grid_points >= 2, "a threshold grid needs at least 2 points");
  if (spec.batches < 2) ATTENDSIM_INPUT_ERROR("--batches: at least 2, got " << spec.batches);
  if (opt.replications < 2 * spec.batches) {
    ATTENDSIM_INPUT_ERROR("--replications " << opt.replications << " is too few for "
                                            << spec.batches
                                            << " batches (the interval needs at least 2 "
                                               "replications per batch)");
  }
  const double target =
      spec.target.value_or(spec.metric == ThresholdMetric::roi ? cfg.compare.roi_target : 0.0);

  // The scenarios: baseline first, then the chosen ones in compare's order.
  const auto all = comparison_scenarios(cfg);
  std::vector<ScenarioSpec> scenarios{all.front()};
  for (const auto& name : spec.scenarios) {
    const auto it = std::find_if(all.begin() + 1, all.end(),
                                 [&](const ScenarioSpec& s) { return s.name == name; });
    if (it == all.end()) {
      std::string known;
      for (std::size_t s = 1; s < all.size(); ++s) known += (s > 1 ? ", " : "") + all[s].name;
      ATTENDSIM_INPUT_ERROR(cfg.file << ": --scenario: no scenario '" << name
                                     << "' (scenarios: " << known << ")");
    }
  }
  for (std::size_t s = 1; s < all.size(); ++s) {
    if (spec.scenarios.empty() || std::find(spec.scenarios.begin(), spec.scenarios.end(),
                                            all[s].name) != spec.scenarios.end()) {
      scenarios.push_back(all[s]);
    }
  }

  const auto base = cfg.parameters.base_values();
  auto values_at = [&](double x) {
    auto v = base;
    v[pi] = x;
    return v;
  };
  const std::size_t metric =
      metric_position(spec.metric == ThresholdMetric::roi ? Metric::roi : Metric::net_benefit_sek);
  const int reps = opt.replications;
  const auto batches = split(reps, spec.batches);

  // The grid: all scenarios, every replication, on the same streams at every value.
  const int g = spec.grid_points;
  std::vector<double> grid(static_cast<std::size_t>(g));
  RunOptions o = opt;
  o.draws = g;
  o.parameter_sets.clear();
  for (int j = 0; j < g; ++j) {
    grid[static_cast<std::size_t>(j)] = j + 1 == g ? hi : lo + (hi - lo) * j / (g - 1);
    o.parameter_sets.push_back(values_at(grid[static_cast<std::size_t>(j)]));
  }
  o.common_streams_across_draws = true;
  o.first_replication = 0;
  const auto res = run_experiment(cfg, scenarios, o);
  // Mean of the metric of scenario s at grid point j over replications [first, first + count).
  auto grid_mean = [&](std::size_t s, int j, const Batch& b) {
    double sum = 0;
    for (int r = b.first; r < b.first + b.count; ++r)
      sum += res.units[static_cast<std::size_t>(j * reps + r)].metrics[s][metric];
    return sum / b.count;
  };

  ThresholdResult out;
  out.replications = reps;
  out.grid_points = g;
  const double tol = spec.x_tolerance * (hi - lo);
  const auto& param = cfg.parameters.at(pi);
  const double plausible_low = param.dist ? param.dist->quantile(0.025) : kNaN;
  const double plausible_high = param.dist ? param.dist->quantile(0.975) : kNaN;
  const boost::math::students_t t_dist(static_cast<double>(spec.batches - 1));
  const double t975 = boost::math::quantile(t_dist, 0.975);
  for (std::size_t s = 1; s < scenarios.size(); ++s) {
    ThresholdRow row;
    row.scenario = scenarios[s].name;
    row.parameter = spec.parameter;
    row.metric = threshold_metric_name(spec.metric);
    row.target = target;
    row.base_value = base[pi];
    row.range_low = lo;
    row.range_high = hi;
    row.batches = spec.batches;
    row.plausible_low = plausible_low;
    row.plausible_high = plausible_high;
    row.refined = spec.refine;
    row.replications = reps;
    row.grid_points = g;
    // The root for replications `b`: bracketed on the grid, refined by TOMS 748 on runs of
    // {baseline, s} at those replications.
    auto root_for = [&](const Batch& b, int& crossings, int& direction) {
      std::vector<double> v;
      for (int j = 0; j < g; ++j) v.push_back(grid_mean(s, j, b));
      const int j = first_sign_change(v, target, crossings);
      if (j < 0) return kNaN;
      const auto ju = static_cast<std::size_t>(j);
      direction = v[ju + 1] > v[ju] ? 1 : -1;
      if (!spec.refine) {
        const double a = v[ju] - target, c = v[ju + 1] - target;
        if (a == 0) return grid[ju];
        return grid[ju] + (grid[ju + 1] - grid[ju]) * a / (a - c);
      }
      auto f = [&](double x) {
        RunOptions e = opt;
        e.draws = 1;
        e.parameter_sets = {values_at(x)};
        e.common_streams_across_draws = true;
        e.first_replication = b.first;
        e.replications = b.count;
        e.progress = false;
        const auto r = run_experiment(cfg, {scenarios[0], scenarios[s]}, e);
        double sum = 0;
        for (const auto& u : r.units) sum += u.metrics[1][metric];
        return sum / b.count - target;
      };
      return find_root(f, grid[ju], grid[ju + 1], v[ju] - target, v[ju + 1] - target, tol,
                       row.evaluations);
    };
    const Batch pooled{0, reps};
    row.metric_at_low = grid_mean(s, 0, pooled);
    row.metric_at_high = grid_mean(s, g - 1, pooled);
    row.threshold = root_for(pooled, row.crossings, row.direction);
    row.crossed = !std::isnan(row.threshold);
    row.ci_low = row.ci_high = kNaN;
    if (row.crossed) {
      std::vector<double> roots;
      for (const auto& b : batches) {
        int c = 0, d = 0;
        const double r = root_for(b, c, d);
        if (!std::isnan(r)) roots.push_back(r);
      }
      row.batches_crossed = static_cast<int>(roots.size());
      if (row.batches_crossed == spec.batches) {
        double m = 0;
        for (double r : roots) m += r;
        m /= static_cast<double>(roots.size());
        double ss = 0;
        for (double r : roots) ss += (r - m) * (r - m);
        const double half = t975 * std::sqrt(ss / static_cast<double>(roots.size() - 1)) /
                            std::sqrt(static_cast<double>(roots.size()));
        row.ci_low = row.threshold - half;
        row.ci_high = row.threshold + half;
      }
    } else {
      row.direction = 0;
    }
    out.rows.push_back(row);
  }
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace attendsim::models
