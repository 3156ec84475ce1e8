// The bridge from the plan's own calculation to the simulated ROI (analysis/bridge.hpp) and a
// fund's repayment (analysis/fund.hpp): each step recomputed by hand on one small case, the
// fund's expected repayment and probability on hand-built draws, and calc's table end to end.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "analysis/bridge.hpp"
#include "analysis/economics.hpp"
#include "analysis/fund.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace attendsim::models;

namespace {

/// Two years (24 monthly steps) of one unit. The scenario has 1 FTE in year 1 (steps 0-11),
/// the baseline none. Differences baseline - scenario: 1 repeated year at step 10, 2
/// summer-school places at step 9, 1 placement at step 5, 2 non-completions at step 22, and
/// 1 expected non-completion past the horizon at step 34.
void small_case(EventSeries& b, EventSeries& s) {
  b.resize(24);
  s.resize(24);
  for (int t = 0; t < 12; ++t) s.fte[static_cast<std::size_t>(t)] = 1.0;
  b.repeated_years[10] = 3;
  s.repeated_years[10] = 2;
  b.summer_school[9] = 5;
  s.summer_school[9] = 3;
  b.placements[5] = 1;
  b.noncompletions[22] = 3;
  s.noncompletions[22] = 1;
  b.terminal_noncompletions.assign(48, 0.0);
  s.terminal_noncompletions.assign(48, 0.0);
  b.terminal_noncompletions[34] = 1.5;
  s.terminal_noncompletions[34] = 0.5;
}

EconomicsParams small_economics() {
  EconomicsParams e;
  e.perspective = Perspective::public_sector;
  e.discount_rate = 0.04;
  e.cost_per_fte_year_sek = 600000;
  e.team_overhead_sek_per_year = 60000;
  e.other_costs_sek_per_year = 0;
  e.cost_repeated_year_sek = 100000;
  e.cost_summer_school_sek = 5000;
  e.cost_placement_per_day_sek = 1000;
  e.placement_months = 2;  // value of a placement: 2 * 365.25 / 12 * 1000 = 60 875
  e.longterm_loss_noncompletion_sek = 2000000;
  e.longterm_loss_public_share = 0.5;
  e.age_at_completion = 19;
  e.loss_start_age = 24;
  e.loss_end_age = 26;  // two loss years: A = (1.04^-5 + 1.04^-6) / 2
  e.attribution = 0.1;
  e.dropoff_per_year = 0.2;
  e.terminal_value = true;
  return e;
}

PlanInputs small_plan() {
  PlanInputs p;
  p.present = true;
  p.cost_of_effort_sek = 1000000;
  p.avoided_repeated_years = 5;
  p.cost_per_repeated_year_sek = 110000;
  p.avoided_summer_school = 10;
  p.cost_summer_school_sek = 4000;
  p.completers_gained = 1;
  p.saving_per_completer_sek = 3000000;
  return p;
}

}  // namespace

