// The cost of a pupil-month's 64-bit draw, by generator (issue 17: what stream derivation
// version 4 would buy; docs/methods.md §4.12 "Where the individual engine's time goes").
//   BM_Philox2x64Fill:    CounterStream::fill, the engine's stream version 3 (Random123's
//                         Philox2x64-10, scalar: one 64 x 64 -> 128-bit multiply per round)
//   BM_Philox4x32Scalar:  Random123's Philox4x32-10, one 128-bit block = two draws, scalar
//   BM_Philox4x32Avx512:  the same Philox4x32-10 over 16 blocks at once in AVX-512 lanes
//                         (32 draws per call), checked against the scalar one on every run
// items = 64-bit draws; Args: draws per fill (a chunk of pupils).
// Run: build/bench_generators
#include <Random123/philox.h>
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#if defined(__x86_64__)
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own _mm512_undefined values.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#endif

#include "sim/counter_stream.hpp"
#include "sim/streams.hpp"

namespace {

using attendsim::CounterStream;
using attendsim::StreamKey;

const StreamKey kKey{1, 0, 0, 0x70757069U, 0};  // an arbitrary key; the cost does not depend on it

// Draw i of step t: the 64 bits of Philox4x32-10 block floor(i / 2), words 2 (i mod 2) and
// 2 (i mod 2) + 1, on the counter {floor(i / 2), t, 0, 0} (a layout for the comparison only).
void philox4x32_scalar(std::uint64_t first, std::uint32_t step, std::size_t n,
                       const r123::Philox4x32::key_type& key, std::uint64_t* out) {
  r123::Philox4x32 gen;
  for (std::size_t k = 0; k + 1 < n; k += 2) {
    const auto b = static_cast<std::uint32_t>((first + k) >> 1);
    const auto r = gen({{b, step, 0, 0}}, key);
    out[k] = (std::uint64_t{r[1]} << 32) | r[0];
    out[k + 1] = (std::uint64_t{r[3]} << 32) | r[2];
  }
}

#if defined(__x86_64__)
// Hi and lo words of a * b for the 16 32-bit lanes of `a` (b the same in every lane).
__attribute__((target("avx512f"))) inline void mulhilo16(__m512i a, __m512i b, __m512i& hi,
                                                         __m512i& lo) {
  const __m512i even = _mm512_mul_epu32(a, b);  // lanes 0, 2, ..
  const __m512i odd =
      _mm512_mul_epu32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(b, 32));  // 1, 3, ..
  const __mmask16 odd_lanes = 0xAAAA;
  lo = _mm512_mask_blend_epi32(odd_lanes, even, _mm512_slli_epi64(odd, 32));
  hi = _mm512_mask_blend_epi32(odd_lanes, _mm512_srli_epi64(even, 32), odd);
}

// The 16 blocks {b0 + j, step, 0, 0}, j = 0..15, of Philox4x32-10 under `key`: word w of
// block j in lane j of c[w].
__attribute__((target("avx512f"))) inline void philox4x32_16(std::uint32_t b0, std::uint32_t step,
                                                             const r123::Philox4x32::key_type& key,
                                                             __m512i (&c)[4]) {
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(0xD2511F53U));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(0xCD9E8D57U));
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  c[0] = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(b0)), lane);
  c[1] = _mm512_set1_epi32(static_cast<int>(step));
  c[2] = _mm512_setzero_si512();
  c[3] = _mm512_setzero_si512();
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; ++round) {
    __m512i hi0, lo0, hi1, lo1;
    mulhilo16(c[0], m0, hi0, lo0);
    mulhilo16(c[2], m1, hi1, lo1);
    c[0] = _mm512_xor_si512(_mm512_xor_si512(hi1, c[1]), _mm512_set1_epi32(static_cast<int>(k0)));
    c[1] = lo1;
    c[2] = _mm512_xor_si512(_mm512_xor_si512(hi0, c[3]), _mm512_set1_epi32(static_cast<int>(k1)));
    c[3] = lo0;
    k0 += 0x9E3779B9U;
    k1 += 0xBB67AE85U;
  }
}

