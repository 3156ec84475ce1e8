// The count-based path (models/count_chain.hpp, docs/methods.md §4.12) against two independent
// references: the analytic occupancy N pi0 P^t of a plain chain (Eigen, from the config's own
// numbers), and the individual engine's means over a table of configs, each within 4 Monte
// Carlo standard errors at fixed seeds.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "analysis/economics.hpp"
#include "analysis/experiment.hpp"
#include "analysis/global_sensitivity.hpp"
#include "analysis/metrics.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/count_chain.hpp"
#include "models/hybrid_chain.hpp"
#include "models/simulation.hpp"
#include "sim/config.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "support.hpp"

namespace {

using attendsim::models::ModelParams;
using attendsim::models::ReplicationOutcome;
using testsupport::set_key;

/// The reference config with what the count path does not represent switched off
/// (coordinators, relapse, repeated years).
std::string no_programme_config(int pupils, int years) {
  std::string t = testsupport::reference_config_text();
  t = set_key(t, "population", "pupils", std::to_string(pupils));
  t = set_key(t, "simulation", "horizon_years", std::to_string(years));
  t = set_key(t, "transitions.relapse", "enabled", "false");
  t = set_key(t, "outcomes", "p_repeat_year_per_extensive_year_upper_sec", "0.0");
  t = set_key(t, "outcomes", "p_repeat_year_per_extensive_year_compulsory", "0.0");
  t = set_key(t, "coordinators", "enabled", "false");
  return t;
}

attendsim::models::ModelConfig parse(const std::string& text) {
  return attendsim::models::parse_model_config(attendsim::config::Document::parse(text, "c.toml"));
}

ModelParams base_params(const attendsim::models::ModelConfig& cfg) {
  return attendsim::models::realise(cfg, cfg.parameters.base_values());
}

}  // namespace

TEST(CountChain, PlainChainOccupancyMatchesPi0PowersOfP) {
  // As tests/test_analytic.cpp: grade 7 only, no progression, duration, relapse, seasonality
  // or leaving, so each pupil is a plain Markov chain on P (grade 7-9 band of the reference).
  const int pupils = 5000;
  std::string t = no_programme_config(pupils, 2);
  t = set_key(t, "population", "grade_min", "7");
  t = set_key(t, "population", "grade_max", "7");
  t = set_key(t, "population", "grade_progression", "false");
  t = set_key(t, "population.gender", "worrying_mult_boys", "1.0");
  t = set_key(t, "population.gender", "worrying_mult_girls", "1.0");
  t = set_key(t, "population.gender", "high_ratio_girls_vs_boys_grade7_12", "1.0");
  t = set_key(t, "population.gender", "extensive_ratio_girls_vs_boys", "1.0");
  t = set_key(t, "transitions.duration", "enabled", "false");
  t = set_key(t, "transitions.seasonality", "enabled", "false");
  t = set_key(t, "transitions.leaving", "enabled", "false");
  const auto p = base_params(parse(t));
  Eigen::Matrix4d P;
  P << 0.9628, 0.0300, 0.0070, 0.0002,  //
      0.3000, 0.5880, 0.1100, 0.0020,   //
      0.0800, 0.1300, 0.7740, 0.0160,   //
      0.0200, 0.0250, 0.0500, 0.9050;
  Eigen::RowVector4d pi(1.0 - 0.085 - 0.070 - 0.015, 0.085, 0.070, 0.015);
  const int reps = 200;
  std::vector<ReplicationOutcome> runs;
  for (int r = 0; r < reps; ++r)
    runs.push_back(
        attendsim::models::simulate_counts(p, {20261202, 0, static_cast<std::uint64_t>(r), 0, 0}));
  int checked = 0;
  for (int step = 0; step < 24; ++step) {
    if (step % 12 < 10) pi = pi * P;
    for (int s = 0; s < 4; ++s) {
      std::vector<double> v;
      for (const auto& o : runs)
        v.push_back(o.occupancy[static_cast<std::size_t>(step)][static_cast<std::size_t>(s)]);
      const auto m = testsupport::sample_mean_se(v);
      ASSERT_GT(m.se, 0.0);
      EXPECT_LT(std::abs(m.mean - pupils * pi(s)), 4.0 * m.se)
          << "step " << step << " state " << s << ": " << m.mean << " vs " << pupils * pi(s);
      ++checked;
    }
    EXPECT_EQ(runs[0].occupancy[static_cast<std::size_t>(step)][4], 0U);  // nobody leaves
  }
  EXPECT_EQ(checked, 96);
}

