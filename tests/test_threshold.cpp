// Threshold analysis (analysis/threshold.hpp, `attendsim threshold`): the root equals the
// crossing on a fine grid of the parameter on the same random numbers; in a case linear in the
// parameter it equals the closed form; bad input exits 2 naming the key; the Swedish text holds
// no English word or raw key.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>

#include "analysis/experiment.hpp"
#include "analysis/threshold.hpp"
#include "io/config_schema.hpp"
#include "io/threshold_text.hpp"
#include "io/threshold_writer.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace attendsim::models;

namespace {

/// configs/reference.toml cut to 1000 pupils and 3 years.
ModelConfig small_reference() {
  auto t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "1000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "3");
  auto cfg = parse_model_config(attendsim::config::Document::parse(t, "small.toml"));
  cfg.structure.outcomes.terminal_events = attendsim::models::TerminalEvents::expected;  // as the command does
  return cfg;
}

RunOptions small_options() {
  RunOptions o;
  o.seed = 11;
  o.replications = 10;
  o.threads = 2;
  return o;
}

/// The mean metric of scenario `s` over the replications, at each value of `key`, every value
/// on the streams of draw 0: computed here from run_experiment, not by the threshold code.
std::vector<double> metric_on_values(const ModelConfig& cfg, RunOptions o, const ScenarioSpec& s,
                                     const std::string& key, const std::vector<double>& xs,
                                     Metric m) {
  const auto i = *cfg.parameters.find(key);
  o.draws = static_cast<int>(xs.size());
  o.common_streams_across_draws = true;
  for (double x : xs) {
    auto v = cfg.parameters.base_values();
    v[i] = x;
    o.parameter_sets.push_back(v);
  }
  const auto res = run_experiment(cfg, {comparison_scenarios(cfg).front(), s}, o);
  std::vector<double> out;
  for (std::size_t d = 0; d < xs.size(); ++d) {
    double sum = 0;
    for (int r = 0; r < o.replications; ++r)
      sum += res.units[d * o.replications + r].metrics[1][metric_position(m)];
    out.push_back(sum / o.replications);
  }
  return out;
}

}  // namespace

TEST(Threshold, RootEqualsTheCrossingOnAFineGridOnCommonRandomNumbers) {
  const auto cfg = small_reference();
  auto opt = small_options();
  opt.replications = 20;  // 5 batches of 4: each batch's own root within [1, 5]
  const auto scen = comparison_scenarios(cfg).at(1);
  const std::string key = "coordinators.rr_improve_in_case";
  const double lo = 1.0, hi = 5.0;
  // A target the ROI surely crosses: its value at RR 2 (computed here).
  const double target = metric_on_values(cfg, opt, scen, key, {2.0}, Metric::roi).front();
  ThresholdSpec spec;
  spec.parameter = key;
  spec.metric = ThresholdMetric::roi;
  spec.target = target;
  spec.range = std::make_pair(lo, hi);
  spec.scenarios = {scen.name};
  const auto r = threshold_analysis(cfg, opt, spec);
  ASSERT_EQ(r.rows.size(), 1u);
  const auto& row = r.rows.front();
  ASSERT_TRUE(row.crossed);
  EXPECT_EQ(row.direction, 1);  // a larger effect returns more
  // The fine grid: 41 values, the crossing by linear interpolation between the two values
  // around the first sign change.
  const int g = 41;
  std::vector<double> xs;
  for (int j = 0; j < g; ++j) xs.push_back(lo + (hi - lo) * j / (g - 1));
  const auto f = metric_on_values(cfg, opt, scen, key, xs, Metric::roi);
  double crossing = NAN;
  for (int j = 0; j + 1 < g; ++j) {
    if ((f[j] - target) * (f[j + 1] - target) <= 0 && f[j] != f[j + 1]) {
      crossing = xs[j] + (target - f[j]) * (xs[j + 1] - xs[j]) / (f[j + 1] - f[j]);
      break;
    }
  }
  ASSERT_TRUE(std::isfinite(crossing));
  const double step = (hi - lo) / (g - 1);
  EXPECT_NEAR(row.threshold, crossing, step) << "grid crossing " << crossing;
  EXPECT_NEAR(row.threshold, 2.0, step);  // the target is the ROI at 2
  // The interval covers the root and the grid's crossing (to within a grid step).
  ASSERT_TRUE(std::isfinite(row.ci_low));
  EXPECT_EQ(row.batches_crossed, row.batches);
  EXPECT_LE(row.ci_low, row.threshold);
  EXPECT_GE(row.ci_high, row.threshold);
  EXPECT_LE(row.ci_low - step, crossing);
  EXPECT_GE(row.ci_high + step, crossing);
  // The metric at the ends is the fine grid's (the same streams).
  EXPECT_DOUBLE_EQ(row.metric_at_low, f.front());
  EXPECT_DOUBLE_EQ(row.metric_at_high, f.back());
}

