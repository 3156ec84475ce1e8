#pragma once
/// An experiment: a set of scenarios (the first is the no-coordinator baseline) run over
/// parameter draws x stochastic replications on common random numbers, with economics
/// evaluated per unit against the baseline.
///
/// Unit (d, r) = parameter draw d, replication r, at slot d * replications + r. Every
/// scenario of a unit uses the stream key {seed, d, r}. With one draw the parameters are at
/// their base values; with several, draw d's values are `ParameterSet::sample(seed, d)`.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/economics.hpp"
#include "analysis/metrics.hpp"
#include "analysis/model_config.hpp"
#include "models/simulation.hpp"
#include "sim/work_split.hpp"

namespace attendsim::models {

/// Per-unit figures an analysis derives from a scenario's outcome beside the baseline's, while
/// the unit's outcomes are still in memory (e.g. analysis/bridge.hpp, analysis/fund.hpp).
/// `compute` is called once per unit and non-baseline scenario, from worker threads: it must
/// be a pure function. `name` lets an analysis find its extra again (unit_extra_index).
struct UnitExtra {
  std::string name;
  std::function<std::vector<double>(const ModelParams& params, const ReplicationOutcome& baseline,
                                    const ReplicationOutcome& scenario,
                                    const EconomicResult& economics)>
      compute;
};

struct RunOptions {
  std::uint64_t seed = 1;
  int draws = 1;
  int replications = 20;
  int threads = 0;  ///< 0: all cores
  bool progress = false;
  /// Explicit parameter vectors (design points of a sensitivity analysis). When non-empty,
  /// draws = parameter_sets.size() and draw d uses parameter_sets[d] instead of a PSA sample.
  std::vector<std::vector<double>> parameter_sets;
  /// When true, every draw uses the streams of draw 0 (replication r keyed {seed, 0, r}):
  /// design points then differ only by their parameters, on common random numbers.
  bool common_streams_across_draws = false;
  /// First replication index: lets a run be extended in seeded batches (replications
  /// first_replication .. first_replication + replications - 1).
  int first_replication = 0;
  /// True: each unit records its baseline and simulates the scenarios from the record
  /// (models/baseline/scenario_from_baseline.hpp; the record stores no draws, so its memory
  /// is flat in the number of pupils: tests/memory_in_flight.cpp). False: every scenario simulated
  /// in full (16 bytes per pupil). The results are the same, bit for bit.
  bool from_baseline = true;
  /// Figures computed per unit and non-baseline scenario (UnitResult::extras); none by default.
  std::vector<UnitExtra> unit_extras;
  /// The processes the units are split across (sim/work_split.hpp); null: this one alone.
  WorkSplit* split = nullptr;
};

struct UnitResult {
  /// metrics[scenario][metric] in the order of the metric table (analysis/metrics.hpp).
  std::vector<std::vector<double>> metrics;
  /// subgroup_metrics[scenario][subgroup - 1][metric]: the metrics of each subgroup but the
  /// total (analysis/metrics.hpp, kProperSubgroups), the money metrics for scenarios only.
  std::vector<std::vector<std::vector<double>>> subgroup_metrics;
  /// occupancy[scenario][step * kStates + state]
  std::vector<std::vector<float>> occupancy;
  std::vector<std::vector<double>> cumulative_net_by_year;  ///< [scenario][year], baseline empty
  /// queue[scenario][step]: pupils waiting after the step's case management (0 in summer).
  std::vector<std::vector<float>> queue;
  /// savings_by_payer_year[scenario][payer * years + year]: discounted savings by payer
  /// (Payer order) and year (analysis/economics.hpp); baseline empty.
  std::vector<std::vector<double>> savings_by_payer_year;
  std::uint64_t pupil_months = 0;
  /// extras[scenario][k]: the values of RunOptions::unit_extras[k] (baseline: empty).
  std::vector<std::vector<std::vector<double>>> extras;
};

/// A unit's result as bytes between MPI ranks (sim/work_split.hpp), every field bit for bit.
void encode_unit(ByteWriter& w, const UnitResult& u);
void decode_unit(ByteReader& r, UnitResult& u);
/// The part of a unit every rank keeps (sim/work_split.hpp run_split): metrics, extras and
/// pupil_months, what the analyses read between splits (a threshold's root finding,
/// --target-se's stopping rule, VOI, one-way effects); the series by month and the subgroups
/// stay on rank 0.
void encode_unit_shared(ByteWriter& w, const UnitResult& u);
void decode_unit_shared(ByteReader& r, UnitResult& u);

/// Per-unit values (unit order: d * replications + r) folded into independent units: as they
/// are with one draw, else the mean of each draw's defined (non-NaN) values (NaN when none).
std::vector<double> fold_units(const std::vector<double>& per_unit, int draws, int replications);

struct ExperimentResult {
  RunOptions options;
  std::vector<ScenarioSpec> scenarios;
  std::vector<UnitResult> units;  ///< draws * replications, in unit order
  /// False on MPI ranks other than 0: `units` hold only their shared part (encode_unit_shared),
  /// enough for the analyses' next steps, not for writing (write_run_outputs skips them).
  bool units_whole = true;
  int steps = 0;
  /// The metrics this run did not compute (the count-based path: count_path_not_computed,
  /// analysis/metrics.hpp), in table order; their values are NaN in every unit and subgroup,
  /// and the writers mark them as not computed.
  std::vector<Metric> not_computed;
  /// The metrics this run computed for the whole population but not by subgroup (the
  /// count-based path: count_path_not_computed_in_subgroups); NaN in every subgroup.
  std::vector<Metric> not_computed_in_subgroups;
  std::uint64_t pupil_months_simulated = 0;
  double wall_seconds = 0;

  /// Values of one metric across independent units: the replications when draws == 1,
  /// else the per-draw means over replications.
  std::vector<double> unit_values(std::size_t scenario, std::size_t metric) const;
  /// The same for a subgroup (Subgroup::total: unit_values).
  std::vector<double> unit_values(std::size_t scenario, Subgroup subgroup,
                                  std::size_t metric) const;
  /// The same for element `i` of unit extra `k` (RunOptions::unit_extras).
  std::vector<double> extra_values(std::size_t scenario, std::size_t k, std::size_t i) const;
  /// Per-unit values folded as unit_values folds a metric (the free fold_units).
  std::vector<double> fold_units(const std::vector<double>& per_unit) const {
    return models::fold_units(per_unit, options.draws, options.replications);
  }
  /// Position of a metric given by name (InputError when unknown).
  std::size_t metric_index(const std::string& name) const;
  std::size_t metric_index(Metric m) const { return metric_position(m); }
  /// Position of the unit extra named `name` in options.unit_extras; -1 when absent.
  int unit_extra_index(const std::string& name) const {
    for (std::size_t k = 0; k < options.unit_extras.size(); ++k) {
      if (options.unit_extras[k].name == name) return static_cast<int>(k);
    }
    return -1;
  }
};

/// Whether a run of `cfg` takes the count-based path: [simulation] count_based without
/// coordinators (docs/methods.md §4.12), which does not compute count_path_not_computed() (with
/// coordinators count_based runs the hybrid, which computes every metric).
bool on_count_path(const ModelConfig& cfg);

/// Runs scenarios (scenarios[0] must be the baseline: empty staffing).
ExperimentResult run_experiment(const ModelConfig& cfg, const std::vector<ScenarioSpec>& scenarios,
                                const RunOptions& opt);

/// The baseline spec (no coordinators) and the config's scenario.
std::vector<ScenarioSpec> baseline_and_configured(const ModelConfig& cfg);

}  // namespace attendsim::models
