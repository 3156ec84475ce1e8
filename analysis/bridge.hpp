#pragma once
/// The bridge from a plan's own calculation to the simulated ROI: one assumption changed at a
/// time, each step with its ROI (SEK returned per SEK invested).
///
/// Row 0 is the plan's calculation (analysis/plan_calculator.hpp), the same for every unit:
///   roi_0 = (n_rep c_rep + n_sum c_sum + n_comp L_plan) / C_plan.
/// Every later row is a change to the row before, computed on the unit's simulated events
/// (baseline and scenario on common random numbers) with analysis/economics.hpp's
/// evaluate_economics under economics e_k, so that the last row is the configured economics
/// and equals the unit's simulated ROI bit for bit:
///   cost          savings of the plan / simulated cost, undiscounted (e_k: the configured
///                 economics at discount rate 0): the config's staffing and cost per FTE in
///                 place of the plan's budget.
///   effects_short simulated avoided repeated years and summer-school places, undiscounted, at
///                 the plan's unit costs, in place of the plan's assumed counts; the plan's
///                 long-term savings kept.
///   effects_long  simulated avoided non-completions within the horizon at the plan's value per
///                 completer (whole loss, undiscounted), in place of the plan's completers.
///   placements    avoided social-services placements (the plan did not count them).
///   unit_values   the config's cost of a repeated year, summer school and long-term loss.
///   past_horizon  the value past the horizon (terminal value), if the config counts it.
///   perspective   the config's perspective (share of the long-term loss that counts).
///   discounting   the config's discount rate, on costs, savings and the long-term loss.
///   attribution   the config's attribution and drop-off.
/// The economics of row k: e_a = the configured economics with discount rate 0, society's
/// perspective, no value past the horizon, attribution and drop-off 0, the plan's unit costs
/// (c_rep, c_sum, L_plan) and placements valued 0; each row from `placements` on puts back
/// the configured value(s) it names. A row whose change does nothing at the base values is
/// left out (bridge_steps), and the last row listed puts back everything.
/// Across units each row is summarised as a metric is (per-draw means when draws > 1).
#include <string>
#include <vector>

#include "analysis/economics.hpp"
#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "sim/statistics.hpp"

namespace attendsim::models {

enum class BridgeStep {
  plan,
  cost,
  effects_short,
  effects_long,
  placements,
  unit_values,
  past_horizon,
  perspective,
  discounting,
  attribution
};

/// Stable name of a step ("plan", "cost", ...), used in JSON and as a label key.
const char* bridge_step_name(BridgeStep s);

/// The steps that change something for the configured economics at its base values, in
/// order; always starts with plan, cost, effects_short, effects_long.
std::vector<BridgeStep> bridge_steps(const EconomicsParams& configured);

/// ROI of each step for one unit (one value per step, in order).
std::vector<double> bridge_unit_rois(const PlanInputs& plan, const EconomicsParams& configured,
                                     const std::vector<BridgeStep>& steps,
                                     const EventSeries& baseline, const EventSeries& scenario);

struct BridgeRow {
  BridgeStep step = BridgeStep::plan;
  Summary roi;  ///< across units (the plan row: the plan's ROI with se 0)
};

struct Bridge {
  std::string scenario;  ///< the scenario the bridge ends at
  std::vector<BridgeRow> rows;
};

/// A unit extra (RunOptions::unit_extras) that computes bridge_unit_rois for each scenario.
UnitExtra bridge_extra(const PlanInputs& plan, const std::vector<BridgeStep>& steps);

/// The bridge of scenario `scenario` from extra `k` of `res` (added with bridge_extra).
Bridge summarise_bridge(const ExperimentResult& res, std::size_t scenario, std::size_t k,
                        const std::vector<BridgeStep>& steps);

}  // namespace attendsim::models