// 16 blocks of Philox4x32-10 at once: counters {b0 + j, step, 0, 0}, j = 0..15, as
// philox4x32_scalar lays them out (32 draws).
__attribute__((target("avx512f"))) void philox4x32_avx512(std::uint64_t first, std::uint32_t step,
                                                          std::size_t n,
                                                          const r123::Philox4x32::key_type& key,
                                                          std::uint64_t* out) {
  for (std::size_t k = 0; k + 31 < n; k += 32) {
    __m512i c[4];
    philox4x32_16(static_cast<std::uint32_t>((first + k) >> 1), step, key, c);
    // Block j's draws: (c1 << 32 | c0) and (c3 << 32 | c2), at out[k + 2 j] and out[k + 2 j + 1].
    const __m512i d0lo = _mm512_unpacklo_epi32(c[0], c[1]),
                  d0hi = _mm512_unpackhi_epi32(c[0], c[1]);
    const __m512i d1lo = _mm512_unpacklo_epi32(c[2], c[3]),
                  d1hi = _mm512_unpackhi_epi32(c[2], c[3]);
    // unpack works within 128-bit lanes: d0lo holds blocks 0,1 | 4,5 | 8,9 | 12,13 (draw 0).
    alignas(64) std::uint64_t w0[8], w1[8], w2[8], w3[8];
    _mm512_store_si512(w0, d0lo);
    _mm512_store_si512(w1, d0hi);
    _mm512_store_si512(w2, d1lo);
    _mm512_store_si512(w3, d1hi);
    for (int q = 0; q < 4; ++q) {
      std::uint64_t* o = out + k + 8 * q;
      o[0] = w0[2 * q];
      o[1] = w2[2 * q];
      o[2] = w0[2 * q + 1];
      o[3] = w2[2 * q + 1];
      o[4] = w1[2 * q];
      o[5] = w3[2 * q];
      o[6] = w1[2 * q + 1];
      o[7] = w3[2 * q + 1];
    }
  }
}

// The same 16 blocks written as one array of low words and one of high words per draw (the
// layout an engine holding pupils as arrays would read: draw j of the 32 is lo[j], hi[j];
// pupils 0-15 take words 0 and 1 of blocks 0-15, pupils 16-31 words 2 and 3): no reordering.
__attribute__((target("avx512f"))) void philox4x32_avx512_lanes(
    std::uint64_t first, std::uint32_t step, std::size_t n, const r123::Philox4x32::key_type& key,
    std::uint32_t* lo, std::uint32_t* hi) {
  for (std::size_t k = 0; k + 31 < n; k += 32) {
    __m512i c[4];
    philox4x32_16(static_cast<std::uint32_t>((first + k) >> 1), step, key, c);
    _mm512_storeu_si512(lo + k, c[0]);
    _mm512_storeu_si512(hi + k, c[1]);
    _mm512_storeu_si512(lo + k + 16, c[2]);
    _mm512_storeu_si512(hi + k + 16, c[3]);
  }
}
#pragma GCC diagnostic pop
#endif

void BM_Philox2x64Fill(benchmark::State& state) {
  const CounterStream s(kKey);
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint64_t> out(n);
  std::uint32_t step = 0;
  for (auto _ : state) {
    s.fill(0, step++, n, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Philox2x64Fill)->Arg(4096);

void BM_Philox4x32Scalar(benchmark::State& state) {
  const r123::Philox4x32::key_type key = {{0x12345678U, 0x9abcdef0U}};
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint64_t> out(n);
  std::uint32_t step = 0;
  for (auto _ : state) {
    philox4x32_scalar(0, step++, n, key, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Philox4x32Scalar)->Arg(4096);

#if defined(__x86_64__)
void BM_Philox4x32Avx512(benchmark::State& state) {
  if (!__builtin_cpu_supports("avx512f")) {
    state.SkipWithError("no AVX-512 on this machine");
    return;
  }
  const r123::Philox4x32::key_type key = {{0x12345678U, 0x9abcdef0U}};
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint64_t> out(n), check(n);
  // The vector generator must give Random123's numbers, draw for draw.
  for (std::uint32_t step : {0U, 7U, 0xffffffffU}) {
    philox4x32_avx512(64, step, n, key, out.data());
    philox4x32_scalar(64, step, n, key, check.data());
    if (out != check) {
      state.SkipWithError("the AVX-512 Philox4x32 differs from Random123's");
      return;
    }
  }
  std::uint32_t step = 0;
  for (auto _ : state) {
    philox4x32_avx512(0, step++, n, key, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Philox4x32Avx512)->Arg(4096);

void BM_Philox4x32Avx512Lanes(benchmark::State& state) {
  if (!__builtin_cpu_supports("avx512f")) {
    state.SkipWithError("no AVX-512 on this machine");
    return;
  }
  const r123::Philox4x32::key_type key = {{0x12345678U, 0x9abcdef0U}};
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint32_t> lo(n), hi(n);
  std::vector<std::uint64_t> check(n);
  philox4x32_scalar(64, 3, n, key, check.data());
  philox4x32_avx512_lanes(64, 3, n, key, lo.data(), hi.data());
  for (std::size_t k = 0; k < n; ++k) {  // draw k of the scalar layout, where the lanes put it
    const std::size_t group = k / 32 * 32, j = (k % 32) / 2, word = k % 2;
    const std::size_t at = group + j + 16 * word;
    if (check[k] != ((std::uint64_t{hi[at]} << 32) | lo[at])) {
      state.SkipWithError("the AVX-512 Philox4x32 lanes differ from Random123's");
      return;
    }
  }
  std::uint32_t step = 0;
  for (auto _ : state) {
    philox4x32_avx512_lanes(0, step++, n, key, lo.data(), hi.data());
    benchmark::DoNotOptimize(lo.data());
    benchmark::DoNotOptimize(hi.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Philox4x32Avx512Lanes)->Arg(4096);
#endif

}  // namespace

BENCHMARK_MAIN();
