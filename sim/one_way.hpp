#pragma once
/// One-way sensitivity design over a parameter vector, independent of the model.
///
/// Given base values x^0 and, for some inputs i, a low and a high value, the design is
///   point 0 = x^0;  point 1 + 2k = x^0 with x_i = low_i;  point 2 + 2k = x^0 with x_i = high_i
/// for the k-th range. With outputs y at those points, the effect of input i is
///   output_low = y(1 + 2k), output_high = y(2 + 2k), swing = |output_high - output_low|.
/// For f = sum_i c_i x_i the swing is exactly |c_i| (high_i - low_i).
#include <span>
#include <vector>

namespace attendsim {

struct OneWayRange {
  std::size_t index = 0;  ///< position in the parameter vector
  double low = 0, high = 0;
};

struct OneWayEffect {
  std::size_t index = 0;
  double low = 0, high = 0;
  double output_base = 0, output_low = 0, output_high = 0;
  double swing = 0;  ///< |output_high - output_low|
};

/// The 1 + 2 * ranges.size() design points (layout above).
std::vector<std::vector<double>> one_way_design(const std::vector<double>& base,
                                                const std::vector<OneWayRange>& ranges);

/// Effects of each range from the outputs at the design points, in range order.
std::vector<OneWayEffect> one_way_effects(const std::vector<OneWayRange>& ranges,
                                          std::span<const double> outputs);

}  // namespace attendsim
