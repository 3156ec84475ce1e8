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
  std::printf("[fit] %-58s source %8.1f  simulated %8.1f (MC SE %.1f, tolerance %.1f + 4 SE)\n",
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

TEST(FoundingFit, UppsalaPupilsPerCoordinator) {
  // S7: three coordinators took 30 pupils in the first months with more than 30 waiting:
  // 10 active cases per coordinator while the queue is full. Simulated: the mean number of
  // open cases per FTE over the staffed school months of uppsala_2018 (3 FTE).
  const auto cfg = load("uppsala_2018.toml");
  const auto params = attendsim::models::realise(cfg, cfg.parameters.base_values());
  attendsim::models::ScenarioSpec sc = cfg.scenario;
  std::vector<double> per_fte;
  for (int r = 0; r < 6; ++r) {
    const auto o = attendsim::models::simulate(
        params, sc, StreamKey{cfg.run.seed, 0, static_cast<std::uint64_t>(r), 0, 0});
    double cases = 0, fte = 0;
    for (std::size_t t = 0; t < o.open_cases.size(); ++t) {
      if (attendsim::models::is_school_month(static_cast<int>(t)) && o.events.fte[t] > 0) {
        cases += o.open_cases[t];
        fte += o.events.fte[t];
      }
    }
    per_fte.push_back(cases / fte);
  }
  // Fit tolerance 1.5 pupils: S7 gives "30 barn" and "över 30" as round figures.
  expect_fits("uppsala_2018: active cases per coordinator (S7: 30 / 3)", 10, 1.5,
              summarise(per_fte));
}

}  // namespace
