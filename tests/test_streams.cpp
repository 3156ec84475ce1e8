// Keyed random streams (sim/streams.hpp, sim/counter_stream.hpp, derivation version 3).
//
// The pinned outputs below were computed ONCE by a separate 40-line program that includes
// neither attendsim nor Random123 (scripts/stream_pins.cpp):
// it builds the documented word sequences by hand and feeds them to std::seed_seq, seeds
// std::mt19937_64 with the 11-word one
//   [0x61747464, 3, seed_lo, seed_hi, draw_lo, draw_hi, rep_lo, rep_hi, purpose, sub_lo, sub_hi]
// and prints its first three outputs; for the counter-based pupil-month stream it takes the
// first two words std::seed_seq generates from
//   [0x61747464, 3, seed_lo, seed_hi, draw_hi, rep_hi, purpose, sub_lo, sub_hi]
// as the key and runs Philox2x64-10 written out from the paper (Salmon et al. 2011: multiplier
// 0xD2B74407B1CE6E93, key bump 0x9E3779B97F4A7C15, 10 rounds). That program reproduces the
// published Random123 known-answer vectors (below, Philox2x64KnownAnswers) and boost's
// seed_seq is the same C++11 algorithm as std::seed_seq, so the pins are the documented
// derivation itself, not an artefact of one library. A change to the word layout, the version
// number or the engines breaks these pins (and every saved result): bump
// kStreamDerivationVersion and regenerate deliberately. Version 2 pins (mt19937_64 for the
// pupil-months too) were 0x26446ff08cd70ca5, ... for [0x61747464, 2, 1, 0, ...].
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sim/counter_stream.hpp"
#include "sim/streams.hpp"

using attendsim::Engine;
using attendsim::make_engine;
using attendsim::StreamKey;

namespace {

std::array<std::uint64_t, 3> first3(const StreamKey& k) {
  Engine e = make_engine(k);
  return {e(), e(), e()};
}

}  // namespace

TEST(Streams, DerivationVersionIsThree) {
  EXPECT_EQ(attendsim::kStreamDerivationVersion, 3U);
}

TEST(Streams, PinnedFirstOutputsOfDefaultKey) {
  // Words [0x61747464, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0] (see the file comment).
  const auto v = first3({1, 0, 0, 0, 0});
  EXPECT_EQ(v[0], 0x3779387193736350ULL);
  EXPECT_EQ(v[1], 0xdcf5c5da734c5331ULL);
  EXPECT_EQ(v[2], 0xf2bdfff73a8659c7ULL);
}

TEST(Streams, PinnedFirstOutputsOfKeyUsingEveryWord) {
  // seed 0x0123456789abcdef, draw 3, replication 2^32 + 2, purpose "pupm" = 0x7075706d,
  // sub 5 * 2^32 + 7: words [0x61747464, 3, 0x89abcdef, 0x01234567, 3, 0, 2, 1,
  // 0x7075706d, 7, 5]. Exercises the high halves and the lo/hi order of every 64-bit field.
  const auto v = first3({0x0123456789abcdefULL, 3, 0x100000002ULL, 0x7075706dU, 0x500000007ULL});
  EXPECT_EQ(v[0], 0x85efe599f2ee2282ULL);
  EXPECT_EQ(v[1], 0x8dbfad25ae6bb48aULL);
  EXPECT_EQ(v[2], 0x2cabb266d9b3f3a2ULL);
}

TEST(Streams, SameKeyGivesSameStream) {
  const StreamKey k{42, 7, 9, 0x706f7075U, 3};
  Engine a = make_engine(k);
  Engine b = make_engine(k);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a(), b()) << "output " << i;
}

TEST(Streams, KeyDifferingInAnyOneFieldGivesDistinctStream) {
  const StreamKey base{1, 0, 0, 0, 0};
  std::vector<std::pair<std::string, StreamKey>> keys = {
      {"base", base},
      {"seed", {2, 0, 0, 0, 0}},
      {"seed high word", {1 + (1ULL << 32), 0, 0, 0, 0}},
      {"draw", {1, 1, 0, 0, 0}},
      {"draw high word", {1, 1ULL << 32, 0, 0, 0}},
      {"replication", {1, 0, 1, 0, 0}},
      {"replication high word", {1, 0, 1ULL << 32, 0, 0}},
      {"purpose", {1, 0, 0, 1, 0}},
      {"sub", {1, 0, 0, 0, 1}},
      {"sub high word", {1, 0, 0, 0, 1ULL << 32}},
      // Keys that an additive scheme (seed + draw + replication + ...) would merge.
      {"seed 0 draw 1", {0, 1, 0, 0, 0}},
      {"seed 0 replication 1", {0, 0, 1, 0, 0}},
      {"seed 0 sub 1", {0, 0, 0, 0, 1}},
      {"seed 0 purpose 1", {0, 0, 0, 1, 0}},
      // The same value moved between fields.
      {"draw 5", {1, 5, 0, 0, 0}},
      {"replication 5", {1, 0, 5, 0, 0}},
      {"sub 5", {1, 0, 0, 0, 5}},
      {"purpose 5", {1, 0, 0, 5, 0}},
  };
  std::set<std::uint64_t> firsts;
  std::set<std::array<std::uint64_t, 3>> triples;
  for (const auto& [name, k] : keys) {
    const auto v = first3(k);
    EXPECT_TRUE(firsts.insert(v[0]).second)
        << "first output of key '" << name << "' repeats another key's";
    triples.insert(v);
  }
  EXPECT_EQ(triples.size(), keys.size());
}

