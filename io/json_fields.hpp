#pragma once
/// JSON fields shared by the summaries' writers (comparison.json's sections): a number that
/// is null when not finite, and a Summary's six fields.
#include <nlohmann/json.hpp>

#include "sim/statistics.hpp"

namespace attendsim::models {

/// `v`, or null when it is NaN or infinite (JSON has no such numbers).
nlohmann::ordered_json json_number(double v);

/// {"mean", "se", "ci_low", "ci_high", "p2_5", "p97_5"}, each through json_number.
nlohmann::ordered_json summary_json(const Summary& s);

}  // namespace attendsim::models
