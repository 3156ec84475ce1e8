// The metric table (analysis/metrics.hpp): one row per metric, values by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "analysis/metrics.hpp"
#include "sim/error.hpp"

namespace {

using attendsim::models::EconomicResult;
using attendsim::models::find_metric;
using attendsim::models::Metric;
using attendsim::models::metric_count;
using attendsim::models::metric_info;
using attendsim::models::metric_names;
using attendsim::models::metric_table;
using attendsim::models::outcome_metrics;
using attendsim::models::ReplicationOutcome;

TEST(Metrics, NamesUniqueLabelledAndEconomicLast) {
  std::set<std::string> names;
  bool seen_economic = false;
  for (const auto& m : metric_table()) {
    EXPECT_TRUE(names.insert(std::string(m.name)).second) << m.name;
    EXPECT_FALSE(m.label_sv.empty()) << m.name;
    EXPECT_FALSE(m.label_en.empty()) << m.name;
    EXPECT_NE(m.label_sv, m.label_en) << m.name;
    EXPECT_FALSE(m.unit.empty()) << m.name;
    EXPECT_GE(m.decimals, 0);
    if (m.economic()) seen_economic = true;
    EXPECT_EQ(m.economic(), seen_economic) << m.name << ": economic metrics must come last";
  }
  EXPECT_EQ(metric_names(true).size(), metric_table().size());
  EXPECT_EQ(metric_names(false).size(), metric_count(false));
  EXPECT_EQ(metric_names(false).back(), "repeated_years_compulsory");
}

TEST(Metrics, FindByNameAndUnknownNameIsAnInputErrorNamingTheKnownOnes) {
  ASSERT_TRUE(find_metric("roi").has_value());
  EXPECT_EQ(*find_metric("roi"), Metric::roi);
  EXPECT_FALSE(find_metric("rio").has_value());
  try {
    attendsim::models::metric_by_name("rio", "--target-se");
    FAIL() << "no error";
  } catch (const attendsim::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("--target-se: unknown metric 'rio'"), std::string::npos) << what;
    EXPECT_NE(what.find("net_benefit_sek"), std::string::npos) << what;
  }
}

TEST(Metrics, ValuesOfAHandBuiltOutcome) {
  ReplicationOutcome o;
  o.school_pupil_months[0] = 1000;
  o.school_pupil_months[1] = 200;
  o.school_pupil_months[2] = 50;
  o.school_pupil_months[3] = 25;
  o.long_term_absent_pupil_years = 30;  // 30 pupil-years over 3 school years: 10 a year
  o.school_years = 3;
  o.sustained_returns[0] = 4;
  o.sustained_returns[1] = 2;
  o.queued[0] = 5;  // boys waited 20 months in all, girls 6 in 2 referrals
  o.queued[1] = 2;
  o.wait_months_sum[0] = 20;
  o.wait_months_sum[1] = 6;
  EconomicResult e;
  e.cost_sek = 1000;
  e.savings_sek = 2500;
  e.net_benefit_sek = 1500;
  e.roi = 2.5;
  const auto base = outcome_metrics(o, nullptr);
  ASSERT_EQ(base.size(), metric_count(false));
  auto at = [](const std::vector<double>& v, Metric m) {
    return v[attendsim::models::metric_position(m)];
  };
  EXPECT_DOUBLE_EQ(at(base, Metric::pupil_months_high), 50);
  EXPECT_DOUBLE_EQ(at(base, Metric::long_term_absent_pupils_per_year), 10);
  EXPECT_DOUBLE_EQ(at(base, Metric::sustained_returns), 6);
  EXPECT_DOUBLE_EQ(at(base, Metric::mean_wait_months), 26.0 / 7.0);
  EXPECT_DOUBLE_EQ(at(base, Metric::mean_wait_months_boys), 4);
  EXPECT_DOUBLE_EQ(at(base, Metric::mean_wait_months_girls), 3);
  const auto scen = outcome_metrics(o, &e);
  ASSERT_EQ(scen.size(), metric_table().size());
  EXPECT_DOUBLE_EQ(at(scen, Metric::roi), 2.5);
  EXPECT_DOUBLE_EQ(at(scen, Metric::net_benefit_sek), 1500);
  // Nobody queued: the mean wait is 0 in total and undefined by gender.
  ReplicationOutcome none;
  none.school_years = 1;
  const auto v = outcome_metrics(none, nullptr);
  EXPECT_DOUBLE_EQ(at(v, Metric::mean_wait_months), 0);
  EXPECT_TRUE(std::isnan(at(v, Metric::mean_wait_months_girls)));
  EXPECT_EQ(metric_info(Metric::roi).decimals, 2);
}

}  // namespace
