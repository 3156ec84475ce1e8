// The cost of a pupil-month's 64-bit draw, by generator (issue 17: what stream derivation
// version 4 would buy; docs/methods.md §4.12 "Where the individual engine's time goes").
//   BM_Philox2x64Fill:    CounterStream::fill, the engine's stream version 3 (Random123's
//                         Philox2x64-10), as the engine calls it: the AVX-512 path where the
//                         CPU has it, else the scalar one
//   BM_Philox2x64FillScalar: CounterStream::fill_scalar (Random123's scalar code: one
//                         64 x 64 -> 128-bit multiply per round)
//   BM_Philox2x64FillAvx512: CounterStream::fill_avx512 (8 counters per AVX-512 pass, the
//                         product from four 32-bit multiplies; the same draws, checked
//                         against fill_scalar on every run)
//   BM_Philox4x32Scalar:  Random123's Philox4x32-10, one 128-bit block = two draws, scalar
//   BM_Philox4x32Avx512:  the same Philox4x32-10 over 16 blocks at once in AVX-512 lanes
//                         (32 draws per call), checked against the scalar one on every run
// items = 64-bit draws; Args: draws per fill (a chunk of pupils).
//   BM_ArrayKernelPeerChain: what an engine holding pupils as arrays per field (one byte array
//                         each for state, months in state, regular run and flags) could do on
//                         the peers' chain (bench/peer_chain.toml: its rows and leaving by
//                         state), 100 000 pupils x 36 months, the draws from the AVX-512
//                         Philox4x32 above: a planning figure for issue 17, not the engine (no
//                         grades, subgroups, summer events or referral pipeline). Its occupancy
//                         at month 36 is checked against pi0 P^36 (within 6 SE) on every run.
//                         items = pupil-months.
// Run: build/bench_generators
#include <Random123/philox.h>
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
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

void BM_Philox2x64FillScalar(benchmark::State& state) {
  const CounterStream s(kKey);
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint64_t> out(n);
  std::uint32_t step = 0;
  for (auto _ : state) {
    s.fill_scalar(0, step++, n, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Philox2x64FillScalar)->Arg(4096);

void BM_Philox2x64FillAvx512(benchmark::State& state) {
  if (!CounterStream::avx512_fill_available()) {
    state.SkipWithError("no AVX-512 (F, DQ, BW, VL) on this machine");
    return;
  }
  const CounterStream s(kKey);
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint64_t> out(n), check(n);
  // The vector fill must give the scalar fill's draws (tests/test_counter_fill.cpp checks
  // both against Random123).
  for (std::uint32_t step : {0U, 7U, 0xffffffffU}) {
    s.fill_avx512(65, step, n, out.data());
    s.fill_scalar(65, step, n, check.data());
    if (out != check) {
      state.SkipWithError("the AVX-512 fill differs from the scalar one");
      return;
    }
  }
  std::uint32_t step = 0;
  for (auto _ : state) {
    s.fill_avx512(0, step++, n, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Philox2x64FillAvx512)->Arg(4096);

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

// The peers' chain as bench/peer_chain.toml states it: the rows of P (regular, worrying, high,
// extensive) given no leaving, and leaving by state; P[s][j] = row[s][j] (1 - leave[s]),
// P[s][left] = leave[s].
constexpr double kPeerRows[4][4] = {
    {0.9482318436175454, 0.049268288164294155, 0.0024324605551801857, 6.74076629810825e-05},
    {0.20547106835065143, 0.7160118197603276, 0.07526526169211231, 0.003251850196911169},
    {0.015233444544252852, 0.11302217985175747, 0.8019986645543584, 0.06974571104963162},
    {0.0002646042318198599, 0.0030607992037777736, 0.0437172375932957, 0.9529573589711056}};
constexpr double kPeerLeave[4] = {0.0030235144374314692, 0.003928607037590847, 0.005023958744101321,
                                  0.00789546505189025};
constexpr double kPeerStart[5] = {0.70, 0.15, 0.10, 0.05, 0.0};

// One month of the plain pupil-month on arrays, 16 pupils at a time in AVX-512 lanes: the next
// state by inversion of the high word on the row's cumulative thresholds (th[j][s]: 2^32 times
// P[s][0] + .. + P[s][j], looked up by a lane permute; state 4 is left and stays), then the
// bookkeeping of the engine's plain path: months in state, the regular run, the had/ever flags
// (bits 0 and 1) and a sustained return after `sustained` regular months. n a multiple of 16.
// Returns the sustained returns.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq"))) std::uint32_t array_month(
    std::uint8_t* __restrict state, std::uint8_t* __restrict months, std::uint8_t* __restrict run,
    std::uint8_t* __restrict flags, const std::uint32_t* __restrict hi, std::size_t n,
    const std::uint32_t (&th)[4][16], std::uint32_t sustained) {
  const __m512i t0 = _mm512_loadu_si512(th[0]), t1 = _mm512_loadu_si512(th[1]),
                t2 = _mm512_loadu_si512(th[2]), t3 = _mm512_loadu_si512(th[3]);
  const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi32(1),
                three = _mm512_set1_epi32(3), four = _mm512_set1_epi32(4),
                cap = _mm512_set1_epi32(255), need = _mm512_set1_epi32(static_cast<int>(sustained));
  std::uint32_t returns = 0;
  for (std::size_t i = 0; i + 16 <= n; i += 16) {
    const __m512i s =
        _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + i)));
    const __m512i h = _mm512_loadu_si512(hi + i);
    __m512i ns = zero;
    ns = _mm512_mask_add_epi32(ns, _mm512_cmpge_epu32_mask(h, _mm512_permutexvar_epi32(s, t0)), ns,
                               one);
    ns = _mm512_mask_add_epi32(ns, _mm512_cmpge_epu32_mask(h, _mm512_permutexvar_epi32(s, t1)), ns,
                               one);
    ns = _mm512_mask_add_epi32(ns, _mm512_cmpge_epu32_mask(h, _mm512_permutexvar_epi32(s, t2)), ns,
                               one);
    ns = _mm512_mask_add_epi32(ns, _mm512_cmpge_epu32_mask(h, _mm512_permutexvar_epi32(s, t3)), ns,
                               one);
    ns = _mm512_mask_mov_epi32(ns, _mm512_cmpeq_epi32_mask(s, four), four);
    const __m512i m =
        _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(months + i)));
    const __m512i r =
        _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(run + i)));
    const __m512i f =
        _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(flags + i)));
    const __mmask16 same = _mm512_cmpeq_epi32_mask(ns, s);
    const __m512i m1 = _mm512_mask_add_epi32(m, _mm512_cmplt_epu32_mask(m, cap), m, one);
    const __m512i nm = _mm512_mask_blend_epi32(same, one, m1);
    const __mmask16 regular = _mm512_cmpeq_epi32_mask(ns, zero);
    const __m512i r1 = _mm512_mask_add_epi32(r, _mm512_cmplt_epu32_mask(r, cap), r, one);
    const __m512i nr = _mm512_maskz_mov_epi32(regular, r1);
    const __mmask16 ret =
        regular & _mm512_cmpge_epu32_mask(nr, need) & _mm512_test_epi32_mask(f, one);
    returns += static_cast<std::uint32_t>(__builtin_popcount(ret));
    const __mmask16 high = _mm512_cmpeq_epi32_mask(ns, _mm512_set1_epi32(2)) |
                           _mm512_cmpeq_epi32_mask(ns, _mm512_set1_epi32(3));
    __m512i nf = _mm512_mask_andnot_epi32(f, ret, one, f);  // clear "had" on a return
    nf = _mm512_mask_or_epi32(nf, high, nf, three);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + i), _mm512_cvtepi32_epi8(ns));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(months + i), _mm512_cvtepi32_epi8(nm));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(run + i), _mm512_cvtepi32_epi8(nr));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(flags + i), _mm512_cvtepi32_epi8(nf));
  }
  return returns;
}

