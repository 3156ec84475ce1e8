#pragma once
/// The console text and calc.json of `attendsim calc` (analysis/plan_check.hpp).
#include <iosfwd>
#include <string>

#include "analysis/model_config.hpp"
#include "analysis/plan_check.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

/// The plan's calculation, the two simulated ROIs, why they differ, the bridge step by step
/// and the fund's repayment (nominal and present value), in English.
void print_plan_check(std::ostream& os, const ModelConfig& cfg, const PlanCheck& c);

/// calc.json: plan, simulated_as_plan, simulated_configured, bridge and (with [fund]) fund.
std::string plan_check_json(const ModelConfig& cfg, const PlanCheck& c);

/// Writes calc.json into `dir`.
void write_plan_check(const OutputDir& dir, const ModelConfig& cfg, const PlanCheck& c);

}  // namespace attendsim::models