TEST(CountChain, AgreesWithTheIndividualEngineOverATableOfConfigs) {
  // Occupancy at selected steps (September, June, July, August, a second June, the last
  // month), school pupil-months by state and long-term absent pupil-years: the difference of
  // the two engines' means within 4 SE of the difference (independent runs, so the SEs add in
  // quadrature). Each config switches on something the path must carry.
  struct Case {
    std::string name;
    std::function<std::string(std::string)> edit;
    std::function<void(ModelParams&)> tweak = [](ModelParams&) {};
  };
  // Transitions in July and August and leaving by state (the peers' chain, issue 17).
  const auto every_month = [](ModelParams& p) {
    p.transitions.months = attendsim::models::TransitionMonths::all;
    p.transitions.p_leave_by_state = {0.003, 0.006, 0.012, 0.02};
  };
  const std::vector<Case> cases = {
      {"reference without programme (duration, seasonality, leaving, cohorts)",
       [](std::string t) { return t; }},
      {"grades 7-9, no new cohort, high leaving",
       [](std::string t) {
         t = set_key(t, "population", "grade_min", "7");
         t = set_key(t, "population", "grade_max", "9");
         t = set_key(t, "population", "new_cohort_each_year", "false");
         return set_key(t, "transitions.leaving", "p_leave_per_month", "0.02");
       }},
      {"grades fixed, no duration dependence",
       [](std::string t) {
         t = set_key(t, "population", "grade_progression", "false");
         return set_key(t, "transitions.duration", "enabled", "false");
       }},
      {"reference without programme, transitions in every month, leaving by state",
       [](std::string t) { return t; }, every_month},
      {"grades 5-8 (two bands), no new cohort, every month, leaving by state",
       [](std::string t) {
         t = set_key(t, "population", "grade_min", "5");
         t = set_key(t, "population", "grade_max", "8");
         return set_key(t, "population", "new_cohort_each_year", "false");
       },
       every_month},
  };
  const int pupils = 3000, reps = 40;
  for (const auto& c : cases) {
    auto p = base_params(parse(c.edit(no_programme_config(pupils, 3))));
    c.tweak(p);
    ASSERT_EQ(attendsim::models::count_path_unsupported(p), "") << c.name;
    std::vector<ReplicationOutcome> ind, cnt;
    for (int r = 0; r < reps; ++r) {
      ind.push_back(attendsim::models::simulate(p, attendsim::models::ScenarioSpec{},
                                                {7, 0, static_cast<std::uint64_t>(r), 0, 0}));
      cnt.push_back(attendsim::models::simulate_counts(
          p, {7, 0, static_cast<std::uint64_t>(r + 1000), 0, 0}));
    }
    std::vector<std::pair<std::string, std::function<double(const ReplicationOutcome&)>>> figures;
    for (int step : {0, 9, 10, 11, 21, 35}) {
      for (int s = 0; s < 5; ++s) {
        figures.push_back(
            {"occupancy step " + std::to_string(step) + " state " + std::to_string(s),
             [step, s](const ReplicationOutcome& o) {
               return static_cast<double>(
                   o.occupancy[static_cast<std::size_t>(step)][static_cast<std::size_t>(s)]);
             }});
      }
    }
    for (int s = 0; s < 4; ++s) {
      figures.push_back({"school pupil-months " + std::to_string(s),
                         [s](const ReplicationOutcome& o) { return o.school_pupil_months[s]; }});
    }
    figures.push_back({"long-term absent pupil-years",
                       [](const ReplicationOutcome& o) { return o.long_term_absent_pupil_years; }});
    int compared = 0;
    for (const auto& [name, f] : figures) {
      std::vector<double> a, b;
      for (const auto& o : ind) a.push_back(f(o));
      for (const auto& o : cnt) b.push_back(f(o));
      const auto x = testsupport::sample_mean_se(a), y = testsupport::sample_mean_se(b);
      const double se = std::hypot(x.se, y.se);
      if (se == 0) {
        EXPECT_EQ(x.mean, y.mean) << c.name << ": " << name;
        continue;
      }
      EXPECT_LT(std::abs(x.mean - y.mean), 4.0 * se)
          << c.name << ": " << name << ": individual " << x.mean << " counts " << y.mean;
      ++compared;
    }
    EXPECT_GT(compared, 25) << c.name;
    // Both engines follow every pupil: the occupancy of a step sums to the population.
    for (const auto& row : cnt[0].occupancy) {
      std::uint64_t sum = 0;
      for (auto k : row) sum += k;
      EXPECT_EQ(sum, static_cast<std::uint64_t>(pupils)) << c.name;
    }
  }
}

TEST(CountChain, SameKeySameCountsAndRunUsesTheSwitch) {
  std::string t = no_programme_config(2000, 2);
  t = set_key(t, "simulation", "replications", "3");
  t += "";  // count_based goes into [simulation]
  t = set_key(t, "simulation", "horizon_years", "2\ncount_based = true");
  const auto cfg = parse(t);
  ASSERT_TRUE(cfg.run.count_based);
  const auto p = base_params(cfg);
  const auto a = attendsim::models::simulate_counts(p, {3, 0, 1, 0, 0});
  const auto b = attendsim::models::simulate_counts(p, {3, 0, 1, 0, 0});
  EXPECT_EQ(a.occupancy, b.occupancy);
  const auto c = attendsim::models::simulate_counts(p, {3, 0, 2, 0, 0});
  EXPECT_NE(a.occupancy, c.occupancy);
  // A run with the switch is the count path, replication by replication, at any thread count.
  attendsim::models::RunOptions opt;
  opt.seed = 3;
  opt.replications = 3;
  for (int threads : {1, 2}) {
    opt.threads = threads;
    const auto res = attendsim::models::run_experiment(
        cfg, attendsim::models::baseline_and_configured(cfg), opt);
    ASSERT_EQ(res.units.size(), 3U);
    const auto& occ = res.units[1].occupancy[0];
    for (std::size_t k = 0; k < occ.size(); ++k)
      ASSERT_EQ(occ[k], static_cast<float>(a.occupancy[k / 5][k % 5])) << k;
  }
}

TEST(CountChain, SwitchRefusesWhatThePathCannotRepresent) {
  const std::string on = "2\ncount_based = true";
  // With coordinators the switch takes the hybrid (models/hybrid_chain.hpp), relapse and
  // repeated years included; what the hybrid refuses is tested in test_hybrid_chain.cpp.
  std::string with_coordinators =
      set_key(testsupport::reference_config_text(), "simulation", "horizon_years", on);
  EXPECT_NO_THROW((void)parse(with_coordinators));
  std::string relapse = no_programme_config(1000, 2);
  relapse = set_key(relapse, "transitions.relapse", "enabled", "true");
  relapse = set_key(relapse, "simulation", "horizon_years", on);
  try {
    (void)parse(relapse);
    FAIL() << "count_based with relapse accepted";
  } catch (const attendsim::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("relapse"), std::string::npos) << e.what();
  }
}

