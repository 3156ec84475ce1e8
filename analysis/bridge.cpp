#include "analysis/bridge.hpp"

#include <limits>

#include "analysis/plan_calculator.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

const char* bridge_step_name(BridgeStep s) {
  switch (s) {
    case BridgeStep::plan:
      return "plan";
    case BridgeStep::cost:
      return "cost";
    case BridgeStep::effects_short:
      return "effects_short";
    case BridgeStep::effects_long:
      return "effects_long";
    case BridgeStep::placements:
      return "placements";
    case BridgeStep::unit_values:
      return "unit_values";
    case BridgeStep::past_horizon:
      return "past_horizon";
    case BridgeStep::perspective:
      return "perspective";
    case BridgeStep::discounting:
      return "discounting";
    case BridgeStep::attribution:
      return "attribution";
  }
  return "?";
}

std::vector<BridgeStep> bridge_steps(const EconomicsParams& c) {
  std::vector<BridgeStep> out{BridgeStep::plan, BridgeStep::cost, BridgeStep::effects_short,
                              BridgeStep::effects_long};
  if (c.cost_placement_per_day_sek > 0 && c.placement_months > 0)
    out.push_back(BridgeStep::placements);
  out.push_back(BridgeStep::unit_values);
  if (c.terminal_value) out.push_back(BridgeStep::past_horizon);
  if (c.perspective != Perspective::society) out.push_back(BridgeStep::perspective);
  if (c.discount_rate != 0) out.push_back(BridgeStep::discounting);
  if (c.attribution != 0 || c.dropoff_per_year != 0) out.push_back(BridgeStep::attribution);
  return out;
}

namespace {

/// The economics of a row: e_a with the configured values of every step up to `upto` put
/// back (the order of BridgeStep).
EconomicsParams row_economics(const PlanInputs& plan, const EconomicsParams& c, BridgeStep upto) {
  const auto at = [upto](BridgeStep s) { return static_cast<int>(upto) >= static_cast<int>(s); };
  EconomicsParams e = c;
  e.discount_rate = at(BridgeStep::discounting) ? c.discount_rate : 0.0;
  e.perspective = at(BridgeStep::perspective) ? c.perspective : Perspective::society;
  e.terminal_value = at(BridgeStep::past_horizon) ? c.terminal_value : false;
  e.attribution = at(BridgeStep::attribution) ? c.attribution : 0.0;
  e.dropoff_per_year = at(BridgeStep::attribution) ? c.dropoff_per_year : 0.0;
  if (!at(BridgeStep::unit_values)) {
    e.cost_repeated_year_sek = plan.cost_per_repeated_year_sek;
    e.cost_repeated_year_compulsory_sek = plan.cost_per_repeated_year_sek;  // S1: grund/gymnasium
    e.cost_summer_school_sek = plan.cost_summer_school_sek;
    e.longterm_loss_noncompletion_sek = plan.saving_per_completer_sek;
  }
  if (!at(BridgeStep::placements)) e.cost_placement_per_day_sek = 0.0;
  return e;
}

}  // namespace

std::vector<double> bridge_unit_rois(const PlanInputs& plan, const EconomicsParams& c,
                                     const std::vector<BridgeStep>& steps, const EventSeries& b,
                                     const EventSeries& s) {
  ATTENDSIM_REQUIRE(!steps.empty() && steps.front() == BridgeStep::plan,
                    "a bridge starts at the plan");
  const auto p = calculate_plan(plan);
  // Simulated cost, undiscounted, and the simulated short-term savings at the plan's unit
  // costs (placements valued 0): what the rows before `placements` need.
  const auto a = evaluate_economics(row_economics(plan, c, BridgeStep::effects_long), b, s);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto ratio = [nan](double savings, double cost) { return cost > 0 ? savings / cost : nan; };
  std::vector<double> out;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const BridgeStep st = steps[k];
    const bool last = k + 1 == steps.size();
    if (last && st != BridgeStep::plan) {
      out.push_back(evaluate_economics(c, b, s).roi);  // everything configured
      continue;
    }
    switch (st) {
      case BridgeStep::plan:
        out.push_back(p.return_per_sek);
        break;
      case BridgeStep::cost:
        out.push_back(ratio(p.total_sek, a.cost_sek));
        break;
      case BridgeStep::effects_short:
        out.push_back(ratio(a.savings_short_term_sek + p.long_term_sek, a.cost_sek));
        break;
      case BridgeStep::effects_long:
        out.push_back(a.roi);
        break;
      default:
        out.push_back(evaluate_economics(row_economics(plan, c, st), b, s).roi);
        break;
    }
  }
  return out;
}

UnitExtra bridge_extra(const PlanInputs& plan, const std::vector<BridgeStep>& steps) {
  return {"bridge", [plan, steps](const ModelParams& p, const ReplicationOutcome& base,
                                  const ReplicationOutcome& scen, const EconomicResult&) {
            return bridge_unit_rois(plan, p.economics, steps, base.events, scen.events);
          }};
}

Bridge summarise_bridge(const ExperimentResult& res, std::size_t scenario, std::size_t k,
                        const std::vector<BridgeStep>& steps) {
  Bridge out;
  out.scenario = res.scenarios.at(scenario).name;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    BridgeRow row;
    row.step = steps[i];
    row.roi = summarise(res.extra_values(scenario, k, i));
    out.rows.push_back(row);
  }
  return out;
}

}  // namespace attendsim::models
