#include "models/economics_params.hpp"

namespace attendsim::models {

bool parse_perspective(const std::string& name, Perspective& out) {
  if (name == "municipality")
    out = Perspective::municipality;
  else if (name == "public_sector")
    out = Perspective::public_sector;
  else if (name == "society")
    out = Perspective::society;
  else
    return false;
  return true;
}

const char* perspective_name(Perspective p) {
  switch (p) {
    case Perspective::municipality:
      return "municipality";
    case Perspective::public_sector:
      return "public_sector";
    case Perspective::society:
      return "society";
  }
  return "?";
}

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
  for (auto* v : {&fte, &repeated_years, &summer_school, &placements, &noncompletions}) {
    v->assign(static_cast<std::size_t>(steps), 0.0);
  }
}

}  // namespace attendsim::models
