// Throughput of the hot loop, on configs/reference.toml (coordinators on).
//   BM_RngFloor:        one mt19937_64 output + one table lookup per item (the floor)
//   BM_Replication:     one replication of the configured scenario; items = pupil-months
//   BM_RecordBaseline:  the baseline simulated and recorded
//   (models/baseline/scenario_from_baseline.hpp) BM_ScenarioFromBaseline: the configured scenario
//   simulated from that record BM_Experiment/T/R:  baseline + scenario, R replications on T threads
//   (real time);
//                       items = pupil-months, so T=2 / T=1 is the parallel speed-up
// Run: build/bench_simulation [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <array>

#include "../tests/paths.hpp"
#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "io/targets_reader.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/count_chain.hpp"
#include "models/hybrid_chain.hpp"
#include "models/simulation.hpp"
#include "sim/streams.hpp"

namespace {

const attendsim::models::ModelConfig& reference() {
  static const auto cfg = attendsim::models::load_model_config(std::string(ATTENDSIM_SOURCE_DIR) +
                                                               "/configs/reference.toml");
  return cfg;
}

void BM_RngFloor(benchmark::State& state) {
  auto e = attendsim::make_engine({1, 0, 0, 1, 0});
  std::array<std::array<double, 4>, 64> table{};
  for (auto& r : table) r = {0.9, 0.95, 0.99, 1.0};
  std::uint32_t idx = 0;
  int acc = 0;
  for (auto _ : state) {
    const std::uint64_t x = e();
    const double u = attendsim::uniform_hi(x);
    const auto& r = table[idx++ & 63];
    acc += (u >= r[0]) + (u >= r[1]) + (u >= r[2]);
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngFloor);

void BM_Replication(benchmark::State& state) {
  const auto& cfg = reference();
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  std::uint64_t rep = 0;
  std::uint64_t pupil_months = 0;
  for (auto _ : state) {
    auto out = attendsim::models::simulate(params, cfg.scenario, {1, 0, rep++, 0, 0});
    pupil_months += out.pupil_months_simulated;
    benchmark::DoNotOptimize(out.pupil_months);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pupil_months));
  state.counters["bytes_per_pupil"] = sizeof(attendsim::models::Pupil);
}
BENCHMARK(BM_Replication)->Unit(benchmark::kMillisecond);

// The baseline (no coordinators) simulated in full, the reference for BM_RecordBaseline.
void BM_Baseline(benchmark::State& state) {
  const auto& cfg = reference();
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  const attendsim::models::ScenarioSpec baseline;
  std::uint64_t rep = 0;
  std::uint64_t pupil_months = 0;
  for (auto _ : state) {
    auto out = attendsim::models::simulate(params, baseline, {1, 0, rep++, 0, 0});
    pupil_months += out.pupil_months_simulated;
    benchmark::DoNotOptimize(out.pupil_months);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pupil_months));
}
BENCHMARK(BM_Baseline)->Unit(benchmark::kMillisecond);

// The baseline simulated and recorded (no draws kept: they are recomputed from the key), against
// BM_Replication's full simulation of a scenario.
void BM_RecordBaseline(benchmark::State& state) {
  const auto& cfg = reference();
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  std::uint64_t rep = 0;
  std::uint64_t pupil_months = 0;
  attendsim::models::BaselineRecord rec;  // reused, as run_experiment's per-thread scratch
  for (auto _ : state) {
    attendsim::models::record_baseline(params, {1, 0, rep++, 0, 0}, rec);
    pupil_months += rec.outcome.pupil_months_simulated;
    benchmark::DoNotOptimize(rec.high_months.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pupil_months));
}
BENCHMARK(BM_RecordBaseline)->Unit(benchmark::kMillisecond);

// The configured scenario simulated from a recorded baseline: items are the pupil-months it
// represents; diverged_share = pupil-months simulated twice (scenario and baseline copies)
// over all pupil-months.
void BM_ScenarioFromBaseline(benchmark::State& state) {
  const auto& cfg = reference();
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  const auto rec = attendsim::models::record_baseline(params, {1, 0, 0, 0, 0});
  std::uint64_t pupil_months = 0;
  attendsim::models::FromBaselineCost cost;
  for (auto _ : state) {
    auto out = attendsim::models::simulate_from_baseline(rec, params, cfg.scenario, &cost);
    pupil_months += out.pupil_months_simulated;
    benchmark::DoNotOptimize(out.pupil_months);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pupil_months));
  state.counters["diverged_share"] = static_cast<double>(cost.diverged_pupil_months) /
                                     static_cast<double>(rec.outcome.pupil_months_simulated);
  state.counters["twin_share"] =
      static_cast<double>(cost.twin_pupil_months) / static_cast<double>(cost.diverged_pupil_months);
}
BENCHMARK(BM_ScenarioFromBaseline)->Unit(benchmark::kMillisecond);

