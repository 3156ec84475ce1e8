#pragma once
/// The economic parameters of one model evaluation and the per-step event counts a
/// simulated scenario records for them. What is done with them (costs, discounted savings,
/// ROI) is analysis/economics.hpp.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/names.hpp"

namespace attendsim::models {

/// Whose costs and savings count ([economics] perspective; analysis/economics.hpp).
enum class Perspective : std::uint8_t { municipality, public_sector, society };
inline constexpr std::array<Named<Perspective>, 3> kPerspectiveNames{{
    {Perspective::municipality, "municipality"},
    {Perspective::public_sector, "public_sector"},
    {Perspective::society, "society"},
}};
constexpr const auto& name_table(Perspective) {
  return kPerspectiveNames;
}

/// Who bears a saving (docs/methods.md, savings by payer). A perspective is a set of payers:
/// municipality = education + social services; public sector = those + health + state;
/// society = every payer (the labour market carries the individual's lost earnings).
enum class Payer { education, social_services, health, labour_market, state };
inline constexpr int kPayers = 5;
inline constexpr std::array<const char*, kPayers> kPayerNames = {
    "education", "social_services", "health", "labour_market", "state"};
/// True when `perspective` counts the savings of `payer`.
bool perspective_includes(Perspective perspective, Payer payer);

struct EconomicsParams {
  Perspective perspective = Perspective::public_sector;
  double discount_rate = 0.035;
  double cost_per_fte_year_sek = 750000;
  double team_overhead_sek_per_year = 70000;
  double other_costs_sek_per_year = 0;
  double cost_repeated_year_sek = 120000;  ///< a repeated year in upper secondary school
  /// A repeated year in compulsory school (S41: a grundskola pupil-year, 115 000 SEK in 2018).
  double cost_repeated_year_compulsory_sek = 0;
  double cost_summer_school_sek = 7000;
  double cost_placement_per_day_sek = 4000;
  double placement_months = 8;
  double longterm_loss_noncompletion_sek = 3600000;
  double longterm_loss_public_share = 0.5;
  double longterm_loss_municipal_share_of_public = 0.35;
  /// The state's grant per pupil in summer school (S42: at most 5 000 SEK), the rest of
  /// cost_summer_school_sek being the school's (education). 0: education pays it all.
  double summer_school_state_grant_sek = 0;
  double age_at_completion = 19;
  double loss_start_age = 24;
  double loss_end_age = 65;
  double attribution = 0.0;
  double dropoff_per_year = 0.0;
  /// Value past the horizon (analysis/economics.hpp): the expected non-completions of the
  /// pupils whose schooling the horizon cuts short are valued too. Off: horizon-only accounting.
  bool terminal_value = false;
  bool operator==(const EconomicsParams&) const = default;
};

/// Per-step event counts of one simulated scenario (what economics needs).
struct EventSeries {
  std::vector<double> fte;
  std::vector<double> repeated_years;  ///< every repeated year (compulsory and upper secondary)
  std::vector<double> repeated_years_compulsory;  ///< the part in compulsory school (grades 1-8)
  std::vector<double> summer_school;
  std::vector<double> placements;
  std::vector<double> noncompletions;
  /// Expected non-completions after the horizon, by the step they would happen (from step 0;
  /// zero within the horizon): models/terminal_value.hpp. Not resized by resize().
  std::vector<double> terminal_noncompletions;
  /// The same by the subgroup cell of the pupils exiting (models/simulation.hpp subgroup_cell;
  /// one series per cell, each as long as terminal_noncompletions): they sum to it.
  std::vector<std::vector<double>> terminal_noncompletions_by_cell;
  void resize(int steps);
};

}  // namespace attendsim::models