TEST(Threshold, LinearInTheCostEqualsTheClosedForm) {
  // Net benefit = savings - cost, and the cost is linear in the cost per FTE-year, which the
  // simulation never reads: net(c) is exactly linear in c. With n1 = net(c1), n2 = net(c2)
  // from two runs, the target T = n1 + 0.3 (n2 - n1) is reached at c1 + 0.3 (c2 - c1).
  const auto cfg = small_reference();
  const auto opt = small_options();
  const auto scen = comparison_scenarios(cfg).at(1);
  const std::string key = "economics.cost_per_fte_year_sek";
  const double c1 = 400000, c2 = 1200000;
  const auto n =
      metric_on_values(cfg, opt, scen, key, {c1, 0.5 * (c1 + c2), c2}, Metric::net_benefit_sek);
  ASSERT_LT(n[2], n[0]);
  // Linear indeed: the midpoint is the mean of the ends.
  EXPECT_NEAR(n[1], 0.5 * (n[0] + n[2]), 1e-6 * std::abs(n[0] - n[2]));
  const double target = n[0] + 0.3 * (n[2] - n[0]);
  ThresholdSpec spec;
  spec.parameter = key;
  spec.target = target;
  spec.range = std::make_pair(c1, c2);
  spec.scenarios = {scen.name};
  const auto r = threshold_analysis(cfg, opt, spec);
  ASSERT_EQ(r.rows.size(), 1u);
  const auto& row = r.rows.front();
  ASSERT_TRUE(row.crossed);
  EXPECT_EQ(row.direction, -1);  // it pays below the threshold cost
  EXPECT_NEAR(row.threshold, c1 + 0.3 * (c2 - c1), 1e-3 * (c2 - c1));
}

TEST(Threshold, InterpolatedRootIsTheLinearInterpolationBetweenTheGridValues) {
  // compare's cheap threshold (refine = false): no experiment beyond the grid; the root is
  // the straight line between the two grid values around the sign change, computed here from
  // run_experiment at the same grid values.
  const auto cfg = small_reference();
  auto opt = small_options();
  const auto scen = comparison_scenarios(cfg).at(1);
  const std::string key = "coordinators.rr_improve_in_case";
  const double lo = 1.0, hi = 5.0;
  const std::vector<double> xs = {1.0, 2.0, 3.0, 4.0, 5.0};
  const auto f = metric_on_values(cfg, opt, scen, key, xs, Metric::roi);
  const double target = 0.5 * (f[1] + f[2]);  // crossed between 2 and 3
  ThresholdSpec spec;
  spec.parameter = key;
  spec.metric = ThresholdMetric::roi;
  spec.target = target;
  spec.range = std::make_pair(lo, hi);
  spec.scenarios = {scen.name};
  spec.grid_points = 5;
  spec.refine = false;
  const auto r = threshold_analysis(cfg, opt, spec);
  ASSERT_EQ(r.rows.size(), 1u);
  const auto& row = r.rows.front();
  ASSERT_TRUE(row.crossed);
  EXPECT_EQ(row.evaluations, 0);  // nothing run beyond the grid
  EXPECT_FALSE(row.refined);
  EXPECT_NEAR(row.threshold, 2.0 + (target - f[1]) / (f[2] - f[1]), 1e-12);
  EXPECT_NEAR(row.threshold, 2.5, 1e-12);  // the target is the midpoint of the two values
  // The plausible range is the distribution's 2.5 % and 97.5 % quantiles, not the range given.
  const auto& d = *cfg.parameters.at(*cfg.parameters.find(key)).dist;
  EXPECT_DOUBLE_EQ(row.plausible_low, d.quantile(0.025));
  EXPECT_DOUBLE_EQ(row.plausible_high, d.quantile(0.975));
  // Beyond the plausible range, the sentence says so.
  const auto sv = threshold_sentence(Language::sv, row);
  EXPECT_NE(sv.find("mer än det rimliga intervallet"), std::string::npos) << sv;
  // compare's spec: the plausible range and twice its width above it, 5 values, interpolated.
  const auto c = compare_threshold_spec(cfg);
  ASSERT_TRUE(c.range.has_value());
  EXPECT_DOUBLE_EQ(c.range->first, d.quantile(0.025));
  EXPECT_NEAR(c.range->second, d.quantile(0.025) + 3 * (d.quantile(0.975) - d.quantile(0.025)),
              1e-12);
  EXPECT_EQ(c.grid_points, kCompareThresholdGridPoints);
  EXPECT_FALSE(c.refine);
}

