// Bytes per pupil in flight: the heap a scenario simulated from the recorded baseline needs,
// per pupil, at 1 000 and at 1 000 000 pupils (issue 17: at most 64, flat in the number of
// pupils).
//
// Method: this executable replaces the global operator new / delete (each block carries its
// size in a 16-byte header), so it knows the live heap bytes at any moment and their peak.
// For one replication of configs/reference.toml (5 years, coordinators on) it measures the
// peak of live bytes, above those live before, over what one worker of a run does for a unit:
// record the baseline (record_baseline, without high months, as run_experiment does) and
// simulate the configured scenario from the record (simulate_from_baseline), both outcomes
// kept to the end. Bytes per pupil in flight = (peak at N pupils - peak at 1 pupil) / (N - 1):
// the part that grows with the pupils; the peak at 1 pupil is the unit's fixed part
// (transition tables, per-step outcome series, case book). At 1 000 000 pupils the whole
// peak / N is asserted as well. The config is read before the window opens (the peak starts
// from the live bytes then). Not built in the sanitizer tree (which has its own allocator).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/simulation.hpp"
#include "paths.hpp"

namespace {

std::atomic<std::int64_t> g_live{0};
std::atomic<std::int64_t> g_peak{0};
constexpr std::size_t kHeader = 16;

void* counted_alloc(std::size_t n) {
  void* raw = std::malloc(n + kHeader);
  if (raw == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(raw) = n;
  const std::int64_t now =
      g_live.fetch_add(static_cast<std::int64_t>(n)) + static_cast<std::int64_t>(n);
  std::int64_t peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
  }
  return static_cast<char*>(raw) + kHeader;
}

void counted_free(void* p) {
  if (p == nullptr) return;
  void* raw = static_cast<char*>(p) - kHeader;
  g_live.fetch_sub(static_cast<std::int64_t>(*static_cast<std::size_t*>(raw)));
  std::free(raw);
}

}  // namespace

void* operator new(std::size_t n) {
  return counted_alloc(n);
}
void* operator new[](std::size_t n) {
  return counted_alloc(n);
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete[](void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_free(p);
}

namespace {

/// Peak heap bytes in flight (above those live before) for one unit (record + scenario from
/// it) of configs/reference.toml at `pupils`.
std::int64_t peak_bytes(int pupils) {
  auto cfg = attendsim::models::load_model_config(std::string(ATTENDSIM_SOURCE_DIR) +
                                                  "/configs/reference.toml");
  auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  params.population.pupils = pupils;
  const attendsim::StreamKey key{1, 0, 0, 0, 0};
  const std::int64_t before = g_live.load();
  g_peak.store(before);
  std::int64_t peak = 0;
  {
    attendsim::models::BaselineRecord record;
    attendsim::models::record_baseline(params, key, record, /*keep_high_months=*/false);
    attendsim::models::FromBaselineCost cost;
    const auto scenario =
        attendsim::models::simulate_from_baseline(record, params, cfg.scenario, &cost);
    peak = g_peak.load() - before;
    std::printf(
        "%d pupils: peak %lld bytes in flight (%.1f per pupil); referral points %zu "
        "(%zu bytes each), replacements %zu, divergences %llu\n",
        pupils, static_cast<long long>(peak), static_cast<double>(peak) / pupils,
        record.referral_points.size(), sizeof(attendsim::models::ReferralPoint),
        record.replacements.size(), static_cast<unsigned long long>(cost.diverged_pupils));
  }
  return peak;
}

}  // namespace

TEST(MemoryInFlight, CountingAllocatorSeesAVector) {
  // The method itself: a vector of 1 000 000 doubles raises the peak by 8 000 000 bytes.
  const std::int64_t before = g_live.load();
  g_peak.store(before);
  {
    std::vector<double> v(1000000, 1.0);
    EXPECT_EQ(g_live.load() - before, 8000000);
  }
  EXPECT_EQ(g_peak.load() - before, 8000000);
  EXPECT_EQ(g_live.load(), before);
}

// Bytes per pupil = (peak(N) - peak(1)) / (N - 1): what grows with the pupils. peak(1) is the
// unit's fixed part (transition tables, outcome series by step, case book), the same at any N.
TEST(MemoryInFlight, BelowSixtyFourBytesPerPupilAt1000And1000000) {
  const std::int64_t fixed = peak_bytes(1);
  const std::int64_t small = peak_bytes(1000);
  const std::int64_t large = peak_bytes(1000000);
  const double per_pupil_small = static_cast<double>(small - fixed) / 999.0;
  const double per_pupil_large = static_cast<double>(large - fixed) / 999999.0;
  std::printf(
      "fixed %lld bytes; per pupil in flight: %.1f at 1 000, %.1f at 1 000 000 (all "
      "included: %.1f at 1 000 000)\n",
      static_cast<long long>(fixed), per_pupil_small, per_pupil_large,
      static_cast<double>(large) / 1e6);
  EXPECT_LT(per_pupil_small, 64.0);
  EXPECT_LT(per_pupil_large, 64.0);
  // At a million pupils the fixed part is negligible: the whole peak is below 64 per pupil too.
  EXPECT_LT(static_cast<double>(large) / 1e6, 64.0);
}
