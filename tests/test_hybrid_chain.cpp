// The hybrid of the count-based path (models/hybrid_chain.hpp, docs/methods.md §4.12): the
// pupils never in high or extensive absence as counts, every other pupil one by one. Checked
// against the individual engine over a table of configs with coordinators (occupancy and
// outcome means within 4 Monte Carlo SE of the difference of two independent runs), for
// common random numbers (the compare SE-cut property), for the same bytes at 1 and 2 threads,
// for the switch, and for the documented stream of its cells.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/random/binomial_distribution.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "analysis/comparison.hpp"
#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/hybrid_chain.hpp"
#include "sim/config.hpp"
#include "sim/counter_stream.hpp"
#include "sim/error.hpp"
#include "sim/statistics.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using attendsim::models::ExperimentResult;
using attendsim::models::ModelConfig;
using attendsim::models::RunOptions;
using attendsim::models::ScenarioSpec;
using testsupport::set_key;

namespace {

ModelConfig hybrid_test_parse(const std::string& text) {
  return attendsim::models::parse_model_config(
      attendsim::config::Document::parse(text, "hybrid.toml"));
}

/// The reference config at `pupils` pupils and `years` years.
std::string hybrid_test_config(int pupils, int years) {
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "population", "pupils", std::to_string(pupils));
  return set_key(t, "simulation", "horizon_years", std::to_string(years));
}

/// The scenario named `name` of the config's ladder (comparison_scenarios), or the configured
/// one for "configured".
ScenarioSpec hybrid_test_scenario(const ModelConfig& cfg, const std::string& name) {
  if (name == "configured") return attendsim::models::baseline_and_configured(cfg)[1];
  for (const auto& s : attendsim::models::comparison_scenarios(cfg)) {
    if (s.name == name) return s;
  }
  ADD_FAILURE() << "no scenario " << name;
  return {};
}

/// The difference of the two means is within 4 SE of the difference (independent runs: the
/// SEs add in quadrature); when neither varies, the two are equal.
::testing::AssertionResult hybrid_within_4_se(const std::vector<double>& a,
                                              const std::vector<double>& b) {
  const auto x = testsupport::sample_mean_se(a);
  const auto y = testsupport::sample_mean_se(b);
  const double se = std::hypot(x.se, y.se);
  const double d = std::abs(x.mean - y.mean);
  if ((se == 0 && d <= 1e-9 * std::max(1.0, std::abs(x.mean))) || d < 4 * se)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "hybrid " << x.mean << " +- " << x.se << ", individual " << y.mean << " +- " << y.se
         << " (" << d / se << " SE apart)";
}

}  // namespace