TEST(Threshold, NoCrossingWithinTheRangeIsReported) {
  const auto cfg = small_reference();
  const auto opt = small_options();
  ThresholdSpec spec;
  spec.parameter = "economics.cost_per_fte_year_sek";
  spec.target = 1e12;  // no staffing gains a trillion SEK
  spec.scenarios = {comparison_scenarios(cfg).at(1).name};
  const auto r = threshold_analysis(cfg, opt, spec);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_FALSE(r.rows[0].crossed);
  EXPECT_TRUE(std::isnan(r.rows[0].threshold));
  EXPECT_EQ(r.rows[0].direction, 0);
  // The default range is the 2.5 % and 97.5 % quantiles of gamma(69.4, 10800).
  const auto& d = *cfg.parameters.at(*cfg.parameters.find(spec.parameter)).dist;
  EXPECT_DOUBLE_EQ(r.rows[0].range_low, d.quantile(0.025));
  EXPECT_DOUBLE_EQ(r.rows[0].range_high, d.quantile(0.975));
  const auto sv = threshold_sentence(Language::sv, r.rows[0]);
  EXPECT_NE(sv.find("lönar det sig inte"), std::string::npos) << sv;
  const auto en = threshold_sentence(Language::en, r.rows[0]);
  EXPECT_NE(en.find("does not pay for any value"), std::string::npos) << en;
}

TEST(Threshold, CsvRoundTripsAndTheSwedishTextHasNoEnglishOrRawKey) {
  ThresholdResult res;
  res.replications = 10;
  res.grid_points = 9;
  ThresholdRow a;
  a.scenario = "5fte";
  a.parameter = "coordinators.rr_improve_in_case";
  a.metric = "net_benefit";
  a.base_value = 1.5;
  a.range_low = 1.0;
  a.range_high = 2.25;
  a.metric_at_low = -2e6;
  a.metric_at_high = 5e5;
  a.crossed = true;
  a.direction = 1;
  a.crossings = 1;
  a.threshold = 1.87;
  a.ci_low = 1.8;
  a.ci_high = 1.95;
  a.batches = a.batches_crossed = 5;
  a.plausible_low = 1.0;
  a.plausible_high = 2.25;
  a.replications = 10;
  a.grid_points = 9;
  ThresholdRow b = a;
  b.scenario = "a, \"quoted\" name";
  b.crossed = false;
  b.direction = 0;
  b.threshold = b.ci_low = b.ci_high = NAN;
  res.rows = {a, b};
  const auto dir = testsupport::scratch_dir("threshold-csv");
  testsupport::write_file(dir / "threshold.csv", threshold_csv(res));
  const auto back = read_threshold_csv(dir);
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].scenario, b.scenario);
  EXPECT_DOUBLE_EQ((*back)[0].threshold, 1.87);
  EXPECT_TRUE(std::isnan((*back)[1].threshold));
  EXPECT_EQ((*back)[0].replications, 10);
  EXPECT_EQ((*back)[0].grid_points, 9);
  EXPECT_EQ((*back)[0].refined, a.refined);
  EXPECT_DOUBLE_EQ((*back)[0].plausible_high, a.plausible_high);
  EXPECT_FALSE(read_threshold_csv(dir / "none").has_value());
  testsupport::write_file(dir / "threshold.csv", "scenario,x\n");
  EXPECT_THROW((void)read_threshold_csv(dir), std::exception);

  const auto md = threshold_markdown(
      {a}, [](const std::string&) { return std::string("5 årsarbetare"); }, Language::sv);
  EXPECT_NE(md.find("minst 1,87"), std::string::npos) << md;
  EXPECT_NE(md.find("koordinatorernas effekt"), std::string::npos) << md;
  for (const char* e : {"the", "and", "of", "net", "benefit", "roi", "sek", "fte", "interval",
                        "coordinators", "threshold", "batches"}) {
    std::string w, text = md;
    std::set<std::string> words;
    for (char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (std::isalpha(u) || u >= 0x80) {
        w += static_cast<char>(std::tolower(u));
      } else {
        if (!w.empty()) words.insert(w);
        w.clear();
      }
    }
    EXPECT_EQ(words.count(e), 0u) << "English word '" << e << "' in\n" << md;
  }
  EXPECT_EQ(md.find("rr_improve"), std::string::npos);
  // Replacing the section in a brief keeps the rest.
  const std::string brief = "# Beslutsunderlag\n\ntext\n";
  const auto once = with_threshold_section(brief, md);
  EXPECT_EQ(with_threshold_section(once, md), once);
  EXPECT_EQ(once.rfind(brief, 0), 0u);
}

