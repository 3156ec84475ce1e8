// The table by gender and grade band of decision.md and the report (io/subgroup_tables.hpp):
// which scenario it shows, its Swedish and English words, escaping, and that it is in the
// brief and the report (the whole-text Swedish checks of test_decision_language.cpp read it
// too).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/comparison.hpp"
#include "analysis/experiment.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "io/subgroup_tables.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace attendsim::models;

namespace {

TEST(SubgroupTables, ShowsTheRecommendedElseTheBestNetBenefit) {
  const std::vector<std::string> names = {"baseline", "1fte", "3fte", "5fte"};
  const std::vector<double> net = {NAN, -5, -1, -3};
  EXPECT_EQ(subgroup_table_scenario(names, std::string("5fte"), net), 3U);
  EXPECT_EQ(subgroup_table_scenario(names, std::string("baseline"), net), 2U);
  EXPECT_EQ(subgroup_table_scenario(names, std::nullopt, net), 2U);
  EXPECT_EQ(subgroup_table_scenario(names, std::string("unknown"), {NAN, NAN, NAN, NAN}), 1U);
  EXPECT_FALSE(subgroup_table_scenario({"baseline"}, std::nullopt, {NAN}).has_value());
}

TEST(SubgroupTables, ReportSectionEscapesAndLeavesOutWhatIsNotGiven) {
  using nlohmann::json;
  const json m = {{"mean", 12.5}, {"ci_low", 10.0}, {"ci_high", 15.0}};
  json summary;
  summary["scenarios"]["baseline"]["cases_started"] = {{"mean", 0}, {"ci_low", 0}, {"ci_high", 0}};
  summary["scenarios"]["team"]["cases_started"] = m;
  summary["scenarios"]["team"]["roi"] = {{"mean", 0.4}, {"ci_low", 0.3}, {"ci_high", 0.5}};
  summary["scenarios"]["team"]["net_benefit_sek"] = {
      {"mean", -1000}, {"ci_low", -2000}, {"ci_high", 0}};
  for (const char* g : {"boys", "girls", "grade0_6", "grade7_9", "grade10_12"})
    summary["subgroups"]["team"][g]["cases_started"] = m;
  summary["subgroups"]["team"]["boys"]["roi"] = {
      {"mean", 0.5}, {"ci_low", 0.25}, {"ci_high", 0.75}};
  const auto label = [](const std::string&) { return std::string("Plan | B <i>"); };
  const auto sv = subgroup_report_section(summary, std::nullopt, label, Language::sv);
  EXPECT_NE(sv.find("Resultat per kön och årskurser"), std::string::npos) << sv;
  EXPECT_NE(sv.find("Plan | B &lt;i&gt;"), std::string::npos) << sv;
  EXPECT_EQ(sv.find("<i>"), std::string::npos);
  for (const char* w : {"totalt", "pojkar", "flickor", "förskoleklass–åk 6", "åk 7–9",
                        "gymnasieskolan", "12,5 [10,0; 15,0]", "0,50 [0,25; 0,75]"})
    EXPECT_NE(sv.find(w), std::string::npos) << w << "\n" << sv;
  // ROI of a band is not given: its cells show "–".
  const auto roi_row = sv.find(std::string(metric_info(Metric::roi).label_sv));
  ASSERT_NE(roi_row, std::string::npos);
  EXPECT_NE(sv.find("<td>–</td>", roi_row), std::string::npos);
  const auto en = subgroup_report_section(summary, std::nullopt, label, Language::en);
  EXPECT_NE(en.find("Results by gender and grade band"), std::string::npos);
  EXPECT_NE(en.find("12.5 [10.0; 15.0]"), std::string::npos) << en;
  // An older folder without subgroups: no section.
  summary.erase("subgroups");
  EXPECT_EQ(subgroup_report_section(summary, std::nullopt, label, Language::sv), "");
}

/// configs/NAME with `pupils` pupils, as the brief's tests of this file run it.
attendsim::models::ModelConfig subgroup_brief_config(const std::string& name, int pupils) {
  const auto text = testsupport::set_key(
      testsupport::read_file(fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / name), "population",
      "pupils", std::to_string(pupils));
  return parse_model_config(attendsim::config::Document::parse(text, name));
}

/// Its comparison's scenarios, 3 replications on 2 threads at `seed`.
attendsim::models::ExperimentResult subgroup_brief_run(const attendsim::models::ModelConfig& cfg,
                                                       std::uint64_t seed) {
  RunOptions opt;
  opt.seed = seed;
  opt.replications = 3;
  opt.threads = 2;
  return run_experiment(cfg, comparison_scenarios(cfg), opt);
}

TEST(SubgroupTables, InTheBriefInBothLanguages) {
  const auto cfg = subgroup_brief_config("uppsala_2020.toml", 3000);
  const auto res = subgroup_brief_run(cfg, 3);
  const auto rep = analyse_comparison(cfg, res);
  const auto sv = decision_markdown(cfg, res, rep, Language::sv);
  for (const char* part :
       {"## Resultat per kön och årskurser",
        "| mått | totalt | pojkar | flickor | "
        "förskoleklass–åk 6 | åk 7–9 | gymnasieskolan |",
        "Kostnaden fördelas efter påbörjade ärenden", "påbörjade ärenden |", "kostnad (kr"})
    EXPECT_NE(sv.find(part), std::string::npos) << part << "\n" << sv;
  const auto en = decision_markdown(cfg, res, rep, Language::en);
  for (const char* part : {"## Results by gender and grade band",
                           "| metric | total | boys | girls | grades 0–6 | grades 7–9 | "
                           "upper secondary |",
                           "The cost is shared out by cases started"})
    EXPECT_NE(en.find(part), std::string::npos) << part << "\n" << en;
  EXPECT_EQ(sv.find("Fullföljd gymnasieskola –"), std::string::npos);  // grades 0-12
}

TEST(SubgroupTables, ABandWithoutPupilsIsLeftOutAndSaidSo) {
  // Mora's population is grades 0-9 (configs/mora_2019.toml, grade_max = 9, a four-year
  // horizon, grade_max's pupils leave): no pupil is ever in grades 10-12, so nothing can be
  // counted there and the upper secondary column would be a row of zeros. The brief and the
  // report leave it out and say why; grades 0-6 and 7-9 stay. (Uppsala 2020's grades 0-12 keep
  // all three bands: the test above.)
  const auto cfg = subgroup_brief_config("mora_2019.toml", 1500);
  ASSERT_LE(cfg.structure.population.grade_max, 9);
  const auto res = subgroup_brief_run(cfg, 5);
  const auto rep = analyse_comparison(cfg, res);
  const auto sv = decision_markdown(cfg, res, rep, Language::sv);
  EXPECT_NE(sv.find("| mått | totalt | pojkar | flickor | förskoleklass–åk 6 | åk 7–9 |\n"),
            std::string::npos)
      << sv;
  EXPECT_NE(sv.find("Kolumnen för gymnasieskolan visas inte: populationen har inga elever där"),
            std::string::npos)
      << sv;
  const auto en = decision_markdown(cfg, res, rep, Language::en);
  EXPECT_NE(en.find("| metric | total | boys | girls | grades 0–6 | grades 7–9 |\n"),
            std::string::npos)
      << en;
  EXPECT_NE(en.find("The upper secondary column is not shown"), std::string::npos) << en;
  // Nobody can complete upper secondary: the pupils-gain table's completion difference and cost
  // per completer are "–" (not "0,0" and "ingen extra elev"), with the reason under it.
  const auto gain = sv.find("## Vad eleverna vinner");
  ASSERT_NE(gain, std::string::npos);
  const auto first_row = sv.find("\n| 1 heltid | ", gain);
  ASSERT_NE(first_row, std::string::npos) << sv;
  const auto row = sv.substr(first_row + 1, sv.find('\n', first_row + 1) - first_row - 1);
  EXPECT_NE(row.find(" | – | "), std::string::npos) << row;
  const std::string last_cell = "| – |";  // the cost per completer
  ASSERT_GE(row.size(), last_cell.size());
  EXPECT_EQ(row.substr(row.size() - last_cell.size()), last_cell) << row;
  EXPECT_NE(sv.find("Fullföljd gymnasieskola –: populationen omfattar inga gymnasieelever"),
            std::string::npos);

  // The report reads summary.json: a band whose every value is 0 is left out the same way,
  // one with a value kept.
  using nlohmann::json;
  const json zero = {{"mean", 0.0}, {"ci_low", 0.0}, {"ci_high", 0.0}};
  const json some = {{"mean", 3.0}, {"ci_low", 1.0}, {"ci_high", 5.0}};
  json summary;
  summary["scenarios"]["team"]["cases_started"] = some;
  for (const char* g : {"boys", "girls", "grade7_9", "grade10_12"})
    summary["subgroups"]["team"][g]["cases_started"] = some;
  summary["subgroups"]["team"]["grade0_6"]["cases_started"] = zero;
  summary["subgroups"]["team"]["grade0_6"]["pupil_months_regular"] = zero;
  const auto label = [](const std::string&) { return std::string("team"); };
  const auto html = subgroup_report_section(summary, std::nullopt, label, Language::sv);
  EXPECT_EQ(html.find("<th>förskoleklass–åk 6</th>"), std::string::npos) << html;
  EXPECT_NE(html.find("<th>åk 7–9</th><th>gymnasieskolan</th></tr>"), std::string::npos) << html;
  EXPECT_NE(html.find("Kolumnen för förskoleklass–åk 6 visas inte"), std::string::npos) << html;
  summary["subgroups"]["team"]["grade0_6"]["pupil_months_regular"] = some;
  const auto kept = subgroup_report_section(summary, std::nullopt, label, Language::sv);
  EXPECT_NE(kept.find("<th>förskoleklass–åk 6</th>"), std::string::npos) << kept;
  EXPECT_EQ(kept.find("visas inte"), std::string::npos) << kept;
}

}  // namespace