TEST(Streams, ManyReplicationKeysHaveDistinctFirstOutputs) {
  // 2 000 replication indices x 2 seeds: a 64-bit collision among 4 000 values has
  // probability ~4e-13, so any repeat is a derivation bug.
  std::set<std::uint64_t> firsts;
  for (std::uint64_t seed : {1ULL, 2ULL}) {
    for (std::uint64_t r = 0; r < 2000; ++r) firsts.insert(make_engine({seed, 0, r, 0, 0})());
  }
  EXPECT_EQ(firsts.size(), 4000U);
}

TEST(Streams, UniformHiLoExactValues) {
  // u = bits * 2^-32 of the upper / lower 32 bits.
  EXPECT_EQ(attendsim::uniform_hi(0), 0.0);
  EXPECT_EQ(attendsim::uniform_lo(0), 0.0);
  EXPECT_EQ(attendsim::uniform_hi(0x8000000000000000ULL), 0.5);
  EXPECT_EQ(attendsim::uniform_lo(0x0000000080000000ULL), 0.5);
  EXPECT_EQ(attendsim::uniform_hi(0x0000000080000000ULL), 0.0);  // lower half ignored
  EXPECT_EQ(attendsim::uniform_lo(0x8000000000000000ULL), 0.0);  // upper half ignored
  EXPECT_EQ(attendsim::uniform_hi(0x4000000000000000ULL), 0.25);
  EXPECT_EQ(attendsim::uniform_lo(0x00000000c0000000ULL), 0.75);
  // Largest value: (2^32 - 1) / 2^32 = 1 - 2^-32 < 1.
  EXPECT_EQ(attendsim::uniform_hi(~0ULL), 1.0 - 0x1p-32);
  EXPECT_EQ(attendsim::uniform_lo(~0ULL), 1.0 - 0x1p-32);
  EXPECT_LT(attendsim::uniform_hi(~0ULL), 1.0);
  EXPECT_LT(attendsim::uniform_lo(~0ULL), 1.0);
}

TEST(Streams, Uniform53ExactValues) {
  // u = (x >> 11) * 2^-53.
  EXPECT_EQ(attendsim::uniform53(0), 0.0);
  EXPECT_EQ(attendsim::uniform53(0x7ffULL), 0.0);  // the 11 dropped bits
  EXPECT_EQ(attendsim::uniform53(0x800ULL), 0x1p-53);
  EXPECT_EQ(attendsim::uniform53(0x8000000000000000ULL), 0.5);
  EXPECT_EQ(attendsim::uniform53(~0ULL), 1.0 - 0x1p-53);
  EXPECT_LT(attendsim::uniform53(~0ULL), 1.0);
}

TEST(Streams, UniformsOfEngineOutputsStayInUnitInterval) {
  Engine e = make_engine({3, 0, 0, 0, 0});
  double sum_hi = 0, sum_lo = 0, sum53 = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const auto x = e();
    const double a = attendsim::uniform_hi(x), b = attendsim::uniform_lo(x),
                 c = attendsim::uniform53(x);
    ASSERT_GE(a, 0.0);
    ASSERT_LT(a, 1.0);
    ASSERT_GE(b, 0.0);
    ASSERT_LT(b, 1.0);
    ASSERT_GE(c, 0.0);
    ASSERT_LT(c, 1.0);
    sum_hi += a;
    sum_lo += b;
    sum53 += c;
  }
  // Mean of n uniforms: 0.5 with sd sqrt(1/12/n) = 0.000913; 6 sd at a fixed seed.
  const double tol = 6 * 0.000913;
  EXPECT_NEAR(sum_hi / n, 0.5, tol);
  EXPECT_NEAR(sum_lo / n, 0.5, tol);
  EXPECT_NEAR(sum53 / n, 0.5, tol);
}