// One replication of ten years of about 1.45 million pupils (bench/national_counts.toml) on
// the count-based path (models/count_chain.hpp); items = pupil-months represented.
// BM_NationalIndividual: the same replication on the individual engine, for the ratio.
const attendsim::models::ModelConfig& national() {
  static const auto cfg = attendsim::models::load_model_config(std::string(ATTENDSIM_SOURCE_DIR) +
                                                               "/bench/national_counts.toml");
  return cfg;
}

void BM_CountsNational(benchmark::State& state) {
  const auto& cfg = national();
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  std::uint64_t rep = 0;
  std::uint64_t pupil_months = 0;
  for (auto _ : state) {
    auto out = attendsim::models::simulate_counts(params, {1, 0, rep++, 0, 0});
    pupil_months += out.pupil_months_simulated;
    benchmark::DoNotOptimize(out.pupil_months);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pupil_months));
}
BENCHMARK(BM_CountsNational)->Unit(benchmark::kMillisecond);

void BM_NationalIndividual(benchmark::State& state) {
  const auto& cfg = national();
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  std::uint64_t rep = 0;
  std::uint64_t pupil_months = 0;
  for (auto _ : state) {
    auto out =
        attendsim::models::simulate(params, attendsim::models::ScenarioSpec{}, {1, 0, rep++, 0, 0});
    pupil_months += out.pupil_months_simulated;
    benchmark::DoNotOptimize(out.pupil_months);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pupil_months));
}
BENCHMARK(BM_NationalIndividual)->Unit(benchmark::kMillisecond)->Iterations(1);

// BM_SwedenScenario/1: one five-year replication of configs/sweden.toml's configured scenario
// (the nation as one population, 355.5 + 7 FTE for three years) on the hybrid of the
// count-based path (models/hybrid_chain.hpp); /0 the same on the individual engine in full.
// Items = pupil-months represented.
const attendsim::models::ModelConfig& sweden() {
  static const auto cfg = attendsim::models::load_model_config(std::string(ATTENDSIM_SOURCE_DIR) +
                                                               "/configs/sweden.toml");
  return cfg;
}

void BM_SwedenScenario(benchmark::State& state) {
  const auto& cfg = sweden();
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  const auto scenario = attendsim::models::baseline_and_configured(cfg)[1];
  const bool hybrid = state.range(0) != 0;
  std::uint64_t rep = 0;
  std::uint64_t pupil_months = 0;
  for (auto _ : state) {
    const attendsim::StreamKey key{1, 0, rep++, 0, 0};
    auto out = hybrid ? attendsim::models::simulate_hybrid(params, scenario, key)
                      : attendsim::models::simulate(params, scenario, key);
    pupil_months += out.pupil_months_simulated;
    benchmark::DoNotOptimize(out.pupil_months);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pupil_months));
}
BENCHMARK(BM_SwedenScenario)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Experiment(benchmark::State& state) {
  const auto& cfg = reference();
  attendsim::models::RunOptions opt;
  opt.replications = static_cast<int>(state.range(1));
  opt.threads = static_cast<int>(state.range(0));
  std::uint64_t pupil_months = 0;
  for (auto _ : state) {
    const auto res = attendsim::models::run_experiment(
        cfg, attendsim::models::baseline_and_configured(cfg), opt);
    pupil_months += res.pupil_months_simulated;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pupil_months));
}
// Args: threads, replications. With 8 replications the per-call cost of each worker's
// first baseline record (allocating and first touching ~12 MB) weighs on the 2-thread run.
BENCHMARK(BM_Experiment)
    ->Args({1, 8})
    ->Args({2, 8})
    ->Args({1, 32})
    ->Args({2, 32})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

