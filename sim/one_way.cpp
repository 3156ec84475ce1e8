#include "sim/one_way.hpp"

#include <cmath>

#include "sim/error.hpp"

namespace attendsim {

std::vector<std::vector<double>> one_way_design(const std::vector<double>& base,
                                                const std::vector<OneWayRange>& ranges) {
  std::vector<std::vector<double>> points = {base};
  for (const auto& r : ranges) {
    ATTENDSIM_REQUIRE(r.index < base.size(),
                      "one-way range for input " << r.index << " of " << base.size());
    for (double v : {r.low, r.high}) {
      auto p = base;
      p[r.index] = v;
      points.push_back(std::move(p));
    }
  }
  return points;
}

std::vector<OneWayEffect> one_way_effects(const std::vector<OneWayRange>& ranges,
                                          std::span<const double> outputs) {
  ATTENDSIM_REQUIRE(
      outputs.size() == 1 + 2 * ranges.size(),
      "one-way effects need " << 1 + 2 * ranges.size() << " outputs, got " << outputs.size());
  std::vector<OneWayEffect> out;
  for (std::size_t k = 0; k < ranges.size(); ++k) {
    OneWayEffect e;
    e.index = ranges[k].index;
    e.low = ranges[k].low;
    e.high = ranges[k].high;
    e.output_base = outputs[0];
    e.output_low = outputs[1 + 2 * k];
    e.output_high = outputs[2 + 2 * k];
    e.swing = std::abs(e.output_high - e.output_low);
    out.push_back(e);
  }
  return out;
}

}  // namespace attendsim
