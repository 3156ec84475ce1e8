#pragma once
/// The binomial and multinomial draws of the count-based paths (docs/methods.md §4.12),
/// internal to models/: shared by the count path (count_chain.cpp) and the hybrid
/// (hybrid_chain.cpp), so that a cell's pupils move by one rule.
#include <array>
#include <boost/random/binomial_distribution.hpp>
#include <cstdint>

#include "models/transitions.hpp"
#include "sim/counter_stream.hpp"
#include "sim/error.hpp"

namespace attendsim::models::detail {

/// Draws one (step, cell) may take from its run of the counter stream.
inline constexpr std::uint64_t kItemsPerCell = std::uint64_t{1} << 20;

/// A run of 64-bit draws of one (step, cell): items 2^20 cell + j, j = 0, 1, .., of step
/// `step` of the stream; a UniformRandomBitGenerator for Boost.Random.
class CellBits {
 public:
  using result_type = std::uint64_t;
  CellBits(const CounterStream& s, std::uint32_t step, std::uint64_t cell)
      : s_(&s), step_(step), next_(cell * kItemsPerCell), end_(next_ + kItemsPerCell) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    ATTENDSIM_REQUIRE(next_ < end_, "a count cell used more than 2^20 draws in one step");
    return s_->at(next_++, step_);
  }

 private:
  const CounterStream* s_;
  std::uint32_t step_;
  std::uint64_t next_, end_;
};

/// Binomial(n, p) by Boost.Random (inversion for small n p, BTRD otherwise).
inline std::int64_t binomial(CellBits& bits, std::int64_t n, double p) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  boost::random::binomial_distribution<std::int64_t, double> d(n, p);
  return d(bits);
}

/// Multinomial split of n over the four states and leaving by state, for a row given as
/// 32-bit thresholds (the individual engine's exact probabilities (th_k - th_{k-1}) 2^-32,
/// th_{-1} = 0 and th_4 = 2^32, transitions.hpp), by conditional binomials. A row without
/// leaving by state (th_3 = 2^32) draws its last binomial with probability 1, which takes no
/// draw: such a split draws exactly what the four-state split drew before.
inline std::array<std::int64_t, kStates> multinomial(CellBits& bits, std::int64_t n,
                                                     const Thresholds& th) {
  std::array<std::int64_t, kStates> k{};
  std::uint64_t below = 0;  // th_{k-1}
  for (int s = 0; s < kStates - 1; ++s) {
    const std::uint64_t upto = th[static_cast<std::size_t>(s)];
    if (below < 0x100000000ULL) {
      const double q =
          static_cast<double>(upto - below) / static_cast<double>(0x100000000ULL - below);
      k[static_cast<std::size_t>(s)] = binomial(bits, n, q);
    }
    n -= k[static_cast<std::size_t>(s)];
    below = upto;
  }
  k[kStates - 1] = n;
  return k;
}

}  // namespace attendsim::models::detail