TEST(Bridge, EachStepByHandOnASmallCase) {
  EventSeries b, s;
  small_case(b, s);
  const auto e = small_economics();
  const auto steps = bridge_steps(e);
  using S = BridgeStep;
  ASSERT_EQ(steps, (std::vector<S>{S::plan, S::cost, S::effects_short, S::effects_long,
                                   S::placements, S::unit_values, S::past_horizon, S::perspective,
                                   S::discounting, S::attribution}));
  const auto roi = bridge_unit_rois(small_plan(), e, steps, b, s);
  ASSERT_EQ(roi.size(), steps.size());
  // By hand:
  //  0 plan: (5 * 110 000 + 10 * 4 000 + 1 * 3 000 000) / 1 000 000 = 3 590 000 / 1e6
  //  1 cost: 12 months at (600 000 + 60 000) / 12 = 660 000 SEK, undiscounted
  //  2 simulated short-term at the plan's unit costs: 1 * 110 000 + 2 * 4 000 = 118 000,
  //    plus the plan's long-term 3 000 000
  //  3 simulated non-completions within the horizon at the plan's value: 2 * 3 000 000
  //  4 placements: + 1 * 60 875
  //  5 the model's unit values: 100 000 + 2 * 5 000 + 60 875 + 2 * 2 000 000 = 4 170 875
  //  6 past the horizon: + 1 * 2 000 000
  //  7 public sector: half the long-term loss: 170 875 + 3 * 1 000 000
  const double cost0 = 660000;
  EXPECT_DOUBLE_EQ(roi[0], 3.59);
  EXPECT_NEAR(roi[1], 3590000.0 / cost0, 1e-12);
  EXPECT_NEAR(roi[2], 3118000.0 / cost0, 1e-12);
  EXPECT_NEAR(roi[3], 6118000.0 / cost0, 1e-12);
  EXPECT_NEAR(roi[4], 6178875.0 / cost0, 1e-12);
  EXPECT_NEAR(roi[5], 4170875.0 / cost0, 1e-12);
  EXPECT_NEAR(roi[6], 6170875.0 / cost0, 1e-12);
  EXPECT_NEAR(roi[7], 3170875.0 / cost0, 1e-12);
  //  8 discounting at 4 %: df(t) = 1.04^(-t/12) on every step; the loss of a non-completer
  //    falls at ages 24 and 25 and is discounted to 19: A = (1.04^-5 + 1.04^-6) / 2.
  auto df = [](double t) { return std::pow(1.04, -t / 12.0); };
  double cost = 0;
  for (int t = 0; t < 12; ++t) cost += df(t) * 55000.0;
  const double A = (std::pow(1.04, -5.0) + std::pow(1.04, -6.0)) / 2.0;
  const double v = 0.5 * 2000000.0 * A;
  const double short8 = df(10) * 100000.0 + df(9) * 2 * 5000.0 + df(5) * 60875.0;
  const double long8 = df(22) * 2 * v + df(34) * 1 * v;
  EXPECT_NEAR(roi[8], (short8 + long8) / cost, 1e-9);
  //  9 attribution 10 % on everything, drop-off 20 % a year after the last staffed step (11):
  //    steps 22 and 34 keep 0.8^(11/12) and 0.8^(23/12).
  const double savings9 = 0.9 * (short8 + df(22) * std::pow(0.8, 11.0 / 12) * 2 * v +
                                 df(34) * std::pow(0.8, 23.0 / 12) * v);
  EXPECT_NEAR(roi[9], savings9 / cost, 1e-9);
  // The last row is the simulated ROI itself, bit for bit.
  EXPECT_EQ(roi.back(), evaluate_economics(e, b, s).roi);
}

TEST(Bridge, StepsThatChangeNothingAreLeftOutAndTheLastIsStillTheSimulation) {
  EventSeries b, s;
  small_case(b, s);
  auto e = small_economics();
  e.attribution = 0;
  e.dropoff_per_year = 0;
  e.terminal_value = false;
  e.perspective = Perspective::society;
  using S = BridgeStep;
  const auto steps = bridge_steps(e);
  EXPECT_EQ(steps, (std::vector<S>{S::plan, S::cost, S::effects_short, S::effects_long,
                                   S::placements, S::unit_values, S::discounting}));
  const auto roi = bridge_unit_rois(small_plan(), e, steps, b, s);
  EXPECT_EQ(roi.back(), evaluate_economics(e, b, s).roi);
  // Only discounting separates row 5 from the configured economics: undiscounted, society,
  // no value past the horizon: 4 170 875 / 660 000.
  EXPECT_NEAR(roi[5], 4170875.0 / 660000.0, 1e-12);
}