TEST(Threshold, BadInputExitsTwoNamingTheKey) {
  const auto dir = testsupport::scratch_dir("threshold-bad");
  const auto cfg = testsupport::small_reference_config(dir);
  const std::string out = " --out '" + (dir / "out").string() + "'";
  auto expect_exit2 = [&](const std::string& args, const std::string& named) {
    const auto r = testsupport::run_cli("threshold " + cfg + " " + args + out, dir);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(named), std::string::npos) << args << "\n" << r.err;
    EXPECT_FALSE(fs::exists(dir / "out")) << "written on error: " << args;
  };
  expect_exit2("--param coordinators.no_such_key", "coordinators.no_such_key");
  expect_exit2("--param coordinators.allocation_policy", "coordinators.allocation_policy");
  expect_exit2("--param coordinators.rr_improve_in_case --range 2,1",
               "coordinators.rr_improve_in_case");
  expect_exit2("--param coordinators.rr_improve_in_case --range 1,abc",
               "coordinators.rr_improve_in_case");
  expect_exit2("--param detection.p_consent --range -0.5,0.9", "detection.p_consent");
  expect_exit2("--metric irr", "--metric");
  expect_exit2("--scenario nope", "nope");
}

TEST(Threshold, CompareAloneSaysWhatItTakesAndNoThresholdLeavesItOut) {
  const auto dir = testsupport::scratch_dir("threshold-compare");
  const auto cfg = testsupport::small_reference_config(dir);
  const auto c = testsupport::run_cli("compare " + cfg +
                                          " --draws 2 --replications 2 --threads 2 --seed 3 "
                                          "--quiet --out '" +
                                          (dir / "a").string() + "'",
                                      dir);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto rows = read_threshold_csv(dir / "a");
  ASSERT_TRUE(rows.has_value());
  ASSERT_GE(rows->size(), 2u);
  for (const auto& r : *rows) {
    EXPECT_FALSE(r.refined);
    EXPECT_EQ(r.parameter, kDefaultThresholdParameter);
    EXPECT_EQ(r.replications, kCompareThresholdReplications);
    EXPECT_EQ(r.grid_points, kCompareThresholdGridPoints);
  }
  const auto md = testsupport::read_file(dir / "a" / "decision.md");
  EXPECT_NE(md.find("## Vad som krävs för att det ska löna sig"), std::string::npos) << md;
  EXPECT_NE(md.find("grovt rutnät"), std::string::npos) << md;
  const auto n = testsupport::run_cli("compare " + cfg +
                                          " --draws 2 --replications 2 --threads 2 --seed 3 "
                                          "--quiet --no-threshold --out '" +
                                          (dir / "b").string() + "'",
                                      dir);
  ASSERT_EQ(n.exit_code, 0) << n.err;
  EXPECT_FALSE(fs::exists(dir / "b" / "threshold.csv"));
  EXPECT_EQ(testsupport::read_file(dir / "b" / "decision.md").find("## Vad som krävs"),
            std::string::npos);
}