namespace {

/// The 1-based line of `key = ` within section [section] of a config text.
int line_of(const std::string& text, const std::string& section, const std::string& key) {
  const auto h = text.find("\n[" + section + "]");
  const auto at = text.find("\n" + key + " =", h);
  return 2 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

}  // namespace

TEST(CountChain, SwitchRefusesAtReadingADistributionThePathCannotRepresent) {
  // A relapse multiplier of 1 at base is represented, but its lognormal reaches values other
  // than 1 in PSA draws: refused at reading, naming the file, the parameter's line and key.
  std::string t = no_programme_config(1000, 2);
  t = set_key(t, "transitions.relapse", "enabled", "true");
  t = set_key(t, "simulation", "horizon_years", "2\ncount_based = true");
  ASSERT_NO_THROW((void)parse(set_key(t, "transitions.relapse", "mult", "1.0")));
  const std::string drawn = set_key(t, "transitions.relapse", "mult",
                                    "{ base = 1.0, dist = \"lognormal\", mu = 0.0, sigma = 0.2 }");
  const std::string where =
      "c.toml:" + std::to_string(line_of(drawn, "transitions.relapse", "mult")) +
      ": key 'transitions.relapse.mult'";
  try {
    (void)parse(drawn);
    FAIL() << "a relapse multiplier drawn away from 1 accepted on the count path";
  } catch (const attendsim::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("relapse"), std::string::npos) << e.what();
  }
  // A repeated-year probability 0 at base whose distribution reaches above 0.
  std::string repeat = no_programme_config(1000, 2);
  repeat = set_key(repeat, "simulation", "horizon_years", "2\ncount_based = true");
  repeat = set_key(repeat, "outcomes", "p_repeat_year_per_extensive_year_compulsory",
                   "{ base = 0.0, dist = \"uniform\", low = 0.0, high = 0.05 }");
  try {
    (void)parse(repeat);
    FAIL() << "a repeated-year probability drawn above 0 accepted on the count path";
  } catch (const attendsim::InputError& e) {
    const std::string key =
        "c.toml:" +
        std::to_string(line_of(repeat, "outcomes", "p_repeat_year_per_extensive_year_compulsory")) +
        ": key 'outcomes.p_repeat_year_per_extensive_year_compulsory'";
    EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
  }
}

namespace {

/// A metric's values in two runs are the same, unit by unit (both NaN counts as the same).
bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  }
  return true;
}

/// The count path's metrics of random counts, checked in distribution by the test above.
bool counted_in_distribution(attendsim::models::Metric m) {
  using attendsim::models::Metric;
  return m == Metric::pupil_months_regular || m == Metric::pupil_months_worrying ||
         m == Metric::pupil_months_high || m == Metric::pupil_months_extensive ||
         m == Metric::long_term_absent_pupils_per_year;
}

/// The rows of a CSV without quoted cells (the CSVs of a count-based run), header
/// first, each split at its commas.
std::vector<std::vector<std::string>> count_sensitivity_csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    std::vector<std::string> cells;
    std::size_t c = 0;
    while (true) {
      const auto comma = line.find(',', c);
      cells.push_back(line.substr(c, comma - c));
      if (comma == std::string::npos) break;
      c = comma + 1;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

}  // namespace

TEST(CountChain, WhatThePathDoesNotComputeIsNotComputedAndTheRestIsTheIndividualEngines) {
  // The same config (the reference without programme, 2 PSA draws x 2 replications, the
  // baseline and the configured 5 FTE scenario) on both paths. A metric the count path does
  // not compute (analysis/metrics.hpp, computed_on_count_path) is NaN in every unit, scenario
  // and subgroup, where the individual engine counts something (so a 0 there was a wrong
  // number). Every other metric but the five random counts of the test above is the
  // individual engine's, unit by unit: 0 or undefined without a programme, and the same cost
  // of the same FTE, so the classification is checked, not assumed.
  using attendsim::models::Metric;
  using attendsim::models::Subgroup;
  std::string t = no_programme_config(2000, 2);
  const auto individual = parse(t);
  const auto counted = parse(set_key(t, "simulation", "horizon_years", "2\ncount_based = true"));
  attendsim::models::RunOptions opt;
  opt.seed = 11;
  opt.draws = 2;
  opt.replications = 2;
  opt.threads = 2;
  const auto ri = attendsim::models::run_experiment(
      individual, attendsim::models::baseline_and_configured(individual), opt);
  const auto rc = attendsim::models::run_experiment(
      counted, attendsim::models::baseline_and_configured(counted), opt);
  ASSERT_EQ(rc.scenarios.size(), 2U);
  EXPECT_TRUE(ri.not_computed.empty());
  EXPECT_EQ(rc.not_computed, attendsim::models::count_path_not_computed());
  EXPECT_EQ(rc.not_computed.size(), 12U);
  int nan_checked = 0, same_checked = 0;
  for (const auto& info : attendsim::models::metric_table()) {
    const Metric m = info.id;
    for (std::size_t s = 0; s < rc.scenarios.size(); ++s) {
      if (info.index() >= attendsim::models::metric_count(s > 0)) continue;
      for (std::size_t g = 0; g < attendsim::models::kSubgroupCount; ++g) {
        const auto sub = static_cast<Subgroup>(g);
        const auto vc = rc.unit_values(s, sub, info.index());
        const auto vi = ri.unit_values(s, sub, info.index());
        const std::string where = std::string(info.name) + ", scenario " + std::to_string(s) +
                                  ", subgroup " + std::string(subgroup_name(sub));
        const auto in_subgroups = attendsim::models::count_path_not_computed_in_subgroups();
        const bool not_by_subgroup =
            sub != Subgroup::total &&
            std::find(in_subgroups.begin(), in_subgroups.end(), m) != in_subgroups.end();
        if (not_by_subgroup) {  // the cost's split needs cases or pupils ever in high absence
          for (double v : vc) EXPECT_TRUE(std::isnan(v)) << where << ": " << v;
          ++nan_checked;
        } else if (!attendsim::models::computed_on_count_path(m)) {
          for (double v : vc) EXPECT_TRUE(std::isnan(v)) << where << ": " << v;
          ++nan_checked;
          if (sub == Subgroup::total && s == 0) {  // a real count the path leaves out
            double sum = 0;
            for (double v : vi) sum += v;
            EXPECT_GT(sum, 0.0) << where;
          }
        } else if (!counted_in_distribution(m)) {
          EXPECT_TRUE(same_values(vc, vi)) << where;
          ++same_checked;
        }
      }
    }
  }
  EXPECT_EQ(nan_checked, 12 * 2 * 6 + 3 * 5);
  // Per subgroup: every metric but the 12 not computed and the 5 random counts; the
  // scenario's 3 money metrics of the 5 proper subgroups are not computed either.
  const auto n_base = static_cast<int>(attendsim::models::metric_count(false));
  const auto n_scenario = static_cast<int>(attendsim::models::metric_count(true));
  EXPECT_EQ(same_checked, (n_base - 17) * 6 + (n_scenario - 17) * 6 - 3 * 5);
  // The configured scenario costs its FTE on both paths (not 0 on the count path).
  const auto cost = rc.unit_values(1, rc.metric_index(Metric::cost_sek));
  for (double c : cost) EXPECT_GT(c, 0.0);
}

