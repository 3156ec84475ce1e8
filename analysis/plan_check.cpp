#include "analysis/plan_check.hpp"

#include "analysis/metrics.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {

SimulatedRoi simulated_roi(const ExperimentResult& res) {
  auto at = [&](Metric m) { return summarise(res.unit_values(1, res.metric_index(m))); };
  return {at(Metric::roi), at(Metric::savings_sek), at(Metric::cost_sek)};
}

}  // namespace

PlanCheck check_plan(const ModelConfig& cfg, const RunOptions& opt) {
  if (!cfg.plan.present) {
    ATTENDSIM_INPUT_ERROR(
        cfg.file << ": missing key 'plan': calc needs a [plan] table with the plan's own inputs");
  }
  PlanCheck out;
  out.plan = calculate_plan(cfg.plan);
  out.replications = opt.replications;
  out.seed = opt.seed;
  // As the plan counts: no discounting, the whole long-term loss (society's perspective).
  ModelConfig as_plan = cfg;
  as_plan.structure.economics.perspective = Perspective::society;
  as_plan.parameters.set_fixed(*as_plan.parameters.find("economics.discount_rate"), 0.0);
  out.as_plan = simulated_roi(run_experiment(as_plan, baseline_and_configured(as_plan), opt));
  // The configured run also carries the bridge from the plan (extra 0) and, with a [fund]
  // table, the fund's repayment (extra 1), unit by unit.
  const auto steps = bridge_steps(realise(cfg, cfg.parameters.base_values()).economics);
  auto o = opt;
  o.unit_extras.push_back(bridge_extra(cfg.plan, steps));
  if (cfg.fund.present) o.unit_extras.push_back(fund_extra(cfg.fund));
  const auto res = run_experiment(cfg, baseline_and_configured(cfg), o);
  out.configured = simulated_roi(res);
  out.bridge = summarise_bridge(res, 1, 0, steps);
  if (cfg.fund.present) out.fund = summarise_fund(cfg.fund, res, 1, 1);
  return out;
}

}  // namespace attendsim::models
