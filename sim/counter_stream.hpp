#pragma once
/// Counter-based streams (part of stream derivation version 3, docs/methods.md §2.4): every
/// draw is addressed by (key, item, step), so that a draw never has to be stored to be met
/// again (a scenario simulated from a recorded baseline recomputes the few it needs).
///
/// The generator is Random123's Philox2x64-10 (Salmon, Moraes, Dror and Shaw, "Parallel
/// random numbers: as easy as 1, 2, 3", SC'11): a keyed bijection of a 128-bit counter,
/// giving two 64-bit outputs. The draw of item i (a pupil) at step t of the stream keyed
/// {seed, draw, replication, purpose, sub} is output (i mod 2) of
///   Philox2x64-10(counter = {floor(i / 2) + 2^32 t, 2^32 lo(draw) + lo(replication)}, key K)
/// where K = 2^32 w1 + w0 and w0, w1 are the first two words boost::random::seed_seq
/// generates from the 32-bit words
///   [0x61747464 ("attd"), version, seed_lo, seed_hi, draw_hi, replication_hi, purpose,
///    sub_lo, sub_hi].
/// Within one K, distinct (draw_lo, replication_lo, step, item) are distinct counters, so
/// their draws are distinct outputs of one bijection: no two of them are the same draw.
/// Requires item < 2^33 and step < 2^32.
#include <Random123/philox.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include "sim/streams.hpp"

namespace attendsim {

class CounterStream {
 public:
  explicit CounterStream(const StreamKey& key);

  /// The draw of `item` at `step`.
  std::uint64_t at(std::uint64_t item, std::uint32_t step) const {
    return pair(item >> 1, step)[item & 1];
  }

  /// The draws of items first, .., first + n - 1 at `step`, into out[0 .. n). Where the CPU
  /// has AVX-512 (checked once, avx512_fill_available) this is fill_avx512, else fill_scalar:
  /// the same numbers either way.
  void fill(std::uint64_t first, std::uint32_t step, std::size_t n, std::uint64_t* out) const {
    if (avx512_fill_available()) {
      fill_avx512(first, step, n, out);
    } else {
      fill_scalar(first, step, n, out);
    }
  }

  /// fill computed pair by pair by Random123's scalar Philox2x64 (the fallback, and the
  /// reference the vector path is tested against).
  void fill_scalar(std::uint64_t first, std::uint32_t step, std::size_t n,
                   std::uint64_t* out) const;

  /// fill with its whole groups of 8 counters (16 draws) computed at once in AVX-512's eight
  /// 64-bit lanes, the odd first item and the remainder by fill_scalar. Each round's
  /// 64 x 64 -> 128-bit product is formed exactly from four 32 x 32 -> 64-bit products
  /// (vpmuludq), so the draws are Random123's bit for bit. Requires avx512_fill_available().
  void fill_avx512(std::uint64_t first, std::uint32_t step, std::size_t n,
                   std::uint64_t* out) const;

  /// Whether fill_avx512 can run here: an x86-64 build by GCC or Clang on a CPU (and OS) with
  /// AVX-512 F, DQ, BW and VL. Checked once per process.
  static bool avx512_fill_available();

  /// The two outputs of counter {pair_index + 2^32 step, word1}: the draws of items
  /// 2 pair_index and 2 pair_index + 1.
  std::array<std::uint64_t, 2> pair(std::uint64_t pair_index, std::uint32_t step) const {
    const r123::Philox2x64::ctr_type ctr = {{pair_index + (std::uint64_t{step} << 32), word1_}};
    const auto r = r123::Philox2x64()(ctr, key_);
    return {r[0], r[1]};
  }

 private:
  r123::Philox2x64::key_type key_{};
  std::uint64_t word1_ = 0;  ///< 2^32 lo(draw) + lo(replication)
};

}  // namespace attendsim
