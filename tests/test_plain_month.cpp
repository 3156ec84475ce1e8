// The AVX-512 kernel of plain pupil-months (models/plain_month.hpp) against the general rules
// (PupilRules::school_month_path and summer_step, models/pupil_rules.hpp), lane by lane on
// random pupils and draws with the edge values of every field, and the whole engine with and
// without it (the scalar loop of models/simulation.cpp, which the FastPath tests check against
// the general rules in turn): the same outcome, word for word, on a table of configs.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/plain_month.hpp"
#include "models/pupil_rules.hpp"
#include "models/simulation.hpp"
#include "outcome_equal.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

using namespace attendsim::models;
using namespace attendsim::models::detail;

/// The CPU runs the kernel (else the test is skipped: it would not test it).
bool plain_kernel_runs_here() {
  return plain_month_kernel_available();
}

ModelParams plain_test_params(const std::string& text) {
  const auto cfg = parse_model_config(attendsim::config::Document::parse(text, "plain.toml"));
  return realise(cfg, cfg.parameters.base_values());
}

std::string plain_reference_text(int pupils, int years) {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", std::to_string(pupils));
  t = testsupport::set_key(t, "simulation", "horizon_years", std::to_string(years));
  return t;
}

std::string plain_peer_text(int pupils) {
  std::string t =
      testsupport::read_file(std::string(ATTENDSIM_SOURCE_DIR) + "/bench/peer_chain.toml");
  return testsupport::set_key(t, "population", "pupils", std::to_string(pupils));
}

/// A random pupil: every field over its range, the rare ones (status, after-effect, relapse
/// window, case start) set in about one pupil in eight each, grade and band consistent.
Pupil random_plain_pupil(std::mt19937_64& g) {
  auto pick = [&](int n) { return static_cast<int>(g() % static_cast<std::uint64_t>(n)); };
  Pupil p;
  p.state = static_cast<std::uint8_t>(pick(10) < 9 ? pick(4) : kLeft);
  const int months_edges[] = {0, 1, 2, 3, 5, 6, 254, 255};
  p.months_in_state =
      static_cast<std::uint8_t>(pick(2) == 0 ? months_edges[pick(8)] : 1 + pick(40));
  p.grade = static_cast<std::uint8_t>(pick(13));
  p.band = static_cast<std::uint8_t>(band_of_grade(p.grade));
  p.gender = static_cast<std::uint8_t>(pick(2));
  p.regular_run = static_cast<std::uint8_t>(pick(2) == 0 ? months_edges[pick(8)] : pick(6));
  p.flags = static_cast<std::uint8_t>(pick(64));
  p.extensive_months_year = static_cast<std::uint8_t>(pick(4) == 0 ? pick(256) : 0);
  // (a month in extensive absence this year sets both; July clears both)
  if (p.extensive_months_year == 0) {
    p.flags &= static_cast<std::uint8_t>(~kExtensiveThisYear);
  } else {
    p.flags |= kExtensiveThisYear;
  }
  if (pick(8) == 0) p.relapse_left = static_cast<std::uint8_t>(1 + pick(6));
  if (pick(8) == 0) p.after_close = static_cast<std::uint8_t>(1 + pick(36));
  if (pick(8) == 0) p.case_start = static_cast<std::uint16_t>(1 + pick(30));
  if (pick(8) == 0) {
    p.status = static_cast<std::uint8_t>(1 + pick(4));
    p.status_months = static_cast<std::uint8_t>(pick(5));
    p.queued_at = static_cast<std::uint16_t>(pick(30));
  }
  return p;
}

/// A random draw, its words now and then at the month's cut points and thresholds or at
/// 2^32 - 1 (where the kernel's 32-bit thresholds are clamped).
std::uint64_t random_plain_draw(std::mt19937_64& g, const SchoolMonth& k, const Thresholds& th) {
  std::uint64_t lo = g() & 0xffffffffULL, hi = g() & 0xffffffffULL;
  switch (g() % 16) {
    case 0:
      hi = 0xffffffffULL;
      break;
    case 1:
      hi = std::min<std::uint64_t>(th[g() % 4], 0xffffffffULL);
      break;
    case 2:
      hi = std::min<std::uint64_t>(th[g() % 4], 0x100000000ULL) - (g() % 2);
      hi &= 0xffffffffULL;
      break;
    case 3:
      lo = std::min<std::uint64_t>(g() % 2 ? k.leave_bits : k.place_bits, 0xffffffffULL);
      break;
    case 4:
      lo = (g() % 2 ? k.leave_bits : k.place_bits) - 1;
      lo &= 0xffffffffULL;
      break;
    default:
      break;
  }
  return (hi << 32) | lo;
}

