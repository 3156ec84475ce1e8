#pragma once
/// The comparison a steering group reads: the analysis of a multi-scenario experiment and
/// its files (comparison.json, comparison.csv, equity.csv, decision.md) and console table.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "analysis/comparison.hpp"
#include "analysis/experiment.hpp"
#include "analysis/incremental_analysis.hpp"
#include "analysis/model_config.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

struct ComparisonReport {
  std::vector<ScenarioDecision> decisions;
  std::vector<PairedDifference> differences;  ///< vs baseline, and vs the reference scenario
  std::vector<EquityRow> equity;
  std::vector<IncrementalStep> ladder;
  std::optional<std::string> break_even;  ///< smallest staffing with mean net benefit >= 0
  std::optional<std::string> best_net_benefit;
  std::optional<std::string>
      recommended;  ///< smallest staffing with P(ROI >= target) >= confidence
  double roi_target = 1.0;
  double confidence = 0.8;
};

/// Fills rep.ladder (incremental_analysis over rep.decisions), rep.break_even (the cheapest
/// scenario with mean net benefit >= 0), rep.best_net_benefit and rep.recommended (the
/// cheapest scenario with P(ROI >= roi_target) >= confidence) from rep.decisions.
void fill_ladder_and_recommendation(ComparisonReport& rep);

ComparisonReport analyse_comparison(const ModelConfig& cfg, const ExperimentResult& res);
void write_comparison_outputs(const OutputDir& dir, const ModelConfig& cfg,
                              const ExperimentResult& res, const ComparisonReport& rep);
void print_comparison(std::ostream& os, const ModelConfig& cfg, const ExperimentResult& res,
                      const ComparisonReport& rep);
/// decision.md: one page for a steering group.
std::string decision_markdown(const ModelConfig& cfg, const ExperimentResult& res,
                              const ComparisonReport& rep);

}  // namespace attendsim::models
