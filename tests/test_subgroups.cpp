// Metrics by subgroup (analysis/metrics.hpp, Subgroup): every count is counted in the total and
// in its pupil's cell (gender x grade band), so the cells of every count add up to the total
// word by word, and the subgroups of every additive metric add up to its total.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/economics.hpp"
#include "analysis/experiment.hpp"
#include "analysis/metrics.hpp"
#include "analysis/model_config.hpp"
#include "analysis/subgroup_economics.hpp"
#include "io/config_schema.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/terminal_value.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace {

using attendsim::StreamKey;
using attendsim::models::count_words;
using attendsim::models::CountWords;
using attendsim::models::kBands;
using attendsim::models::kGenders;
using attendsim::models::Metric;
using attendsim::models::ModelConfig;
using attendsim::models::ModelParams;
using attendsim::models::ReplicationOutcome;
using attendsim::models::ScenarioSpec;
using attendsim::models::Subgroup;

ModelConfig config(std::vector<std::array<std::string, 3>> edits, int pupils = 4000,
                   int years = 4) {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", std::to_string(pupils));
  t = testsupport::set_key(t, "simulation", "horizon_years", std::to_string(years));
  for (const auto& e : edits) t = testsupport::set_key(t, e[0], e[1], e[2]);
  return attendsim::models::parse_model_config(
      attendsim::config::Document::parse(t, "reference.toml"));
}

std::size_t metric_pos(Metric m) {
  return attendsim::models::metric_position(m);
}

ModelParams params_of(const ModelConfig& cfg) {
  return attendsim::models::realise(cfg, cfg.parameters.base_values());
}

ScenarioSpec team(double fte) {
  ScenarioSpec s;
  s.name = "team";
  s.staffing.periods.push_back({0, fte});
  return s;
}

/// The six cells of every count add up to the total, exactly.
void expect_cells_sum_to_total(const ReplicationOutcome& o, const std::string& what) {
  SCOPED_TRACE(what);
  CountWords sum{};
  for (const auto& c : o.cells) {
    const CountWords w = count_words(c);
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += w[i];
  }
  const CountWords total = count_words(o.counts());
  for (std::size_t i = 0; i < sum.size(); ++i) EXPECT_EQ(sum[i], total[i]) << "count word " << i;
}

/// For every additive metric, boys + girls and the three bands give the total (exactly for
/// plain counts; to rounding for counts over a shared denominator).
void expect_subgroups_sum_to_total(const ReplicationOutcome& o, const std::string& what) {
  SCOPED_TRACE(what);
  const auto total = attendsim::models::outcome_metrics(o, nullptr);
  const auto sub = attendsim::models::subgroup_metrics(o);  // boys, girls, bands 0-6, 7-9, 10-12
  ASSERT_EQ(sub.size(), 5U);
  int additive = 0;
  for (std::size_t m = 0; m < total.size(); ++m) {
    const auto metric = static_cast<Metric>(m);
    if (!attendsim::models::additive_over_subgroups(metric)) continue;
    ++additive;
    const double genders = sub[0][m] + sub[1][m];
    const double bands = sub[2][m] + sub[3][m] + sub[4][m];
    const auto name = std::string(attendsim::models::metric_info(metric).name);
    if (std::isnan(total[m])) {  // undefined in total (e.g. per FTE-year without a team)
      EXPECT_TRUE(std::isnan(genders) && std::isnan(bands)) << name;
      continue;
    }
    const double tol = 1e-12 * std::max(1.0, std::abs(total[m]));
    EXPECT_NEAR(genders, total[m], tol) << name;
    EXPECT_NEAR(bands, total[m], tol) << name;
  }
  EXPECT_GE(additive, 30);  // every count metric of the table is tested
}

