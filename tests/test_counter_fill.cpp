// CounterStream's block fill (sim/counter_stream.hpp): the AVX-512 path, which forms each
// Philox round's 64 x 64 -> 128-bit product from four 32-bit products in vector lanes, must
// give exactly Random123's scalar Philox2x64-10 on the documented counter (docs/methods.md
// §2.1): draw (i, t) = output (i mod 2) of counter {floor(i / 2) + 2^32 t, 2^32 lo(draw) +
// lo(replication)} under the key seed_seq derives. The reference below calls r123::Philox2x64
// directly, with the key derived here from the documented words (checked against the key that
// tests/test_streams.cpp pins), never through fill. Domain: item < 2^33, step < 2^32.
//
// The vector tests skip, saying so, on a CPU without AVX-512; the scalar path is tested on
// every machine.
#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <array>
#include <boost/random/seed_seq.hpp>
#include <cstdint>
#include <random>
#include <vector>

#include "sim/counter_stream.hpp"
#include "sim/streams.hpp"

using attendsim::CounterStream;
using attendsim::StreamKey;

namespace {

/// The Philox key and the counter's second word of the stream keyed `k`, by the documented
/// derivation: the first two words seed_seq generates from
/// [0x61747464, version, seed_lo, seed_hi, draw_hi, rep_hi, purpose, sub_lo, sub_hi].
struct FillReferenceKey {
  std::uint64_t key = 0;
  std::uint64_t word1 = 0;
};

FillReferenceKey fill_reference_key(const StreamKey& k) {
  auto lo = [](std::uint64_t v) { return static_cast<std::uint32_t>(v); };
  auto hi = [](std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); };
  const std::array<std::uint32_t, 9> words = {
      0x61747464U,       attendsim::kStreamDerivationVersion,
      lo(k.master_seed), hi(k.master_seed),
      hi(k.draw),        hi(k.replication),
      k.purpose,         lo(k.sub),
      hi(k.sub)};
  boost::random::seed_seq seq(words.begin(), words.end());
  std::array<std::uint32_t, 2> w{};
  seq.generate(w.begin(), w.end());
  return {(std::uint64_t{w[1]} << 32) | w[0],
          (std::uint64_t{lo(k.draw)} << 32) | lo(k.replication)};
}

/// Draw (item, step) from Random123's scalar Philox2x64-10, called directly.
std::uint64_t fill_reference_draw(const FillReferenceKey& rk, std::uint64_t item,
                                  std::uint32_t step) {
  const r123::Philox2x64::ctr_type ctr = {{(item >> 1) + (std::uint64_t{step} << 32), rk.word1}};
  return r123::Philox2x64()(ctr, {{rk.key}})[item & 1];
}

/// A spread of keys: the default, every word used, words at 0 and at their largest, and
/// pseudo-random ones.
std::vector<StreamKey> fill_test_keys() {
  std::vector<StreamKey> keys = {
      {1, 0, 0, 0x7075706dU, 0},
      {0x0123456789abcdefULL, 3, 0x100000002ULL, 0x7075706dU, 0x500000007ULL},
      {0, 0, 0, 0, 0},
      {~0ULL, ~0ULL, ~0ULL, ~0U, ~0ULL},
      {1, 0xffffffffULL, 0xffffffffULL, 0x636f756eU, 1},
  };
  std::mt19937_64 g(20261203);
  for (int i = 0; i < 11; ++i) {
    keys.push_back({g(), g(), g(), static_cast<std::uint32_t>(g()), g()});
  }
  return keys;
}

constexpr std::uint64_t kItemLimit = std::uint64_t{1} << 33;  // item < 2^33

/// Fills out[0 .. n) with `fill_fn` and checks every draw against Random123 and that nothing
/// past out[n) was written.
template <typename Fill>
void expect_fill_equals_random123(const StreamKey& key, std::uint64_t first, std::uint32_t step,
                                  std::size_t n, Fill fill_fn) {
  const FillReferenceKey rk = fill_reference_key(key);
  const CounterStream s(key);
  constexpr std::uint64_t kGuard = 0x5a5a5a5a5a5a5a5aULL;
  std::vector<std::uint64_t> out(n + 17, kGuard);
  fill_fn(s, first, step, n, out.data());
  for (std::size_t k = 0; k < n; ++k) {
    ASSERT_EQ(out[k], fill_reference_draw(rk, first + k, step))
        << "key seed " << key.master_seed << " first " << first << " step " << step << " n " << n
        << " k " << k;
  }
  for (std::size_t k = n; k < out.size(); ++k) {
    ASSERT_EQ(out[k], kGuard) << "written past the end: first " << first << " n " << n;
  }
}

