// The integer rows of the hot path (models/transitions.hpp thresholds / invert_bits) against
// the rule they stand for, written here in doubles: a pupil-month whose 32-bit draw is b takes
// u = b 2^-32, leaves when u >= 1 - l, else goes to the smallest state k with
// u < c_k (1 - l) (c the cumulative row, each product rounded to a double as the table's).
// The integer comparison b < ceil(x 2^32) equals u < x exactly (x 2^32 is exact in double and
// b is an integer), so the two must choose the same state for every draw; checked at every
// threshold's neighbours, where a rounding slip would show, and at random draws.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "models/transitions.hpp"

namespace {

using attendsim::models::Row;
using attendsim::models::Thresholds;

/// The state of draw b by the double rule above (4 = left).
int state_by_doubles(const Row& cum, double leave, std::uint32_t b) {
  const double u = static_cast<double>(b) * 0x1p-32;
  const double stay = 1.0 - leave;
  if (u >= stay) return 4;
  for (int k = 0; k < 3; ++k) {
    if (u < cum[static_cast<std::size_t>(k)] * stay) return k;
  }
  return 3;
}

std::vector<Row> rows_to_check() {
  std::vector<Row> rows;
  // Entries on the 2^-32 grid, one ulp off it, zero and one.
  rows.push_back({0.25, 0.25, 0.25, 0.25});
  rows.push_back({0x1p-32, 0x1p-32, 0.0, 1.0 - 0x1p-31});
  rows.push_back({0.0, 0.0, 0.0, 1.0});
  rows.push_back({1.0, 0.0, 0.0, 0.0});
  rows.push_back({0.1, 0.2, 0.3, 0.4});
  rows.push_back({std::nextafter(0.5, 1.0), 0.0, std::nextafter(0.25, 0.0), 0.25});
  // The peers' chain's rows (bench/peer_chain.toml) and random rows at a fixed seed.
  rows.push_back(
      {0.9482318436175454, 0.049268288164294155, 0.0024324605551801857, 6.74076629810825e-05});
  rows.push_back(
      {0.015233444544252852, 0.11302217985175747, 0.8019986645543584, 0.06974571104963162});
  std::mt19937_64 gen(20261202);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  for (int i = 0; i < 200; ++i) {
    Row r{};
    double s = 0;
    for (double& v : r) s += (v = unif(gen) * (i % 3 == 0 ? 1e-6 : 1.0));
    for (double& v : r) v /= s;
    rows.push_back(r);
  }
  return rows;
}

TEST(ThresholdBits, IntegerRowChoosesTheStateOfTheDoubleRuleAtEveryBoundary) {
  std::mt19937_64 gen(7);
  for (const double leave : {0.0, 0.0030235144374314692, 0x1p-32, 0.5}) {
    for (const Row& r : rows_to_check()) {
      const Row cum = attendsim::models::cumulative(r);
      const Thresholds th = attendsim::models::thresholds(cum, leave);
      std::vector<std::uint32_t> draws = {0U, 1U, 0xffffffffU, 0xfffffffeU, 0x80000000U};
      for (const std::uint64_t t : th) {
        for (const std::int64_t d : {-2, -1, 0, 1, 2}) {
          const std::int64_t b = static_cast<std::int64_t>(t) + d;
          if (b >= 0 && b <= 0xffffffffLL) draws.push_back(static_cast<std::uint32_t>(b));
        }
      }
      for (int i = 0; i < 64; ++i) draws.push_back(static_cast<std::uint32_t>(gen() >> 32));
      for (const std::uint32_t b : draws) {
        ASSERT_EQ(attendsim::models::invert_bits(th, b), state_by_doubles(cum, leave, b))
            << "draw " << b << ", leaving " << leave << ", row " << r[0] << " " << r[1] << " "
            << r[2] << " " << r[3];
      }
      if (leave == 0.0) {
        // Without leaving, the integer row is the double row's inversion (transitions.hpp).
        for (const std::uint32_t b : draws) {
          ASSERT_EQ(attendsim::models::invert_bits(th, b),
                    attendsim::models::invert(cum, static_cast<double>(b) * 0x1p-32));
        }
      }
    }
  }
}

}  // namespace
