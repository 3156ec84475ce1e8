#include "models/economics_params.hpp"

namespace attendsim::models {

bool perspective_includes(Perspective perspective, Payer payer) {
  switch (perspective) {
    case Perspective::municipality:
      return payer == Payer::education || payer == Payer::social_services;
    case Perspective::public_sector:
      return payer != Payer::labour_market;
    case Perspective::society:
      return true;
  }
  return true;
}

void EventSeries::resize(int steps) {
  for (auto* v : {&fte, &repeated_years, &repeated_years_compulsory, &summer_school, &placements,
                  &noncompletions}) {
    v->assign(static_cast<std::size_t>(steps), 0.0);
  }
}

}  // namespace attendsim::models