TEST(Threshold, CommandWritesThresholdCsvAndTheBriefAndReportSayWhatItTakes) {
  const auto dir = testsupport::scratch_dir("threshold-cli");
  const auto cfg = testsupport::small_reference_config(dir);
  const std::string out = " --out '" + (dir / "out").string() + "'";
  // compare first, then threshold into its folder: decision.md gets the threshold section.
  const auto c = testsupport::run_cli(
      "compare " + cfg + " --draws 2 --replications 2 --threads 2 --seed 3 --quiet" + out, dir);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto r = testsupport::run_cli(
      "threshold " + cfg +
          " --param economics.cost_per_fte_year_sek --replications 4 --batches 2 --grid 3 "
          "--threads 2 --seed 3" +
          out,
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("threshold of economics.cost_per_fte_year_sek"), std::string::npos) << r.out;
  const auto rows = read_threshold_csv(dir / "out");
  ASSERT_TRUE(rows.has_value());
  EXPECT_GE(rows->size(), 2u);  // one row per compare scenario
  for (const auto& row : *rows) {
    // Each row either has a threshold inside the range or says there is none.
    if (row.crossed) {
      EXPECT_GE(row.threshold, row.range_low);
      EXPECT_LE(row.threshold, row.range_high);
    } else {
      EXPECT_NE(r.out.find("no crossing within"), std::string::npos);
    }
  }
  const auto md = testsupport::read_file(dir / "out" / "decision.md");
  const auto at = md.find("## Vad som krävs för att det ska löna sig");
  ASSERT_NE(at, std::string::npos) << md;
  EXPECT_NE(md.find("kostnaden per årsarbetare och år"), std::string::npos);
  EXPECT_EQ(md.find("cost_per_fte"), std::string::npos);
  for (const auto& row : *rows)
    EXPECT_EQ(md.find(row.scenario, at), std::string::npos) << row.scenario;
  // Run again: the section is replaced, not repeated. compare again: it keeps it.
  ASSERT_EQ(testsupport::run_cli("threshold " + cfg +
                                     " --param economics.cost_per_fte_year_sek --replications 4 "
                                     "--batches 2 --grid 3 --threads 2 --seed 3 --quiet" +
                                     out,
                                 dir)
                .exit_code,
            0);
  const auto md2 = testsupport::read_file(dir / "out" / "decision.md");
  EXPECT_EQ(md2.find("## Vad som krävs"), md2.rfind("## Vad som krävs"));
  ASSERT_EQ(
      testsupport::run_cli(
          "compare " + cfg + " --draws 2 --replications 2 --threads 2 --seed 3 --quiet" + out, dir)
          .exit_code,
      0);
  EXPECT_NE(testsupport::read_file(dir / "out" / "decision.md").find("## Vad som krävs"),
            std::string::npos);
  // The report shows it, in Swedish.
  const auto rep = testsupport::run_cli(
      "report '" + (dir / "out").string() + "' --lang sv --out '" + (dir / "r.html").string() + "'",
      dir);
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  const auto html = testsupport::read_file(dir / "r.html");
  EXPECT_NE(html.find("Vad som krävs för att det ska löna sig"), std::string::npos);
  // threshold first into a new folder, then compare into it: the brief has the section too.
  const std::string out2 = " --out '" + (dir / "out2").string() + "'";
  ASSERT_EQ(testsupport::run_cli("threshold " + cfg +
                                     " --param economics.cost_per_fte_year_sek --replications 4 "
                                     "--batches 2 --grid 3 --threads 2 --seed 3 --quiet" +
                                     out2,
                                 dir)
                .exit_code,
            0);
  EXPECT_TRUE(fs::exists(dir / "out2" / "run.json"));
  const auto c2 = testsupport::run_cli(
      "compare " + cfg + " --draws 2 --replications 2 --threads 2 --seed 3 --quiet --lang en" +
          out2,
      dir);
  ASSERT_EQ(c2.exit_code, 0) << c2.err;
  EXPECT_NE(
      testsupport::read_file(dir / "out2" / "decision.md").find("## What it would take to pay"),
      std::string::npos);
  fs::remove_all(dir);
}

TEST(Threshold, RefusesAConfigWithoutAProgrammeNamingFileLineAndKey) {
  // threshold asks at what value a programme pays. With [coordinators] enabled = false every
  // staffing level is a team that takes no case, which never pays: threshold exits 2 naming the
  // file, the line of `enabled` and the key (as compare), whatever the parameter, and writes no
  // output folder (nor a temporary one).
  const auto dir = testsupport::scratch_dir("threshold-no-programme");
  const std::string text =
      testsupport::set_key(testsupport::small_config_text(), "coordinators", "enabled", "false");
  const auto config = dir / "c.toml";
  testsupport::write_file(config, text);
  const auto at = text.find("\nenabled = false");
  ASSERT_NE(at, std::string::npos);
  const auto line = 2 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  for (const std::string args :
       {"", " --param economics.cost_per_fte_year_sek", " --metric roi --range 0.5,0.9"}) {
    const auto r = testsupport::run_cli("threshold " + testsupport::shell_quoted(config) + args +
                                            " --replications 2 --quiet --out " +
                                            testsupport::shell_quoted(dir / "out"),
                                        dir);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_NE(
        r.err.find(config.string() + ":" + std::to_string(line) + ": key 'coordinators.enabled'"),
        std::string::npos)
        << args << ": " << r.err;
    EXPECT_NE(r.err.find("threshold asks at what value a coordinator programme pays"),
              std::string::npos)
        << r.err;
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(dir)) entries += e.is_directory() ? 1 : 0;
    EXPECT_EQ(entries, 0U) << args;
  }
  fs::remove_all(dir);
}
