#include "io/json_fields.hpp"

#include <cmath>

namespace attendsim::models {

nlohmann::ordered_json json_number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json summary_json(const Summary& s) {
  return {{"mean", json_number(s.mean)},     {"se", json_number(s.se)},
          {"ci_low", json_number(s.ci_low)}, {"ci_high", json_number(s.ci_high)},
          {"p2_5", json_number(s.p2_5)},     {"p97_5", json_number(s.p97_5)}};
}

}  // namespace attendsim::models
