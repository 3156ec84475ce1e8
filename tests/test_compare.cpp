// attendsim compare: common random numbers pay off, staffing ladder behaves, outputs exist.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/comparison.hpp"
#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace attendsim::models;

namespace {
const ModelConfig& reference() {
  static const auto cfg =
      load_model_config(fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "reference.toml");
  return cfg;
}
std::size_t scenario_index(const ExperimentResult& res, const std::string& name) {
  for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
    if (res.scenarios[s].name == name) return s;
  }
  ADD_FAILURE() << "no scenario " << name;
  return 0;
}
}  // namespace

TEST(Compare, CommonRandomNumbersShrinkTheDifferenceSE) {
  // 5 FTE vs baseline on configs/reference.toml: the SE of the paired difference in
  // sustained returns must be at least 5x below the unpaired sqrt(se_a^2 + se_b^2).
  const auto& cfg = reference();
  RunOptions opt;
  opt.seed = 5;
  opt.replications = 20;
  opt.threads = 2;
  const auto scen = comparison_scenarios(cfg);
  ScenarioSpec five;
  for (const auto& s : scen) {
    if (s.name == "5fte") five = s;
  }
  const auto res = run_experiment(cfg, {scen[0], five}, opt);
  ASSERT_EQ(res.scenarios[1].name, "5fte");
  const auto m = res.metric_index("sustained_returns");
  const double paired = attendsim::summarise(paired_values(res, 1, 0, m)).se;
  const double unpaired = unpaired_se(res, 1, 0, m);
  EXPECT_GT(paired, 0.0);
  EXPECT_LE(5.0 * paired, unpaired) << "paired se " << paired << " unpaired se " << unpaired;
}

TEST(Compare, MoreStaffNeverLengthensTheMeanWait) {
  const auto& cfg = reference();
  RunOptions opt;
  opt.seed = 9;
  opt.replications = 10;
  opt.threads = 2;
  const auto res = run_experiment(cfg, comparison_scenarios(cfg), opt);
  const auto m = res.metric_index("mean_wait_months");
  double previous = std::numeric_limits<double>::infinity();
  for (const char* name : {"1fte", "2fte", "3fte", "5fte", "8fte"}) {
    const double wait = attendsim::summarise(res.unit_values(scenario_index(res, name), m)).mean;
    EXPECT_LE(wait, previous) << name;
    previous = wait;
  }
  // and more staff start more cases
  const auto c = res.metric_index("cases_started");
  EXPECT_LT(attendsim::summarise(res.unit_values(scenario_index(res, "1fte"), c)).mean,
            attendsim::summarise(res.unit_values(scenario_index(res, "8fte"), c)).mean);
}

TEST(Compare, RefusesAConfigWithoutAProgrammeNamingFileLineAndKey) {
  // [coordinators] enabled = false: every staffing level (and an explicit [[compare.scenario]])
  // would be a team that takes no case. compare exits 2 naming the file, the line of
  // `enabled` and the key, points to run and sensitivity, and writes no output folder.
  const auto dir = testsupport::scratch_dir("compare-no-programme");
  const std::string ladder =
      testsupport::set_key(testsupport::small_config_text(), "coordinators", "enabled", "false");
  const std::string explicit_scenario =
      ladder +
      "\n[[compare.scenario]]\nname = \"two\"\n[[compare.scenario.staffing]]\n"
      "from_month = 0\nfte = 2.0\n";
  for (const auto& [name, text] :
       {std::pair<std::string, std::string>{"ladder", ladder}, {"explicit", explicit_scenario}}) {
    const auto config = dir / (name + ".toml");
    testsupport::write_file(config, text);
    // The line of `enabled = false` in the written text, counted here.
    const auto at = text.find("\nenabled = false");
    ASSERT_NE(at, std::string::npos);
    const auto line = 2 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
    const auto out = dir / (name + "-out");
    const auto r = testsupport::run_cli("compare " + testsupport::shell_quoted(config) +
                                            " --draws 2 --replications 1 --quiet --out " +
                                            testsupport::shell_quoted(out),
                                        dir);
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
    EXPECT_NE(
        r.err.find(config.string() + ":" + std::to_string(line) + ": key 'coordinators.enabled'"),
        std::string::npos)
        << name << ": " << r.err;
    EXPECT_NE(r.err.find("compare needs a coordinator programme"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("attendsim run"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << name;
    std::size_t entries = 0;  // nor a temporary folder beside it
    for (const auto& e : fs::directory_iterator(dir)) entries += e.is_directory() ? 1 : 0;
    EXPECT_EQ(entries, 0U) << name;
  }
  fs::remove_all(dir);
}

TEST(Compare, CliWritesAllOutputs) {
  const auto dir = testsupport::scratch_dir("compare");
  const auto r = testsupport::run_cli(
      "compare '" + (fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "reference.toml").string() +
          "' --draws 4 --replications 2 --threads 2 --out '" + (dir / "out").string() + "'",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Recommendation"), std::string::npos) << r.out;
  for (const char* f : {"comparison.json", "comparison.csv", "equity.csv", "decision.md",
                        "summary.json", "run.json"}) {
    EXPECT_TRUE(fs::exists(dir / "out" / f)) << f;
  }
  const auto csv = testsupport::read_file(dir / "out" / "comparison.csv");
  EXPECT_EQ(csv.rfind("scenario,metric,mean,se,ci_low,ci_high,p2_5,p97_5,versus", 0), 0u);
  EXPECT_NE(csv.find(",baseline,"), std::string::npos);  // difference rows
  const auto j = nlohmann::json::parse(testsupport::read_file(dir / "out" / "comparison.json"));
  EXPECT_EQ(j["scenarios"].size(), 5u);
  EXPECT_TRUE(j.contains("recommended"));
  const auto md = testsupport::read_file(dir / "out" / "decision.md");
  EXPECT_NE(md.find("## Rekommendation"), std::string::npos);  // Swedish by default
  fs::remove_all(dir);
}
