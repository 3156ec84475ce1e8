#pragma once
/// The deterministic calculator of a plan (the Uppsala application's kind, S1):
///   short_term = avoided_repeated_years * cost_per_repeated_year
///                + avoided_summer_school * cost_summer_school
///   long_term  = completers_gained * saving_per_completer      (undiscounted, whole loss)
///   total      = short_term + long_term
///   return     = total / cost_of_effort                        (SEK per SEK invested)
#include "analysis/model_config.hpp"

namespace attendsim::models {

struct PlanResult {
  double cost_sek = 0;
  double short_term_sek = 0;
  double long_term_sek = 0;
  double total_sek = 0;
  double return_per_sek = 0;
};

PlanResult calculate_plan(const PlanInputs& in);

}  // namespace attendsim::models
