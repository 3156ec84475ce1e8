#include "analysis/experiment.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "models/baseline/scenario_from_baseline.hpp"
#include "models/count_chain.hpp"
#include "models/hybrid_chain.hpp"
#include "sim/error.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"
#include "sim/work_split.hpp"

namespace attendsim::models {

std::vector<ScenarioSpec> baseline_and_configured(const ModelConfig& cfg) {
  ScenarioSpec base;
  base.name = "baseline";
  base.allocation_policy = cfg.scenario.allocation_policy;
  return {base, cfg.scenario};
}

std::size_t ExperimentResult::metric_index(const std::string& name) const {
  return metric_position(metric_by_name(name, "metric"));
}

std::vector<double> ExperimentResult::unit_values(std::size_t scenario, std::size_t metric) const {
  return unit_values(scenario, Subgroup::total, metric);
}

std::vector<double> ExperimentResult::unit_values(std::size_t scenario, Subgroup subgroup,
                                                  std::size_t metric) const {
  std::vector<double> per_unit;
  per_unit.reserve(units.size());
  for (const auto& u : units) {
    per_unit.push_back(
        subgroup == Subgroup::total
            ? u.metrics[scenario][metric]
            : u.subgroup_metrics[scenario][static_cast<std::size_t>(subgroup) - 1][metric]);
  }
  return fold_units(per_unit);
}

std::vector<double> ExperimentResult::extra_values(std::size_t scenario, std::size_t k,
                                                   std::size_t i) const {
  std::vector<double> per_unit;
  per_unit.reserve(units.size());
  for (const auto& u : units) per_unit.push_back(u.extras.at(scenario).at(k).at(i));
  return fold_units(per_unit);
}

void encode_unit(ByteWriter& w, const UnitResult& u) {
  w.put(u.metrics);
  w.put(u.subgroup_metrics);
  w.put(u.occupancy);
  w.put(u.cumulative_net_by_year);
  w.put(u.queue);
  w.put(u.savings_by_payer_year);
  w.put(u.pupil_months);
  w.put(u.extras);
}

void decode_unit(ByteReader& r, UnitResult& u) {
  r.get(u.metrics);
  r.get(u.subgroup_metrics);
  r.get(u.occupancy);
  r.get(u.cumulative_net_by_year);
  r.get(u.queue);
  r.get(u.savings_by_payer_year);
  r.get(u.pupil_months);
  r.get(u.extras);
}

void encode_unit_shared(ByteWriter& w, const UnitResult& u) {
  w.put(u.metrics);
  w.put(u.pupil_months);
  w.put(u.extras);
}

void decode_unit_shared(ByteReader& r, UnitResult& u) {
  r.get(u.metrics);
  r.get(u.pupil_months);
  r.get(u.extras);
}

std::vector<double> fold_units(const std::vector<double>& per_unit, int draws, int replications) {
  if (draws <= 1) return per_unit;
  const auto reps = static_cast<std::size_t>(replications);
  ATTENDSIM_REQUIRE(per_unit.size() == reps * static_cast<std::size_t>(draws),
                    "one value per unit expected");
  std::vector<double> out;
  for (std::size_t d = 0; d < static_cast<std::size_t>(draws); ++d) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t r = 0; r < reps; ++r) {
      const double x = per_unit[d * reps + r];
      if (!std::isnan(x)) {
        sum += x;
        ++n;
      }
    }
    out.push_back(n > 0 ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN());
  }
  return out;
}

bool on_count_path(const ModelConfig& cfg) {
  return cfg.run.count_based && !cfg.structure.coordinators.enabled;
}

