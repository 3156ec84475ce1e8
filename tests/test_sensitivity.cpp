// Sensitivity orchestration on the attendance model: precision target, one-way, PSA.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <cmath>
#include <filesystem>
#include <set>

#include "analysis/sensitivity.hpp"
#include "io/config_schema.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "sim/csv.hpp"
#include "sim/statistics.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace attendsim::models;

namespace {
ModelConfig small_reference() {
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", "3000");
  t = testsupport::set_key(t, "simulation", "horizon_years", "3");
  return parse_model_config(attendsim::config::Document::parse(t, "small.toml"));
}
}  // namespace

TEST(Sensitivity, TargetSeStopsReproduciblyBelowTarget) {
  const auto cfg = small_reference();
  RunOptions opt;
  opt.seed = 17;
  opt.threads = 2;
  const double target = 0.03;
  const auto a = run_to_target_se(cfg, opt, "roi", target, 5, 400);
  ASSERT_TRUE(a.reached);
  EXPECT_LE(a.se, target);
  EXPECT_EQ(a.result.options.replications % 5, 0);
  // The se recomputed from the unit values agrees, and the previous batch was not yet below.
  const auto roi = a.result.metric_index("roi");
  EXPECT_DOUBLE_EQ(attendsim::summarise(a.result.unit_values(1, roi)).se, a.se);
  if (a.result.options.replications > 5) {
    auto v = a.result.unit_values(1, roi);
    v.resize(v.size() - 5);
    EXPECT_GT(attendsim::summarise(v).se, target);
  }
  // Same seed, other thread count: the same stop and the same numbers.
  opt.threads = 1;
  const auto b = run_to_target_se(cfg, opt, "roi", target, 5, 400);
  EXPECT_EQ(a.result.options.replications, b.result.options.replications);
  EXPECT_EQ(a.se, b.se);
}

TEST(Sensitivity, OneWayUsesDistributionQuantilesAndCommonRandomNumbers) {
  const auto cfg = small_reference();
  RunOptions opt;
  opt.seed = 3;
  opt.replications = 3;
  opt.threads = 2;
  const auto rows = one_way(cfg, opt);
  ASSERT_FALSE(rows.empty());
  bool saw_consent = false, saw_cost = false;
  for (const auto& r : rows) {
    if (r.parameter == "detection.p_consent" && r.output == "net_benefit_sek") {
      // configs/reference.toml: p_consent ~ beta(25.8, 4.6): low/high are its 2.5 % / 97.5 %
      // quantiles.
      const boost::math::beta_distribution<> b(25.8, 4.6);
      EXPECT_NEAR(r.low_value, boost::math::quantile(b, 0.025), 1e-12);
      EXPECT_NEAR(r.high_value, boost::math::quantile(b, 0.975), 1e-12);
      saw_consent = true;
    }
    if (r.parameter == "economics.cost_per_fte_year_sek" && r.output == "extra_sustained_returns") {
      // A cost parameter cannot change what happens to pupils: on common random numbers
      // across design points the swing is exactly 0.
      EXPECT_EQ(r.swing, 0.0);
      EXPECT_EQ(r.output_low, r.output_base);
      saw_cost = true;
    }
    if (r.parameter == "economics.cost_per_fte_year_sek" && r.output == "net_benefit_sek") {
      EXPECT_GT(r.output_low, r.output_high);  // dearer staff, lower net benefit
    }
  }
  EXPECT_TRUE(saw_consent);
  EXPECT_TRUE(saw_cost);
  // Sorted by swing within each output.
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].output == rows[i - 1].output) {
      EXPECT_LE(rows[i].swing, rows[i - 1].swing);
    }
  }
}

TEST(Sensitivity, AcceptabilityProbabilitiesSumToOne) {
  const auto cfg = small_reference();
  RunOptions opt;
  opt.seed = 4;
  opt.draws = 20;
  opt.replications = 1;
  opt.threads = 2;
  const auto res = run_experiment(cfg, comparison_scenarios(cfg), opt);
  const auto curve = acceptability(res, {0, 1e6, 1e8});
  const std::size_t ns = res.scenarios.size();
  ASSERT_EQ(curve.size(), 3 * ns);
  for (std::size_t k = 0; k < 3; ++k) {
    double sum = 0;
    for (std::size_t s = 0; s < ns; ++s) sum += curve[k * ns + s].probability_best;
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
  // At a huge value per return, one of the most effective (largest) staffing levels wins
  // nearly always. On 3 000 pupils the two largest (5 and 8 FTE, 50 and 80 case slots) both
  // exceed what schools refer, so they are about equally effective and share the wins.
  EXPECT_GE(curve[2 * ns + ns - 1].probability_best + curve[2 * ns + ns - 2].probability_best, 0.8)
      << curve[2 * ns + ns - 1].scenario;
}

TEST(Sensitivity, CliMethodsWriteTheirCsv) {
  const auto dir = testsupport::scratch_dir("sens-cli");
  const std::string cfg =
      "'" + (fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "reference.toml").string() + "'";
  auto r = testsupport::run_cli(
      "sensitivity " + cfg +
          " --method twoway --params coordinators.rr_improve_in_case,detection.p_consent --grid 2 "
          "--replications 2 --quiet --out '" +
          (dir / "tw").string() + "'",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "tw" / "twoway.csv"));
  EXPECT_TRUE(fs::exists(dir / "tw" / "summary.json"));
  r = testsupport::run_cli(
      "sensitivity " + cfg +
          " --method twoway --params nope.key,detection.p_consent --quiet --out '" +
          (dir / "bad").string() + "'",
      dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "bad"));
  r = testsupport::run_cli(
      "sensitivity " + cfg + " --target-se roi --quiet --out '" + (dir / "bad2").string() + "'",
      dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir / "bad2"));
  fs::remove_all(dir);
}

