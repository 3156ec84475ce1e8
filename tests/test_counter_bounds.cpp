// A pupil's counters cannot wrap: the config bounds every month count it compares them with
// by the counters' range (models/simulation.hpp kMaxCounterMonths, kMaxHorizonYears), and a
// case at the largest allowed max_case_months closes after exactly that many months.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/config_schema.hpp"
#include "models/case_book.hpp"
#include "models/pupil_rules.hpp"
#include "models/simulation.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "support.hpp"

using namespace attendsim::models;

namespace {

/// The message of parsing the reference config with `key = value` in `section`, or "".
std::string config_error(const std::string& section, const std::string& key,
                         const std::string& value) {
  const auto text = testsupport::set_key(testsupport::reference_config_text(), section, key, value);
  try {
    (void)parse_model_config(attendsim::config::Document::parse(text, "ref.toml"));
  } catch (const attendsim::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CounterBounds, TheBoundsAreTheCountersRanges) {
  EXPECT_EQ(kMaxCounterMonths, 255);  // status_months is one byte
  EXPECT_EQ(kMaxHorizonYears, 100);   // 1200 steps: queued_at and case_start are 16-bit
}

TEST(CounterBounds, MonthCountsBeyondTheCountersAreInputErrors) {
  for (const auto& [section, key] : std::vector<std::pair<std::string, std::string>>{
           {"detection", "school_action_months"},
           {"coordinators", "max_case_months"},
           {"coordinators", "close_after_regular_months"}}) {
    EXPECT_EQ(config_error(section, key, "255"), "") << key;
    const auto msg = config_error(section, key, "256");
    EXPECT_NE(msg.find("ref.toml:"), std::string::npos) << msg;
    EXPECT_NE(msg.find(section + "." + key), std::string::npos) << msg;
    EXPECT_NE(msg.find("..255, got 256"), std::string::npos) << msg;
    // A distribution must stay within the bound too (its draws are rounded to months).
    const auto dist = config_error(section, key, "{ dist = \"uniform\", low = 200, high = 300 }");
    EXPECT_NE(dist.find(section + "." + key), std::string::npos) << dist;
    EXPECT_NE(dist.find(", 255]"), std::string::npos) << dist;
  }
  // Month counts no pupil counter sees keep the wider bound.
  EXPECT_EQ(config_error("coordinators", "rampup_months", "600"), "");
  EXPECT_EQ(config_error("simulation", "horizon_years", "100"), "");
  const auto msg = config_error("simulation", "horizon_years", "101");
  EXPECT_NE(msg.find("simulation.horizon_years"), std::string::npos) << msg;
}

TEST(CounterBounds, ACaseAtTheLargestMaxCaseMonthsClosesAfterExactlyThatMany) {
  // One pupil, waiting, admitted at the first management (status_months = 0); each later
  // management adds a month and the case closes when status_months reaches max_case_months.
  // Never regular, so close_after_regular_months does not close it. By hand: admitted at
  // call 0, status_months = k after call k, closed at call 255 (a wrapped byte never would).
  CoordinatorParams cp;
  cp.max_case_months = kMaxCounterMonths;
  cp.close_after_regular_months = kMaxCounterMonths;
  const int calls = 300;
  ReplicationOutcome out;
  out.queue_length.assign(calls, 0);
  out.open_cases.assign(calls, 0);
  std::vector<Pupil> pupils(1);
  pupils[0].state = static_cast<std::uint8_t>(State::extensive);
  pupils[0].status = static_cast<std::uint8_t>(PupilStatus::waiting);
  detail::CaseBook book(Allocation::fifo, attendsim::StreamKey{1, 0, 0, 0, 0});
  book.add_referral(0);
  const double eligible[kGenders] = {1, 0};
  int closed_at = -1;
  for (int t = 0; t < calls && closed_at < 0; ++t) {
    book.manage(t, 1, cp, eligible, pupils.data(), out);
    if (t == 0) {
      ASSERT_EQ(pupils[0].status, static_cast<std::uint8_t>(PupilStatus::in_case));
    }
    if (pupils[0].status != static_cast<std::uint8_t>(PupilStatus::in_case)) closed_at = t;
  }
  EXPECT_EQ(closed_at, 255);
  EXPECT_EQ(out.cases_started[0], 1.0);
}