/// For `months` of the year (school months and, under transitions in every month, July and
/// August), groups of 16 random pupils through the kernel and, one by one, through the general
/// rules: the kernel's lanes must end as the rules leave them, with the same counts, and the
/// lanes it returns unchanged; the rules must count no rarer event on the kernel's lanes.
void check_kernel_lanes(const ModelParams& p, std::uint64_t seed, int groups) {
  const ScenarioSpec baseline;
  const int steps = p.horizon_years * kMonthsPerYear;
  const PupilRules rules(p, baseline, steps);
  const bool all_months = p.transitions.months == TransitionMonths::all;
  std::mt19937_64 g(seed);
  std::uint64_t plain_lanes = 0, general_lanes = 0, moves = 0;
  for (int m = 0; m < kMonthsPerYear; ++m) {
    const bool school = m < kSchoolMonthsPerYear;
    if (!school && !all_months) continue;
    const int t = kMonthsPerYear + m;
    const SchoolMonth k =
        school ? rules.school_month_constants(t, false, 0) : rules.summer_month_constants(t);
    const bool detect = p.detection.p_detect_per_month > 0;
    PlainMonth plain;
    ASSERT_TRUE(plain_month_constants(p, rules.table(), k, school && detect,
                                      (1U << kSubgroupCells) - 1, plain));
    for (int group = 0; group < groups; ++group) {
      std::array<Pupil, 16> pupils{};
      std::array<std::uint64_t, 16> x{};
      for (int i = 0; i < 16; ++i) {
        pupils[static_cast<std::size_t>(i)] = random_plain_pupil(g);
        const Pupil& q = pupils[static_cast<std::size_t>(i)];
        const int s = q.state == kLeft ? 0 : q.state;
        x[static_cast<std::size_t>(i)] =
            random_plain_draw(g, k, rules.table().bits(q.band, s, 0, m));
      }
      std::array<Pupil, 16> after = pupils;
      MonthTally kernel_tally;
      const std::uint32_t general = plain_month16(after.data(), x.data(), plain, kernel_tally);
      MonthTally rules_tally;
      ReplicationOutcome scratch = empty_outcome(steps);
      for (int i = 0; i < 16; ++i) {
        const auto ii = static_cast<std::size_t>(i);
        const Pupil& before = pupils[ii];
        if (general & (1U << i)) {
          ASSERT_NE(before.state, kLeft) << "a left pupil is nobody's to step";
          EXPECT_TRUE(after[ii] == before) << "month " << m << ", lane " << i << " changed";
          ++general_lanes;
          continue;
        }
        Pupil q = before;
        if (school) {
          if (q.state != kLeft) {
            ASSERT_TRUE(rules.school_month_path(q, x[ii], k, -1, rules_tally, scratch));
            ++plain_lanes;
          }
        } else {
          rules.summer_step(q, x[ii], k, rules_tally, scratch);
          plain_lanes += before.state != kLeft;
        }
        moves += q.state != before.state;
        EXPECT_TRUE(after[ii] == q)
            << "month " << m << ", lane " << i << ": state " << int(after[ii].state) << " vs "
            << int(q.state) << ", flags " << int(after[ii].flags) << " vs " << int(q.flags)
            << ", months " << int(after[ii].months_in_state) << " vs " << int(q.months_in_state);
      }
      for (int c = 0; c < kSubgroupCells; ++c) {
        for (int s = 0; s < kStates; ++s)
          EXPECT_EQ(kernel_tally.occ[c][s], rules_tally.occ[c][s])
              << "month " << m << ", cell " << c << ", state " << s;
        EXPECT_EQ(kernel_tally.sustained[c], rules_tally.sustained[c]) << "cell " << c;
        EXPECT_EQ(rules_tally.detected[c] + rules_tally.placed[c], 0U) << "cell " << c;
      }
      // No rarer event on a kernel lane: no count the rules keep in the outcome itself.
      const ReplicationOutcome none = empty_outcome(steps);
      EXPECT_TRUE(scratch.counts() == none.counts()) << "month " << m;
      EXPECT_EQ(scratch.events.repeated_years, none.events.repeated_years);
      EXPECT_EQ(scratch.school_exits, none.school_exits);
    }
  }
  // Both kinds of lane, and moves among the kernel's, were met.
  EXPECT_GT(plain_lanes, 100U);
  EXPECT_GT(general_lanes, 100U);
  EXPECT_GT(moves, 20U);
}