TEST(Streams, StableHashMatchesFnv1a64TestVectors) {
  // Published FNV-1a 64-bit vectors (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
  EXPECT_EQ(attendsim::stable_hash(std::string_view("")), 0xcbf29ce484222325ULL);
  EXPECT_EQ(attendsim::stable_hash(std::string_view("a")), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(attendsim::stable_hash(std::string_view("foobar")), 0x85944171f73967e8ULL);
  // A parameter path; computed with a 5-line Python FNV-1a written for this test.
  EXPECT_EQ(attendsim::stable_hash(std::string_view("detection.p_consent")), 0x9855665f42c14eefULL);
  // Bytes >= 0x80 are hashed as unsigned (no sign extension of char).
  const char high[] = {static_cast<char>(0xff)};
  // 0xcbf29ce484222325 ^ 0xff = 0xcbf29ce4842223da; times prime mod 2^64 (Python).
  EXPECT_EQ(attendsim::stable_hash(high, 1), 0xaf64724c8602eb6eULL);
}

// Random123's published known-answer vectors for Philox2x64-10 (kat_vectors of the Random123
// distribution): counter, key -> output. They pin the library the pupil-month stream runs on.
TEST(Streams, Philox2x64KnownAnswers) {
  r123::Philox2x64 g;
  auto r = g({{0, 0}}, {{0}});
  EXPECT_EQ(r[0], 0xca00a0459843d731ULL);
  EXPECT_EQ(r[1], 0x66c24222c9a845b5ULL);
  r = g({{~0ULL, ~0ULL}}, {{~0ULL}});
  EXPECT_EQ(r[0], 0x65b021d60cd8310fULL);
  EXPECT_EQ(r[1], 0x4d02f3222f86df20ULL);
  r = g({{0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL}}, {{0xa4093822299f31d0ULL}});
  EXPECT_EQ(r[0], 0x0a5e742c2997341cULL);
  EXPECT_EQ(r[1], 0xb0f883d38000de5dULL);
}

TEST(Streams, CounterStreamPinnedDraws) {
  // The documented derivation (file comment; docs/methods.md §2.1), computed independently.
  using attendsim::CounterStream;
  const CounterStream a({1, 0, 0, 0x7075706dU, 0});  // key 0xf889d2031ea49445
  EXPECT_EQ(a.at(0, 0), 0x62b68290136630c0ULL);
  EXPECT_EQ(a.at(1, 0), 0x793a5afbf7c2f7c9ULL);
  EXPECT_EQ(a.at(4097, 119), 0x385690c0edf58da2ULL);
  // Every word of the key used, the draw and replication in the counter's second word.
  const CounterStream b({0x0123456789abcdefULL, 3, 0x100000002ULL, 0x7075706dU, 0x500000007ULL});
  EXPECT_EQ(b.at(12345, 7), 0xe20ddda525d3b51dULL);
}

TEST(Streams, CounterStreamFillEqualsAt) {
  // A block from any first item (odd or even) and of any length is the same draws as at().
  const attendsim::CounterStream s({5, 1, 2, 0x7075706dU, 0});
  std::vector<std::uint64_t> out(11);
  for (std::uint64_t first : {0ULL, 1ULL, 4095ULL, 4096ULL}) {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{11}}) {
      s.fill(first, 3, n, out.data());
      for (std::size_t k = 0; k < n; ++k)
        ASSERT_EQ(out[k], s.at(first + k, 3)) << first << " " << k;
    }
  }
}

TEST(Streams, CounterStreamDrawsAreDistinctAcrossItemsStepsAndKeys) {
  // Within one key the counters are distinct, so the draws of 1 000 items x 120 steps are
  // distinct outputs of one bijection; replications, draws and seeds give other draws.
  std::set<std::uint64_t> seen;
  const attendsim::CounterStream s({1, 0, 0, 0x7075706dU, 0});
  for (std::uint32_t t = 0; t < 120; ++t)
    for (std::uint64_t i = 0; i < 1000; ++i) seen.insert(s.at(i, t));
  EXPECT_EQ(seen.size(), 120000U);
  for (const StreamKey k :
       {StreamKey{1, 0, 1, 0x7075706dU, 0}, StreamKey{1, 1, 0, 0x7075706dU, 0},
        StreamKey{2, 0, 0, 0x7075706dU, 0}, StreamKey{1, 0, 1ULL << 32, 0x7075706dU, 0},
        StreamKey{1, 0, 0, 0x7075706eU, 0}}) {
    EXPECT_TRUE(seen.insert(attendsim::CounterStream(k).at(0, 0)).second);
  }
}

TEST(Streams, CounterStreamUniformsHaveMeanOneHalf) {
  const attendsim::CounterStream s({3, 0, 0, 0x7075706dU, 0});
  double sum_hi = 0, sum_lo = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const auto x = s.at(static_cast<std::uint64_t>(i % 5000), static_cast<std::uint32_t>(i / 5000));
    sum_hi += attendsim::uniform_hi(x);
    sum_lo += attendsim::uniform_lo(x);
  }
  const double tol = 6 * 0.000913;  // 6 sd of the mean of n uniforms
  EXPECT_NEAR(sum_hi / n, 0.5, tol);
  EXPECT_NEAR(sum_lo / n, 0.5, tol);
}
