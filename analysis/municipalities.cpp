#include "analysis/municipalities.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include "sim/error.hpp"
#include "sim/streams.hpp"

namespace attendsim::models {

std::uint64_t municipality_seed(std::uint64_t seed, std::size_t index) {
  auto engine = make_engine(StreamKey{seed, 0, 0, kMunicipalitySeedPurpose, index});
  return engine();
}

ModelConfig municipality_config(const ModelConfig& cfg, const Municipality& m) {
  ModelConfig c = cfg;
  c.municipalities.clear();
  c.name = cfg.name + "/" + m.name;
  c.structure.population.pupils = m.pupils;
  c.structure.population.pupils_by_grade = m.pupils_by_grade;
  c.scenario.staffing = m.staffing;
  // An override scales the config's parameter, in its base value and in every draw alike.
  auto scale = [&](const char* path, std::optional<double> factor) {
    if (!factor) return;
    const auto i = c.parameters.find(path);
    ATTENDSIM_REQUIRE(i, "a municipality overrides " << path << ", which the config lacks");
    c.setters[*i] = [set = c.setters[*i], f = *factor](ModelParams& p, double v) { set(p, v * f); };
  };
  scale("detection.queue_limit", m.queue_limit_factor);
  scale("economics.team_overhead_sek_per_year", m.team_overhead_factor);
  return c;
}

bool additive_over_municipalities(Metric m) {
  switch (m) {
    case Metric::cases_started_per_fte_year:  // per FTE-year: the teams' FTE differ
    case Metric::mean_queue_length:           // per school month with FTE: the months differ
    case Metric::roi:                         // recomputed from the summed savings and cost
      return false;
    default:
      return m >= kFirstEconomicMetric || additive_over_subgroups(m);
  }
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class T>
void add_into(std::vector<T>& sum, const std::vector<T>& v) {
  ATTENDSIM_REQUIRE(sum.size() == v.size(), "municipalities differ in a series' length");
  for (std::size_t i = 0; i < v.size(); ++i) sum[i] += v[i];
}

/// metrics[k] += other[k] where metric k adds up, NaN elsewhere.
void add_metrics(std::vector<double>& sum, const std::vector<double>& v) {
  ATTENDSIM_REQUIRE(sum.size() == v.size(), "municipalities differ in their metrics");
  for (std::size_t k = 0; k < v.size(); ++k) {
    sum[k] = additive_over_municipalities(static_cast<Metric>(k)) ? sum[k] + v[k] : kNaN;
  }
}

void add_unit(UnitResult& whole, const UnitResult& u) {
  for (std::size_t s = 0; s < u.metrics.size(); ++s) {
    add_metrics(whole.metrics[s], u.metrics[s]);
    for (std::size_t g = 0; g < u.subgroup_metrics[s].size(); ++g)
      add_metrics(whole.subgroup_metrics[s][g], u.subgroup_metrics[s][g]);
    add_into(whole.occupancy[s], u.occupancy[s]);
    add_into(whole.cumulative_net_by_year[s], u.cumulative_net_by_year[s]);
    add_into(whole.queue[s], u.queue[s]);
    add_into(whole.savings_by_payer_year[s], u.savings_by_payer_year[s]);
  }
  whole.pupil_months += u.pupil_months;
}

/// The first municipality's unit as the start of the whole: non-additive metrics NaN.
UnitResult start_unit(const UnitResult& u) {
  UnitResult w = u;
  auto blank = [](std::vector<double>& metrics) {
    for (std::size_t k = 0; k < metrics.size(); ++k)
      if (!additive_over_municipalities(static_cast<Metric>(k))) metrics[k] = kNaN;
  };
  for (auto& m : w.metrics) blank(m);
  for (auto& by_group : w.subgroup_metrics)
    for (auto& m : by_group) blank(m);
  w.extras.assign(w.extras.size(), {});
  return w;
}

}  // namespace

ExperimentResult run_municipalities(
    const ModelConfig& cfg, const RunOptions& opt,
    const std::function<void(const Municipality&, const ModelConfig&, const ExperimentResult&)>&
        each) {
  ATTENDSIM_REQUIRE(!cfg.municipalities.empty(), "no [[municipalities]] to run");
  ATTENDSIM_REQUIRE(opt.unit_extras.empty(), "unit extras are not summed over municipalities");
  const auto start = std::chrono::steady_clock::now();
  // The config's parameter draws, the same in every municipality.
  RunOptions base = opt;
  if (base.draws > 1 && base.parameter_sets.empty()) {
    for (int d = 0; d < base.draws; ++d)
      base.parameter_sets.push_back(cfg.parameters.sample(opt.seed, static_cast<std::uint64_t>(d)));
  }
  ExperimentResult whole;
  for (std::size_t i = 0; i < cfg.municipalities.size(); ++i) {
    const auto& m = cfg.municipalities[i];
    const ModelConfig mc = municipality_config(cfg, m);
    RunOptions o = base;
    o.seed = municipality_seed(opt.seed, i);
    auto res = run_experiment(mc, baseline_and_configured(mc), o);
    whole.pupil_months_simulated += res.pupil_months_simulated;
    whole.not_computed = res.not_computed;  // the same config's path in every municipality
    whole.not_computed_in_subgroups = res.not_computed_in_subgroups;
    if (!res.units_whole) {
      // An MPI rank other than 0: it neither writes nor sums (sim/work_split.hpp).
      whole.units_whole = false;
      continue;
    }
    if (each) each(m, mc, res);
    if (i == 0) {
      whole.scenarios = res.scenarios;
      whole.steps = res.steps;
      for (const auto& u : res.units) whole.units.push_back(start_unit(u));
    } else {
      ATTENDSIM_REQUIRE(res.units.size() == whole.units.size() && res.steps == whole.steps,
                        "municipalities differ in their units");
      for (std::size_t u = 0; u < res.units.size(); ++u) add_unit(whole.units[u], res.units[u]);
    }
  }
  // The whole's ROI: its savings over its cost, unit by unit (as economics.cpp defines ROI).
  const auto i_roi = metric_position(Metric::roi), i_cost = metric_position(Metric::cost_sek),
             i_sav = metric_position(Metric::savings_sek);
  for (auto& u : whole.units) {
    for (std::size_t s = 1; s < u.metrics.size(); ++s) {
      auto& v = u.metrics[s];
      v[i_roi] = v[i_cost] > 0 ? v[i_sav] / v[i_cost] : kNaN;
    }
  }
  whole.options = opt;
  whole.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return whole;
}

}  // namespace attendsim::models