TEST(Subgroups, CellsOfEveryCountSumToTheTotal) {
  const StreamKey key{11, 0, 0, 0, 0};
  const ModelParams ref = params_of(config({}));
  ModelParams expected = ref;
  expected.outcomes.terminal_events = attendsim::models::TerminalEvents::expected;
  ModelParams queue_decline = ref;
  queue_decline.detection.referral_rule = attendsim::models::ReferralRule::queue_decline;
  queue_decline.detection.queue_half = 20;
  for (const auto& [p, what] : {std::pair{ref, std::string("reference")},
                                std::pair{expected, std::string("expected terminal events")},
                                std::pair{queue_decline, std::string("queue_decline")}}) {
    for (double fte : {0.0, 1.0, 5.0}) {
      const ScenarioSpec sc = fte > 0 ? team(fte) : ScenarioSpec{};
      const ReplicationOutcome o = attendsim::models::simulate(p, sc, key);
      const std::string w = what + ", " + std::to_string(fte) + " FTE";
      expect_cells_sum_to_total(o, w);
      expect_subgroups_sum_to_total(o, w);
      // The counted queue pupil-months are the queue series over the staffed school months
      // (what mean_queue_length read before it was counted).
      double queue = 0;
      for (std::size_t t = 0; t < o.queue_length.size(); ++t) {
        if (attendsim::models::is_school_month(static_cast<int>(t)) && o.events.fte[t] > 0)
          queue += o.queue_length[t];
      }
      EXPECT_EQ(queue, o.queue_pupil_months) << w;
      // The subgroups see events: cases in both genders, pupil-months in every band.
      if (fte > 0) {
        for (int g = 0; g < kGenders; ++g) {
          double cases = 0;
          for (int b = 0; b < kBands; ++b)
            cases += o.cells[static_cast<std::size_t>(attendsim::models::subgroup_cell(g, b))]
                         .cases_started[g];
          EXPECT_GT(cases, 0) << w << ", gender " << g;
        }
      }
    }
  }
}

TEST(Subgroups, ScenarioFromBaselineKeepsTheCells) {
  const ModelParams p = params_of(config({}));
  const StreamKey key{5, 0, 2, 0, 0};
  const auto rec = attendsim::models::record_baseline(p, key);
  const auto fast = attendsim::models::simulate_from_baseline(rec, p, team(3));
  const auto full = attendsim::models::simulate(p, team(3), key);
  for (std::size_t c = 0; c < full.cells.size(); ++c)
    EXPECT_TRUE(fast.cells[c] == full.cells[c]) << "cell " << c;
  expect_cells_sum_to_total(fast, "from baseline");
}

// An independent figure: with grades fixed, nobody leaving and 0-12 in the population, band b
// holds the pupils of its grades (pupil i is in grade i mod 13) for every school month, so its
// pupil-months in all four states are (pupils of the band) x 10 x years.
TEST(Subgroups, PupilMonthsByBandAreThePupilsOfItsGrades) {
  const int pupils = 1300, years = 2;
  ModelParams p = params_of(config({}, pupils, years));  // grades 0-12
  ASSERT_EQ(p.population.grade_min, 0);
  ASSERT_EQ(p.population.grade_max, 12);
  p.population.grade_progression = false;
  p.transitions.leaving_enabled = false;
  const ReplicationOutcome o = attendsim::models::simulate(p, ScenarioSpec{}, {3, 0, 0, 0, 0});
  const int per_grade = pupils / 13;
  const double expected[kBands] = {7.0 * per_grade * 10 * years, 3.0 * per_grade * 10 * years,
                                   3.0 * per_grade * 10 * years};
  const Subgroup bands[kBands] = {Subgroup::grade0_6, Subgroup::grade7_9, Subgroup::grade10_12};
  for (int b = 0; b < kBands; ++b) {
    const auto m = attendsim::models::outcome_metrics(
        attendsim::models::subgroup_outcome(o, bands[b]), nullptr);
    double months = 0;
    for (Metric s : {Metric::pupil_months_regular, Metric::pupil_months_worrying,
                     Metric::pupil_months_high, Metric::pupil_months_extensive})
      months += m[attendsim::models::metric_position(s)];
    EXPECT_EQ(months, expected[b]) << "band " << b;
  }
}

