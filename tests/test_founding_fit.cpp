// The founding configs reproduce their sources' figures (configs/*.toml say what was fitted to
// what): each check takes the simulated figure's mean over replications and asks it to lie
// within the fit tolerance of the source figure, widened by 4 Monte Carlo standard errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/calibration_targets.hpp"
#include "analysis/experiment.hpp"
#include "analysis/metrics.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "io/results_writer.hpp"
#include "paths.hpp"

namespace fs = std::filesystem;

namespace {

using attendsim::StreamKey;
using attendsim::models::Target;
using attendsim::models::TargetKind;

attendsim::models::ModelConfig load(const std::string& name) {
  return attendsim::models::load_model_config(fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / name);
}

struct Figure {
  double mean = 0;
  double se = 0;
};

Figure summarise(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  const double sd = std::sqrt(ss / static_cast<double>(v.size() - 1));
  return {m, sd / std::sqrt(static_cast<double>(v.size()))};
}

/// The source figure within fit tolerance + 4 MC SE of the simulated mean; prints both.
void expect_fits(const std::string& what, double source, double fit_tolerance, const Figure& sim) {
  std::printf("[fit] %-58s source %8.2f  simulated %8.2f (MC SE %.2f, tolerance %.2f + 4 SE)\n",
              what.c_str(), source, sim.mean, sim.se, fit_tolerance);
  EXPECT_NEAR(sim.mean, source, fit_tolerance + 4 * sim.se) << what;
}

/// Uppsala HT2018, grades 1-9 (S10): pupils absent 50-100 % and 20-50 % of the autumn term,
/// out of about 19 500 pupils. Simulated: shares of pupil-months in extensive, and in high,
/// absence in the autumn term of school year `year`, grades 1-6 (band 0-6, taken at the
/// band's rate) and 7-9 weighted by their number of grades, times 19 500.
void expect_uppsala_ht2018(const std::string& config, int year) {
  const auto cfg = load(config);
  const auto values = cfg.parameters.base_values();
  std::vector<Target> targets;
  for (auto kind : {TargetKind::prevalence_extensive, TargetKind::prevalence_high_or_extensive}) {
    for (int band : {0, 1}) {
      Target t;
      t.kind = kind;
      t.band = band;
      t.year = year;
      t.term = 1;
      targets.push_back(t);
    }
  }
  const int reps = 12;
  std::vector<double> extensive, high;
  for (int r = 0; r < reps; ++r) {
    const auto v = attendsim::models::simulate_targets(
        cfg, values, targets, cfg.structure.population.pupils,
        StreamKey{cfg.run.seed, 0, static_cast<std::uint64_t>(r), 0, 0});
    const double e = (6 * v[0] + 3 * v[1]) / 9;
    const double he = (6 * v[2] + 3 * v[3]) / 9;
    extensive.push_back(19500 * e);
    high.push_back(19500 * (he - e));
  }
  // Fit tolerance 15 % of the source figure: S10's counts are of one term from a parents'
  // network's compilation, and its pupil total (19 500) is an estimate.
  expect_fits(config + ": HT2018 gr 1-9 extensive absence (S10: 89)", 89, 0.15 * 89,
              summarise(extensive));
  expect_fits(config + ": HT2018 gr 1-9 high absence (S10: 1 028)", 1028, 0.15 * 1028,
              summarise(high));
}

TEST(FoundingFit, Uppsala2018AbsenceBandsOfHT2018) {
  expect_uppsala_ht2018("uppsala_2018.toml", 2);  // step 0 = September 2017: HT2018 is year 2
}

TEST(FoundingFit, Uppsala2020AbsenceBandsAtHT2018Levels) {
  expect_uppsala_ht2018("uppsala_2020.toml", 1);  // the pre-pandemic levels at its start
}

/// A config's metric over replications of its baseline and configured scenario.
Figure metric_of(const std::string& config, std::size_t scenario, const std::string& metric,
                 int reps) {
  const auto cfg = load(config);
  attendsim::models::RunOptions opt;
  opt.seed = cfg.run.seed;
  opt.replications = reps;
  opt.threads = 2;
  const auto res =
      attendsim::models::run_experiment(cfg, attendsim::models::baseline_and_configured(cfg), opt);
  const auto s = attendsim::models::metric_summary(res, scenario, res.metric_index(metric));
  return {s.mean, s.se};
}

TEST(FoundingFit, MoraLongTermAbsentPerYear) {
  // S5: 11-20 long-term absent pupils a year: the range's middle, tolerance its half-width.
  expect_fits("mora_2019: long-term absent pupils a year (S5: 11-20)", 15.5, 4.5,
              metric_of("mora_2019.toml", 0, "long_term_absent_pupils_per_year", 30));
}

/// Mean open cases per team FTE over the staffed school months of one replication.
double open_cases_per_fte(const attendsim::models::ReplicationOutcome& o) {
  double cases = 0, fte = 0;
  for (std::size_t t = 0; t < o.open_cases.size(); ++t) {
    if (attendsim::models::is_school_month(static_cast<int>(t)) && o.events.fte[t] > 0) {
      cases += o.open_cases[t];
      fte += o.events.fte[t];
    }
  }
  return cases / fte;
}

TEST(FoundingFit, UppsalaCasesOpenPerCoordinatorWithinS7) {
  // S7: "Sedan januari i år har 30 barn och unga ... fått stöd" with 3 coordinators and "över
  // 30" waiting: 30 pupils taken since January, not 30 open at once, so at most 10 open cases
  // per coordinator while the queue was full. Simulated: the mean number of open cases per
  // team FTE over the staffed school months of uppsala_2018 (3 FTE), at most 10 + 4 MC SE.
  // (The fit to S6 gives about 6; the check fails if the caseload is read as more than S7.)
  const auto cfg = load("uppsala_2018.toml");
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  std::vector<double> per_fte;
  for (int r = 0; r < 6; ++r) {
    per_fte.push_back(open_cases_per_fte(attendsim::models::simulate(
        params, cfg.scenario, StreamKey{cfg.run.seed, 0, static_cast<std::uint64_t>(r), 0, 0})));
  }
  const Figure f = summarise(per_fte);
  std::printf("[fit] %-58s bound    %8.1f  simulated %8.2f (MC SE %.2f)\n",
              "uppsala_2018: open cases per team FTE (S7: <= 30 / 3)", 10.0, f.mean, f.se);
  EXPECT_LE(f.mean, 10 + 4 * f.se);
  EXPECT_GT(f.mean, 0);
}

/// S6 (Uppsala, 2021-11-30): "under åren 2018-2021 ... insatser för sammanlagt 80 elever";
/// the team was 3 FTE in 2018-2019 (S1, S2), 5 in 2020 (S2), six when S6 was written and
/// eight for a while in 2021 (S8). Team FTE-years from January 2018 to November 2021, by hand:
/// at least 3 + 3 + 5 + 6 x 11/12 = 16.5, at most about 20 (two more posts during 2019, S2;
/// eight from spring 2021, S8). Cases started per team FTE-year: 80 / 20 = 4.0 to 80 / 16 =
/// 5.0, the middle 4.5 with half-width 0.5 as the fit tolerance (the uncertainty of the
/// FTE-years; the count of 80 is taken as exact).
constexpr double kS6CasesPerFteYear = 4.5;
constexpr double kS6Tolerance = 0.5;

/// uppsala_2018's parameters with the team staffed as S6 describes, from January 2018 (step 4)
/// to November 2021 (the last staffed step 50): cases started per FTE-year over the window
/// (every case of the run starts in it), and the share of cases with a sustained return
/// within 12 months.
void expect_s6_window(const char* what, const std::vector<attendsim::models::StaffingPeriod>& p) {
  const auto cfg = load("uppsala_2018.toml");
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  attendsim::models::ScenarioSpec sc = cfg.scenario;
  sc.staffing.periods = p;
  std::vector<double> per_fte_year, returned;
  for (int r = 0; r < 12; ++r) {
    const auto o = attendsim::models::simulate(
        params, sc, StreamKey{cfg.run.seed, 0, static_cast<std::uint64_t>(r), 0, 0});
    double fte_years = 0;
    for (int t = 0; t < o.steps; ++t) {
      fte_years += sc.staffing.fte_at(t) / 12.0;
      if (t > 50) {
        EXPECT_EQ(sc.staffing.fte_at(t), 0.0);
      }
    }
    per_fte_year.push_back((o.cases_started[0] + o.cases_started[1]) / fte_years);
    returned.push_back(attendsim::models::metric_info(
                           attendsim::models::Metric::sustained_return_within_12_months_share)
                           .compute(o, nullptr));
  }
  expect_fits(std::string("uppsala_2018, S6's window, ") + what +
                  ": cases started per FTE-year (S6: 80 / 16-20)",
              kS6CasesPerFteYear, kS6Tolerance, summarise(per_fte_year));
  // S6: "65 procent kommit tillbaka till skolan i någon omfattning", over the whole case. The
  // model's share counts a sustained return (3 months regular) within 12 months of the start:
  // a stricter and shorter measure, so the fit tolerance is 0.10.
  expect_fits(std::string("uppsala_2018, S6's window, ") + what +
                  ": sustained return within 12 months (S6: 0.65)",
              0.65, 0.10, summarise(returned));
}

TEST(FoundingFit, UppsalaCasesPerFteYearInS6sWindow) {
  // The fewest FTE-years S6 allows: 3 FTE to 2019, 5 in 2020, 6 in 2021 (16.5).
  expect_s6_window("16.5 FTE-years", {{4, 3.0}, {28, 5.0}, {40, 6.0}, {51, 0.0}});
  // More: 5 FTE from September 2019, 8 from March 2021 (18.5).
  expect_s6_window("18.5 FTE-years", {{4, 3.0}, {24, 5.0}, {42, 8.0}, {51, 0.0}});
}

TEST(FoundingFit, FoundingProjectsStartCasesAtS6sRate) {
  // The founding projects of two years or more, as configured: cases started per FTE-year
  // against S6's 4.0-5.0 (the same figure as above). stockholm_2014 is left out: a one-year
  // project starts at least its whole caseload (about 6 per FTE) in its one year, so S6's
  // four-year rate does not apply to it.
  for (const char* config : {"uppsala_2018.toml", "uppsala_2020.toml", "mora_2019.toml"}) {
    expect_fits(std::string(config) + ": cases started per FTE-year (S6: 80 / 16-20)",
                kS6CasesPerFteYear, kS6Tolerance,
                metric_of(config, 1, "cases_started_per_fte_year", 8));
  }
}

}  // namespace