TEST(Fund, EffectRuleOnHandBuiltDraws) {
  FundTerms t;
  t.present = true;
  t.amount_sek = 1000000;
  t.rule = FundRule::effect;
  t.threshold = 1;
  t.by_year = 2;
  t.repay_over_years = 3;
  // Four units (one draw, four replications), the effect measure at the end of years 1-3:
  //   met in year 2; met in year 1; 0.9 < 1 never; met only in year 3, after by_year: never.
  const std::vector<std::vector<double>> m = {
      {0.5, 1.2, 2}, {2, 0, 0}, {0, 0.9, 0.9}, {0.2, 0.4, 5}};
  std::vector<FundUnit> units;
  for (const auto& v : m) units.push_back(fund_unit(t, v, {}));
  EXPECT_EQ(units[0].first_year, 2);
  EXPECT_EQ(units[1].first_year, 1);
  EXPECT_TRUE(std::isnan(units[2].first_year));
  EXPECT_TRUE(std::isnan(units[3].first_year));
  const auto o = summarise_fund(t, units, 1, 4);
  // E[R] = (1e6 + 1e6 + 0 + 0) / 4; P = 2/4 with standard error sd/sqrt(4), where the sample
  // sd of {1, 1, 0, 0} is sqrt(4 * 0.25 / 3) = 0.57735: se = 0.288675.
  EXPECT_DOUBLE_EQ(o.repayment.mean, 500000);
  EXPECT_DOUBLE_EQ(o.repaid.mean, 0.5);
  EXPECT_NEAR(o.repaid.se, std::sqrt(1.0 / 3.0) / 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(o.full.mean, 0.5);
  ASSERT_EQ(o.p_repaid_by_year.size(), 2u);
  EXPECT_DOUBLE_EQ(o.p_repaid_by_year[0], 0.25);
  EXPECT_DOUBLE_EQ(o.p_repaid_by_year[1], 0.5);
  EXPECT_EQ(o.median_first_year, 1);  // lower median of {1, 2}
  // The same units as two draws of two replications: per-draw shares 1 and 0.
  const auto d = summarise_fund(t, units, 2, 2);
  EXPECT_DOUBLE_EQ(d.repaid.mean, 0.5);
  EXPECT_EQ(d.repaid.n, 2u);
  EXPECT_NEAR(d.repaid.se, std::sqrt(0.5) / std::sqrt(2.0), 1e-12);  // sd of {1, 0} / sqrt(2)
}

TEST(Fund, PresentValueOfTheRepaymentOnHandBuiltDraws) {
  // A = 900 000 repaid over 3 years once the effect is met; the rate is 5 % a year.
  FundTerms t;
  t.present = true;
  t.amount_sek = 900000;
  t.rule = FundRule::effect;
  t.threshold = 1;
  t.by_year = 2;
  t.repay_over_years = 3;
  const double r = 0.05;
  // Met in year 2: 300 000 at the end of years 3, 4 and 5, each discounted to the start:
  // 300 000 (1.05^-3 + 1.05^-4 + 1.05^-5) = 300 000 (0.863838 + 0.822702 + 0.783526)
  // = 741 019.9 (by hand: 1 / 1.157625, 1 / 1.21550625, 1 / 1.2762815625).
  const auto met2 = fund_unit(t, {0.5, 1.5}, {}, r);
  EXPECT_DOUBLE_EQ(met2.repayment_sek, 900000);  // nominal: the whole amount
  EXPECT_NEAR(met2.present_value_sek, 300000 * (1 / 1.157625 + 1 / 1.21550625 + 1 / 1.2762815625),
              1e-6);
  EXPECT_NEAR(met2.present_value_sek, 741019.9, 0.1);
  // Met in year 1: one year earlier, so worth 1.05 times as much.
  const auto met1 = fund_unit(t, {3, 3}, {}, r);
  EXPECT_NEAR(met1.present_value_sek, 1.05 * met2.present_value_sek, 1e-6);
  // Never met: 0. At rate 0 the present value is the nominal repayment.
  const auto never = fund_unit(t, {0, 0}, {}, r);
  EXPECT_EQ(never.present_value_sek, 0);
  EXPECT_DOUBLE_EQ(fund_unit(t, {0.5, 1.5}, {}, 0.0).present_value_sek, 900000);
  // Across the three units (one draw, three replications): the mean of the unit values.
  const auto o = summarise_fund(t, {met2, met1, never}, 1, 3);
  EXPECT_DOUBLE_EQ(o.repayment.mean, 600000);
  EXPECT_NEAR(o.present_value.mean, (2.05 * met2.present_value_sek) / 3, 1e-6);
  // share_of_savings: the payments are shares of savings already discounted: PV = R.
  FundTerms s = t;
  s.rule = FundRule::share_of_savings;
  s.share_of_savings = 0.5;
  const auto u = fund_unit(s, {}, {400000, 100000}, r);
  EXPECT_DOUBLE_EQ(u.repayment_sek, 250000);
  EXPECT_DOUBLE_EQ(u.present_value_sek, 250000);
}

TEST(Fund, ShareOfSavingsRuleOnHandBuiltDraws) {
  FundTerms t;
  t.present = true;
  t.amount_sek = 1000000;
  t.rule = FundRule::share_of_savings;
  t.share_of_savings = 0.5;
  t.by_year = 3;
  // Unit 1: savings 400 000, -100 000, 2 000 000 by year: pays 200 000 in year 1, nothing in
  // year 2, and in year 3 min(1e6, 200 000 + 1 000 000) = 1e6: repaid in full, first in year 1.
  // Unit 2: savings only in year 4 (after by_year): nothing. Unit 3: 300 000 in year 2: 150 000.
  const auto u1 = fund_unit(t, {}, {400000, -100000, 2000000, 0});
  const auto u2 = fund_unit(t, {}, {-5, -5, -5, 9e9});
  const auto u3 = fund_unit(t, {}, {0, 300000, 0, 0});
  EXPECT_DOUBLE_EQ(u1.repayment_sek, 1000000);
  EXPECT_TRUE(u1.full);
  EXPECT_EQ(u1.first_year, 1);
  EXPECT_EQ(u2.repayment_sek, 0);
  EXPECT_FALSE(u2.repaid);
  EXPECT_DOUBLE_EQ(u3.repayment_sek, 150000);
  EXPECT_FALSE(u3.full);
  EXPECT_EQ(u3.first_year, 2);
  // Three draws of one replication: E[R] = (1e6 + 0 + 150 000) / 3, P(repaid) = 2/3,
  // P(in full) = 1/3, P(by year 1) = 1/3, by year 2 and 3: 2/3.
  const auto o = summarise_fund(t, {u1, u2, u3}, 3, 1);
  EXPECT_NEAR(o.repayment.mean, 1150000.0 / 3, 1e-6);
  EXPECT_NEAR(o.repaid.mean, 2.0 / 3, 1e-12);
  EXPECT_NEAR(o.full.mean, 1.0 / 3, 1e-12);
  EXPECT_EQ(o.p_repaid_by_year, (std::vector<double>{1.0 / 3, 2.0 / 3, 2.0 / 3}));
  EXPECT_EQ(o.median_first_year, 1);
}

TEST(Fund, EffectMeasuresFromHandBuiltOutcomes) {
  // Two years; in year 1 the scenario has 2 fewer pupils in extensive absence in each of the
  // 10 school months, in year 2 one fewer in 5 of them: means 2 and 0.5. One avoided repeated
  // year at step 3 and one at step 15: cumulative 1, 2.
  ReplicationOutcome b, s;
  b.occupancy.assign(24, {});
  s.occupancy.assign(24, {});
  b.events.resize(24);
  s.events.resize(24);
  const auto ext = static_cast<std::size_t>(State::extensive);
  for (std::size_t t = 0; t < 24; ++t) {
    b.occupancy[t][ext] = 10;
    s.occupancy[t][ext] = 10;
  }
  for (std::size_t t = 0; t < 10; ++t) s.occupancy[t][ext] = 8;
  for (std::size_t t = 12; t < 17; ++t) s.occupancy[t][ext] = 9;
  s.occupancy[11][ext] = 0;  // July: not a school month, not counted
  b.events.repeated_years[3] = 1;
  b.events.repeated_years[15] = 1;
  EXPECT_EQ(fund_measure_by_year(FundMeasure::fewer_extensive_absent, b, s, 2),
            (std::vector<double>{2.0, 0.5}));
  EXPECT_EQ(fund_measure_by_year(FundMeasure::avoided_repeated_years, b, s, 2),
            (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(fund_measure_by_year(FundMeasure::avoided_noncompletions, b, s, 2),
            (std::vector<double>{0.0, 0.0}));
}

TEST(Bridge, CalcFirstRowIsThePlanAndLastIsTheSimulatedRoi) {
  // calc on configs/uppsala_2020.toml made small: the bridge in calc.json starts at the plan's
  // 13 638 200 / 4 875 772 (S1's 2.80) and ends at the simulated ROI of the same run.
  const auto dir = testsupport::scratch_dir("bridge-calc");
  auto text =
      testsupport::read_file(fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "uppsala_2020.toml");
  text = testsupport::set_key(text, "population", "pupils", "2000");
  testsupport::write_file(dir / "u.toml", text);
  const auto r = testsupport::run_cli("calc '" + (dir / "u.toml").string() +
                                          "' --replications 3 --threads 2 --out '" +
                                          (dir / "out").string() + "'",
                                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir / "out" / "calc.json");
  const auto j = nlohmann::json::parse(in);
  const auto& bridge = j.at("bridge");
  ASSERT_GE(bridge.size(), 5u);
  EXPECT_NEAR(bridge.front().at("roi").at("mean").get<double>(), 13638200.0 / 4875772.0, 1e-12);
  EXPECT_EQ(bridge.front().at("step"), "plan");
  EXPECT_EQ(bridge.back().at("roi").at("mean").get<double>(),
            j.at("simulated_configured").at("roi").at("mean").get<double>());
  EXPECT_NE(r.out.find("From the plan to the simulation"), std::string::npos) << r.out;
  // The fund's figures are there, the probability a share with its error.
  const auto& f = j.at("fund");
  EXPECT_DOUBLE_EQ(f.at("amount_sek").get<double>(), 4875772);
  const double p = f.at("p_repaid").get<double>();
  EXPECT_GE(p, 0.0);
  EXPECT_LE(p, 1.0);
  EXPECT_NEAR(f.at("expected_repayment_sek").at("mean").get<double>(), p * 4875772, 1e-3);
  fs::remove_all(dir);
}