// Through the experiment: the subgroups' means of every additive metric add up to the total
// mean (to rounding of the means), for the baseline and a scenario.
TEST(Subgroups, ExperimentMeansAddUp) {
  const ModelConfig cfg = config({}, 3000, 3);
  attendsim::models::RunOptions opt;
  opt.replications = 4;
  opt.threads = 1;
  std::vector<ScenarioSpec> sc = {ScenarioSpec{}, team(2)};
  const auto res = attendsim::models::run_experiment(cfg, sc, opt);
  for (std::size_t s = 0; s < sc.size(); ++s) {
    for (std::size_t m = 0; m < attendsim::models::metric_count(false); ++m) {
      if (!attendsim::models::additive_over_subgroups(static_cast<Metric>(m))) continue;
      auto mean = [&](Subgroup g) {
        const auto v = res.unit_values(s, g, m);
        double sum = 0;
        for (double x : v) sum += x;
        return sum / static_cast<double>(v.size());
      };
      const double total = mean(Subgroup::total);
      if (std::isnan(total)) continue;  // undefined (per FTE-year of the baseline)
      const double tol = 1e-12 * std::max(1.0, std::abs(total));
      EXPECT_NEAR(mean(Subgroup::boys) + mean(Subgroup::girls), total, tol) << m;
      EXPECT_NEAR(mean(Subgroup::grade0_6) + mean(Subgroup::grade7_9) + mean(Subgroup::grade10_12),
                  total, tol)
          << m;
    }
  }
}

// Each of the six cells is in the total, in exactly one gender and in exactly one band.
TEST(Subgroups, EveryCellIsInOneGenderAndOneBand) {
  using attendsim::models::in_subgroup;
  for (int gender = 0; gender < kGenders; ++gender) {
    for (int band = 0; band < kBands; ++band) {
      EXPECT_TRUE(in_subgroup(Subgroup::total, gender, band));
      EXPECT_EQ(in_subgroup(Subgroup::boys, gender, band), gender == 0);
      EXPECT_EQ(in_subgroup(Subgroup::girls, gender, band), gender == 1);
      EXPECT_EQ(in_subgroup(Subgroup::grade0_6, gender, band), band == 0);
      EXPECT_EQ(in_subgroup(Subgroup::grade7_9, gender, band), band == 1);
      EXPECT_EQ(in_subgroup(Subgroup::grade10_12, gender, band), band == 2);
    }
  }
}

// Money by subgroup (analysis/subgroup_economics.hpp): every money metric but ROI adds up to
// the total over the genders and over the bands (to rounding: the split is of doubles);
// ROI is savings / cost for a gender and not given (NaN) for a band.
TEST(SubgroupMoney, AddsUpToTheTotalAndRoiIsByGenderOnly) {
  const StreamKey key{17, 0, 1, 0, 0};
  ModelParams p = params_of(config({}));
  for (const bool terminal : {false, true}) {
    p.economics.terminal_value = terminal;
    const auto base = attendsim::models::simulate(p, ScenarioSpec{}, key);
    const auto scen = attendsim::models::simulate(p, team(5), key);
    const auto econ = attendsim::models::evaluate_economics(p.economics, base.events, scen.events);
    const auto total = attendsim::models::outcome_metrics(scen, &econ);
    const auto sub = attendsim::models::subgroup_metrics(scen, &base, &p.economics, &econ);
    ASSERT_EQ(sub.size(), 5U);
    ASSERT_EQ(sub[0].size(), total.size());
    const double scale = std::max(std::abs(econ.cost_sek), std::abs(econ.savings_sek));
    int money = 0;
    for (std::size_t m =
             attendsim::models::metric_position(attendsim::models::kFirstEconomicMetric);
         m < total.size(); ++m) {
      const auto metric = static_cast<Metric>(m);
      const auto name = std::string(attendsim::models::metric_info(metric).name);
      if (metric == Metric::roi) {
        EXPECT_DOUBLE_EQ(sub[0][m], sub[0][metric_pos(Metric::savings_sek)] /
                                        sub[0][metric_pos(Metric::cost_sek)]);
        EXPECT_DOUBLE_EQ(sub[1][m], sub[1][metric_pos(Metric::savings_sek)] /
                                        sub[1][metric_pos(Metric::cost_sek)]);
        for (int b = 2; b < 5; ++b) EXPECT_TRUE(std::isnan(sub[b][m])) << "band " << b;
        continue;
      }
      ASSERT_TRUE(attendsim::models::additive_over_subgroups(metric)) << name;
      ++money;
      const double tol = 1e-9 * std::max(1.0, scale);
      EXPECT_NEAR(sub[0][m] + sub[1][m], total[m], tol) << name << ", terminal " << terminal;
      EXPECT_NEAR(sub[2][m] + sub[3][m] + sub[4][m], total[m], tol)
          << name << ", terminal " << terminal;
    }
    EXPECT_EQ(money, 11);  // cost, 5 savings, net benefit, 5 payers less ROI
    EXPECT_GT(econ.savings_sek, 0);
    // The cost follows the cases started.
    for (int g = 0; g < kGenders; ++g) {
      double cases = 0;
      for (int b = 0; b < kBands; ++b)
        cases += scen.cells[static_cast<std::size_t>(attendsim::models::subgroup_cell(g, b))]
                     .cases_started[g];
      EXPECT_NEAR(sub[g][metric_pos(Metric::cost_sek)],
                  econ.cost_sek * cases / (scen.cases_started[0] + scen.cases_started[1]),
                  1e-9 * econ.cost_sek);
    }
  }
}

