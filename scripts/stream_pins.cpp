// Independent computation of the pinned stream values of tests/test_streams.cpp and
// tests/test_draw_order.cpp (stream derivation version 3). Includes neither attendsim nor
// Random123. Build and run: g++ -O2 -std=c++20 scripts/stream_pins.cpp -o /tmp/pins && /tmp/pins
// Independent of attendsim and of Random123: std::seed_seq, std::mt19937_64 and Philox2x64-10
// written from the paper (Salmon et al. 2011): M = 0xD2B74407B1CE6E93, W = 0x9E3779B97F4A7C15.
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>
using u64 = std::uint64_t;
using u32 = std::uint32_t;
static void philox(u64 c0, u64 c1, u64 k, u64 out[2]) {
  for (int r = 0; r < 10; ++r) {
    if (r) k += 0x9E3779B97F4A7C15ULL;
    unsigned __int128 p = (unsigned __int128)0xD2B74407B1CE6E93ULL * c0;
    u64 hi = (u64)(p >> 64), lo = (u64)p;
    c0 = hi ^ k ^ c1;
    c1 = lo;
  }
  out[0] = c0;
  out[1] = c1;
}
static u32 lo(u64 v) {
  return (u32)v;
}
static u32 hi(u64 v) {
  return (u32)(v >> 32);
}
static void mt3(u64 seed, u64 d, u64 rep, u32 purpose, u64 sub) {
  std::seed_seq s{0x61747464U, 3U,      lo(seed), hi(seed), lo(d),  hi(d),
                  lo(rep),     hi(rep), purpose,  lo(sub),  hi(sub)};
  std::mt19937_64 e(s);
  u64 a = e(), b = e(), c = e();
  printf("mt v3 {%llx,%llx,%llx,%x,%llx}: %016llx %016llx %016llx\n", (unsigned long long)seed,
         (unsigned long long)d, (unsigned long long)rep, purpose, (unsigned long long)sub,
         (unsigned long long)a, (unsigned long long)b, (unsigned long long)c);
}
static u64 key(u64 seed, u64 d, u64 rep, u32 purpose, u64 sub) {
  std::seed_seq s{0x61747464U, 3U, lo(seed), hi(seed), hi(d), hi(rep), purpose, lo(sub), hi(sub)};
  u32 k[2];
  s.generate(k, k + 2);
  return ((u64)k[1] << 32) | k[0];
}
static void pm(u64 seed, u64 d, u64 rep, u32 purpose, u64 sub, u64 item, u32 step) {
  u64 k = key(seed, d, rep, purpose, sub), o[2];
  philox((item >> 1) + ((u64)step << 32), ((u64)lo(d) << 32) | lo(rep), k, o);
  printf("pm {%llx,%llx,%llx,%x,%llx} key %016llx item %llu step %u: %016llx\n",
         (unsigned long long)seed, (unsigned long long)d, (unsigned long long)rep, purpose,
         (unsigned long long)sub, (unsigned long long)k, (unsigned long long)item, step,
         (unsigned long long)o[item & 1]);
}
int main() {
  u64 o[2];
  philox(0, 0, 0, o);
  printf("kat0 %016llx %016llx\n", (unsigned long long)o[0], (unsigned long long)o[1]);
  philox(0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, o);
  printf("katpi %016llx %016llx\n", (unsigned long long)o[0], (unsigned long long)o[1]);
  mt3(1, 0, 0, 0, 0);
  mt3(0x0123456789abcdefULL, 3, 0x100000002ULL, 0x7075706dU, 0x500000007ULL);
  pm(1, 0, 0, 0x7075706dU, 0, 0, 0);
  pm(1, 0, 0, 0x7075706dU, 0, 1, 0);
  pm(1, 0, 0, 0x7075706dU, 0, 4097, 119);
  pm(0x0123456789abcdefULL, 3, 0x100000002ULL, 0x7075706dU, 0x500000007ULL, 12345, 7);
  pm(11, 0, 0, 0x7075706dU, 0, 0, 0);
}
