#pragma once
/// Keyed random streams (derivation version 3, documented in docs/methods.md).
///
/// Every random number in attendsim comes from a stream keyed by a `StreamKey` {master seed,
/// draw, replication, purpose, sub}: the pupil-month draws from a counter-based stream
/// (sim/counter_stream.hpp, Philox2x64-10, each draw addressable), every other from a
/// Boost.Random `mt19937_64` seeded from the key. The key's words are mixed by
/// `boost::random::seed_seq` (the C++11 seed_seq algorithm) over the 32-bit words
///   [0x61747464 ("attd"), version, seed_lo, seed_hi, draw_lo, draw_hi,
///    replication_lo, replication_hi, purpose, sub_lo, sub_hi]
/// and the engine is seeded from that sequence. Keys are never added together (`seed + i`
/// collides); distinct keys give distinct, unrelated streams. Results therefore depend only
/// on keys, never on which thread ran what.
#include <boost/random/mersenne_twister.hpp>
#include <cstdint>

namespace attendsim {

inline constexpr std::uint32_t kStreamDerivationVersion = 3;

using Engine = boost::random::mt19937_64;

struct StreamKey {
  std::uint64_t master_seed = 1;  ///< documented default seed: 1
  std::uint64_t draw = 0;         ///< parameter draw (PSA) index
  std::uint64_t replication = 0;  ///< stochastic replication index
  std::uint32_t purpose = 0;      ///< what the stream is for (tags defined by each model)
  std::uint64_t sub = 0;          ///< pupil chunk, parameter id, ...
};

/// The one function that derives every engine.
Engine make_engine(const StreamKey& key);

/// Upper and lower 32 bits of one engine output as uniforms on [0, 1) with resolution
/// 2^-32: u = bits * 2^-32. Using both halves gives two uniforms per 64-bit draw.
inline double uniform_hi(std::uint64_t x) {
  return static_cast<double>(x >> 32) * 0x1p-32;
}
inline double uniform_lo(std::uint64_t x) {
  return static_cast<double>(x & 0xffffffffULL) * 0x1p-32;
}
/// A 53-bit uniform on [0, 1) from one output: (x >> 11) * 2^-53.
inline double uniform53(std::uint64_t x) {
  return static_cast<double>(x >> 11) * 0x1p-53;
}

/// 64-bit FNV-1a hash of a string: stable ids for named sub-streams (parameter paths).
std::uint64_t stable_hash(const char* s, std::size_t n);
inline std::uint64_t stable_hash(const std::string_view s) {
  return stable_hash(s.data(), s.size());
}

}  // namespace attendsim