// Without discounting, attribution or drop-off every event keeps its value, so a subgroup's
// saving is its own avoided events times their values: computed here from the cell counts.
TEST(SubgroupMoney, UndiscountedSavingsAreTheCellsOwnEvents) {
  const StreamKey key{23, 0, 0, 0, 0};
  ModelParams p = params_of(config({}));
  p.economics.discount_rate = 0;
  p.economics.attribution = 0;
  p.economics.dropoff_per_year = 0;
  p.economics.terminal_value = false;
  p.outcomes.p_repeat_per_extensive_year_compulsory = 0.5;  // events of every kind
  p.economics.cost_repeated_year_compulsory_sek = 115000;
  const auto& e = p.economics;
  const auto base = attendsim::models::simulate(p, ScenarioSpec{}, key);
  const auto scen = attendsim::models::simulate(p, team(8), key);
  const auto econ = attendsim::models::evaluate_economics(e, base.events, scen.events);
  const auto sub = attendsim::models::subgroup_metrics(scen, &base, &e, &econ);
  const double v_place = e.placement_months * (365.25 / 12.0) * e.cost_placement_per_day_sek;
  const double ss_state = std::min(e.summer_school_state_grant_sek, e.cost_summer_school_sek) /
                          e.cost_summer_school_sek;
  for (int g = 0; g < kGenders; ++g) {
    double education = 0, state = 0, social = 0, noncomp = 0;
    for (int b = 0; b < kBands; ++b) {
      const auto c = static_cast<std::size_t>(attendsim::models::subgroup_cell(g, b));
      const auto& bc = base.cells[c];
      const auto& sc = scen.cells[c];
      const double comp = bc.repeated_years_compulsory - sc.repeated_years_compulsory;
      const double upper = bc.repeated_years - sc.repeated_years - comp;
      const double summer = bc.summer_school - sc.summer_school;
      education += upper * e.cost_repeated_year_sek + comp * e.cost_repeated_year_compulsory_sek +
                   summer * e.cost_summer_school_sek * (1 - ss_state);
      state += summer * e.cost_summer_school_sek * ss_state;
      social += (bc.placements - sc.placements) * v_place;
      noncomp += (bc.upper_sec_finishers - bc.completed_upper_secondary) -
                 (sc.upper_sec_finishers - sc.completed_upper_secondary);
    }
    const double v_nc =
        e.longterm_loss_noncompletion_sek * attendsim::models::longterm_annuity_factor(e);
    const double pub = e.longterm_loss_public_share,
                 mun = e.longterm_loss_municipal_share_of_public;
    const double tol = 1e-6 * std::max(1.0, std::abs(econ.savings_sek));
    EXPECT_NEAR(sub[g][metric_pos(Metric::savings_education_sek)], education, tol) << g;
    EXPECT_NEAR(sub[g][metric_pos(Metric::savings_state_sek)],
                state + noncomp * v_nc * pub * (1 - mun), tol)
        << g;
    EXPECT_NEAR(sub[g][metric_pos(Metric::savings_social_services_sek)],
                social + noncomp * v_nc * pub * mun, tol)
        << g;
    EXPECT_NEAR(sub[g][metric_pos(Metric::savings_labour_market_sek)], noncomp * v_nc * (1 - pub),
                tol)
        << g;
    EXPECT_EQ(sub[g][metric_pos(Metric::savings_health_sek)], 0.0);
  }
}

