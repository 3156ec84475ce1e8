#include "models/attendance.hpp"

namespace attendsim::models {

std::optional<State> parse_state(std::string_view name) {
  for (int s = 0; s < kStates; ++s) {
    if (kStateNames[s] == name) return static_cast<State>(s);
  }
  return std::nullopt;
}

}  // namespace attendsim::models
