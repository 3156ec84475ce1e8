#include "analysis/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/incremental_analysis.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> defined(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  return v;
}

Summary summary_or_nan(const std::vector<double>& v) {
  if (defined(v).empty()) {
    Summary s;
    s.mean = s.se = s.ci_low = s.ci_high = s.p2_5 = s.p97_5 = s.p_positive = kNaN;
    return s;
  }
  return summarise(v);
}
}  // namespace

std::vector<double> paired_values(const ExperimentResult& res, std::size_t a, std::size_t b,
                                  std::size_t metric) {
  const auto va = res.unit_values(a, metric);
  const auto vb = res.unit_values(b, metric);
  std::vector<double> d;
  for (std::size_t u = 0; u < va.size(); ++u) {
    if (!std::isnan(va[u]) && !std::isnan(vb[u])) d.push_back(va[u] - vb[u]);
  }
  return d;
}

double unpaired_se(const ExperimentResult& res, std::size_t a, std::size_t b, std::size_t metric) {
  const auto sa = summarise(res.unit_values(a, metric));
  const auto sb = summarise(res.unit_values(b, metric));
  return std::sqrt(sa.se * sa.se + sb.se * sb.se);
}

std::vector<EquityRow> equity_table(const ExperimentResult& res) {
  auto idx = [&](Metric m) { return res.metric_index(m); };
  struct Measure {
    const char* name;
    Metric num[2];  // boys, girls
    bool per_eligible;
  };
  const Measure measures[] = {
      {"referral_rate", {Metric::referrals_boys, Metric::referrals_girls}, true},
      {"access_rate", {Metric::cases_started_boys, Metric::cases_started_girls}, true},
      {"mean_wait_months", {Metric::mean_wait_months_boys, Metric::mean_wait_months_girls}, false},
      {"sustained_returns_per_eligible",
       {Metric::sustained_returns_boys, Metric::sustained_returns_girls},
       true}};
  const std::size_t elig[2] = {idx(Metric::eligible_pupils_boys),
                               idx(Metric::eligible_pupils_girls)};
  std::vector<EquityRow> rows;
  for (std::size_t s = 1; s < res.scenarios.size(); ++s) {
    for (const auto& m : measures) {
      std::vector<double> v[2];
      for (int g = 0; g < 2; ++g) {
        const auto num = res.unit_values(s, idx(m.num[g]));
        const auto den = res.unit_values(s, elig[g]);
        for (std::size_t u = 0; u < num.size(); ++u) {
          v[g].push_back(m.per_eligible ? (den[u] > 0 ? num[u] / den[u] : kNaN) : num[u]);
        }
      }
      std::vector<double> gap, ratio;
      for (std::size_t u = 0; u < v[0].size(); ++u) {
        const bool undefined = std::isnan(v[0][u]) || std::isnan(v[1][u]);
        gap.push_back(undefined ? kNaN : v[1][u] - v[0][u]);
        ratio.push_back(undefined || !(v[0][u] > 0) ? kNaN : v[1][u] / v[0][u]);
      }
      rows.push_back({res.scenarios[s].name, m.name, summary_or_nan(v[0]), summary_or_nan(v[1]),
                      summary_or_nan(gap), summary_or_nan(ratio)});
    }
  }
  return rows;
}

