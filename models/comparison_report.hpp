#pragma once
/// The comparison a steering group reads: the analysis of a multi-scenario experiment and
/// its files (comparison.json, comparison.csv, equity.csv, decision.md) and console table.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "models/comparison.hpp"
#include "models/experiment.hpp"
#include "models/model_config.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

/// One step of the staffing ladder in the incremental analysis (means over units).
struct IncrementalStep {
  std::string scenario;
  std::string from;       ///< the previous non-dominated level ("baseline" for the first)
  double extra_cost = 0;  ///< mean cost difference
  double extra_sustained_returns = 0;
  double extra_completions = 0;
  double cost_per_extra_return = 0;  ///< ICER on sustained returns (NaN when not defined)
  bool dominated = false;            ///< more costly, no more effective than a cheaper level
  bool extendedly_dominated = false;
};

struct ComparisonReport {
  std::vector<ScenarioDecision> decisions;
  std::vector<PairedDifference> differences;  ///< vs baseline, and vs the reference scenario
  std::vector<EquityRow> equity;
  std::vector<IncrementalStep> ladder;
  std::optional<std::string> break_even;   ///< smallest staffing with mean net benefit >= 0
  std::optional<std::string> best_net_benefit;
  std::optional<std::string> recommended;  ///< smallest staffing with P(ROI >= target) >= confidence
  double roi_target = 1.0;
  double confidence = 0.8;
};

ComparisonReport analyse_comparison(const ModelConfig& cfg, const ExperimentResult& res);
void write_comparison_outputs(const OutputDir& dir, const ModelConfig& cfg, const ExperimentResult& res,
                              const ComparisonReport& rep);
void print_comparison(std::ostream& os, const ModelConfig& cfg, const ExperimentResult& res,
                      const ComparisonReport& rep);
/// decision.md: one page for a steering group.
std::string decision_markdown(const ModelConfig& cfg, const ExperimentResult& res, const ComparisonReport& rep);

}  // namespace attendsim::models
