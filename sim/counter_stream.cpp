#include "sim/counter_stream.hpp"

#include <boost/random/seed_seq.hpp>

namespace attendsim {

CounterStream::CounterStream(const StreamKey& key) {
  auto lo = [](std::uint64_t v) { return static_cast<std::uint32_t>(v & 0xffffffffULL); };
  auto hi = [](std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); };
  const std::array<std::uint32_t, 9> words = {
      0x61747464U,  kStreamDerivationVersion, lo(key.master_seed), hi(key.master_seed),
      hi(key.draw), hi(key.replication),      key.purpose,         lo(key.sub),
      hi(key.sub)};
  boost::random::seed_seq seq(words.begin(), words.end());
  std::array<std::uint32_t, 2> k{};
  seq.generate(k.begin(), k.end());
  key_ = {{(std::uint64_t{k[1]} << 32) | k[0]}};
  word1_ = (std::uint64_t{lo(key.draw)} << 32) | lo(key.replication);
}

void CounterStream::fill(std::uint64_t first, std::uint32_t step, std::size_t n,
                         std::uint64_t* out) const {
  std::size_t k = 0;
  std::uint64_t item = first;
  if (n > 0 && (item & 1) != 0) out[k++] = at(item++, step);
  for (; k + 1 < n; k += 2, item += 2) {
    const auto r = pair(item >> 1, step);
    out[k] = r[0];
    out[k + 1] = r[1];
  }
  if (k < n) out[k] = at(item, step);
}

}  // namespace attendsim