TEST(Sensitivity, IntoACompareFolderAddsOnlyItsOwnFiles) {
  // run -> compare -> sensitivity into one folder (the evaluator's flow): the sensitivity
  // method adds tornado.csv but leaves compare's summary.json, occupancy.csv and run.json.
  const auto dir = testsupport::scratch_dir("sens-merge");
  const std::string cfg =
      "'" + (fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "mora_2019.toml").string() + "'";
  const std::string out = " --replications 2 --quiet --out '" + (dir / "r").string() + "'";
  ASSERT_EQ(testsupport::run_cli("compare " + cfg + " --draws 3" + out, dir).exit_code, 0);
  const auto summary = testsupport::read_file(dir / "r" / "summary.json");
  const auto occupancy = testsupport::read_file(dir / "r" / "occupancy.csv");
  const auto run = testsupport::read_file(dir / "r" / "run.json");
  const auto r = testsupport::run_cli("sensitivity " + cfg + " --method oneway" + out, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "r" / "tornado.csv"));
  EXPECT_TRUE(fs::exists(dir / "r" / "comparison.json"));
  EXPECT_EQ(testsupport::read_file(dir / "r" / "summary.json"), summary);
  EXPECT_EQ(testsupport::read_file(dir / "r" / "occupancy.csv"), occupancy);
  EXPECT_EQ(testsupport::read_file(dir / "r" / "run.json"), run);
  fs::remove_all(dir);
}

TEST(Sensitivity, WithoutAProgrammePsaRunsTheConfiguredScenarioAndVoiRefuses) {
  // [coordinators] enabled = false: compare's ladder would be eight teams that take no case.
  // psa runs the scenarios `run` has, the baseline and the configured scenario, so psa.csv has
  // the configured scenario's rows alone (with a programme: every level of the ladder); voi,
  // the value of choosing among a programme's options, exits 2 naming the file, the line of
  // `enabled` and the key, and writes no folder (nor a temporary one).
  const auto dir = testsupport::scratch_dir("sensitivity-no-programme");
  const std::string with = testsupport::small_config_text();
  const std::string text = testsupport::set_key(with, "coordinators", "enabled", "false");
  testsupport::write_file(dir / "with.toml", with);
  testsupport::write_file(dir / "none.toml", text);
  auto scenarios_in_psa = [&](const std::string& name) {
    const auto r = testsupport::run_cli(
        "sensitivity " + testsupport::shell_quoted(dir / (name + ".toml")) +
            " --method psa --draws 3 --replications 1 --threads 2 --quiet --out " +
            testsupport::shell_quoted(dir / name),
        dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> names;
    const auto psa = testsupport::read_file(dir / name / "psa.csv");
    for (const auto& row : attendsim::csv::parse(psa, "psa.csv")) {
      if (row.cells.at(0) != "draw") names.insert(row.cells.at(1));
    }
    return names;
  };
  // The configured scenario's name, as the config states it.
  const auto key = text.find("\nscenario_name = \"");
  ASSERT_NE(key, std::string::npos);
  const auto from = key + std::string("\nscenario_name = \"").size();
  const std::string configured = text.substr(from, text.find('"', from) - from);
  EXPECT_EQ(scenarios_in_psa("none"), std::set<std::string>{configured});
  EXPECT_GT(scenarios_in_psa("with").size(), 2U);  // the ladder, with a programme
  fs::remove_all(dir / "none");
  fs::remove_all(dir / "with");
  const auto at = text.find("\nenabled = false");
  ASSERT_NE(at, std::string::npos);
  const auto line = 2 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  const auto r =
      testsupport::run_cli("sensitivity " + testsupport::shell_quoted(dir / "none.toml") +
                               " --method voi --draws 10 --replications 1 --quiet --out " +
                               testsupport::shell_quoted(dir / "voi"),
                           dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find((dir / "none.toml").string() + ":" + std::to_string(line) +
                       ": key 'coordinators.enabled'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--method voi"), std::string::npos) << r.err;
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) entries += e.is_directory() ? 1 : 0;
  EXPECT_EQ(entries, 0U);
  fs::remove_all(dir);
}
