// The model-agnostic one-way design (sim/one_way.hpp) on a linear toy model.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/error.hpp"
#include "sim/one_way.hpp"

using attendsim::OneWayRange;

TEST(SensitivityOneWay, LinearToyModelGivesExactSwings) {
  // f(x) = sum c_i x_i: moving x_i from low_i to high_i, others at base, changes f by exactly
  // c_i (high_i - low_i), so swing_i = |c_i| (high_i - low_i) and output_base = f(base).
  const std::vector<double> c = {2.0, -3.0, 0.0, 0.5};
  const std::vector<double> base = {1.0, 2.0, 3.0, 4.0};
  const std::vector<OneWayRange> ranges = {
      {0, 0.5, 1.5}, {1, 1.0, 4.0}, {2, -10, 10}, {3, 3.0, 3.25}};
  const auto points = attendsim::one_way_design(base, ranges);
  ASSERT_EQ(points.size(), 9u);
  std::vector<double> y;
  for (const auto& p : points) {
    double f = 0;
    for (std::size_t i = 0; i < c.size(); ++i) f += c[i] * p[i];
    y.push_back(f);
  }
  const auto effects = attendsim::one_way_effects(ranges, y);
  ASSERT_EQ(effects.size(), 4u);
  const double f_base = 2.0 * 1 - 3.0 * 2 + 0.0 * 3 + 0.5 * 4;
  const double swing[] = {2.0 * 1.0, 3.0 * 3.0, 0.0, 0.5 * 0.25};
  const double low[] = {f_base - 2.0 * 0.5, f_base - 3.0 * (1.0 - 2.0), f_base, f_base - 0.5 * 1.0};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(effects[k].index, ranges[k].index);
    EXPECT_DOUBLE_EQ(effects[k].output_base, f_base);
    EXPECT_DOUBLE_EQ(effects[k].swing, swing[k]) << k;
    EXPECT_DOUBLE_EQ(effects[k].output_low, low[k]) << k;
    EXPECT_DOUBLE_EQ(effects[k].low, ranges[k].low);
    EXPECT_DOUBLE_EQ(effects[k].high, ranges[k].high);
  }
  EXPECT_THROW(attendsim::one_way_effects(ranges, std::vector<double>(8, 0.0)),
               attendsim::PreconditionError);
  EXPECT_THROW(attendsim::one_way_design(base, {{4, 0, 1}}), attendsim::PreconditionError);
}
