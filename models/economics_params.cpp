#include "models/economics_params.hpp"

namespace attendsim::models {

void EventSeries::resize(int steps) {
  for (auto* v : {&fte, &repeated_years, &summer_school, &placements, &noncompletions}) {
    v->assign(static_cast<std::size_t>(steps), 0.0);
  }
}

}  // namespace attendsim::models