TEST(CountChain, OutputFilesMarkWhatIsNotComputed) {
  // summary.json: null under every scenario and subgroup, and the not_computed list;
  // summary.csv and draws.csv: empty cells, never a 0; the report says so. The report refuses a
  // null that the list does not excuse.
  const auto dir = testsupport::scratch_dir("count-not-computed");
  std::string t = no_programme_config(1500, 2);
  t = set_key(t, "simulation", "horizon_years", "2\ncount_based = true");
  testsupport::write_file(dir / "c.toml", t);
  const std::string common = " --draws 2 --replications 2 --threads 2 --quiet --out ";
  auto r = testsupport::run_cli("run " + testsupport::shell_quoted(dir / "c.toml") + common +
                                    testsupport::shell_quoted(dir / "run"),
                                dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> names;
  for (const auto m : attendsim::models::count_path_not_computed())
    names.emplace_back(attendsim::models::metric_info(m).name);
  const auto j = nlohmann::json::parse(testsupport::read_file(dir / "run" / "summary.json"));
  ASSERT_TRUE(j.contains("not_computed"));
  EXPECT_EQ(j["not_computed"].get<std::vector<std::string>>(), names);
  EXPECT_NE(j["not_computed_reason"].get<std::string>().find("count-based"), std::string::npos);
  for (const auto& [scenario, metrics] : j["scenarios"].items()) {
    for (const auto& n : names) {
      ASSERT_TRUE(metrics.contains(n)) << scenario << " " << n;
      EXPECT_TRUE(metrics[n].is_null()) << scenario << " " << n;
    }
    EXPECT_TRUE(metrics["pupil_months_high"]["mean"].is_number()) << scenario;
    for (const auto& [group, gm] : j["subgroups"][scenario].items()) {
      for (const auto& n : names) EXPECT_TRUE(gm[n].is_null()) << scenario << " " << group << n;
    }
  }
  // A row of a not-computed metric: every number cell empty.
  auto check_rows = [&](const std::filesystem::path& file, int name_column) {
    int rows = 0;
    for (const auto& cells : count_sensitivity_csv_rows(testsupport::read_file(file))) {
      if (static_cast<int>(cells.size()) <= name_column ||
          std::find(names.begin(), names.end(), cells[static_cast<std::size_t>(name_column)]) ==
              names.end())
        continue;
      ++rows;
      for (std::size_t k = static_cast<std::size_t>(name_column) + 1; k < cells.size(); ++k) {
        if (cells[k] == "baseline") continue;  // comparison.csv's versus column
        EXPECT_EQ(cells[k], "") << file.filename() << ": " << cells[0] << ", column " << k;
      }
    }
    return rows;
  };
  EXPECT_EQ(check_rows(dir / "run" / "summary.csv", 2), 12 * 2 * 6);
  EXPECT_EQ(check_rows(dir / "run" / "draws.csv", 3), 12 * 2 * 4);
  // compare refuses a config without a programme (Compare.RefusesAConfigWithoutAProgramme..),
  // and the count-based path runs only such configs: the report of the run says it.
  r = testsupport::run_cli("report " + testsupport::shell_quoted(dir / "run") +
                               " --lang en --out " + testsupport::shell_quoted(dir / "run.html"),
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = testsupport::read_file(dir / "run.html");
  EXPECT_NE(html.find("<strong>Not computed.</strong>"), std::string::npos);
  // A null the list does not name is a tampered file.
  auto tampered = j;
  tampered["not_computed"] = nlohmann::json::array({"detected"});
  testsupport::write_file(dir / "run" / "summary.json", tampered.dump(2));
  r = testsupport::run_cli("report " + testsupport::shell_quoted(dir / "run") + " --out " +
                               testsupport::shell_quoted(dir / "bad.html"),
                           dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("summary.json"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(CountChain, SensitivityCsvsLeaveWhatIsNotComputedEmptyNeverNan) {
  // psa.csv, acceptability.csv and tornado.csv of a count-based run: a value of a metric the
  // path does not compute (docs/methods.md §4.12: the sustained returns and the completions) is
  // an empty cell, as in summary.csv, never the literal "nan"; every other cell is a number.
  const auto dir = testsupport::scratch_dir("count-sensitivity-csv");
  std::string t = no_programme_config(600, 2);
  t = set_key(t, "simulation", "horizon_years", "2\ncount_based = true");
  testsupport::write_file(dir / "c.toml", t);
  const std::string config = testsupport::shell_quoted(dir / "c.toml");
  auto r = testsupport::run_cli("sensitivity " + config +
                                    " --method psa --draws 3 --replications 1 --threads 2 --quiet "
                                    "--out " +
                                    testsupport::shell_quoted(dir / "psa"),
                                dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto is_number = [](const std::string& cell) {
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    return !cell.empty() && *end == '\0' && std::isfinite(v);
  };
  const std::string psa = testsupport::read_file(dir / "psa" / "psa.csv");
  EXPECT_EQ(psa.find("nan"), std::string::npos) << psa;
  const auto rows = count_sensitivity_csv_rows(psa);
  ASSERT_GT(rows.size(), 1U);
  const std::vector<std::string> header = {"draw",
                                           "scenario",
                                           "incremental_cost_sek",
                                           "incremental_sustained_returns",
                                           "incremental_completed_upper_secondary",
                                           "net_benefit_sek",
                                           "roi"};
  ASSERT_EQ(rows[0], header);
  // Not computed on the path: sustained_returns and completed_upper_secondary (§4.12).
  const std::set<std::size_t> empty_columns = {3, 4};
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), header.size()) << i;
    for (std::size_t k = 2; k < header.size(); ++k) {
      if (empty_columns.count(k))
        EXPECT_EQ(rows[i][k], "") << header[k] << " row " << i;
      else
        EXPECT_TRUE(is_number(rows[i][k])) << header[k] << " row " << i << ": " << rows[i][k];
    }
  }
  // acceptability.csv: the NMB needs the returns for a value per return above 0 (not
  // computed, empty); at 0 it is the net benefit alone, a probability.
  const std::string acc = testsupport::read_file(dir / "psa" / "acceptability.csv");
  EXPECT_EQ(acc.find("nan"), std::string::npos) << acc;
  int at_zero = 0, above_zero = 0;
  for (const auto& row : count_sensitivity_csv_rows(acc)) {
    if (row[0] == "value_per_outcome_sek") continue;
    ASSERT_EQ(row.size(), 3U);
    if (row[0] == "0") {
      ++at_zero;
      EXPECT_TRUE(is_number(row[2])) << row[1];
    } else {
      ++above_zero;
      EXPECT_EQ(row[2], "") << row[0] << " " << row[1];
    }
  }
  EXPECT_GT(at_zero, 1);
  EXPECT_GT(above_zero, 1);
  // tornado.csv: the outputs of extra_sustained_returns empty, net benefit and ROI numbers.
  r = testsupport::run_cli("sensitivity " + config +
                               " --method oneway --replications 1 --threads 2 --quiet --out " +
                               testsupport::shell_quoted(dir / "oneway"),
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string tornado = testsupport::read_file(dir / "oneway" / "tornado.csv");
  EXPECT_EQ(tornado.find("nan"), std::string::npos) << tornado;
  int returns_rows = 0;
  for (const auto& row : count_sensitivity_csv_rows(tornado)) {
    if (row[0] == "parameter") continue;
    ASSERT_EQ(row.size(), 9U);
    const bool returns = row[1] == "extra_sustained_returns";
    returns_rows += returns ? 1 : 0;
    for (std::size_t k = 2; k < 5; ++k) EXPECT_TRUE(is_number(row[k])) << row[0];
    for (std::size_t k = 5; k < 9; ++k) {
      if (returns)
        EXPECT_EQ(row[k], "") << row[0];
      else
        EXPECT_TRUE(is_number(row[k])) << row[0] << " " << row[1] << ": " << row[k];
    }
  }
  EXPECT_GT(returns_rows, 0);
  std::filesystem::remove_all(dir);
}

/// The records of the CSV file `path` (quoted cells included), header first.
std::vector<std::vector<std::string>> count_sobol_csv(const std::filesystem::path& path) {
  std::vector<std::vector<std::string>> rows;
  for (auto& r : attendsim::csv::parse(testsupport::read_file(path), path.string()))
    rows.push_back(std::move(r.cells));
  return rows;
}

bool count_sobol_is_number(const std::string& cell) {
  char* end = nullptr;
  const double v = std::strtod(cell.c_str(), &end);
  return !cell.empty() && *end == '\0' && std::isfinite(v);
}

TEST(CountChain, SobolMarksWhatThePathDoesNotComputeAsNotComputedNeverNan) {
  // sensitivity --method sobol on a count-based config without a programme: the output
  // extra_sustained_returns is one the path does not compute (docs/methods.md §4.12), so its
  // rows in sobol.csv and sobol_noise.csv have empty index cells and sobol_status.csv says
  // not_computed with the path's reason: never "nan", never "not identifiable" (which says that
  // no parameter moves it). The net benefit, which the cost per FTE-year moves, keeps numeric
  // indices. ROI is computed, and 0 at every point (a scenario without a programme saves
  // nothing), so it stays not identifiable as on the individual engine.
  const auto dir = testsupport::scratch_dir("count-sobol");
  std::string t = no_programme_config(600, 2);
  t = set_key(t, "simulation", "horizon_years", "2\ncount_based = true");
  testsupport::write_file(dir / "c.toml", t);
  const auto r = testsupport::run_cli(
      "sensitivity " + testsupport::shell_quoted(dir / "c.toml") +
          " --method sobol --params economics.cost_per_fte_year_sek,transitions.leaving.p_leave_"
          "per_month --sobol-n 8 --replications 2 --bootstrap 20 --threads 2 --out " +
          testsupport::shell_quoted(dir / "out"),
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("extra_sustained_returns: not computed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("extra_sustained_returns: not identifiable"), std::string::npos) << r.out;
  const std::string sobol = testsupport::read_file(dir / "out" / "sobol.csv");
  const auto rows = count_sobol_csv(dir / "out" / "sobol.csv");
  ASSERT_EQ(rows.size(), 1U + 3U * 2U) << sobol;
  int returns_rows = 0, net_rows = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 9U) << sobol;
    const auto& row = rows[i];
    if (row[0] == "extra_sustained_returns") {
      ++returns_rows;
      for (std::size_t k = 2; k < 8; ++k) EXPECT_EQ(row[k], "") << row[1] << " column " << k;
      EXPECT_EQ(row[8], "not_computed") << row[1];
    } else if (row[0] == "net_benefit_sek") {
      ++net_rows;
      for (std::size_t k = 2; k < 8; ++k)
        EXPECT_TRUE(count_sobol_is_number(row[k])) << row[1] << " column " << k << ": " << row[k];
      EXPECT_EQ(row[8], "ok") << row[1];
    } else {
      ASSERT_EQ(row[0], "roi");
      EXPECT_EQ(row[8], "not_identifiable") << row[1];
    }
  }
  EXPECT_EQ(returns_rows, 2);
  EXPECT_EQ(net_rows, 2);
  // The net benefit is minus the cost, which only the cost per FTE-year moves: S = ST = 1 for
  // it (up to the bootstrap's spread), 0 for the leaving probability.
  EXPECT_NEAR(std::stod(rows[1][2]), 1.0, 1e-9) << sobol;
  EXPECT_NEAR(std::stod(rows[2][5]), 0.0, 1e-9) << sobol;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i][0] == "extra_sustained_returns" || rows[i][0] == "net_benefit_sek") {
      for (const auto& cell : rows[i]) EXPECT_EQ(cell.find("nan"), std::string::npos) << sobol;
    }
  }
  const auto noise = count_sobol_csv(dir / "out" / "sobol_noise.csv");
  ASSERT_EQ(noise.size(), 1U + 3U * 2U);
  for (std::size_t i = 1; i < noise.size(); ++i) {
    ASSERT_EQ(noise[i].size(), 7U);
    if (noise[i][0] != "extra_sustained_returns") continue;
    for (std::size_t k = 2; k < 7; ++k) EXPECT_EQ(noise[i][k], "") << noise[i][1] << " " << k;
  }
  const auto status = count_sobol_csv(dir / "out" / "sobol_status.csv");
  ASSERT_EQ(status.size(), 4U);
  EXPECT_EQ(status[1], (std::vector<std::string>{"net_benefit_sek", "ok", ""}));
  EXPECT_EQ(status[2][1], "not_identifiable");
  EXPECT_EQ(status[3][0], "extra_sustained_returns");
  EXPECT_EQ(status[3][1], "not_computed");
  EXPECT_NE(status[3][2].find("count-based path"), std::string::npos) << status[3][2];
  EXPECT_EQ(status[3][2].find("no parameter moves it"), std::string::npos) << status[3][2];
  // The report reads the status and says so.
  const auto rep =
      testsupport::run_cli("report " + testsupport::shell_quoted(dir / "out") +
                               " --lang en --out " + testsupport::shell_quoted(dir / "r.html"),
                           dir);
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  const auto html = testsupport::read_file(dir / "r.html");
  EXPECT_NE(html.find("Extra sustained returns to school: not computed"), std::string::npos);
  std::filesystem::remove_all(dir);
}

/// The config of a Sobol test on the count path ("counts": no programme) or on the hybrid
/// ("hybrid": the reference's programme), 600 pupils over 2 years, count_based = true.
std::string count_sobol_config(const std::string& engine) {
  std::string t = engine == "counts" ? no_programme_config(600, 2)
                                     : set_key(testsupport::reference_config_text(), "population",
                                               "pupils", "600");
  return set_key(t, "simulation", "horizon_years", "2\ncount_based = true");
}

TEST(CountChain, SobolPointsAreTheConfiguredEnginesRunAtTheSameParametersAndKey) {
  // sensitivity --method sobol runs the engine `run` runs (docs/methods.md §8.5): on the count
  // path (count_based, no coordinators) a point's baseline is simulate_counts and its scenario
  // idle_scenario of it; on the hybrid (count_based with coordinators) the scenario is replayed
  // from the hybrid's recorded baseline, equal to simulate_hybrid bit for bit. A design point's outputs, replication by replication, are checked against run_experiment
  // at the same parameter values with the row's key {seed, 0, k R + r} (first_replication), and
  // against the engine called directly at one point. The individual engine's outputs differ
  // from the hybrid's (another realisation): the check fails if Sobol runs it. On the count
  // path net benefit and ROI are the FTE cost alone on either engine; what tells the engines
  // apart there is the cost (SobolOnTheCountPathCostsTheCountPathsTime) and the counts below.
  namespace m = attendsim::models;
  for (const std::string engine : {"counts", "hybrid"}) {
    SCOPED_TRACE(engine);
    const auto cfg = parse(count_sobol_config(engine));
    const std::string list =
        engine == "counts"
            ? "economics.cost_per_fte_year_sek,transitions.leaving.p_leave_per_month"
            : "coordinators.rr_improve_in_case,transitions.leaving.p_leave_per_month";
    const auto params = m::uncertain_parameters(cfg, list);
    m::RunOptions opt;
    opt.seed = 23;
    opt.replications = 2;
    opt.threads = 2;
    const std::size_t n = 4, d = params.size(), reps = 2;
    const auto r = m::sobol_sensitivity(cfg, opt, params, n, 0);
    ASSERT_EQ(r.point_outputs.size(), 3U);
    ASSERT_EQ(r.point_outputs[0].size(), (d + 2) * n * reps);
    // Count path: one run per simulated point (a point that differs from an earlier one of its
    // row in economics only reuses its runs) and no scenario simulated (idle_scenario); hybrid:
    // a scenario replayed per simulated point from a recorded baseline, which the points of a
    // row that differ only in [coordinators] (A and A_B^(1): rr_improve_in_case) share, so
    // fewer baselines than scenarios.
    if (engine == "counts") {
      EXPECT_EQ(r.scenario_runs, 0U);
    } else {
      EXPECT_LT(r.baselines, r.scenario_runs);
      EXPECT_EQ(r.derived_baselines, 0U);  // derive_baseline refuses a hybrid record
    }
    EXPECT_GT(r.baselines, 0U);
    const auto design = attendsim::saltelli_design(n, d);
    const auto scenarios = m::baseline_and_configured(cfg);
    const auto i_net = m::metric_position(m::Metric::net_benefit_sek),
               i_roi = m::metric_position(m::Metric::roi),
               i_ret = m::metric_position(m::Metric::sustained_returns);
    int checked = 0;
    for (std::size_t j = 0; j < d + 2; ++j) {
      for (std::size_t k : {std::size_t{1}, std::size_t{3}}) {
        auto v = cfg.parameters.base_values();
        for (std::size_t i = 0; i < d; ++i)
          v[params[i]] = cfg.parameters.at(params[i]).dist->quantile(design.points[j * n + k][i]);
        for (std::size_t rep = 0; rep < reps; ++rep) {
          m::RunOptions o;
          o.seed = opt.seed;
          o.replications = 1;
          o.threads = 1;
          o.parameter_sets = {v};
          o.first_replication = static_cast<int>(k * reps + rep);
          const auto res = m::run_experiment(cfg, scenarios, o);
          const auto& base = res.units[0].metrics[0];
          const auto& scen = res.units[0].metrics[1];
          const std::size_t at = (j * n + k) * reps + rep;
          EXPECT_EQ(r.point_outputs[0][at], scen[i_net]) << "block " << j << " row " << k;
          EXPECT_EQ(r.point_outputs[1][at], scen[i_roi]) << "block " << j << " row " << k;
          if (engine == "hybrid") {
            EXPECT_EQ(r.point_outputs[2][at], scen[i_ret] - base[i_ret])
                << "block " << j << " row " << k;
          }
          ++checked;
          if (j != 2 || k != 3 || rep != 1) continue;
          // The engine called directly at this point, on the key of row 3, replication 1.
          const auto p = m::realise(cfg, v);
          const attendsim::StreamKey key{opt.seed, 0, 3 * reps + 1, 0, 0};
          const auto b = engine == "counts" ? m::simulate_counts(p, key)
                                            : m::simulate_hybrid(p, scenarios[0], key);
          const auto s = engine == "counts" ? m::idle_scenario(b, scenarios[1])
                                            : m::simulate_hybrid(p, scenarios[1], key);
          const auto econ = m::evaluate_economics(p.economics, b.events, s.events);
          const auto ms = m::outcome_metrics(s, &econ), mb = m::outcome_metrics(b, nullptr);
          EXPECT_EQ(r.point_outputs[0][at], ms[i_net]);
          EXPECT_EQ(r.point_outputs[1][at], ms[i_roi]);
          if (engine == "hybrid") EXPECT_EQ(r.point_outputs[2][at], ms[i_ret] - mb[i_ret]);
        }
      }
    }
    EXPECT_EQ(checked, static_cast<int>((d + 2) * 2 * reps));
    // The same design on the individual engine (the switch off) is another realisation of the
    // hybrid's pupils: its paired returns differ, so a Sobol that ran it would fail above.
    if (engine == "hybrid") {
      auto individual = cfg;
      individual.run.count_based = false;
      const auto ri = m::sobol_sensitivity(individual, opt, params, n, 0);
      EXPECT_NE(ri.point_outputs[2], r.point_outputs[2]);
      EXPECT_NE(ri.point_outputs[0], r.point_outputs[0]);
    }
  }
}

TEST(CountChain, SobolOnTheCountPathAndTheHybridIsTheSameBytesAtOneAndTwoThreads) {
  // sensitivity --method sobol on the count path and on the hybrid: sobol.csv,
  // sobol_noise.csv and sobol_status.csv are the same bytes at --threads 1 and 2 (each row's
  // results go into its own slot, folded in row order). On the hybrid no output is marked not
  // computed (it computes every metric, docs/methods.md §4.12) and the extra sustained
  // returns, which the programme's effect moves, have numeric indices.
  const auto dir = testsupport::scratch_dir("count-sobol-threads");
  for (const std::string engine : {"counts", "hybrid"}) {
    SCOPED_TRACE(engine);
    testsupport::write_file(dir / (engine + ".toml"), count_sobol_config(engine));
    const std::string params =
        engine == "counts" ? "economics.cost_per_fte_year_sek,transitions.leaving.p_leave_per_month"
                           : "coordinators.rr_improve_in_case,economics.cost_per_fte_year_sek";
    auto run = [&](int threads) {
      const auto out = dir / (engine + "-" + std::to_string(threads));
      const auto r = testsupport::run_cli(
          "sensitivity " + testsupport::shell_quoted(dir / (engine + ".toml")) +
              " --method sobol --params " + params +
              " --sobol-n 8 --replications 2 --bootstrap 20 --quiet --threads " +
              std::to_string(threads) + " --out " + testsupport::shell_quoted(out),
          dir);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      return out;
    };
    const auto one = run(1), two = run(2);
    for (const char* f : {"sobol.csv", "sobol_noise.csv", "sobol_status.csv"}) {
      EXPECT_EQ(testsupport::read_file(one / f), testsupport::read_file(two / f)) << f;
    }
    if (engine != "hybrid") continue;
    const std::string sobol = testsupport::read_file(two / "sobol.csv");
    EXPECT_EQ(sobol.find("not_computed"), std::string::npos) << sobol;
    EXPECT_EQ(testsupport::read_file(two / "sobol_status.csv").find("not_computed"),
              std::string::npos);
    int returns_rows = 0;
    for (const auto& row : count_sobol_csv(two / "sobol.csv")) {
      if (row[0] != "extra_sustained_returns" || row[1] != "coordinators.rr_improve_in_case")
        continue;
      ++returns_rows;
      for (std::size_t k = 2; k < 8; ++k) EXPECT_TRUE(count_sobol_is_number(row[k])) << row[k];
      EXPECT_EQ(row[8], "ok");
    }
    EXPECT_EQ(returns_rows, 1);
  }
  std::filesystem::remove_all(dir);
}

TEST(CountChain, SobolOnTheCountPathCostsTheCountPathsTime) {
  // configs/sweden_baseline.toml (1.45 million pupils, ten years, count_based, no programme):
  // a Sobol of 3 parameters, N = 8 (40 design points), runs its points on the count path.
  // Its --max-hours estimate is the count path's (728 cells x 120 months per point at
  // kCountCellMonthsPerThreadSecond), and the run keeps within the budget it was checked
  // against, 0.004 h = 14.4 s. On the individual engine one national point costs about 2 s
  // on 2 threads (docs/methods.md §4.12; measured 12 s for 16 points before Sobol took the
  // config's engine), so 40 points would take far longer. Its memory is the cells', not the
  // pupils': 0.05 GiB suffices (the individual engine peaked at 1.8 GB).
  const auto dir = testsupport::scratch_dir("count-sobol-national");
  const auto config =
      std::filesystem::path(ATTENDSIM_SOURCE_DIR) / "configs" / "sweden_baseline.toml";
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = testsupport::run_cli(
      "sensitivity " + testsupport::shell_quoted(config) +
          " --method sobol --params population.prevalence.grade7_9.high,transitions.leaving.p_"
          "leave_per_month,economics.cost_per_fte_year_sek --sobol-n 8 --replications 1 "
          "--bootstrap 20 --threads 2 --max-hours 0.004 --max-memory-gib 0.05 --out " +
          testsupport::shell_quoted(dir / "out"),
      dir);
  const double seconds = testsupport::seconds_since(t0);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("count-based runs"), std::string::npos) << r.out;
  EXPECT_LT(seconds, 0.004 * 3600) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(CountChain, DrawsFromRefusesAtReadingADrawThePathCannotRepresent) {
  // --draws-from on a count-based config: a row the path cannot simulate (a relapse
  // multiplier other than 1, a repeated-year probability above 0) is refused when the file is
  // read, exit 2 naming file, line and column (the parameter's key), and nothing is written.
  // The same file on the individual engine, and a row the path can represent, run.
  const auto dir = testsupport::scratch_dir("count-draws-from");
  std::string t = no_programme_config(800, 2);
  t = set_key(t, "transitions.relapse", "enabled", "true");
  t = set_key(t, "transitions.relapse", "mult", "1.0");
  const std::string counted = set_key(t, "simulation", "horizon_years", "2\ncount_based = true");
  testsupport::write_file(dir / "c.toml", counted);
  testsupport::write_file(dir / "individual.toml", t);
  const std::string relapse = "transitions.relapse.mult";
  const std::string repeat = "outcomes.p_repeat_year_per_extensive_year_compulsory";
  testsupport::write_file(dir / "good.csv",
                          "draw," + relapse + "," + repeat + "\n0,1.0,0\n1,1,0.0\n");
  testsupport::write_file(dir / "relapse.csv",
                          "draw," + relapse + "," + repeat + "\n0,1.0,0\n1,1.5,0\n2,1,0\n");
  testsupport::write_file(dir / "repeat.csv", "draw," + relapse + "," + repeat + "\n0,1.0,0.02\n");
  auto run = [&](const std::string& config, const std::string& draws, const std::string& out) {
    return testsupport::run_cli("run " + testsupport::shell_quoted(dir / config) +
                                    " --draws-from " + testsupport::shell_quoted(dir / draws) +
                                    " --replications 1 --threads 1 --quiet --out " +
                                    testsupport::shell_quoted(dir / out),
                                dir);
  };
  auto r = run("c.toml", "good.csv", "good");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const struct {
    std::string file, where;
  } bad[] = {{"relapse.csv", "relapse.csv:3: column '" + relapse + "' (2)"},
             {"repeat.csv", "repeat.csv:2: column '" + repeat + "' (3)"}};
  for (const auto& b : bad) {
    r = run("c.toml", b.file, "bad");
    EXPECT_EQ(r.exit_code, 2) << b.file << ": " << r.err;
    EXPECT_NE(r.err.find(b.where), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("count-based path"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "bad")) << b.file;
    // Without the switch the individual engine represents the same draws.
    r = run("individual.toml", b.file, "individual-" + b.file);
    EXPECT_EQ(r.exit_code, 0) << b.file << ": " << r.err;
  }
  std::filesystem::remove_all(dir);
}
