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
#include "analysis/threshold.hpp"
#include "io/labels.hpp"
#include "io/plan_and_fund.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

struct ComparisonReport {
  std::vector<ScenarioDecision> decisions;
  std::vector<PairedDifference> differences;  ///< vs baseline, and vs the reference scenario
  std::vector<EquityRow> equity;
  std::vector<IncrementalStep> ladder;
  /// ladder_effect[i]: paired difference in sustained returns between ladder[i].scenario and
  /// ladder[i].from (the baseline for the first step); empty when not computed.
  std::vector<Summary> ladder_effect;
  std::optional<std::string> break_even;  ///< smallest staffing with mean net benefit >= 0
  /// Highest mean net benefit, no coordinators (net benefit 0) included: "baseline" when
  /// every staffing loses money.
  std::optional<std::string> best_net_benefit;
  /// Smallest staffing with P(ROI >= target) >= confidence; "baseline" (no coordinators)
  /// when none reaches it.
  std::optional<std::string> recommended;
  double roi_target = 1.0;
  double confidence = 0.8;
  double p_best_no_coordinators = 0;  ///< share of units in which no coordinators is best
  std::size_t units = 0;              ///< independent units: draws (draws > 1) or replications
  bool from_draws = false;            ///< true when the units are parameter draws
  /// The threshold analysis (threshold.csv of the results folder), when there is one:
  /// decision.md then says what the coordinators would need to achieve for it to pay.
  std::vector<ThresholdRow> threshold;
  PlanAndFund plan_fund;  ///< the bridge from the plan and the fund's repayment (when asked for)
};

/// The decision from per-unit values: score_units over rep.decisions (their net_by_unit and
/// roi_by_unit), then fill_ladder_and_recommendation. The documented rule: recommend the
/// cheapest staffing whose share of units with ROI >= roi_target is at least confidence,
/// else no coordinators ("baseline").
void decide_from_units(ComparisonReport& rep);

/// SEK placed on one extra sustained return for compare's acceptability curve
/// (acceptability.csv, written when the units are parameter draws).
std::vector<double> acceptability_values();

/// Fills rep.ladder (incremental_analysis over rep.decisions), rep.break_even (the cheapest
/// scenario with mean net benefit >= 0), rep.best_net_benefit (no coordinators, at 0,
/// included; it wins ties) and rep.recommended (the cheapest scenario with
/// P(ROI >= roi_target) >= confidence, else "baseline") from rep.decisions.
void fill_ladder_and_recommendation(ComparisonReport& rep);

ComparisonReport analyse_comparison(const ModelConfig& cfg, const ExperimentResult& res);
void write_comparison_outputs(const OutputDir& dir, const ModelConfig& cfg,
                              const ExperimentResult& res, const ComparisonReport& rep,
                              Language lang);
void print_comparison(std::ostream& os, const ModelConfig& cfg, const ExperimentResult& res,
                      const ComparisonReport& rep);
/// decision.md: one page for a steering group, in Swedish or English. Scenarios appear by
/// their labels (io/labels.hpp), never by their code names.
std::string decision_markdown(const ModelConfig& cfg, const ExperimentResult& res,
                              const ComparisonReport& rep, Language lang);
/// Text from a config (labels, names, descriptions) as it goes into decision.md: '|' escaped
/// (it may stand in a table cell) and '<', '>', '&' as entities, so that nothing a config
/// says is read as inline HTML (the report escapes the same text the same way).
std::string markdown_text(const std::string& text);

/// The sentence of decision.md that says whether the value past the horizon is counted.
std::string terminal_value_note(bool swedish, bool terminal_value);

/// How a ladder step reads: "dominated" only when the interval of its paired difference in
/// sustained returns lies below 0 (it is firmly less effective than the cheaper option);
/// "not_distinguishable" when that interval contains 0; "extendedly_dominated"; or "".
std::string step_verdict(const IncrementalStep& step, const Summary& effect_difference);

}  // namespace attendsim::models
