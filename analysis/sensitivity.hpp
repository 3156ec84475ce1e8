#pragma once
/// Sensitivity analyses of the attendance model, built on experiments over design points.
///
/// Every design point of one analysis runs on the same random streams (common random
/// numbers: RunOptions::common_streams_across_draws), so differences between points are
/// differences of parameters, not of Monte Carlo noise. Low and high values of a parameter
/// are the 2.5 % and 97.5 % quantiles of its distribution (F^{-1}(0.025), F^{-1}(0.975)).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "sim/names.hpp"

namespace attendsim::models {

/// The analyses of `attendsim sensitivity --method`.
enum class SensitivityMethod : std::uint8_t { psa, oneway, twoway, sobol, voi };
inline constexpr std::array<Named<SensitivityMethod>, 5> kSensitivityMethodNames{{
    {SensitivityMethod::psa, "psa"},
    {SensitivityMethod::oneway, "oneway"},
    {SensitivityMethod::twoway, "twoway"},
    {SensitivityMethod::sobol, "sobol"},
    {SensitivityMethod::voi, "voi"},
}};
constexpr const auto& name_table(SensitivityMethod) {
  return kSensitivityMethodNames;
}

/// The outputs every analysis reports for the configured scenario against the baseline.
inline const std::vector<std::string>& sensitivity_outputs() {
  static const std::vector<std::string> o = {"net_benefit_sek", "roi", "extra_sustained_returns"};
  return o;
}

/// Output values (in sensitivity_outputs() order) per draw of an experiment over
/// {baseline, scenario}: means over replications; extra_sustained_returns is paired.
std::vector<std::vector<double>> outputs_per_draw(const ExperimentResult& res);

/// Whether the run `res` computed each output (sensitivity_outputs() order): an output is not
/// computed when its metric is in res.not_computed (extra_sustained_returns on the count-based
/// path, docs/methods.md §4.12). Its values are then NaN and the CSVs leave its cells empty.
std::vector<bool> outputs_computed(const ExperimentResult& res);
/// The same for a run that did not compute the metrics `not_computed` (as
/// ExperimentResult::not_computed).
std::vector<bool> outputs_computed(const std::vector<Metric>& not_computed);

struct TornadoRow {
  std::string parameter;
  std::string output;
  double base_value, low_value, high_value;
  double output_base, output_low, output_high;
  double swing;          ///< |output_high - output_low|
  bool computed = true;  ///< false: the run did not compute `output` (outputs_computed)
};

/// One-way analysis over every individually uncertain parameter (Dirichlet rows excluded),
/// sorted by swing (descending) within each output.
std::vector<TornadoRow> one_way(const ModelConfig& cfg, const RunOptions& opt);

struct TwoWayRow {
  std::string param_a, param_b;
  double value_a, value_b;
  std::vector<double> outputs;  ///< sensitivity_outputs() order
  std::vector<bool> computed;   ///< per output (outputs_computed)
};

/// A grid of `points` x `points` values of two parameters (each from its 2.5 % to 97.5 %
/// quantile), the others at base.
std::vector<TwoWayRow> two_way(const ModelConfig& cfg, const RunOptions& opt, const std::string& a,
                               const std::string& b, int points);

/// The scenarios of a PSA (`sensitivity --method psa`): the baseline and compare's ladder
/// (comparison_scenarios) when the config has a coordinator programme; without one
/// ([coordinators] enabled = false) every level of the ladder would be a team that takes no case,
/// so the PSA runs the scenarios `run` has, the baseline and the configured one
/// (baseline_and_configured; docs/methods.md §8.1).
std::vector<ScenarioSpec> psa_scenarios(const ModelConfig& cfg);

/// Acceptability curve: for each value lambda placed on one extra sustained return,
/// P(scenario s has the highest net monetary benefit) over PSA draws, where
///   NMB_s(lambda) = lambda * extra_sustained_returns_s + net_benefit_sek_s,  NMB_baseline = 0.
/// A run that did not compute the sustained returns (the count-based path) has no NMB for
/// lambda > 0: those points are not computed (probability_best NaN, computed false); at
/// lambda = 0 the NMB is the net benefit alone.
struct AcceptabilityPoint {
  double value_per_return_sek;
  std::string scenario;
  double probability_best;
  bool computed = true;
};
std::vector<AcceptabilityPoint> acceptability(const ExperimentResult& res,
                                              const std::vector<double>& lambdas);

/// Runs {baseline, scenario} in seeded batches of `batch` replications until the standard
/// error of `metric` of the scenario is at most `target` (or max_replications is reached).
/// Batch k uses replications k*batch .. (k+1)*batch - 1, so the same seed stops at the
/// same replication count with the same result.
struct TargetSeResult {
  ExperimentResult result;
  double se = 0;
  bool reached = false;
};
TargetSeResult run_to_target_se(const ModelConfig& cfg, const RunOptions& opt,
                                const std::string& metric, double target, int batch,
                                int max_replications);

}  // namespace attendsim::models
