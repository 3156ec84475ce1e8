#pragma once
/// The money metrics of a subgroup (gender or grade band, analysis/metrics.hpp Subgroup),
/// from the per-cell counts the simulation already keeps (models/simulation.hpp,
/// OutcomeCells): no per-pupil-month work. docs/methods.md §5.4 gives the rules:
///
/// Savings. For each kind of event k (repeated years in upper secondary and in compulsory
/// school, summer school, placements, non-completions within the horizon) the total's
/// discounted, attributed and dropped-off saving is v_k D_k with
///   D_k = sum_t keep(t) (b_k(t) - s_k(t))            (keep as in analysis/economics.hpp).
/// The cells carry the counts b_kc, s_kc but not their months, so D_k is split as
///   D_kc = u_k (b_kc - s_kc) + (D_k - u_k sum_c (b_kc - s_kc)) (b_kc + s_kc) / sum_c (b_kc + s_kc)
///   u_k  = sum_t keep(t) (b_k(t) + s_k(t)) / sum_t (b_k(t) + s_k(t)):
/// each cell's avoided events at the kind's mean keep factor, and the small rest, which comes
/// from when the events were avoided, in proportion to the cell's events. sum_c D_kc = D_k.
/// The value past the horizon is each cell's own: the exits that finish_terminal values are
/// counted by the cell of the pupil at the exit (models/terminal_value.hpp), so
///   D_Tc = sum_t keep(t) (b_Tc(t) - s_Tc(t))
/// from the terminal non-completions by cell. The cost is split by the cells' share of the
/// cases started (without cases: of the pupils ever in high or extensive absence; without
/// those: equally). A cell's payer savings are its D_kc times each kind's value to that
/// payer, as in the total.
///
/// ROI is given by gender only: a pupil's gender does not change, so a gender's savings
/// come from its own cases. (Before the value past the horizon was counted by cell it was
/// split by cases started, like the cost, so where it dominated each gender's ROI was the
/// total's by construction.) A band's savings are booked where the avoided event happens
/// (a case in grade 8 avoids a non-completion in grade 12), not where the case was, so a
/// band's ROI would not be the return on its cases: NaN.
#include "analysis/economics.hpp"
#include "analysis/metrics.hpp"
#include "models/simulation.hpp"

namespace attendsim::models {

/// Every kind of event split over the cells, and each kind's weight in a cell.
struct CellEconomics {
  /// d[c][k]: cell c's share D_kc of the kind's kept difference (kinds in SavingKind order).
  static constexpr int kKinds = 6;
  std::array<std::array<double, kKinds>, kSubgroupCells> d{};
  std::array<double, kSubgroupCells> cost_share{};  ///< sums to 1
};

/// The split of one scenario against its baseline (same replication and parameters).
CellEconomics split_economics(const EconomicsParams& e, const ReplicationOutcome& base,
                              const ReplicationOutcome& scen);

/// The money metrics of subgroup g (not Subgroup::total): cost, savings (short, long,
/// terminal, by payer; years not split), net benefit and ROI (NaN for a band), such that
/// the two genders, and the three bands, add up to `total` (to rounding).
EconomicResult subgroup_economic_result(const EconomicsParams& e, const CellEconomics& split,
                                        const EconomicResult& total, Subgroup g);

}  // namespace attendsim::models
