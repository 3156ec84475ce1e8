// Economics on hand-built event paths (analysis/economics.hpp formulas).
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/economics.hpp"

using attendsim::models::EconomicsParams;
using attendsim::models::EventSeries;
using attendsim::models::Perspective;

namespace {
EconomicsParams simple(double r) {
  EconomicsParams e;
  e.perspective = Perspective::public_sector;
  e.discount_rate = r;
  e.cost_per_fte_year_sek = 600000;
  e.team_overhead_sek_per_year = 60000;
  e.other_costs_sek_per_year = 0;
  e.cost_repeated_year_sek = 120000;
  e.cost_summer_school_sek = 7000;
  e.cost_placement_per_day_sek = 4000;
  e.placement_months = 8;
  e.longterm_loss_noncompletion_sek = 3600000;
  e.longterm_loss_public_share = 0.5;
  e.age_at_completion = 19;
  e.loss_start_age = 24;
  e.loss_end_age = 65;
  return e;
}

// 24 months; scenario staffed with 2 FTE in months 0-11.
void paths(EventSeries& b, EventSeries& s) {
  b.resize(24);
  s.resize(24);
  for (int t = 0; t < 12; ++t) s.fte[t] = 2.0;
  b.repeated_years[10] = 3;  // July of year 1
  s.repeated_years[10] = 1;
  b.summer_school[10] = 4;
  s.summer_school[10] = 2;
  b.placements[5] = 1;
  s.placements[5] = 0;
  b.noncompletions[22] = 2;  // July of year 2
  s.noncompletions[22] = 1;
}
}  // namespace

TEST(Economics, UndiscountedByHand) {
  EventSeries b, s;
  paths(b, s);
  const auto r = attendsim::models::evaluate_economics(simple(0.0), b, s);
  // cost = 12 months x (2 x 600 000 + 60 000) / 12 = 1 260 000
  EXPECT_NEAR(r.cost_sek, 1260000.0, 1e-6);
  // short term = 2 x 120 000 + 2 x 7 000 + 1 x 8 x 365.25/12 x 4 000 = 240 000 + 14 000 + 974 000
  EXPECT_NEAR(r.savings_short_term_sek, 240000.0 + 14000.0 + 974000.0, 1e-6);
  // long term = 1 avoided non-completion x 0.5 (public share) x 3 600 000 (no discounting)
  EXPECT_NEAR(r.savings_long_term_sek, 1800000.0, 1e-6);
  EXPECT_NEAR(r.savings_sek, 3028000.0, 1e-6);
  EXPECT_NEAR(r.net_benefit_sek, 3028000.0 - 1260000.0, 1e-6);
  EXPECT_NEAR(r.roi, 3028000.0 / 1260000.0, 1e-12);
  ASSERT_EQ(r.cumulative_cost_by_year.size(), 2u);
  EXPECT_NEAR(r.cumulative_cost_by_year[1], 1260000.0, 1e-6);
}

TEST(Economics, DiscountedClosedForm) {
  EventSeries b, s;
  paths(b, s);
  const double rate = 0.035;
  const auto r = attendsim::models::evaluate_economics(simple(rate), b, s);
  const double v = 1.0 / (1.0 + rate);
  auto df = [&](int t) { return std::pow(v, t / 12.0); };
  // Cost: a geometric series of 12 monthly payments of 105 000 with ratio v^(1/12).
  const double q = std::pow(v, 1.0 / 12.0);
  const double cost = 105000.0 * (1 - std::pow(q, 12)) / (1 - q);
  EXPECT_NEAR(r.cost_sek, cost, 1e-6);
  // Annuity factor A = (1/41) v^5 (1 - v^41) / (1 - v): losses over ages 24..64 seen from 19.
  const double A = std::pow(v, 5) * (1 - std::pow(v, 41)) / (1 - v) / 41.0;
  EXPECT_NEAR(attendsim::models::longterm_annuity_factor(simple(rate)), A, 1e-12);
  const double expected =
      df(10) * (240000.0 + 14000.0) + df(5) * 974000.0 + df(22) * 0.5 * 3600000.0 * A;
  EXPECT_NEAR(r.savings_sek, expected, 1e-6);
  EXPECT_NEAR(r.roi, expected / cost, 1e-12);
}