void BM_ArrayKernelPeerChain(benchmark::State& state) {
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw") ||
      !__builtin_cpu_supports("avx512vl") || !__builtin_cpu_supports("avx512dq")) {
    state.SkipWithError("no AVX-512 on this machine");
    return;
  }
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const int months_run = 36;
  // Cumulative thresholds on the 2^32 grid, and pi0 P^36 for the check (double, by hand).
  double p[5][5] = {};
  for (int s = 0; s < 4; ++s) {
    for (int j = 0; j < 4; ++j) p[s][j] = kPeerRows[s][j] * (1 - kPeerLeave[s]);
    p[s][4] = kPeerLeave[s];
  }
  p[4][4] = 1;
  std::uint32_t th[4][16] = {};
  for (int s = 0; s < 4; ++s) {
    double cum = 0;
    for (int j = 0; j < 4; ++j) {
      cum += p[s][j];
      th[j][s] = static_cast<std::uint32_t>(std::min(cum * 4294967296.0, 4294967295.0));
    }
  }
  double pi[5];
  for (int s = 0; s < 5; ++s) pi[s] = kPeerStart[s];
  for (int t = 0; t < months_run; ++t) {
    double next[5] = {};
    for (int s = 0; s < 5; ++s)
      for (int j = 0; j < 5; ++j) next[j] += pi[s] * p[s][j];
    for (int s = 0; s < 5; ++s) pi[s] = next[s];
  }
  const r123::Philox4x32::key_type key = {{0x2468aceU, 0x13579bdU}};
  std::vector<std::uint8_t> st(n), mo(n), ru(n), fl(n);
  std::vector<std::uint32_t> lo(n + 32), hi(n + 32);
  std::array<std::uint64_t, 5> occupancy{};
  std::uint32_t rep = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) {  // the start: pupil i's state by its share
      const double u = (static_cast<double>(i) + 0.5) / static_cast<double>(n);
      st[i] = static_cast<std::uint8_t>(u < 0.70 ? 0 : u < 0.85 ? 1 : u < 0.95 ? 2 : 3);
      mo[i] = 1;
      ru[i] = 0;
      fl[i] = st[i] >= 2 ? 3 : 0;
    }
    std::uint32_t returns = 0;
    for (int t = 0; t < months_run; ++t) {
      philox4x32_avx512_lanes(0, static_cast<std::uint32_t>(t) + 36U * rep, n + 31, key, lo.data(),
                              hi.data());
      returns += array_month(st.data(), mo.data(), ru.data(), fl.data(), hi.data(), n, th, 3);
    }
    for (std::size_t i = 0; i < n; ++i) ++occupancy[st[i]];
    benchmark::DoNotOptimize(returns);
    ++rep;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n) * months_run);
  // The chain it ran: every state's share at month 36 within 6 SE of pi0 P^36.
  const double total = static_cast<double>(n) * rep;
  for (int s = 0; s < 5; ++s) {
    const double share = static_cast<double>(occupancy[static_cast<std::size_t>(s)]) / total;
    const double se = std::sqrt(pi[s] * (1 - pi[s]) / total);
    if (std::abs(share - pi[s]) > 6 * se + 1e-12) {
      state.SkipWithError("the array kernel's occupancy is not pi0 P^36");
      return;
    }
  }
}
BENCHMARK(BM_ArrayKernelPeerChain)->Arg(100000)->Unit(benchmark::kMillisecond);
#pragma GCC diagnostic pop
#endif

}  // namespace

BENCHMARK_MAIN();