void expect_same_with_and_without_kernel(const ModelParams& p, const ScenarioSpec& scenario,
                                         std::uint64_t seed, const std::string& what) {
  const attendsim::StreamKey key{seed, 2, 1, 0, 0};
  const ReplicationOutcome on = simulate(p, scenario, key, nullptr, {.plain_kernel = true});
  const ReplicationOutcome off = simulate(p, scenario, key, nullptr, {.plain_kernel = false});
  testsupport::expect_same_outcome(on, off, what);
}

}  // namespace

TEST(PlainMonth, KernelLanesEqualTheGeneralRulesOnRandomPupils) {
  if (!plain_kernel_runs_here()) GTEST_SKIP() << "this CPU has no AVX-512 BW/VL/VBMI";
  // The reference: duration buckets, seasonality, relapse windows, leaving, placement,
  // detection (so that entries to high and extensive absence go to the general rules).
  check_kernel_lanes(plain_test_params(plain_reference_text(100, 2)), 1, 200);
  // Without detection, sustained returns after one month, transitions in every month.
  std::string t = plain_reference_text(100, 2);
  t = testsupport::set_key(t, "detection", "p_detect_per_month", "0");
  t = testsupport::set_key(t, "outcomes", "sustained_return_months", "1");
  t.insert(t.find("[transitions.grade0_6]"), "[transitions]\nmonths = \"all\"\n\n");
  check_kernel_lanes(plain_test_params(t), 2, 200);
  // The peers' chain: leaving by state (a fifth interval of the row), every month.
  check_kernel_lanes(plain_test_params(plain_peer_text(100)), 3, 200);
}

TEST(PlainMonth, SameOutcomeWithAndWithoutTheKernel) {
  if (!plain_kernel_runs_here()) GTEST_SKIP() << "this CPU has no AVX-512 BW/VL/VBMI";
  // Pupils not a multiple of 16 (a scalar tail) over two chunks.
  const ModelParams ref = plain_test_params(plain_reference_text(5003, 3));
  expect_same_with_and_without_kernel(ref, ScenarioSpec{}, 1, "reference, baseline");
  ScenarioSpec staffed;
  staffed.name = "staffed";
  staffed.staffing.periods = {{0, 2.0}, {14, 0.5}, {20, 4.0}};
  expect_same_with_and_without_kernel(ref, staffed, 2, "reference, coordinators");
  std::string all = plain_reference_text(4099, 3);
  all.insert(all.find("[transitions.grade0_6]"), "[transitions]\nmonths = \"all\"\n\n");
  expect_same_with_and_without_kernel(plain_test_params(all), staffed, 3,
                                      "reference, every month, coordinators");
  expect_same_with_and_without_kernel(plain_test_params(plain_peer_text(20000)), ScenarioSpec{}, 4,
                                      "peers' chain");
  std::string young = plain_reference_text(3001, 4);
  young = testsupport::set_key(young, "population", "grade_max", "8");
  young.insert(young.find("[transitions.grade0_6]"), "[transitions]\nmonths = \"all\"\n\n");
  expect_same_with_and_without_kernel(plain_test_params(young), ScenarioSpec{}, 5,
                                      "grades 0-8, every month (cells that appear in August)");
}

TEST(PlainMonth, SameBaselineRecordWithAndWithoutTheKernel) {
  if (!plain_kernel_runs_here()) GTEST_SKIP() << "this CPU has no AVX-512 BW/VL/VBMI";
  const ModelParams p = plain_test_params(plain_reference_text(4003, 3));
  const attendsim::StreamKey key{9, 0, 0, 0, 0};
  BaselineRecord on, off;
  record_baseline(p, key, on, true, {.plain_kernel = true});
  record_baseline(p, key, off, true, {.plain_kernel = false});
  testsupport::expect_same_outcome(on.outcome, off.outcome, "recorded baseline");
  ASSERT_EQ(on.high_months.size(), off.high_months.size());
  for (std::size_t i = 0; i < on.high_months.size(); ++i) {
    EXPECT_EQ(on.high_months[i].pupil, off.high_months[i].pupil);
    EXPECT_EQ(on.high_months[i].step, off.high_months[i].step);
    EXPECT_TRUE(on.high_months[i].state == off.high_months[i].state);
  }
  ASSERT_EQ(on.referral_points.size(), off.referral_points.size());
  EXPECT_EQ(on.replacements, off.replacements);
  EXPECT_GT(on.high_months.size(), 1000U);
}
