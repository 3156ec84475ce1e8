#pragma once
/// Costs, counterfactual savings, net benefit and ROI.
///
/// Savings are never assumed: they are (baseline events - scenario events) x unit values,
/// on common random numbers, for the events the model simulates. With monthly discount
/// factor df(t) = (1 + r)^(-t/12) for step t (t = 0 is the first month):
///   cost      = sum_t df(t) * [ fte(t) * cost_per_fte_year / 12
///                               + 1{fte(t) > 0} * (team_overhead_per_year + other_costs_per_year)
///                               / 12 ]
///   savings   = (1 - attribution) * sum_t df(t) * drop(t) * sum_k dE_k(t) * value_k
///   dE_k(t)   = baseline_k(t) - scenario_k(t) for event k in {repeated year, summer school,
///               social-services placement, non-completion of upper secondary school}
///   value     = cost_repeated_year (upper secondary), cost_repeated_year_compulsory (grades
///               1-8, EventSeries::repeated_years_compulsory); cost_summer_school;
///               placement_months * 365.25/12 * cost_placement_per_day;
///               share(perspective) * L * A, where L is the undiscounted long-term loss per
///               non-completer and A = (1/n) sum_{k=0}^{n-1} (1+r)^-(loss_start_age -
///               age_at_completion + k), n = loss_end_age - loss_start_age, spreads L evenly
///               over working ages and discounts it back to the age of completion (A = 1 at r = 0).
///   share     = municipality: public_share * municipal_share_of_public; public_sector:
///               public_share; society: 1.
///   payers    = each saving is split by who bears it (models/economics_params.hpp, Payer):
///               repeated years -> education; summer school -> state for min(grant, cost) /
///               cost (summer_school_state_grant_sek, S42), education for the rest;
///               placements -> social services; a non-completion's loss L A -> social services
///               (the municipality's lost tax revenue and support) for public_share *
///               municipal_share_of_public, state for public_share * (1 - municipal share),
///               labour market (the individual's lost earnings, S37) for 1 - public_share;
///               health: no source gives a share (EVIDENCE.md §3), 0. savings = the sum over
///               the payers of the perspective; the shares above give the same long-term
///               `share` per perspective, and short-term items count in full in the public
///               sector and society perspectives (in the municipality's, less the state grant).
///   drop(t)   = (1 - dropoff_per_year)^(max(0, t - t_end)/12), t_end = last staffed step.
///   terminal  = with `terminal_value` on, the expected non-completions past the horizon
///               (models/terminal_value.hpp: pupils still at school at the horizon's end, and
///               those moving on from grade_max < 12), valued as the non-completions above
///               at the step t_c they would happen (July of their grade-12 year):
///               (1 - attribution) drop(t_c) df(t_c) (baseline_c - scenario_c) value;
///               part of the long-term savings, and of the last year's cumulative savings.
///               Off: horizon-only accounting (0).
///   net_benefit = savings - cost;  roi = savings / cost (SEK returned per SEK invested).
#include <array>
#include <string>
#include <vector>

#include "models/economics_params.hpp"

namespace attendsim::models {

struct EconomicResult {
  double cost_sek = 0;
  double savings_sek = 0;
  double savings_short_term_sek = 0;  ///< repeated years, summer school, placements
  double savings_long_term_sek = 0;   ///< non-completion, terminal value included
  double savings_terminal_sek = 0;    ///< value past the horizon (0 when switched off)
  /// Discounted savings by payer (Payer order) and year of the horizon, every payer whatever
  /// the perspective (the value past the horizon in the last year).
  std::array<std::vector<double>, kPayers> savings_by_payer_year;
  /// Sum over the years of savings_by_payer_year[p].
  std::array<double, kPayers> savings_by_payer{};
  double net_benefit_sek = 0;
  double roi = 0;  ///< NaN when cost is 0
  std::vector<double> cumulative_cost_by_year;
  std::vector<double> cumulative_savings_by_year;
};

/// Present value at the age of completion of one non-completion's long-term loss, as a
/// share of L (the factor A in the file comment).
double longterm_annuity_factor(const EconomicsParams& e);
/// The share of the long-term loss that the perspective counts (share(perspective) in the
/// file comment): municipality public_share * municipal_share_of_public, public sector
/// public_share, society 1.
double perspective_share(const EconomicsParams& e);
/// The shares of a non-completion's long-term loss borne by each payer (Payer order).
std::array<double, kPayers> longterm_payer_shares(const EconomicsParams& e);
/// Value of one avoided non-completion in the chosen perspective, at the age of completion.
double value_per_noncompletion(const EconomicsParams& e);

EconomicResult evaluate_economics(const EconomicsParams& e, const EventSeries& baseline,
                                  const EventSeries& scenario);

}  // namespace attendsim::models
