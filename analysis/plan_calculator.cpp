#include "analysis/plan_calculator.hpp"

#include "sim/error.hpp"

namespace attendsim::models {

PlanResult calculate_plan(const PlanInputs& in) {
  ATTENDSIM_REQUIRE(in.cost_of_effort_sek > 0, "plan cost must be > 0");
  PlanResult r;
  r.cost_sek = in.cost_of_effort_sek;
  r.short_term_sek = in.avoided_repeated_years * in.cost_per_repeated_year_sek +
                     in.avoided_summer_school * in.cost_summer_school_sek;
  r.long_term_sek = in.completers_gained * in.saving_per_completer_sek;
  r.total_sek = r.short_term_sek + r.long_term_sek;
  r.return_per_sek = r.total_sek / r.cost_sek;
  return r;
}

}  // namespace attendsim::models