// run_experiment of the peers' chain (baseline alone: no coordinators) in the benchmark's
// loop; items = pupils x months x `units` (replications or draws).
void run_peer_chain(benchmark::State& state, const attendsim::models::ModelConfig& cfg,
                    const attendsim::models::RunOptions& opt, int units) {
  const auto scenarios = attendsim::models::baseline_and_configured(cfg);
  for (auto _ : state) {
    const auto res = attendsim::models::run_experiment(cfg, scenarios, opt);
    benchmark::DoNotOptimize(res.units.data());
  }
  const auto months = static_cast<std::int64_t>(cfg.structure.horizon_years) * 12;
  state.SetItemsProcessed(state.iterations() * cfg.structure.population.pupils * months * units);
}

// The peers' 5-state chain of issue 17 (bench/peer_chain.toml: transitions in every month,
// leaving by state, no coordinators, so the baseline is simulated alone) at 100 000 pupils:
// run_experiment over R replications on T threads (real time), on the individual engine
// (C = 0) or the count-based path (C = 1, [simulation] count_based, models/count_chain.hpp).
// Args: threads, replications, C; items = pupil-months of the chain (pupils x 36 x R), so
// T=2 / T=1 is the speed-up.
void BM_PeerChain(benchmark::State& state) {
  static const auto peer = attendsim::models::load_model_config(std::string(ATTENDSIM_SOURCE_DIR) +
                                                                "/bench/peer_chain.toml");
  auto cfg = peer;
  cfg.run.count_based = state.range(2) != 0;
  attendsim::models::RunOptions opt;
  opt.threads = static_cast<int>(state.range(0));
  opt.replications = static_cast<int>(state.range(1));
  run_peer_chain(state, cfg, opt, opt.replications);
}
BENCHMARK(BM_PeerChain)
    ->Args({1, 2, 0})
    ->Args({2, 2, 0})
    ->Args({1, 2, 1})
    ->Args({2, 2, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The issue's own workload on the peers' chain: the 100 PSA draws of bench/peer_chain_psa.csv
// (each a matrix P = expm(Q) of log-normal rates, as `attendsim run --draws-from`), one
// replication each, at P pupils, on T threads (real time), on the individual engine (C = 0)
// or the count-based path (C = 1). Args: threads, pupils, C; items = pupils x 36 x 100, so
// T=2 / T=1 is the speed-up and items/s beside bench/numpy_peer_chain.py's figure (same
// draws, same machine) is the ratio to NumPy.
void BM_PeerChainPsa(benchmark::State& state) {
  static const auto peer = attendsim::models::load_model_config(std::string(ATTENDSIM_SOURCE_DIR) +
                                                                "/bench/peer_chain.toml");
  auto cfg = peer;
  cfg.run.count_based = state.range(2) != 0;
  cfg.structure.population.pupils = static_cast<int>(state.range(1));
  attendsim::models::RunOptions opt;
  opt.threads = static_cast<int>(state.range(0));
  opt.replications = 1;
  opt.parameter_sets = attendsim::models::read_parameter_draws(
      std::string(ATTENDSIM_SOURCE_DIR) + "/bench/peer_chain_psa.csv", cfg, opt.seed);
  opt.draws = static_cast<int>(opt.parameter_sets.size());
  run_peer_chain(state, cfg, opt, opt.draws);
}
BENCHMARK(BM_PeerChainPsa)
    ->Args({1, 100000, 0})
    ->Args({2, 100000, 0})
    ->Args({1, 100000, 1})
    ->Args({2, 100000, 1})
    ->Args({1, 1000000, 1})
    ->Args({2, 1000000, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

namespace {
// Cost of a comparison: N scenarios (baseline + N-1 ladder levels), 8 replications,
// 1 thread, including the comparison analysis. The ratio N=6 / N=1 is the issue's
// "6 scenarios cost at most 6.5x one".
void BM_CompareScenarios(benchmark::State& state) {
  const auto& cfg = reference();
  auto scenarios = attendsim::models::comparison_scenarios(cfg);
  scenarios.resize(static_cast<std::size_t>(state.range(0)));
  attendsim::models::RunOptions opt;
  opt.replications = 8;
  opt.threads = 1;
  for (auto _ : state) {
    const auto res = attendsim::models::run_experiment(cfg, scenarios, opt);
    if (scenarios.size() > 1) {
      auto rep = attendsim::models::analyse_comparison(cfg, res);
      benchmark::DoNotOptimize(rep);
    }
  }
}
BENCHMARK(BM_CompareScenarios)->Arg(1)->Arg(6)->Unit(benchmark::kMillisecond);
}  // namespace