ExperimentResult run_experiment(const ModelConfig& cfg, const std::vector<ScenarioSpec>& scenarios,
                                const RunOptions& opt) {
  ATTENDSIM_REQUIRE(!scenarios.empty() && scenarios[0].staffing.periods.empty(),
                    "the first scenario must be the baseline");
  ATTENDSIM_REQUIRE(opt.draws >= 1 && opt.replications >= 1, "draws and replications must be >= 1");
  const auto start = std::chrono::steady_clock::now();
  // Parameter draws are realised serially, in draw order (cheap, and errors surface early).
  std::vector<ModelParams> params;
  const bool explicit_sets = !opt.parameter_sets.empty();
  ATTENDSIM_REQUIRE(!explicit_sets || static_cast<int>(opt.parameter_sets.size()) == opt.draws,
                    "draws must equal the number of parameter sets");
  params.reserve(static_cast<std::size_t>(opt.draws));
  for (int d = 0; d < opt.draws; ++d) {
    if (explicit_sets) {
      cfg.parameters.check_domain(opt.parameter_sets[static_cast<std::size_t>(d)],
                                  "design point " + std::to_string(d));
      params.push_back(realise(cfg, opt.parameter_sets[static_cast<std::size_t>(d)]));
      continue;
    }
    const auto values = opt.draws == 1
                            ? cfg.parameters.base_values()
                            : cfg.parameters.sample(opt.seed, static_cast<std::uint64_t>(d));
    params.push_back(realise(cfg, values));
  }
  const std::size_t n_units =
      static_cast<std::size_t>(opt.draws) * static_cast<std::size_t>(opt.replications);
  // [simulation] count_based: without coordinators the count path (every scenario is the
  // baseline's run); with them the hybrid of cells and individuals (models/hybrid_chain.hpp),
  // which computes every metric.
  const bool counts_only = on_count_path(cfg);
  const bool hybrid = cfg.run.count_based && !counts_only;
  const std::vector<Metric> not_computed =
      counts_only ? count_path_not_computed() : std::vector<Metric>{};
  const std::vector<Metric> not_computed_in_subgroups =
      counts_only ? count_path_not_computed_in_subgroups() : std::vector<Metric>{};
  constexpr double kNotComputed = std::numeric_limits<double>::quiet_NaN();
  ProgressBar bar(n_units, "simulating", opt.progress);
  // Split across the ranks of an mpirun (sim/work_split.hpp); gathered in unit order.
  auto units = run_split<UnitResult, BaselineRecord>(
      opt.split, n_units, opt.threads,
      [&](std::size_t u, BaselineRecord& record) {
        const auto d = u / static_cast<std::size_t>(opt.replications);
        const auto r = u % static_cast<std::size_t>(opt.replications);
        const StreamKey key{opt.seed, opt.common_streams_across_draws ? 0 : d,
                            r + static_cast<std::uint64_t>(opt.first_replication), 0, 0};
        const ModelParams& p = params[d];
        UnitResult res;
        // The baseline is simulated and recorded once; every scenario is simulated from it
        // (only the pupils it changes), bit-identical to simulating it in full.
        // A scenario without a case slot in any month is the baseline itself but for its FTE
        // series (scenario_has_cases): it is not simulated again. When no scenario has one,
        // the baseline is simulated alone, without recording its draws.
        std::vector<char> has_cases(scenarios.size(), 0);
        for (std::size_t s = 1; s < scenarios.size(); ++s)
          has_cases[s] = scenario_has_cases(p, scenarios[s]) ? 1 : 0;
        const bool any_cases = std::find(has_cases.begin(), has_cases.end(), 1) != has_cases.end();
        // On the count-based path (no coordinators: every scenario is the baseline's run
        // with its own FTE series, as idle_scenario) the replication is simulated once, by
        // cells, and serves every scenario.
        const bool counts = counts_only;
        // The record's replay steps summers without transitions (models/baseline/). The
        // hybrid records its baseline too (record_hybrid_baseline: its cells are the same in
        // every scenario and its individuals keep their ids, so a scenario differs from the
        // baseline only through referred individuals, docs/methods.md §4.12).
        const bool from_baseline = opt.from_baseline && any_cases && !counts &&
                                   p.transitions.months == TransitionMonths::school;
        // Every scenario has the record's detection parameters: no high months needed.
        if (from_baseline) {
          if (hybrid) {
            record_hybrid_baseline(p, key, record, /*keep_high_months=*/false);
          } else {
            record_baseline(p, key, record, /*keep_high_months=*/false);
          }
        }
        ReplicationOutcome base, counted;
        if (counts) counted = simulate_counts(p, key);
        // The hybrid's scenarios with a case slot (from the record, or in full) are independent
        // of one another: taken in parallel within the unit (each into its own slot, so the
        // bytes do not depend on the thread count), which uses the threads when a run has
        // fewer units than threads. Isolated: while it waits for the inner tasks this thread
        // must not take another unit, which would reuse (overwrite) this thread's record, the
        // scratch the replays read.
        std::vector<ReplicationOutcome> hybrid_runs(hybrid ? scenarios.size() : 0);
        if (hybrid) {
          oneapi::tbb::this_task_arena::isolate([&] {
            oneapi::tbb::parallel_for(std::size_t{0}, scenarios.size(), [&](std::size_t s) {
              if (s == 0) {
                hybrid_runs[s] =
                    from_baseline ? record.outcome : simulate_hybrid(p, scenarios[s], key);
              } else if (has_cases[s]) {
                hybrid_runs[s] = from_baseline ? simulate_from_baseline(record, p, scenarios[s])
                                               : simulate_hybrid(p, scenarios[s], key);
              }
            });
          });
        }
        for (std::size_t s = 0; s < scenarios.size(); ++s) {
          ReplicationOutcome o = counts && s == 0 ? std::move(counted)
                                 : s > 0 && (counts || !has_cases[s])
                                     ? idle_scenario(base, scenarios[s])
                                 : hybrid         ? std::move(hybrid_runs[s])
                                 : !from_baseline ? simulate(p, scenarios[s], key)
                                 : s == 0         ? record.outcome
                                                  : simulate_from_baseline(record, p, scenarios[s]);
          res.pupil_months += o.pupil_months_simulated;
          std::vector<float> occ;
          occ.reserve(o.occupancy.size() * kStates);
          for (const auto& row : o.occupancy) {
            for (auto c : row) occ.push_back(static_cast<float>(c));
          }
          res.occupancy.push_back(std::move(occ));
          if (s == 0) res.subgroup_metrics.push_back(subgroup_metrics(o));
          res.queue.emplace_back(o.queue_length.begin(), o.queue_length.end());
          if (s == 0) {
            res.metrics.push_back(outcome_metrics(o, nullptr));
            res.cumulative_net_by_year.emplace_back();
            res.savings_by_payer_year.emplace_back();
            res.extras.emplace_back();
            base = std::move(o);
          } else {
            const EconomicResult econ = evaluate_economics(p.economics, base.events, o.events);
            res.metrics.push_back(outcome_metrics(o, &econ));
            res.subgroup_metrics.push_back(subgroup_metrics(o, &base, &p.economics, &econ));
            std::vector<double> net;
            for (std::size_t y = 0; y < econ.cumulative_cost_by_year.size(); ++y) {
              net.push_back(econ.cumulative_savings_by_year[y] - econ.cumulative_cost_by_year[y]);
            }
            res.cumulative_net_by_year.push_back(std::move(net));
            std::vector<double> payers;
            for (const auto& years : econ.savings_by_payer_year)
              payers.insert(payers.end(), years.begin(), years.end());
            res.savings_by_payer_year.push_back(std::move(payers));
            std::vector<std::vector<double>> extras;
            for (const auto& f : opt.unit_extras) extras.push_back(f.compute(p, base, o, econ));
            res.extras.push_back(std::move(extras));
          }
        }
        // What the count-based path does not compute is NaN (written as not computed), not 0.
        if (counts) {
          for (const Metric m : not_computed) {
            const std::size_t i = metric_position(m);
            for (auto& scenario : res.metrics) scenario[i] = kNotComputed;
            for (auto& scenario : res.subgroup_metrics) {
              for (auto& group : scenario) group[i] = kNotComputed;
            }
          }
          for (const Metric m : not_computed_in_subgroups) {
            const std::size_t i = metric_position(m);
            for (auto& scenario : res.subgroup_metrics) {
              for (auto& group : scenario) {
                if (i < group.size()) group[i] = kNotComputed;  // the baseline has no economics
              }
            }
          }
        }
        return res;
      },
      encode_unit, decode_unit, encode_unit_shared, decode_unit_shared, [&bar] { bar.tick(); });
  bar.finish();
  ExperimentResult out;
  out.options = opt;
  out.scenarios = scenarios;
  out.steps = params[0].horizon_years * kMonthsPerYear;
  out.units = std::move(units);
  out.units_whole = !opt.split || opt.split->rank() == 0;
  out.not_computed = not_computed;
  out.not_computed_in_subgroups = not_computed_in_subgroups;
  for (const auto& u : out.units) out.pupil_months_simulated += u.pupil_months;
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace attendsim::models
