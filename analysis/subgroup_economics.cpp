#include "analysis/subgroup_economics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/error.hpp"

namespace attendsim::models {

namespace {

enum SavingKind : int {
  kRepeatUpper,
  kRepeatCompulsory,
  kSummer,
  kPlacement,
  kNoncompletion,
  kTerminal
};

/// The count of kind k in one cell (or total) of counts.
double kind_count(const OutcomeCounts& c, int k) {
  switch (k) {
    case kRepeatUpper:
      return c.repeated_years - c.repeated_years_compulsory;
    case kRepeatCompulsory:
      return c.repeated_years_compulsory;
    case kSummer:
      return c.summer_school;
    case kPlacement:
      return c.placements;
    case kNoncompletion:
      return c.upper_sec_finishers - c.completed_upper_secondary;
    default:
      return 0;
  }
}

/// The count of kind k at step t of an event series (0 past its end).
double kind_at(const EventSeries& s, int k, std::size_t t) {
  const auto at = [t](const std::vector<double>& v) { return t < v.size() ? v[t] : 0.0; };
  switch (k) {
    case kRepeatUpper:
      return at(s.repeated_years) - at(s.repeated_years_compulsory);
    case kRepeatCompulsory:
      return at(s.repeated_years_compulsory);
    case kSummer:
      return at(s.summer_school);
    case kPlacement:
      return at(s.placements);
    case kNoncompletion:
      return at(s.noncompletions);
    default:
      return at(s.terminal_noncompletions);
  }
}

}  // namespace

CellEconomics split_economics(const EconomicsParams& e, const ReplicationOutcome& base,
                              const ReplicationOutcome& scen) {
  const EventSeries& b = base.events;
  const EventSeries& s = scen.events;
  int t_end = -1;
  for (std::size_t t = 0; t < s.fte.size(); ++t) {
    if (s.fte[t] > 0) t_end = static_cast<int>(t);
  }
  // keep(t) of analysis/economics.hpp: attribution, drop-off after the last staffed step,
  // discounting.
  const auto keep = [&](std::size_t t) {
    const double df = std::pow(1.0 + e.discount_rate, -static_cast<double>(t) / 12.0);
    const double after =
        t_end >= 0 && static_cast<int>(t) > t_end ? (static_cast<int>(t) - t_end) / 12.0 : 0.0;
    return (1.0 - e.attribution) * std::pow(1.0 - e.dropoff_per_year, after) * df;
  };
  CellEconomics out;
  // The cost: by cases started, else pupils ever in high or extensive absence, else equally.
  std::array<double, kSubgroupCells> cases{}, eligible{};
  double cases_all = 0, eligible_all = 0;
  for (int c = 0; c < kSubgroupCells; ++c) {
    const auto& n = scen.cells[static_cast<std::size_t>(c)];
    cases[c] = n.cases_started[0] + n.cases_started[1];
    eligible[c] = n.eligible_pupils[0] + n.eligible_pupils[1];
    cases_all += cases[c];
    eligible_all += eligible[c];
  }
  for (int c = 0; c < kSubgroupCells; ++c) {
    out.cost_share[c] = cases_all > 0      ? cases[c] / cases_all
                        : eligible_all > 0 ? eligible[c] / eligible_all
                                           : 1.0 / kSubgroupCells;
  }
  for (int k = 0; k < CellEconomics::kKinds; ++k) {
    const bool terminal = k == kTerminal;
    if (terminal && !e.terminal_value) continue;
    const std::size_t steps =
        terminal ? std::max(b.terminal_noncompletions.size(), s.terminal_noncompletions.size())
                 : s.fte.size();
    double kept_diff = 0, kept_all = 0, all = 0;
    for (std::size_t t = 0; t < steps; ++t) {
      const double bt = kind_at(b, k, t), st = kind_at(s, k, t);
      if (bt == 0 && st == 0) continue;
      const double w = keep(t);
      kept_diff += w * (bt - st);
      kept_all += w * (bt + st);
      all += bt + st;
    }
    if (terminal) {
      // Each cell's own pupils' expected non-completions past the horizon (finish_terminal
      // counts the exits by cell): sum_c D_Tc = D_T, up to rounding.
      const auto& bc = b.terminal_noncompletions_by_cell;
      const auto& sc = s.terminal_noncompletions_by_cell;
      ATTENDSIM_REQUIRE(bc.size() == kSubgroupCells && sc.size() == kSubgroupCells,
                        "the value past the horizon is not counted by subgroup cell");
      for (int c = 0; c < kSubgroupCells; ++c) {
        const auto& bv = bc[static_cast<std::size_t>(c)];
        const auto& sv = sc[static_cast<std::size_t>(c)];
        double d = 0;
        for (std::size_t t = 0; t < std::max(bv.size(), sv.size()); ++t) {
          const double bt = t < bv.size() ? bv[t] : 0.0, st = t < sv.size() ? sv[t] : 0.0;
          if (bt != st) d += keep(t) * (bt - st);
        }
        out.d[c][k] = d;
      }
      continue;
    }
    double diff_cells = 0, all_cells = 0;
    for (int c = 0; c < kSubgroupCells; ++c) {
      const double bc = kind_count(base.cells[static_cast<std::size_t>(c)], k);
      const double sc = kind_count(scen.cells[static_cast<std::size_t>(c)], k);
      diff_cells += bc - sc;
      all_cells += bc + sc;
    }
    if (!(all > 0) || !(all_cells > 0)) continue;  // no event of this kind: nothing to split
    const double u = kept_all / all;
    const double rest = kept_diff - u * diff_cells;
    for (int c = 0; c < kSubgroupCells; ++c) {
      const double bc = kind_count(base.cells[static_cast<std::size_t>(c)], k);
      const double sc = kind_count(scen.cells[static_cast<std::size_t>(c)], k);
      out.d[c][k] = u * (bc - sc) + rest * (bc + sc) / all_cells;
    }
  }
  return out;
}

EconomicResult subgroup_economic_result(const EconomicsParams& e, const CellEconomics& split,
                                        const EconomicResult& total, Subgroup g) {
  ATTENDSIM_REQUIRE(g != Subgroup::total, "the total's economics are evaluate_economics'");
  std::array<double, CellEconomics::kKinds> d{};
  double cost_share = 0;
  for (int gender = 0; gender < kGenders; ++gender) {
    for (int band = 0; band < kBands; ++band) {
      if (!in_subgroup(g, gender, band)) continue;
      const auto c = static_cast<std::size_t>(subgroup_cell(gender, band));
      for (int k = 0; k < CellEconomics::kKinds; ++k) d[k] += split.d[c][k];
      cost_share += split.cost_share[c];
    }
  }
  // Values per kept event, in the perspective and by payer, as evaluate_economics values them.
  const double v_place = e.placement_months * (365.25 / 12.0) * e.cost_placement_per_day_sek;
  const double v_noncomp = value_per_noncompletion(e);
  const double v_noncomp_all = e.longterm_loss_noncompletion_sek * longterm_annuity_factor(e);
  const double ss_state = e.cost_summer_school_sek > 0 ? std::min(e.summer_school_state_grant_sek,
                                                                  e.cost_summer_school_sek) /
                                                             e.cost_summer_school_sek
                                                       : 0.0;
  const double v_summer = perspective_includes(e.perspective, Payer::state)
                              ? e.cost_summer_school_sek
                              : e.cost_summer_school_sek * (1.0 - ss_state);
  const auto lt_share = longterm_payer_shares(e);
  EconomicResult r;
  r.cost_sek = total.cost_sek * cost_share;
  r.savings_short_term_sek = d[kRepeatUpper] * e.cost_repeated_year_sek +
                             d[kRepeatCompulsory] * e.cost_repeated_year_compulsory_sek +
                             d[kSummer] * v_summer + d[kPlacement] * v_place;
  r.savings_terminal_sek = d[kTerminal] * v_noncomp;
  r.savings_long_term_sek = d[kNoncompletion] * v_noncomp + r.savings_terminal_sek;
  r.savings_sek = r.savings_short_term_sek + r.savings_long_term_sek;
  constexpr auto kEdu = static_cast<std::size_t>(Payer::education);
  r.savings_by_payer[kEdu] = d[kRepeatUpper] * e.cost_repeated_year_sek +
                             d[kRepeatCompulsory] * e.cost_repeated_year_compulsory_sek +
                             d[kSummer] * e.cost_summer_school_sek * (1.0 - ss_state);
  r.savings_by_payer[static_cast<std::size_t>(Payer::state)] =
      d[kSummer] * e.cost_summer_school_sek * ss_state;
  r.savings_by_payer[static_cast<std::size_t>(Payer::social_services)] = d[kPlacement] * v_place;
  for (std::size_t p = 0; p < kPayers; ++p)
    r.savings_by_payer[p] += (d[kNoncompletion] + d[kTerminal]) * v_noncomp_all * lt_share[p];
  r.net_benefit_sek = r.savings_sek - r.cost_sek;
  const bool gender = g == Subgroup::boys || g == Subgroup::girls;
  r.roi = gender && r.cost_sek > 0 ? r.savings_sek / r.cost_sek
                                   : std::numeric_limits<double>::quiet_NaN();
  return r;
}

}  // namespace attendsim::models
