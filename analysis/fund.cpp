#include "analysis/fund.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/error.hpp"

namespace attendsim::models {

const char* fund_rule_name(FundRule r) {
  return r == FundRule::effect ? "effect" : "share_of_savings";
}

const char* fund_measure_name(FundMeasure m) {
  switch (m) {
    case FundMeasure::fewer_extensive_absent:
      return "fewer_extensive_absent";
    case FundMeasure::avoided_repeated_years:
      return "avoided_repeated_years";
    case FundMeasure::avoided_noncompletions:
      return "avoided_noncompletions";
  }
  return "?";
}

std::vector<double> fund_measure_by_year(FundMeasure m, const ReplicationOutcome& b,
                                         const ReplicationOutcome& s, int years) {
  std::vector<double> out;
  const int steps = static_cast<int>(s.occupancy.size());
  ATTENDSIM_REQUIRE(static_cast<int>(b.occupancy.size()) == steps,
                    "baseline and scenario have different horizons");
  double cumulative = 0;
  for (int y = 0; y < years; ++y) {
    const int first = y * kMonthsPerYear;
    if (m == FundMeasure::fewer_extensive_absent) {
      double sum = 0;
      int n = 0;
      for (int t = first; t < std::min(steps, first + kSchoolMonthsPerYear); ++t, ++n) {
        const auto ext = static_cast<std::size_t>(State::extensive);
        sum += static_cast<double>(b.occupancy[static_cast<std::size_t>(t)][ext]) -
               static_cast<double>(s.occupancy[static_cast<std::size_t>(t)][ext]);
      }
      out.push_back(n > 0 ? sum / n : 0.0);
      continue;
    }
    const auto& eb = m == FundMeasure::avoided_repeated_years ? b.events.repeated_years
                                                              : b.events.noncompletions;
    const auto& es = m == FundMeasure::avoided_repeated_years ? s.events.repeated_years
                                                              : s.events.noncompletions;
    for (int t = first; t < std::min(steps, first + kMonthsPerYear); ++t)
      cumulative += eb[static_cast<std::size_t>(t)] - es[static_cast<std::size_t>(t)];
    out.push_back(cumulative);
  }
  return out;
}

std::vector<double> savings_by_year(const EconomicResult& e) {
  std::vector<double> out;
  double before = 0;
  for (std::size_t y = 0; y < e.cumulative_savings_by_year.size(); ++y) {
    double c = e.cumulative_savings_by_year[y];
    if (y + 1 == e.cumulative_savings_by_year.size()) c -= e.savings_terminal_sek;
    out.push_back(c - before);
    before = c;
  }
  return out;
}

FundUnit fund_unit(const FundTerms& t, const std::vector<double>& measure_by_year,
                   const std::vector<double>& savings, double discount_rate) {
  ATTENDSIM_REQUIRE(t.by_year >= 1, "the fund's by_year must be >= 1");
  FundUnit u;
  u.first_year = std::numeric_limits<double>::quiet_NaN();
  if (t.rule == FundRule::effect) {
    ATTENDSIM_REQUIRE(static_cast<int>(measure_by_year.size()) >= t.by_year,
                      "the effect measure needs a value for every year to by_year");
    for (int y = 0; y < t.by_year; ++y) {
      if (measure_by_year[static_cast<std::size_t>(y)] >= t.threshold) {
        u.first_year = y + 1;
        u.repayment_sek = t.amount_sek;
        break;
      }
    }
  } else {
    ATTENDSIM_REQUIRE(static_cast<int>(savings.size()) >= t.by_year,
                      "the savings need a value for every year to by_year");
    double paid = 0;
    for (int y = 0; y < t.by_year && paid < t.amount_sek; ++y) {
      const double s = savings[static_cast<std::size_t>(y)];
      if (!(s > 0)) continue;
      if (std::isnan(u.first_year)) u.first_year = y + 1;
      paid = std::min(t.amount_sek, paid + t.share_of_savings * s);
    }
    u.repayment_sek = paid;
  }
  u.repaid = u.repayment_sek > 0;
  u.full = u.repayment_sek >= t.amount_sek;
  u.present_value_sek = u.repayment_sek;
  if (t.rule == FundRule::effect && u.repaid) {
    ATTENDSIM_REQUIRE(t.repay_over_years >= 1, "the fund's repay_over_years must be >= 1");
    const double part = u.repayment_sek / t.repay_over_years;
    u.present_value_sek = 0;
    for (int k = 1; k <= t.repay_over_years; ++k)
      u.present_value_sek += part * std::pow(1.0 + discount_rate, -(u.first_year + k));
  }
  return u;
}

FundOutcome summarise_fund(const FundTerms& t, const std::vector<FundUnit>& units, int draws,
                           int replications) {
  ATTENDSIM_REQUIRE(!units.empty(), "no units to summarise");
  std::vector<double> r, pv, repaid, full, first;
  for (const auto& u : units) {
    r.push_back(u.repayment_sek);
    pv.push_back(u.present_value_sek);
    repaid.push_back(u.repaid ? 1.0 : 0.0);
    full.push_back(u.full ? 1.0 : 0.0);
    if (u.repaid) first.push_back(u.first_year);
  }
  FundOutcome out;
  out.repayment = summarise(fold_units(r, draws, replications));
  out.present_value = summarise(fold_units(pv, draws, replications));
  out.repaid = summarise(fold_units(repaid, draws, replications));
  out.full = summarise(fold_units(full, draws, replications));
  for (int y = 1; y <= t.by_year; ++y) {
    std::vector<double> by;
    for (const auto& u : units) by.push_back(u.repaid && u.first_year <= y ? 1.0 : 0.0);
    const auto f = fold_units(by, draws, replications);
    double sum = 0;
    for (double v : f) sum += v;
    out.p_repaid_by_year.push_back(sum / static_cast<double>(f.size()));
  }
  if (first.empty()) {
    out.median_first_year = std::numeric_limits<double>::quiet_NaN();
  } else {
    std::sort(first.begin(), first.end());
    out.median_first_year = first[(first.size() - 1) / 2];
  }
  return out;
}

UnitExtra fund_extra(const FundTerms& terms) {
  return {"fund", [terms](const ModelParams& p, const ReplicationOutcome& base,
                          const ReplicationOutcome& scen, const EconomicResult& econ) {
            const auto m = fund_measure_by_year(terms.measure, base, scen, p.horizon_years);
            const auto u = fund_unit(terms, m, savings_by_year(econ), p.economics.discount_rate);
            return std::vector<double>{u.repayment_sek, u.repaid ? 1.0 : 0.0, u.full ? 1.0 : 0.0,
                                       u.first_year, u.present_value_sek};
          }};
}

FundOutcome summarise_fund(const FundTerms& terms, const ExperimentResult& res,
                           std::size_t scenario, std::size_t k) {
  std::vector<FundUnit> units;
  for (const auto& u : res.units) {
    const auto& v = u.extras.at(scenario).at(k);
    FundUnit f;
    f.repayment_sek = v.at(0);
    f.repaid = v.at(1) > 0;
    f.full = v.at(2) > 0;
    f.first_year = v.at(3);
    f.present_value_sek = v.at(4);
    units.push_back(f);
  }
  auto out = summarise_fund(terms, units, res.options.draws, res.options.replications);
  out.scenario = res.scenarios.at(scenario).name;
  return out;
}

}  // namespace attendsim::models
