#pragma once
/// What a fund can expect back (the fund's terms: FundTerms, [fund] in the config).
///
/// The fund looks at the end of each year y = 1..Y of the horizon (Y = by_year):
///   effect rule: the effect measure m_y (scenario against no coordinators on common random
///     numbers, fund_measure_by_year) is met when m_y >= threshold. At the first such year y*
///     the whole amount A falls due, paid in equal parts over years y*+1 .. y*+n
///     (n = repay_over_years). Repayment R = A if y* exists, else 0.
///   share_of_savings rule: in each year y <= Y the fund receives share * s_y of the savings
///     s_y realised in that year (discounted as the config values savings; value past the
///     horizon excluded; only years with s_y > 0), until A is reached:
///     R = min(A, share * sum_{y <= Y} max(s_y, 0)). y* is the first year with a payment.
/// Per unit: R, repaid = 1{R > 0}, full = 1{R >= A}, y* (NaN when never).
///
/// Present value. R is nominal: the kronor the fund receives, whenever they come. Its value
/// at the start of the horizon, discounted at the config's rate r (economics.discount_rate,
/// per draw), with each payment at the end of its year:
///   effect rule: PV = sum_{k=1..n} (A / n) (1 + r)^{-(y* + k)};
///   share_of_savings rule: the payments are shares of savings already valued at the start
///     of the horizon (as the config discounts savings), so PV = R.
/// Across units (per-draw means when the experiment samples draws, experiment.hpp fold_units):
///   expected repayment E[R] = mean of R, with its Monte Carlo standard error;
///   P(repaid) = mean of repaid, its error the standard error of that mean (sqrt(p(1-p)/n)
///   with one value per unit);
///   P(repaid by year y) = mean of 1{y* <= y}; the median year of y* over repaid units.
#include <string>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "sim/statistics.hpp"

namespace attendsim::models {

const char* fund_rule_name(FundRule r);
const char* fund_measure_name(FundMeasure m);

/// The effect measure at the end of each year 1..years (a scenario against the baseline).
std::vector<double> fund_measure_by_year(FundMeasure m, const ReplicationOutcome& baseline,
                                         const ReplicationOutcome& scenario, int years);

/// Savings realised in each year (not cumulative), value past the horizon excluded.
std::vector<double> savings_by_year(const EconomicResult& economics);

struct FundUnit {
  double repayment_sek = 0;
  bool repaid = false;
  bool full = false;
  double first_year = 0;         ///< y* (1-based year of the horizon); NaN when never
  double present_value_sek = 0;  ///< R discounted to the start of the horizon (file comment)
};

/// One unit under the terms: `measure_by_year` (effect rule) and `savings_by_year` (share
/// rule) have one value per year of the horizon (at least by_year of them); `discount_rate`
/// r per year for the present value (0: the present value is the nominal repayment).
FundUnit fund_unit(const FundTerms& terms, const std::vector<double>& measure_by_year,
                   const std::vector<double>& savings_by_year, double discount_rate = 0);

struct FundOutcome {
  std::string scenario;
  Summary repayment;                     ///< R in SEK, nominal
  Summary present_value;                 ///< R discounted to the start of the horizon, SEK
  Summary repaid;                        ///< mean = P(repaid), se its Monte Carlo error
  Summary full;                          ///< mean = P(R >= amount)
  std::vector<double> p_repaid_by_year;  ///< P(y* <= y), y = 1..by_year
  double median_first_year = 0;          ///< lower median of y* over repaid units (NaN: none)
};

/// Outcome from per-unit values in unit order (d * replications + r).
FundOutcome summarise_fund(const FundTerms& terms, const std::vector<FundUnit>& units, int draws,
                           int replications);

/// A unit extra computing fund_unit per scenario: {R, repaid, full, y*, PV}.
UnitExtra fund_extra(const FundTerms& terms);

/// The outcome of scenario `scenario` from extra `k` of `res` (added with fund_extra).
FundOutcome summarise_fund(const FundTerms& terms, const ExperimentResult& res,
                           std::size_t scenario, std::size_t k);

}  // namespace attendsim::models
