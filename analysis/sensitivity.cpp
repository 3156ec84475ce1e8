#include "analysis/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/comparison.hpp"
#include "sim/error.hpp"
#include "sim/one_way.hpp"

namespace attendsim::models {

std::vector<std::vector<double>> outputs_per_draw(const ExperimentResult& res) {
  ATTENDSIM_REQUIRE(res.scenarios.size() >= 2, "sensitivity needs the baseline and a scenario");
  const auto net = res.unit_values(1, res.metric_index(Metric::net_benefit_sek));
  const auto roi = res.unit_values(1, res.metric_index(Metric::roi));
  const auto m = res.metric_index(Metric::sustained_returns);
  const auto a = res.unit_values(1, m), b = res.unit_values(0, m);
  std::vector<std::vector<double>> out;
  for (std::size_t d = 0; d < net.size(); ++d) out.push_back({net[d], roi[d], a[d] - b[d]});
  return out;
}

std::vector<bool> outputs_computed(const ExperimentResult& res) {
  return outputs_computed(res.not_computed);
}

std::vector<bool> outputs_computed(const std::vector<Metric>& not_computed) {
  auto computed = [&](Metric m) {
    return std::find(not_computed.begin(), not_computed.end(), m) == not_computed.end();
  };
  // sensitivity_outputs(): net_benefit_sek, roi, extra_sustained_returns.
  return {computed(Metric::net_benefit_sek), computed(Metric::roi),
          computed(Metric::sustained_returns)};
}

namespace {
ExperimentResult run_points(const ModelConfig& cfg, RunOptions opt,
                            std::vector<std::vector<double>> points) {
  opt.draws = static_cast<int>(points.size());
  opt.parameter_sets = std::move(points);
  opt.common_streams_across_draws = true;
  return run_experiment(cfg, baseline_and_configured(cfg), opt);
}
}  // namespace

std::vector<TornadoRow> one_way(const ModelConfig& cfg, const RunOptions& opt) {
  const auto base = cfg.parameters.base_values();
  const auto uncertain = cfg.parameters.uncertain();
  ATTENDSIM_REQUIRE(!uncertain.empty(), "one-way analysis needs parameters with distributions");
  std::vector<OneWayRange> ranges;
  for (auto i : uncertain) {
    const auto& d = *cfg.parameters.at(i).dist;
    ranges.push_back({i, d.quantile(0.025), d.quantile(0.975)});
  }
  const auto res = run_points(cfg, opt, one_way_design(base, ranges));
  const auto out = outputs_per_draw(res);
  const auto computed = outputs_computed(res);
  std::vector<TornadoRow> rows;
  const auto& names = sensitivity_outputs();
  for (std::size_t o = 0; o < names.size(); ++o) {
    std::vector<double> y;
    for (const auto& v : out) y.push_back(v[o]);
    for (const auto& e : one_way_effects(ranges, y)) {
      rows.push_back({cfg.parameters.at(e.index).path, names[o], base[e.index], e.low, e.high,
                      e.output_base, e.output_low, e.output_high, e.swing, computed[o]});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [&](const TornadoRow& x, const TornadoRow& y) {
    if (x.output != y.output) {
      return std::find(names.begin(), names.end(), x.output) <
             std::find(names.begin(), names.end(), y.output);
    }
    return x.swing > y.swing;
  });
  return rows;
}

std::vector<TwoWayRow> two_way(const ModelConfig& cfg, const RunOptions& opt, const std::string& a,
                               const std::string& b, int points) {
  ATTENDSIM_REQUIRE(points >= 2, "a two-way grid needs at least 2 points per parameter");
  auto index = [&](const std::string& p) {
    const auto i = cfg.parameters.find(p);
    if (!i) ATTENDSIM_INPUT_ERROR("--params: no parameter '" << p << "' in " << cfg.file);
    if (!cfg.parameters.at(*i).dist) {
      ATTENDSIM_INPUT_ERROR("--params: parameter '" << p << "' has no distribution (give it one in "
                                                    << cfg.file << ")");
    }
    return *i;
  };
  const auto ia = index(a), ib = index(b);
  const auto base = cfg.parameters.base_values();
  std::vector<std::vector<double>> design;
  std::vector<std::pair<double, double>> vals;
  for (int x = 0; x < points; ++x) {
    for (int y = 0; y < points; ++y) {
      const double qa = 0.025 + 0.95 * x / (points - 1), qb = 0.025 + 0.95 * y / (points - 1);
      auto v = base;
      v[ia] = cfg.parameters.at(ia).dist->quantile(qa);
      v[ib] = cfg.parameters.at(ib).dist->quantile(qb);
      vals.emplace_back(v[ia], v[ib]);
      design.push_back(std::move(v));
    }
  }
  const auto res = run_points(cfg, opt, design);
  const auto out = outputs_per_draw(res);
  const auto computed = outputs_computed(res);
  std::vector<TwoWayRow> rows;
  for (std::size_t k = 0; k < design.size(); ++k)
    rows.push_back({a, b, vals[k].first, vals[k].second, out[k], computed});
  return rows;
}

std::vector<ScenarioSpec> psa_scenarios(const ModelConfig& cfg) {
  return cfg.structure.coordinators.enabled ? comparison_scenarios(cfg)
                                            : baseline_and_configured(cfg);
}

std::vector<AcceptabilityPoint> acceptability(const ExperimentResult& res,
                                              const std::vector<double>& lambdas) {
  const auto m_ret = res.metric_index(Metric::sustained_returns);
  const auto m_net = res.metric_index(Metric::net_benefit_sek);
  const std::size_t ns = res.scenarios.size();
  std::vector<std::vector<double>> extra(ns), net(ns);
  for (std::size_t s = 1; s < ns; ++s) {
    const auto a = res.unit_values(s, m_ret), b = res.unit_values(0, m_ret);
    for (std::size_t d = 0; d < a.size(); ++d) extra[s].push_back(a[d] - b[d]);
    net[s] = res.unit_values(s, m_net);
  }
  const std::size_t draws = res.unit_values(0, m_ret).size();
  const bool returns_computed = outputs_computed(res)[2];
  std::vector<AcceptabilityPoint> out;
  for (double lambda : lambdas) {
    if (!returns_computed && lambda != 0) {  // NMB needs the returns: not computed
      for (std::size_t s = 0; s < ns; ++s)
        out.push_back({lambda, res.scenarios[s].name, std::nan(""), false});
      continue;
    }
    std::vector<double> wins(ns, 0.0);
    for (std::size_t d = 0; d < draws; ++d) {
      std::size_t best = 0;
      double best_nmb = 0.0;  // the baseline
      for (std::size_t s = 1; s < ns; ++s) {
        const double nmb = (lambda != 0 ? lambda * extra[s][d] : 0.0) + net[s][d];
        if (nmb > best_nmb) {
          best_nmb = nmb;
          best = s;
        }
      }
      wins[best] += 1;
    }
    for (std::size_t s = 0; s < ns; ++s) {
      out.push_back({lambda, res.scenarios[s].name, wins[s] / static_cast<double>(draws)});
    }
  }
  return out;
}

TargetSeResult run_to_target_se(const ModelConfig& cfg, const RunOptions& opt,
                                const std::string& metric, double target, int batch,
                                int max_replications) {
  ATTENDSIM_REQUIRE(batch >= 2 && max_replications >= batch,
                    "target-se needs batch >= 2 and max >= batch");
  TargetSeResult out;
  const auto scenarios = baseline_and_configured(cfg);
  RunOptions o = opt;
  o.draws = 1;
  o.replications = batch;
  for (int first = 0; first < max_replications; first += batch) {
    o.first_replication = first;
    auto part = run_experiment(cfg, scenarios, o);
    if (first == 0) {
      out.result = std::move(part);
    } else {
      for (auto& u : part.units) out.result.units.push_back(std::move(u));
      out.result.pupil_months_simulated += part.pupil_months_simulated;
      out.result.wall_seconds += part.wall_seconds;
      out.result.options.replications += batch;
    }
    const auto idx = out.result.metric_index(metric);
    const Summary s = summarise(out.result.unit_values(1, idx));
    out.se = s.se;
    if (s.se <= target) {
      out.reached = true;
      break;
    }
  }
  return out;
}

}  // namespace attendsim::models
