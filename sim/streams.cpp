#include "sim/streams.hpp"

#include <array>
#include <boost/random/seed_seq.hpp>

namespace attendsim {

Engine make_engine(const StreamKey& key) {
  auto lo = [](std::uint64_t v) { return static_cast<std::uint32_t>(v & 0xffffffffULL); };
  auto hi = [](std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); };
  const std::array<std::uint32_t, 11> words = {0x61747464U,         kStreamDerivationVersion,
                                               lo(key.master_seed), hi(key.master_seed),
                                               lo(key.draw),        hi(key.draw),
                                               lo(key.replication), hi(key.replication),
                                               key.purpose,         lo(key.sub),
                                               hi(key.sub)};
  boost::random::seed_seq seq(words.begin(), words.end());
  return Engine(seq);
}

std::uint64_t stable_hash(const char* s, std::size_t n) {
  std::uint64_t h = 14695981039346656037ULL;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(s[i]);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace attendsim