// The split by hand (docs/methods.md §5, savings by subgroup): two upper-secondary repeated
// years avoided by boys in grades 10-12 at step 10, and one girl in grades 7-9 repeating at
// step 22 in both runs. With k(t) = 1.035^(-t/12): D = 2 k(10); u = (2 k(10) + 2 k(22)) / 4;
// the rest D - 2u = k(10) - k(22) goes half to each cell (two events each), so the boys keep
// 1.5 k(10) + 0.5 k(22) and the girls 0.5 (k(10) - k(22)). The cost follows 3 boys' cases and
// 1 girl's.
TEST(SubgroupMoney, HandBuiltSplit) {
  using attendsim::models::subgroup_cell;
  attendsim::models::EconomicsParams e;
  e.discount_rate = 0.035;
  e.attribution = 0;
  e.dropoff_per_year = 0;
  e.terminal_value = false;
  e.cost_repeated_year_sek = 100000;
  e.cost_per_fte_year_sek = 600000;
  e.team_overhead_sek_per_year = 0;
  ReplicationOutcome base, scen;
  for (auto* o : {&base, &scen}) {
    o->steps = 24;
    o->school_years = 2;
    o->events.resize(24);
  }
  for (auto& f : scen.events.fte) f = 1;
  const auto boys = static_cast<std::size_t>(subgroup_cell(0, 2));
  const auto girls = static_cast<std::size_t>(subgroup_cell(1, 1));
  base.events.repeated_years[10] = 2;
  base.cells[boys].repeated_years = 2;
  base.events.repeated_years[22] = 1;
  base.cells[girls].repeated_years = 1;
  scen.events.repeated_years[22] = 1;
  scen.cells[girls].repeated_years = 1;
  base.repeated_years = 3;
  scen.repeated_years = 1;
  scen.cells[boys].cases_started[0] = 3;
  scen.cells[girls].cases_started[1] = 1;
  scen.cases_started[0] = 3;
  scen.cases_started[1] = 1;
  const auto econ = attendsim::models::evaluate_economics(e, base.events, scen.events);
  const auto k = [](double t) { return std::pow(1.035, -t / 12.0); };
  ASSERT_NEAR(econ.savings_sek, 2 * k(10) * 100000, 1e-6);
  const auto sub = attendsim::models::subgroup_metrics(scen, &base, &e, &econ);
  const std::size_t sv = metric_pos(Metric::savings_sek), co = metric_pos(Metric::cost_sek);
  EXPECT_NEAR(sub[0][sv], (1.5 * k(10) + 0.5 * k(22)) * 100000, 1e-6);  // boys
  EXPECT_NEAR(sub[1][sv], 0.5 * (k(10) - k(22)) * 100000, 1e-6);        // girls
  EXPECT_NEAR(sub[4][sv], sub[0][sv], 1e-9);                            // grades 10-12
  EXPECT_NEAR(sub[3][sv], sub[1][sv], 1e-9);                            // grades 7-9
  EXPECT_EQ(sub[2][sv], 0.0);                                           // grades 0-6
  EXPECT_NEAR(sub[0][co], 0.75 * econ.cost_sek, 1e-6);
  EXPECT_NEAR(sub[1][co], 0.25 * econ.cost_sek, 1e-6);
  EXPECT_NEAR(sub[0][metric_pos(Metric::roi)], sub[0][sv] / sub[0][co], 1e-12);
  EXPECT_TRUE(std::isnan(sub[4][metric_pos(Metric::roi)]));
}