TEST(Economics, PerspectivesAndDropoff) {
  EventSeries b, s;
  paths(b, s);
  auto e = simple(0.0);
  e.perspective = Perspective::society;
  EXPECT_NEAR(attendsim::models::evaluate_economics(e, b, s).savings_long_term_sek, 3600000.0,
              1e-6);
  e.perspective = Perspective::municipality;
  e.longterm_loss_municipal_share_of_public = 0.35;
  EXPECT_NEAR(attendsim::models::evaluate_economics(e, b, s).savings_long_term_sek,
              0.5 * 0.35 * 3600000.0, 1e-6);
  // Drop-off of 20 %/yr after the last staffed month (11): the non-completion at month 22
  // is 11 months later, so it keeps 0.8^(11/12); the rest happened while staffed.
  e = simple(0.0);
  e.dropoff_per_year = 0.2;
  const auto r = attendsim::models::evaluate_economics(e, b, s);
  EXPECT_NEAR(r.savings_long_term_sek, 1800000.0 * std::pow(0.8, 11.0 / 12.0), 1e-6);
  // Attribution of 25 % removes a quarter of all savings.
  e = simple(0.0);
  e.attribution = 0.25;
  EXPECT_NEAR(attendsim::models::evaluate_economics(e, b, s).savings_sek, 0.75 * 3028000.0, 1e-6);
}

TEST(Economics, SavingsByPayerAndYearByHand) {
  // The paths above, undiscounted, with the state's summer-school grant of 5 000 of 7 000.
  EventSeries b, s;
  paths(b, s);
  EconomicsParams e = simple(0.0);
  e.summer_school_state_grant_sek = 5000;
  e.longterm_loss_municipal_share_of_public = 0.35;
  using attendsim::models::Payer;
  auto payer = [](const attendsim::models::EconomicResult& r, Payer p) {
    return r.savings_by_payer[static_cast<std::size_t>(p)];
  };
  const auto r = attendsim::models::evaluate_economics(e, b, s);
  // Year 1: 2 repeated years (education 240 000), 2 summer-school places (state 2 x 5 000,
  // education 2 x 2 000), 1 placement (social services 974 000). Year 2: 1 non-completion of
  // 3 600 000: social services 0.5 x 0.35, state 0.5 x 0.65, labour market 0.5.
  const double edu = 240000 + 4000, state1 = 10000, soc1 = 974000;
  EXPECT_NEAR(payer(r, Payer::education), edu, 1e-6);
  EXPECT_NEAR(payer(r, Payer::social_services), soc1 + 630000, 1e-6);
  EXPECT_NEAR(payer(r, Payer::state), state1 + 1170000, 1e-6);
  EXPECT_NEAR(payer(r, Payer::labour_market), 1800000, 1e-6);
  EXPECT_EQ(payer(r, Payer::health), 0.0);
  const auto& by_year = r.savings_by_payer_year;
  EXPECT_NEAR(by_year[static_cast<std::size_t>(Payer::education)][0], edu, 1e-6);
  EXPECT_NEAR(by_year[static_cast<std::size_t>(Payer::education)][1], 0, 1e-6);
  EXPECT_NEAR(by_year[static_cast<std::size_t>(Payer::state)][0], state1, 1e-6);
  EXPECT_NEAR(by_year[static_cast<std::size_t>(Payer::state)][1], 1170000, 1e-6);
  EXPECT_NEAR(by_year[static_cast<std::size_t>(Payer::social_services)][1], 630000, 1e-6);
  // Each perspective's savings are the sum over its payers, discounted or not, with a value
  // past the horizon (one expected non-completion avoided in year 4).
  b.terminal_noncompletions.assign(48, 0.0);
  s.terminal_noncompletions.assign(48, 0.0);
  b.terminal_noncompletions[46] = 1;
  e.terminal_value = true;
  // Each perspective's savings are the sum over its payers, discounted or not.
  for (double rate : {0.0, 0.035}) {
    for (auto persp :
         {Perspective::municipality, Perspective::public_sector, Perspective::society}) {
      e.discount_rate = rate;
      e.perspective = persp;
      const auto q = attendsim::models::evaluate_economics(e, b, s);
      double sum = 0;
      for (int p = 0; p < attendsim::models::kPayers; ++p) {
        if (attendsim::models::perspective_includes(persp, static_cast<Payer>(p)))
          sum += q.savings_by_payer[static_cast<std::size_t>(p)];
      }
      EXPECT_NEAR(sum, q.savings_sek, 1e-6 * q.savings_sek)
          << attendsim::name_of(persp) << " at " << rate;
    }
  }
  // The municipality does not count the state's grant: 240 000 + 4 000 + 974 000 + 630 000.
  e.discount_rate = 0;
  e.terminal_value = false;
  e.perspective = Perspective::municipality;
  EXPECT_NEAR(attendsim::models::evaluate_economics(e, b, s).savings_sek,
              240000 + 4000 + 974000 + 630000, 1e-6);
}