std::vector<ScenarioDecision> scenario_decisions(const ExperimentResult& res, double roi_target) {
  std::vector<ScenarioDecision> out;
  const std::size_t i_cost = res.metric_index(Metric::cost_sek),
                    i_sav = res.metric_index(Metric::savings_sek),
                    i_net = res.metric_index(Metric::net_benefit_sek),
                    i_roi = res.metric_index(Metric::roi),
                    i_ret = res.metric_index(Metric::sustained_returns),
                    i_comp = res.metric_index(Metric::completed_upper_secondary);
  const auto reps = static_cast<std::size_t>(res.options.replications);
  for (std::size_t s = 1; s < res.scenarios.size(); ++s) {
    ScenarioDecision d;
    d.name = res.scenarios[s].name;
    for (const auto& p : res.scenarios[s].staffing.periods) d.fte = std::max(d.fte, p.fte);
    d.cost = summarise(res.unit_values(s, i_cost));
    d.savings = summarise(res.unit_values(s, i_sav));
    d.net_benefit = summarise(res.unit_values(s, i_net));
    const auto roi = res.unit_values(s, i_roi);
    d.roi = summary_or_nan(roi);
    d.extra_sustained_returns = summary_or_nan(paired_values(res, s, 0, i_ret));
    d.extra_completed_upper_sec = summary_or_nan(paired_values(res, s, 0, i_comp));
    d.net_by_unit = res.unit_values(s, i_net);
    d.roi_by_unit = roi;
    d.cost_per_extra_sustained_return =
        d.extra_sustained_returns.mean > 0 ? d.cost.mean / d.extra_sustained_returns.mean : kNaN;
    d.cost_per_extra_completion = d.extra_completed_upper_sec.mean > 0
                                      ? d.cost.mean / d.extra_completed_upper_sec.mean
                                      : kNaN;
    // Payback per independent unit: the first year whose cumulative net (savings - cost) >= 0.
    const std::size_t years = res.units.empty() ? 0 : res.units[0].cumulative_net_by_year[s].size();
    const std::size_t draws = static_cast<std::size_t>(res.options.draws);
    std::vector<double> first_year;  // per unit; +inf when not within the horizon
    for (std::size_t k = 0; k < (draws > 1 ? draws : res.units.size()); ++k) {
      std::vector<double> net(years, 0.0);
      const std::size_t n = draws > 1 ? reps : 1;
      for (std::size_t r2 = 0; r2 < n; ++r2) {
        const auto& u = res.units[draws > 1 ? k * reps + r2 : k];
        for (std::size_t y = 0; y < years; ++y)
          net[y] += u.cumulative_net_by_year[s][y] / static_cast<double>(n);
      }
      first_year.push_back(first_payback_year(net));
    }
    d.payback_share_by_year = payback_share_by_year(first_year, years);
    d.median_payback_year = median_payback_year(std::move(first_year));
    out.push_back(std::move(d));
  }
  score_units(out, roi_target);
  return out;
}

double share_error(double p, std::size_t n) {
  if (n == 0 || !std::isfinite(p)) return kNaN;
  return std::sqrt(p * (1 - p) / static_cast<double>(n));
}

double score_units(std::vector<ScenarioDecision>& options, double roi_target) {
  const std::size_t units = options.empty() ? 0 : options.front().net_by_unit.size();
  for (auto& d : options) {
    ATTENDSIM_REQUIRE(d.net_by_unit.size() == units, "options with different numbers of units");
    if (units > 0) d.net_benefit = summarise(d.net_by_unit);
    const auto r = defined(d.roi_by_unit);
    double above1 = 0, above_target = 0;
    for (double x : r) {
      above1 += x > 1.0;
      above_target += x >= roi_target;
    }
    d.p_roi_above_1 = r.empty() ? kNaN : above1 / static_cast<double>(r.size());
    d.p_roi_at_least_target = r.empty() ? kNaN : above_target / static_cast<double>(r.size());
    double positive = 0;
    for (double x : d.net_by_unit) positive += x > 0;
    d.p_net_positive = units == 0 ? kNaN : positive / static_cast<double>(units);
    d.p_best = 0;
  }
  if (units == 0) return kNaN;
  double none_best = 0;
  for (std::size_t u = 0; u < units; ++u) {
    ScenarioDecision* best = nullptr;
    double best_net = 0.0;  // no coordinators
    for (auto& d : options) {
      if (d.net_by_unit[u] > best_net) {
        best_net = d.net_by_unit[u];
        best = &d;
      }
    }
    if (best) {
      best->p_best += 1;
    } else {
      none_best += 1;
    }
  }
  for (auto& d : options) d.p_best /= static_cast<double>(units);
  return none_best / static_cast<double>(units);
}

}  // namespace attendsim::models
