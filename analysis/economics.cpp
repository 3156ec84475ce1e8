#include "analysis/economics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/error.hpp"

namespace attendsim::models {

double longterm_annuity_factor(const EconomicsParams& e) {
  const int n = static_cast<int>(std::lround(e.loss_end_age - e.loss_start_age));
  ATTENDSIM_REQUIRE(n > 0, "loss_end_age must exceed loss_start_age");
  const double lag = e.loss_start_age - e.age_at_completion;
  double a = 0.0;
  for (int k = 0; k < n; ++k) a += std::pow(1.0 + e.discount_rate, -(lag + k));
  return a / n;
}

std::array<double, kPayers> longterm_payer_shares(const EconomicsParams& e) {
  const double pub = e.longterm_loss_public_share;
  const double mun = e.longterm_loss_municipal_share_of_public;
  std::array<double, kPayers> s{};
  s[static_cast<std::size_t>(Payer::social_services)] = pub * mun;
  s[static_cast<std::size_t>(Payer::state)] = pub * (1.0 - mun);
  s[static_cast<std::size_t>(Payer::labour_market)] = 1.0 - pub;
  return s;
}

double perspective_share(const EconomicsParams& e) {
  switch (e.perspective) {
    case Perspective::municipality:
      return e.longterm_loss_public_share * e.longterm_loss_municipal_share_of_public;
    case Perspective::public_sector:
      return e.longterm_loss_public_share;
    case Perspective::society:
      return 1.0;
  }
  return 1.0;
}

double value_per_noncompletion(const EconomicsParams& e) {
  return perspective_share(e) * e.longterm_loss_noncompletion_sek * longterm_annuity_factor(e);
}

EconomicResult evaluate_economics(const EconomicsParams& e, const EventSeries& b,
                                  const EventSeries& s) {
  const std::size_t steps = s.fte.size();
  ATTENDSIM_REQUIRE(b.fte.size() == steps, "baseline and scenario have different horizons");
  int t_end = -1;
  for (std::size_t t = 0; t < steps; ++t) {
    if (s.fte[t] > 0) t_end = static_cast<int>(t);
  }
  const double v_place = e.placement_months * (365.25 / 12.0) * e.cost_placement_per_day_sek;
  const double v_noncomp = value_per_noncompletion(e);
  EconomicResult r;
  const std::size_t years = (steps + 11) / 12;
  r.cumulative_cost_by_year.assign(years, 0.0);
  r.cumulative_savings_by_year.assign(years, 0.0);
  double cost = 0, short_term = 0, long_term = 0;
  // Per payer: a unit of each event's value split by who bears it.
  const double v_noncomp_all = e.longterm_loss_noncompletion_sek * longterm_annuity_factor(e);
  const auto lt_share = longterm_payer_shares(e);
  const double ss_state = e.cost_summer_school_sek > 0 ? std::min(e.summer_school_state_grant_sek,
                                                                  e.cost_summer_school_sek) /
                                                             e.cost_summer_school_sek
                                                       : 0.0;
  constexpr auto kEdu = static_cast<std::size_t>(Payer::education);
  constexpr auto kSoc = static_cast<std::size_t>(Payer::social_services);
  constexpr auto kState = static_cast<std::size_t>(Payer::state);
  for (auto& v : r.savings_by_payer_year) v.assign(years, 0.0);
  // The perspective's value of a summer school place: without the state's grant when the
  // state is not one of its payers.
  const double v_summer = perspective_includes(e.perspective, Payer::state)
                              ? e.cost_summer_school_sek
                              : e.cost_summer_school_sek * (1.0 - ss_state);
  for (std::size_t t = 0; t < steps; ++t) {
    const double df = std::pow(1.0 + e.discount_rate, -static_cast<double>(t) / 12.0);
    const double extra_fte = s.fte[t] - b.fte[t];
    double c = extra_fte * e.cost_per_fte_year_sek / 12.0;
    if (s.fte[t] > 0 && !(b.fte[t] > 0))
      c += (e.team_overhead_sek_per_year + e.other_costs_sek_per_year) / 12.0;
    cost += df * c;
    const double after =
        t_end >= 0 && static_cast<int>(t) > t_end ? (static_cast<int>(t) - t_end) / 12.0 : 0.0;
    const double keep = (1.0 - e.attribution) * std::pow(1.0 - e.dropoff_per_year, after) * df;
    // Repeated years: those of compulsory school at their own price, the rest (upper
    // secondary) at cost_repeated_year_sek.
    const double d_comp = b.repeated_years_compulsory[t] - s.repeated_years_compulsory[t];
    const double v_rep =
        (b.repeated_years[t] - s.repeated_years[t] - d_comp) * e.cost_repeated_year_sek +
        d_comp * e.cost_repeated_year_compulsory_sek;
    short_term += keep * (v_rep + (b.summer_school[t] - s.summer_school[t]) * v_summer +
                          (b.placements[t] - s.placements[t]) * v_place);
    long_term += keep * (b.noncompletions[t] - s.noncompletions[t]) * v_noncomp;
    const std::size_t y = t / 12;
    const double rep =
        keep * (b.repeated_years[t] - s.repeated_years[t] - d_comp) * e.cost_repeated_year_sek +
        keep * d_comp * e.cost_repeated_year_compulsory_sek;
    const double ss = keep * (b.summer_school[t] - s.summer_school[t]) * e.cost_summer_school_sek;
    const double pl = keep * (b.placements[t] - s.placements[t]) * v_place;
    const double nc = keep * (b.noncompletions[t] - s.noncompletions[t]) * v_noncomp_all;
    r.savings_by_payer_year[kEdu][y] += rep + ss * (1.0 - ss_state);
    r.savings_by_payer_year[kState][y] += ss * ss_state;
    r.savings_by_payer_year[kSoc][y] += pl;
    for (std::size_t p = 0; p < kPayers; ++p) r.savings_by_payer_year[p][y] += nc * lt_share[p];
    r.cumulative_cost_by_year[y] = cost;
    r.cumulative_savings_by_year[y] = short_term + long_term;
  }
  double terminal = 0, terminal_units = 0;
  if (e.terminal_value) {
    const auto& tb = b.terminal_noncompletions;
    const auto& ts = s.terminal_noncompletions;
    ATTENDSIM_REQUIRE(tb.size() == ts.size(), "baseline and scenario have different horizons");
    for (std::size_t t = 0; t < tb.size(); ++t) {
      const double d = tb[t] - ts[t];
      if (d == 0) continue;
      const double df = std::pow(1.0 + e.discount_rate, -static_cast<double>(t) / 12.0);
      const double after =
          t_end >= 0 && static_cast<int>(t) > t_end ? (static_cast<int>(t) - t_end) / 12.0 : 0.0;
      terminal +=
          (1.0 - e.attribution) * std::pow(1.0 - e.dropoff_per_year, after) * df * d * v_noncomp;
      terminal_units += (1.0 - e.attribution) * std::pow(1.0 - e.dropoff_per_year, after) * df * d;
    }
    long_term += terminal;
    if (years > 0) {
      r.cumulative_savings_by_year[years - 1] += terminal;
      // terminal is in the perspective's share; per payer, the whole loss split.
      const double all = terminal_units * v_noncomp_all;
      for (std::size_t p = 0; p < kPayers; ++p)
        r.savings_by_payer_year[p][years - 1] += all * lt_share[p];
    }
  }
  for (std::size_t p = 0; p < kPayers; ++p) {
    for (double v : r.savings_by_payer_year[p]) r.savings_by_payer[p] += v;
  }
  r.savings_terminal_sek = terminal;
  r.cost_sek = cost;
  r.savings_short_term_sek = short_term;
  r.savings_long_term_sek = long_term;
  r.savings_sek = short_term + long_term;
  r.net_benefit_sek = r.savings_sek - cost;
  r.roi = cost > 0 ? r.savings_sek / cost : std::numeric_limits<double>::quiet_NaN();
  return r;
}

}  // namespace attendsim::models