/// Every (key, step, first, n) of the table: steps at 0 and near 2^32 - 1, first odd and even
/// (at 0, around 2^31 and 2^32 items, and ending at the last item of the domain, where the
/// counter's low word is 2^32 - 1), n = 0..40, around 128 and 256 (the vector path's passes of
/// 8, 4, 2 and 1 groups of 8 counters, alone and together) and around 4096.
template <typename Fill>
void check_fill_table(Fill fill_fn) {
  const std::vector<std::uint32_t> steps = {0U, 1U, 119U, 0x80000000U, 0xfffffffeU, 0xffffffffU};
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 40; ++n) lengths.push_back(n);
  for (std::size_t n :
       {127U, 128U, 129U, 255U, 256U, 257U, 4095U, 4096U, 4097U, 4099U, 4111U, 4113U})
    lengths.push_back(n);
  for (const StreamKey& key : fill_test_keys()) {
    for (std::uint32_t step : steps) {
      for (std::size_t n : lengths) {
        const std::vector<std::uint64_t> firsts = {
            0,
            1,
            2,
            15,
            16,
            17,
            (1ULL << 31) - 3,
            (1ULL << 32) - 16,
            (1ULL << 32) + 1,
            kItemLimit - n,       // ends at the last item: pair index 2^32 - 1
            kItemLimit - n - 1};  // the same, shifted by one (odd and even first)
        for (std::uint64_t first : firsts) {
          expect_fill_equals_random123(key, first, step, n, fill_fn);
          if (testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
}

}  // namespace

TEST(CounterFill, ReferenceKeyIsThePinnedOne) {
  // tests/test_streams.cpp pins the key of {1, 0, 0, pupm, 0} (an independent program).
  EXPECT_EQ(fill_reference_key({1, 0, 0, 0x7075706dU, 0}).key, 0xf889d2031ea49445ULL);
  EXPECT_EQ(fill_reference_draw(fill_reference_key({1, 0, 0, 0x7075706dU, 0}), 4097, 119),
            0x385690c0edf58da2ULL);
}

TEST(CounterFill, ScalarFillEqualsRandom123) {
  check_fill_table([](const CounterStream& s, std::uint64_t first, std::uint32_t step,
                      std::size_t n, std::uint64_t* out) { s.fill_scalar(first, step, n, out); });
}

TEST(CounterFill, VectorFillEqualsRandom123) {
  if (!CounterStream::avx512_fill_available()) {
    GTEST_SKIP() << "this CPU lacks AVX-512 (F, DQ, BW, VL): the vector fill is not tested here";
  }
  check_fill_table([](const CounterStream& s, std::uint64_t first, std::uint32_t step,
                      std::size_t n, std::uint64_t* out) { s.fill_avx512(first, step, n, out); });
}

TEST(CounterFill, FillEqualsRandom123) {
  // fill itself, whichever path it takes on this machine.
  check_fill_table([](const CounterStream& s, std::uint64_t first, std::uint32_t step,
                      std::size_t n, std::uint64_t* out) { s.fill(first, step, n, out); });
}

TEST(CounterFill, VectorAndScalarFillAgreeOnRandomCases) {
  if (!CounterStream::avx512_fill_available()) {
    GTEST_SKIP() << "this CPU lacks AVX-512 (F, DQ, BW, VL): the vector fill is not tested here";
  }
  std::mt19937_64 g(17);
  std::vector<std::uint64_t> a, b;
  for (int c = 0; c < 4000; ++c) {
    const StreamKey key{g(), g(), g(), static_cast<std::uint32_t>(g()), g()};
    // Mostly short blocks (every head and tail shape), one case in eight up to a chunk.
    const std::size_t n = static_cast<std::size_t>(g() % (c % 8 == 0 ? 4200 : 100));
    const std::uint64_t first = g() % (kItemLimit - n + 1);
    const auto step = static_cast<std::uint32_t>(g());
    const CounterStream s(key);
    a.assign(n, 0);
    b.assign(n, 1);
    s.fill_avx512(first, step, n, a.data());
    s.fill_scalar(first, step, n, b.data());
    ASSERT_EQ(a, b) << "case " << c << " first " << first << " step " << step << " n " << n;
  }
}

TEST(CounterFill, FillTakesTheVectorPathWhereTheCpuHasAvx512) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  const bool cpu_has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                       __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  if (!cpu_has) GTEST_SKIP() << "this CPU lacks AVX-512 (F, DQ, BW, VL): fill runs scalar here";
  EXPECT_TRUE(CounterStream::avx512_fill_available());
#else
  GTEST_SKIP() << "not an x86-64 GCC or Clang build: fill runs scalar";
#endif
}
