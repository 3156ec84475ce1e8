#pragma once
/// The plan's bridge (analysis/bridge.hpp) and the fund's repayment (analysis/fund.hpp) in a
/// comparison: the unit extras compare asks for, their summaries per scenario, and their
/// part of comparison.json, decision.md and the console. Kept apart from decision_brief so
/// that each section of the brief lives in its own function.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/bridge.hpp"
#include "analysis/experiment.hpp"
#include "analysis/fund.hpp"
#include "analysis/model_config.hpp"
#include "io/labels.hpp"

namespace attendsim::models {

struct PlanAndFund {
  std::vector<BridgeStep> steps;   ///< empty without a [plan] table
  std::vector<Bridge> bridges;     ///< per non-baseline scenario, in scenario order
  std::vector<FundOutcome> funds;  ///< per non-baseline scenario; empty without [fund]
  /// The scenario the brief shows the bridge for: the one with the configured staffing and
  /// policies ("" when none of the compared scenarios is it).
  std::string bridge_scenario;
};

/// Adds the bridge (with a [plan] table) and the fund (with a [fund] table) to the unit
/// extras of `opt`, after any already there.
void add_plan_and_fund_extras(const ModelConfig& cfg, RunOptions& opt);

/// Summaries of the extras added by add_plan_and_fund_extras (nothing when the run has none).
PlanAndFund analyse_plan_and_fund(const ModelConfig& cfg, const ExperimentResult& res);

/// comparison.json's "bridge" (per scenario: step, labels, ROI summary) and "fund" members,
/// set into `j` when there is a bridge or a fund.
void add_plan_and_fund_json(nlohmann::ordered_json& j, const ModelConfig& cfg,
                            const PlanAndFund& pf);

/// decision.md's sections "From the plan's 2.80 to the simulation" and "What the fund can
/// expect back" ("" when there is neither).
std::string plan_and_fund_markdown(const ModelConfig& cfg, const ExperimentResult& res,
                                   const PlanAndFund& pf, Language lang);

}  // namespace attendsim::models
