#include "io/sensitivity_writer.hpp"

#include "io/results_writer.hpp"
#include "sim/csv.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

namespace {
std::string n(double v) {
  return format_number(v);
}
/// A value the run computed, or an empty cell for one it did not (the count-based path,
/// docs/methods.md §4.12): never "nan", as summary.csv.
std::string n(double v, bool computed) {
  return computed ? format_number(v) : "";
}
/// sobol.csv's and sobol_status.csv's status of an output: ok, not_identifiable (no chosen
/// parameter moves it beyond noise) or not_computed (the config's path does not compute it).
std::string sobol_status(bool computed, bool identifiable) {
  return !computed ? "not_computed" : identifiable ? "ok" : "not_identifiable";
}
}  // namespace

std::string psa_csv(const ExperimentResult& res) {
  std::string out = attendsim::csv::row(
      {"draw", "scenario", "incremental_cost_sek", "incremental_sustained_returns",
       "incremental_completed_upper_secondary", "net_benefit_sek", "roi"});
  const auto i_cost = res.metric_index(Metric::cost_sek),
             i_ret = res.metric_index(Metric::sustained_returns),
             i_comp = res.metric_index(Metric::completed_upper_secondary),
             i_net = res.metric_index(Metric::net_benefit_sek),
             i_roi = res.metric_index(Metric::roi);
  const auto base_ret = res.unit_values(0, i_ret), base_comp = res.unit_values(0, i_comp);
  const bool c_cost = !not_computed(res, i_cost), c_ret = !not_computed(res, i_ret),
             c_comp = !not_computed(res, i_comp), c_net = !not_computed(res, i_net),
             c_roi = !not_computed(res, i_roi);
  for (std::size_t s = 1; s < res.scenarios.size(); ++s) {
    const auto cost = res.unit_values(s, i_cost), ret = res.unit_values(s, i_ret),
               comp = res.unit_values(s, i_comp), net = res.unit_values(s, i_net),
               roi = res.unit_values(s, i_roi);
    for (std::size_t d = 0; d < cost.size(); ++d) {
      out += attendsim::csv::row({std::to_string(d), res.scenarios[s].name, n(cost[d], c_cost),
                                  n(ret[d] - base_ret[d], c_ret), n(comp[d] - base_comp[d], c_comp),
                                  n(net[d], c_net), n(roi[d], c_roi)});
    }
  }
  return out;
}

std::string acceptability_csv(const std::vector<AcceptabilityPoint>& points) {
  std::string out = attendsim::csv::row({"value_per_outcome_sek", "scenario", "probability_best"});
  for (const auto& p : points)
    out += attendsim::csv::row(
        {n(p.value_per_return_sek), p.scenario, n(p.probability_best, p.computed)});
  return out;
}

std::string tornado_csv(const std::vector<TornadoRow>& rows) {
  std::string out =
      attendsim::csv::row({"parameter", "output", "base_value", "low_value", "high_value",
                           "output_base", "output_low", "output_high", "swing"});
  for (const auto& r : rows) {
    out += attendsim::csv::row({r.parameter, r.output, n(r.base_value), n(r.low_value),
                                n(r.high_value), n(r.output_base, r.computed),
                                n(r.output_low, r.computed), n(r.output_high, r.computed),
                                n(r.swing, r.computed)});
  }
  return out;
}

std::string twoway_csv(const std::vector<TwoWayRow>& rows) {
  std::string out =
      attendsim::csv::row({"param_a", "value_a", "param_b", "value_b", "output", "mean"});
  const auto& names = sensitivity_outputs();
  for (const auto& r : rows) {
    for (std::size_t o = 0; o < names.size(); ++o) {
      out += attendsim::csv::row({r.param_a, n(r.value_a), r.param_b, n(r.value_b), names[o],
                                  n(r.outputs[o], r.computed[o])});
    }
  }
  return out;
}

std::string sobol_csv(const GlobalSobolResult& r) {
  std::string out = attendsim::csv::row({"output", "parameter", "first_order", "first_order_ci_low",
                                         "first_order_ci_high", "total", "total_ci_low",
                                         "total_ci_high", "status"});
  for (const auto& row : r.rows) {
    const auto& x = row.index;
    const bool c = row.computed;
    out += attendsim::csv::row({row.output, row.parameter, n(x.first_order, c),
                                n(x.first_order_ci_low, c), n(x.first_order_ci_high, c),
                                n(x.total, c), n(x.total_ci_low, c), n(x.total_ci_high, c),
                                sobol_status(c, row.identifiable)});
  }
  return out;
}

std::string sobol_noise_csv(const GlobalSobolResult& r) {
  std::string out = attendsim::csv::row({"output", "parameter", "variance", "noise_variance",
                                         "noise_share", "first_order_noise", "total_noise"});
  for (const auto& z : r.noise) {
    for (std::size_t i = 0; i < r.parameters.size(); ++i) {
      const bool c = z.computed;
      out += attendsim::csv::row({z.output, r.parameters[i], n(z.variance, c),
                                  n(z.noise_variance, c), n(z.noise_share, c),
                                  n(z.first_order_noise[i], c), n(z.total_noise[i], c)});
    }
  }
  return out;
}

std::string sobol_status_csv(const GlobalSobolResult& r) {
  std::string out = attendsim::csv::row({"output", "status", "note"});
  for (const auto& z : r.noise) {
    out += attendsim::csv::row({z.output, sobol_status(z.computed, z.identifiable),
                                z.computed ? z.note : kNotComputedReason});
  }
  return out;
}

std::string voi_csv(const VoiResult& r) {
  std::string out = attendsim::csv::row({"measure", "parameter", "voi_sek", "share_of_evpi"});
  for (const auto& row : r.rows)
    out += attendsim::csv::row({row.measure, row.parameter, n(row.voi_sek), n(row.share_of_evpi)});
  return out;
}

std::string target_se_csv(const std::string& metric, double target, const TargetSeResult& r) {
  return attendsim::csv::row({"metric", "target", "se", "replications", "reached"}) +
         attendsim::csv::row({metric, n(target), n(r.se),
                              std::to_string(r.result.options.replications),
                              r.reached ? "true" : "false"});
}

}  // namespace attendsim::models
