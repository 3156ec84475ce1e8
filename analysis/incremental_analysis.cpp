#include "analysis/incremental_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attendsim::models {

std::vector<IncrementalStep> incremental_analysis(std::vector<LadderOption> options) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::stable_sort(options.begin(), options.end(),
                   [](const LadderOption& a, const LadderOption& b) {
                     if (a.cost != b.cost) return a.cost < b.cost;
                     return a.effect > b.effect;
                   });
  const std::size_t n = options.size();
  std::vector<bool> dominated(n, false), extended(n, false);
  double best_effect = 0.0;  // the baseline: 0 extra effect at 0 extra cost
  for (std::size_t i = 0; i < n; ++i) {
    if (options[i].effect <= best_effect) {
      dominated[i] = true;
    } else {
      best_effect = options[i].effect;
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    double prev_cost = 0, prev_eff = 0, prev_icer = -std::numeric_limits<double>::infinity();
    std::size_t prev_i = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (dominated[i] || extended[i]) continue;
      const double icer = (options[i].cost - prev_cost) / (options[i].effect - prev_eff);
      if (prev_i < n && icer < prev_icer) {
        extended[prev_i] = true;
        changed = true;
        break;
      }
      prev_cost = options[i].cost;
      prev_eff = options[i].effect;
      prev_icer = icer;
      prev_i = i;
    }
  }
  std::vector<IncrementalStep> steps;
  std::string from = "baseline";
  double from_cost = 0, from_eff = 0, from_eff2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& o = options[i];
    IncrementalStep st;
    st.scenario = o.name;
    st.from = from;
    st.extra_cost = o.cost - from_cost;
    st.extra_sustained_returns = o.effect - from_eff;
    st.extra_completions = o.effect2 - from_eff2;
    st.cost_per_extra_return =
        st.extra_sustained_returns > 0 ? st.extra_cost / st.extra_sustained_returns : kNaN;
    st.dominated = dominated[i];
    st.extendedly_dominated = extended[i];
    steps.push_back(st);
    if (!dominated[i] && !extended[i]) {
      from = o.name;
      from_cost = o.cost;
      from_eff = o.effect;
      from_eff2 = o.effect2;
    }
  }
  return steps;
}

double first_payback_year(const std::vector<double>& cumulative_net_by_year) {
  const std::size_t n = cumulative_net_by_year.size();
  std::size_t first = n;  // the first year of the final run of years with net >= 0
  while (first > 0 && cumulative_net_by_year[first - 1] >= 0) --first;
  if (first == n) return std::numeric_limits<double>::infinity();
  return static_cast<double>(first + 1);
}

std::vector<double> payback_share_by_year(const std::vector<double>& first_years,
                                          std::size_t years) {
  std::vector<double> share(years, 0.0);
  if (first_years.empty()) return share;
  for (std::size_t y = 0; y < years; ++y) {
    for (double fy : first_years) share[y] += fy <= static_cast<double>(y + 1) ? 1.0 : 0.0;
    share[y] /= static_cast<double>(first_years.size());
  }
  return share;
}

double median_payback_year(std::vector<double> first_years) {
  if (first_years.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(first_years.begin(), first_years.end());
  const double med = first_years[(first_years.size() - 1) / 2];
  return std::isfinite(med) ? med : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace attendsim::models