TEST(HybridChain, AgreesWithTheIndividualEngineOverATableOfConfigs) {
  // Each config is run with [simulation] count_based = true (the hybrid) and false (the
  // individual engine), the baseline and one staffing of the ladder, on independent seeds.
  // Of 2 430 comparisons at 4 SE one may fail by chance when either engine's draws change (of
  // four seed pairs tried, one had a month at 4.1 SE): check such a failure with more
  // replications before suspecting the hybrid (800 put every month within 2.2 SE).
  struct Case {
    std::string name;
    std::string scenario;
    std::function<std::string(std::string)> edit;
  };
  const std::vector<Case> cases = {
      {"reference as configured (queue limit, relapse, repeated years, duration, seasonality)",
       "configured", [](std::string t) { return t; }},
      {"scarce capacity: 1 FTE, referral always", "1fte",
       [](std::string t) { return testsupport::without_referral_rule(t); }},
      {"ample capacity: 8 FTE, severity first, expected terminal events", "8fte",
       [](std::string t) {
         t = set_key(t, "coordinators", "allocation_policy", "\"severity_first\"");
         return set_key(t, "outcomes", "sustained_return_months",
                        "3\nterminal_events = \"expected\"");
       }},
      {"gender parity with equal referral and leaving by state", "3fte",
       [](std::string t) {
         t = set_key(t, "coordinators", "allocation_policy", "\"gender_parity\"");
         t = set_key(t, "coordinators", "referral_policy", "\"equal_referral\"");
         return set_key(t, "transitions.leaving", "enabled",
                        "true\np_leave_by_state = [0.001, 0.002, 0.004, 0.01]");
       }},
      {"no detection", "5fte",
       [](std::string t) { return set_key(t, "detection", "p_detect_per_month", "0.0"); }},
      {"transitions in every month with leaving by state, 2 FTE", "2fte",
       [](std::string t) {
         t.insert(t.find("[transitions.grade0_6]"), "[transitions]\nmonths = \"all\"\n\n");
         return set_key(t, "transitions.leaving", "enabled",
                        "true\np_leave_by_state = [0.001, 0.002, 0.004, 0.01]");
       }},
  };
  const std::vector<std::string> metrics = {
      "pupil_months_regular",
      "pupil_months_worrying",
      "pupil_months_high",
      "pupil_months_extensive",
      "long_term_absent_pupils_per_year",
      "sustained_returns",
      "detected",
      "referrals",
      "cases_started",
      "mean_wait_months",
      "mean_queue_length",
      "queue_at_end",
      "withdrawn_referrals",
      "referrals_held_back",
      "repeated_years",
      "summer_school",
      "placements",
      "eligible_upper_secondary",
      "completed_upper_secondary",
      "eligible_pupils_girls",
      "cases_started_extensive",
  };
  const std::vector<std::string> economics = {"cost_sek", "savings_sek", "net_benefit_sek"};
  const int reps = 100;
  int checked = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& c : cases) {
    std::string text = c.edit(hybrid_test_config(4000, 3));
    ModelConfig individual_cfg = hybrid_test_parse(text);
    ModelConfig hybrid_cfg =
        hybrid_test_parse(set_key(text, "simulation", "horizon_years", "3\ncount_based = true"));
    ASSERT_TRUE(hybrid_cfg.run.count_based);
    const std::vector<ScenarioSpec> scenarios = {
        attendsim::models::baseline_and_configured(individual_cfg)[0],
        hybrid_test_scenario(individual_cfg, c.scenario)};
    RunOptions opt;
    opt.replications = reps;
    opt.threads = 2;
    opt.seed = 20261203;
    const ExperimentResult hyb = attendsim::models::run_experiment(hybrid_cfg, scenarios, opt);
    opt.seed = 20261204;
    const ExperimentResult ind = attendsim::models::run_experiment(individual_cfg, scenarios, opt);
    ASSERT_TRUE(hyb.not_computed.empty()) << c.name;
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      auto names = metrics;
      if (s > 0) names.insert(names.end(), economics.begin(), economics.end());
      for (const auto& name : names) {
        const auto m = hyb.metric_index(name);
        EXPECT_TRUE(hybrid_within_4_se(hyb.unit_values(s, m), ind.unit_values(s, m)))
            << c.name << ", scenario " << scenarios[s].name << ", " << name;
        ++checked;
      }
      // Occupancy by state in every month.
      const int steps = hyb.steps;
      for (int step = 0; step < steps; ++step) {
        for (int st = 0; st < 5; ++st) {
          std::vector<double> a, b;
          const auto k = static_cast<std::size_t>(step * 5 + st);
          for (const auto& u : hyb.units) a.push_back(u.occupancy[s][k]);
          for (const auto& u : ind.units) b.push_back(u.occupancy[s][k]);
          EXPECT_TRUE(hybrid_within_4_se(a, b)) << c.name << ", scenario " << scenarios[s].name
                                                << ", step " << step << ", state " << st;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 6 * (2 * (21 + 36 * 5) + 3));
  std::cout << "[hybrid vs individual] " << checked << " comparisons in "
            << testsupport::seconds_since(t0) << " s\n";
}

TEST(HybridChain, CommonRandomNumbersShrinkTheDifferenceSE) {
  // As Compare.CommonRandomNumbersShrinkTheDifferenceSE, on the hybrid: 5 FTE against the
  // baseline on configs/reference.toml (at 8 000 pupils, 3 years) with count_based = true; the
  // SE of the paired difference in sustained returns at least 5x below the unpaired one.
  const auto cfg = hybrid_test_parse(
      set_key(hybrid_test_config(8000, 3), "simulation", "horizon_years", "3\ncount_based = true"));
  ASSERT_TRUE(cfg.run.count_based);
  RunOptions opt;
  opt.seed = 5;
  opt.replications = 20;
  opt.threads = 2;
  const std::vector<ScenarioSpec> scen = {attendsim::models::baseline_and_configured(cfg)[0],
                                          hybrid_test_scenario(cfg, "5fte")};
  const auto res = attendsim::models::run_experiment(cfg, scen, opt);
  for (const char* name : {"sustained_returns", "pupil_months_extensive"}) {
    const auto m = res.metric_index(name);
    const double paired = attendsim::summarise(attendsim::models::paired_values(res, 1, 0, m)).se;
    const double unpaired = attendsim::models::unpaired_se(res, 1, 0, m);
    std::cout << "[hybrid CRN] " << name << ": paired se " << paired << ", unpaired se " << unpaired
              << "\n";
    EXPECT_GT(paired, 0.0) << name;
    EXPECT_LE(5.0 * paired, unpaired)
        << name << ": paired se " << paired << " unpaired se " << unpaired;
  }
}

TEST(HybridChain, SameSeedSameBytesAtOneAndTwoThreads) {
  const auto dir = testsupport::scratch_dir("hybrid-threads");
  const fs::path config = dir / "hybrid.toml";
  testsupport::write_file(config, set_key(hybrid_test_config(3000, 2), "simulation",
                                          "horizon_years", "2\ncount_based = true"));
  std::vector<fs::path> outs;
  for (const int threads : {1, 2}) {
    const fs::path out = dir / ("out-t" + std::to_string(threads));
    const auto r = testsupport::run_cli(
        "run " + testsupport::shell_quoted(config) + " --replications 4 --seed 7 --threads " +
            std::to_string(threads) + " --out " + testsupport::shell_quoted(out) + " --quiet",
        dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    outs.push_back(out);
  }
  for (const char* name : {"summary.json", "summary.csv", "occupancy.csv"}) {
    const std::string a = testsupport::read_file(outs[0] / name);
    EXPECT_FALSE(a.empty()) << name;
    EXPECT_TRUE(a == testsupport::read_file(outs[1] / name)) << name << " differs";
  }
  // Nothing is written as not computed: the hybrid computes every metric.
  EXPECT_EQ(testsupport::read_file(outs[0] / "summary.json").find("not_computed"),
            std::string::npos);
  // The same key gives the same replication, and another key another.
  const auto cfg = hybrid_test_parse(testsupport::read_file(config));
  const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  const auto sc = attendsim::models::baseline_and_configured(cfg)[1];
  const auto a = attendsim::models::simulate_hybrid(p, sc, {7, 0, 1, 0, 0});
  const auto b = attendsim::models::simulate_hybrid(p, sc, {7, 0, 1, 0, 0});
  const auto c = attendsim::models::simulate_hybrid(p, sc, {7, 0, 2, 0, 0});
  EXPECT_EQ(a.occupancy, b.occupancy);
  EXPECT_TRUE(a.counts() == b.counts());
  EXPECT_NE(a.occupancy, c.occupancy);
}

TEST(HybridChain, SwitchTakesTheHybridWithCoordinators) {
  // count_based = true with coordinators was refused before the hybrid (exit 2, naming
  // simulation.count_based); now it runs, also with what the count path alone refuses
  // (relapse, repeated years) and with transitions in every month. A value the schema refuses
  // is still refused at its file, line and key, exit 2, nothing written.
  std::string t =
      set_key(hybrid_test_config(1000, 2), "simulation", "horizon_years", "2\ncount_based = true");
  t.insert(t.find("[transitions.grade0_6]"), "[transitions]\nmonths = \"all\"\n\n");
  const auto cfg = hybrid_test_parse(t);
  EXPECT_TRUE(cfg.run.count_based);
  EXPECT_TRUE(cfg.structure.coordinators.enabled);
  EXPECT_EQ(attendsim::models::count_based_unsupported(cfg.structure), "");
  const auto dir = testsupport::scratch_dir("hybrid-switch");
  testsupport::write_file(dir / "c.toml", t);
  auto r = testsupport::run_cli("run " + testsupport::shell_quoted(dir / "c.toml") +
                                    " --replications 2 --out " +
                                    testsupport::shell_quoted(dir / "out") + " --quiet",
                                dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "summary.json"));
  const std::string bad = set_key(t, "simulation", "count_based", "\"yes\"");
  const auto at = bad.find("\ncount_based = ");
  const int line =
      2 + static_cast<int>(std::count(bad.begin(), bad.begin() + static_cast<long>(at), '\n'));
  testsupport::write_file(dir / "bad.toml", bad);
  r = testsupport::run_cli("run " + testsupport::shell_quoted(dir / "bad.toml") + " --out " +
                               testsupport::shell_quoted(dir / "out-bad") + " --quiet",
                           dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("bad.toml:" + std::to_string(line)), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("count_based"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out-bad")) << "output folder created despite the error";
}

TEST(HybridChain, InitialPopulationDrawsFromTheDocumentedStream) {
  // docs/methods.md §2.2 and §4.12: the cells' draws are the counter stream
  // {seed, d, r, "coun" = 0x636f756e, 1}, items 2^20 cell + j at step 2^32 - 1 for the initial
  // population (cell = the grade index): girls Binomial(n, share_girls), then per gender (girls
  // first) the state by conditional binomials on the initial distribution. Drawn here by hand
  // with Boost's binomial on that stream, and read back from the run as the girls and boys ever
  // in high or extensive absence: with rows that never move a pupil from regular or worrying
  // into high or extensive, and one fixed grade, those are the initial population's.
  std::string t = hybrid_test_config(5000, 1);
  t = set_key(t, "population", "grade_min", "7");
  t = set_key(t, "population", "grade_max", "7");
  t = set_key(t, "population", "grade_progression", "false");
  t = set_key(t, "population.gender", "worrying_mult_boys", "1.0");
  t = set_key(t, "population.gender", "worrying_mult_girls", "1.0");
  t = set_key(t, "population.gender", "high_ratio_girls_vs_boys_grade7_12", "1.0");
  t = set_key(t, "population.gender", "extensive_ratio_girls_vs_boys", "1.0");
  t = set_key(t, "transitions.grade7_9", "regular", "[0.97, 0.03, 0.0, 0.0]");
  t = set_key(t, "transitions.grade7_9", "worrying", "[0.3, 0.7, 0.0, 0.0]");
  const auto cfg = hybrid_test_parse(t);
  const auto p = attendsim::models::realise(cfg, cfg.parameters.base_values());
  for (const std::uint64_t r : {0U, 1U, 2U}) {
    const auto o = attendsim::models::simulate_hybrid(
        p, attendsim::models::baseline_and_configured(cfg)[1], {11, 0, r, 0, 0});
    const attendsim::CounterStream s({11, 0, r, 0x636f756eU, 1});
    struct Bits {
      using result_type = std::uint64_t;
      const attendsim::CounterStream* s;
      std::uint64_t j = 0;
      static constexpr result_type min() { return 0; }
      static constexpr result_type max() { return ~result_type{0}; }
      result_type operator()() { return s->at(j++, 0xffffffffU); }
    } bits{&s};
    const auto binom = [&](std::int64_t n, double q) -> std::int64_t {
      if (n <= 0 || q <= 0) return 0;
      if (q >= 1) return n;
      return boost::random::binomial_distribution<std::int64_t, double>(n, q)(bits);
    };
    const double two32 = 4294967296.0;
    const std::int64_t girls = binom(5000, std::ceil(0.49 * two32) / two32);
    // The initial distribution of grades 7-9 with the gender factors at 1 (§4.1), as 32-bit
    // thresholds ceil(c 2^32) of its cumulative form.
    const double w = 0.085, h = 0.070, x = 0.015, r0 = 1.0 - w - h - x;
    const double th[3] = {std::ceil(r0 * two32), std::ceil((r0 + w) * two32),
                          std::ceil((r0 + w + h) * two32)};
    std::int64_t ever[2] = {0, 0};
    for (const int g : {1, 0}) {
      std::int64_t n = g == 1 ? girls : 5000 - girls;
      double below = 0;
      for (int k = 0; k < 3; ++k) {
        const std::int64_t j = binom(n, (th[k] - below) / (two32 - below));
        if (k == 2) ever[g] += j;
        n -= j;
        below = th[k];
      }
      ever[g] += n;  // extensive
    }
    EXPECT_EQ(o.eligible_pupils[1], static_cast<double>(ever[1])) << "replication " << r;
    EXPECT_EQ(o.eligible_pupils[0], static_cast<double>(ever[0])) << "replication " << r;
    EXPECT_GT(ever[0] + ever[1], 300);  // about 8.5 % of 5000
  }
}
