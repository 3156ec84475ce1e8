#pragma once
/// `attendsim calc`: the plan's own deterministic calculation (analysis/plan_calculator.hpp)
/// beside the simulated ROI of the configured scenario, twice: counted as the plan counts
/// (society's perspective, no discounting: the whole long-term loss, undiscounted) and as
/// configured; the bridge from the one to the other (analysis/bridge.hpp), and with a
/// [fund] table the fund's repayment (analysis/fund.hpp), all on the same replications.
#include <optional>

#include "analysis/bridge.hpp"
#include "analysis/experiment.hpp"
#include "analysis/fund.hpp"
#include "analysis/model_config.hpp"
#include "analysis/plan_calculator.hpp"
#include "sim/statistics.hpp"

namespace attendsim::models {

/// The configured scenario's ROI, savings and cost over the units of one experiment.
struct SimulatedRoi {
  Summary roi;
  Summary savings;
  Summary cost;
};

struct PlanCheck {
  PlanResult plan;
  SimulatedRoi as_plan;     ///< society's perspective, discount rate 0
  SimulatedRoi configured;  ///< the config's perspective and discount rate
  Bridge bridge;            ///< the configured scenario's bridge, step by step
  std::optional<FundOutcome> fund;
  int replications = 0;
  std::uint64_t seed = 0;
};

/// Runs the plan's calculation and both simulations (baseline and the configured scenario,
/// `opt`'s replications at base values). InputError naming the file when `cfg` has no [plan].
PlanCheck check_plan(const ModelConfig& cfg, const RunOptions& opt);

}  // namespace attendsim::models