// The value past the horizon by hand: one girl in grades 7-9 whose expected non-completion
// past the horizon falls by 1 at step 46 (completion of a pupil who exits before grade 9),
// while the team's cases were 3 boys' and 1 girl's. The girls keep k(46) v, the boys nothing;
// splitting it by cases started, as before the exits were counted by cell, gave the boys
// 0.75 k(46) v and made each gender's ROI follow the total's.
TEST(SubgroupMoney, ValuePastTheHorizonIsTheCellsOwn) {
  using attendsim::models::subgroup_cell;
  attendsim::models::EconomicsParams e;
  e.discount_rate = 0.035;
  e.attribution = 0;
  e.dropoff_per_year = 0;
  e.terminal_value = true;
  e.cost_per_fte_year_sek = 600000;
  e.team_overhead_sek_per_year = 0;
  ReplicationOutcome base, scen;
  for (auto* o : {&base, &scen}) {
    o->steps = 24;
    o->school_years = 2;
    o->events.resize(24);
    o->events.terminal_noncompletions.assign(48, 0.0);
    o->events.terminal_noncompletions_by_cell.assign(attendsim::models::kSubgroupCells,
                                                     std::vector<double>(48, 0.0));
  }
  for (auto& f : scen.events.fte) f = 1;
  const auto girls = static_cast<std::size_t>(subgroup_cell(1, 1));
  base.events.terminal_noncompletions[46] = 1;
  base.events.terminal_noncompletions_by_cell[girls][46] = 1;
  scen.cells[static_cast<std::size_t>(subgroup_cell(0, 1))].cases_started[0] = 3;
  scen.cells[girls].cases_started[1] = 1;
  scen.cases_started[0] = 3;
  scen.cases_started[1] = 1;
  const auto econ = attendsim::models::evaluate_economics(e, base.events, scen.events);
  const double v = std::pow(1.035, -46.0 / 12.0) * attendsim::models::value_per_noncompletion(e);
  ASSERT_NEAR(econ.savings_terminal_sek, v, 1e-6);
  const auto sub = attendsim::models::subgroup_metrics(scen, &base, &e, &econ);
  const std::size_t tv = metric_pos(Metric::savings_terminal_sek);
  EXPECT_NEAR(sub[1][tv], v, 1e-6);         // girls
  EXPECT_EQ(sub[0][tv], 0.0);               // boys
  EXPECT_NEAR(sub[3][tv], v, 1e-6);         // grades 7-9
  EXPECT_EQ(sub[2][tv] + sub[4][tv], 0.0);  // the other bands
  EXPECT_EQ(sub[0][metric_pos(Metric::roi)], 0.0);
  EXPECT_NEAR(sub[0][metric_pos(Metric::cost_sek)], 0.75 * econ.cost_sek, 1e-6);
}

// On the simulator: each gender's value past the horizon is its own pupils' exits, valued
// here from the exit counts by cell with projected_completion (checked by hand in
// tests/test_terminal_value.cpp), discounted to the step each would complete grade 12.
TEST(SubgroupMoney, ValuePastTheHorizonFromEachGendersExits) {
  namespace m = attendsim::models;
  const StreamKey key{29, 0, 0, 0, 0};
  ModelParams p = params_of(config({{"population", "grade_max", "9"}}, 4000, 3));
  p.economics.terminal_value = true;
  p.economics.attribution = 0;
  p.economics.dropoff_per_year = 0;
  const auto base = m::simulate(p, ScenarioSpec{}, key);
  const auto scen = m::simulate(p, team(8), key);
  const auto econ = m::evaluate_economics(p.economics, base.events, scen.events);
  const auto sub = m::subgroup_metrics(scen, &base, &p.economics, &econ);
  const int years = 3;
  double by_gender[kGenders] = {0, 0};
  for (int k = 1; k <= years; ++k) {
    for (int g = 0; g < m::kGradeCells; ++g) {
      for (int s = 0; s < m::kAttendanceStates; ++s) {
        for (int el = 0; el < 2; ++el) {
          const double fail = 1 - m::projected_completion(p, g, s, el == 1);
          const double df =
              std::pow(1 + p.economics.discount_rate, -m::completion_step(k, g) / 12.0);
          for (int gender = 0; gender < kGenders; ++gender) {
            for (int b = 0; b < kBands; ++b) {
              const auto i = m::school_exit_cell(k, g, s, el == 1, m::subgroup_cell(gender, b));
              by_gender[gender] += (base.school_exits[i] - scen.school_exits[i]) * fail * df;
            }
          }
        }
      }
    }
  }
  const double v = m::value_per_noncompletion(p.economics);
  const std::size_t tv = metric_pos(Metric::savings_terminal_sek);
  for (int gender = 0; gender < kGenders; ++gender)
    EXPECT_NEAR(sub[gender][tv], by_gender[gender] * v, 1e-6 * std::abs(econ.savings_terminal_sek))
        << gender;
  EXPECT_NE(by_gender[0], 0.0);
  EXPECT_NE(by_gender[1], 0.0);
}

}  // namespace
