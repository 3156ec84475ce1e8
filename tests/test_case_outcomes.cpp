// Case outcomes (analysis/metrics.hpp rows): the wait of admitted pupils apart from the time
// in the queue of those never admitted, cases per FTE-year, sustained returns within 12
// months of a case's start, the queue length and the case mix at admission. Worked on a
// hand-built outcome; on simulated ones, every subgroup count sums exactly to its total.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis/metrics.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/simulation.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

using attendsim::models::Metric;
using attendsim::models::ReplicationOutcome;

double value(const ReplicationOutcome& o, Metric m) {
  return attendsim::models::metric_info(m).compute(o, nullptr);
}

}  // namespace

TEST(CaseOutcomes, HandBuiltOutcome) {
  ReplicationOutcome o;
  o.steps = 24;
  o.events.resize(24);
  o.queue_length.assign(24, 0.0);
  // 2 FTE from step 0 to 11 (one year): 2 FTE-years.
  for (int t = 0; t < 12; ++t) o.events.fte[static_cast<std::size_t>(t)] = 2.0;
  // Queue after the school months 0..9 of year 1: 4 each; 7 in a summer month (not read)
  // and 9 in year 2 (no FTE: not read). Mean over the staffed school months: 4.
  for (int t = 0; t < 10; ++t) o.queue_length[static_cast<std::size_t>(t)] = 4;
  o.queue_length[10] = 7;
  o.queue_length[14] = 9;
  // The metric reads the counted queue pupil-months (case management counts its queue each
  // school month; the queue is empty when no slot is staffed): 10 months x 4.
  o.queue_pupil_months = 10 * 4;
  // 6 queued (4 boys, 2 girls) waiting 16 months in all; 3 admitted after 6 months in all.
  o.queued[0] = 4;
  o.queued[1] = 2;
  o.wait_months_sum[0] = 10;
  o.wait_months_sum[1] = 6;
  o.cases_started[0] = 2;
  o.cases_started[1] = 1;
  o.admitted_wait_months_sum[0] = 3;
  o.admitted_wait_months_sum[1] = 3;
  o.returns_within_12_months[0] = 1;
  o.returns_within_12_months[1] = 1;
  o.referrals_held_back[0] = 5;
  o.admitted_by_state[2] = 1;
  o.admitted_by_state[3] = 2;
  o.admitted_by_band[1] = 3;
  EXPECT_DOUBLE_EQ(value(o, Metric::mean_wait_months), 16.0 / 6.0);
  EXPECT_DOUBLE_EQ(value(o, Metric::mean_wait_admitted_months), 6.0 / 3.0);
  EXPECT_DOUBLE_EQ(value(o, Metric::mean_queue_time_not_admitted_months), (16.0 - 6.0) / 3.0);
  EXPECT_DOUBLE_EQ(value(o, Metric::cases_started_per_fte_year), 3.0 / 2.0);
  EXPECT_DOUBLE_EQ(value(o, Metric::sustained_return_within_12_months_share), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(value(o, Metric::mean_queue_length), 4.0);
  EXPECT_DOUBLE_EQ(value(o, Metric::referrals_held_back), 5.0);
  EXPECT_DOUBLE_EQ(value(o, Metric::cases_started_high), 1.0);
  EXPECT_DOUBLE_EQ(value(o, Metric::cases_started_extensive), 2.0);
  EXPECT_DOUBLE_EQ(value(o, Metric::cases_started_grade7_9), 3.0);
  // Undefined without cases or FTE; waits 0 when nobody queued (as mean_wait_months).
  ReplicationOutcome none;
  none.steps = 24;
  none.events.resize(24);
  none.queue_length.assign(24, 0.0);
  EXPECT_TRUE(std::isnan(value(none, Metric::cases_started_per_fte_year)));
  EXPECT_TRUE(std::isnan(value(none, Metric::sustained_return_within_12_months_share)));
  EXPECT_EQ(value(none, Metric::mean_wait_admitted_months), 0.0);
  EXPECT_EQ(value(none, Metric::mean_queue_time_not_admitted_months), 0.0);
}

TEST(CaseOutcomes, SubgroupsSumToTotalsInSimulatedOutcomes) {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "6000");
  const auto cfg = attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
  const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  for (int r = 0; r < 3; ++r) {
    const auto o =
        attendsim::models::simulate(p, cfg.scenario, {9, 0, static_cast<unsigned>(r), 0, 0});
    const double cases = value(o, Metric::cases_started);
    ASSERT_GT(cases, 0);
    double by_state = 0, by_band = 0;
    for (double x : o.admitted_by_state) by_state += x;
    for (double x : o.admitted_by_band) by_band += x;
    EXPECT_EQ(by_state, cases);
    EXPECT_EQ(by_band, cases);
    EXPECT_EQ(value(o, Metric::cases_started_grade0_6) + value(o, Metric::cases_started_grade7_9) +
                  value(o, Metric::cases_started_grade10_12),
              cases);
    for (auto [total, boys, girls] :
         {std::array{Metric::sustained_returns, Metric::sustained_returns_boys,
                     Metric::sustained_returns_girls},
          std::array{Metric::cases_started, Metric::cases_started_boys,
                     Metric::cases_started_girls},
          std::array{Metric::detected, Metric::detected_boys, Metric::detected_girls},
          std::array{Metric::referrals, Metric::referrals_boys, Metric::referrals_girls}}) {
      EXPECT_EQ(value(o, boys) + value(o, girls), value(o, total))
          << attendsim::models::metric_info(total).name;
    }
    // A return within 12 months of a case's start is a sustained return, once per case.
    const double within = o.returns_within_12_months[0] + o.returns_within_12_months[1];
    EXPECT_GT(within, 0);
    EXPECT_LE(within, cases);
    EXPECT_LE(within, value(o, Metric::sustained_returns));
    // The admitted waited at most as long as all queued together.
    EXPECT_LE(o.admitted_wait_months_sum[0] + o.admitted_wait_months_sum[1],
              o.wait_months_sum[0] + o.wait_months_sum[1]);
  }
}
