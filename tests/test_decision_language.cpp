// decision.md in Swedish and English: labels instead of code names, no English word or raw
// config key in the Swedish text, "best" lines that include no coordinators, dominance only
// where the interval excludes the other option.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "analysis/comparison.hpp"
#include "analysis/experiment.hpp"
#include "analysis/threshold.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "io/labels.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace attendsim::models;

namespace {

/// configs/uppsala_2020.toml made small (3 000 pupils) so a test can compare every scenario.
ModelConfig small_uppsala() {
  auto text =
      testsupport::read_file(fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "uppsala_2020.toml");
  text = testsupport::set_key(text, "population", "pupils", "3000");
  return parse_model_config(attendsim::config::Document::parse(text, "uppsala_small.toml"));
}

/// Lower-case words of a text (letters only, UTF-8 bytes >= 0x80 kept as letters).
std::set<std::string> words(const std::string& text) {
  std::set<std::string> out;
  std::string w;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u) || u >= 0x80) {
      w += static_cast<char>(std::tolower(u));
    } else {
      if (!w.empty()) out.insert(w);
      w.clear();
    }
  }
  if (!w.empty()) out.insert(w);
  return out;
}

/// Tokens of a text separated by white space and markdown punctuation (keeps "a_b", "5fte").
std::set<std::string> tokens(const std::string& text) {
  std::set<std::string> out;
  std::string w;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
        static_cast<unsigned char>(c) >= 0x80) {
      w += c;
    } else {
      if (!w.empty()) out.insert(w);
      w.clear();
    }
  }
  if (!w.empty()) out.insert(w);
  return out;
}

/// English words that have no place in a Swedish text (none is also a Swedish word).
const char* const kEnglish[] = {"the",          "and",         "of",           "with",
                                "none",         "not",         "baseline",     "fte",
                                "roi",          "sek",         "net",          "benefit",
                                "dominated",    "replication", "replications", "draws",
                                "payback",      "staffing",    "return",       "returns",
                                "girls",        "boys",        "mean",         "cost",
                                "savings",      "option",      "step",         "scenario",
                                "scenarios",    "probability", "interval",     "recommendation",
                                "fifo",         "first",       "served",       "equal",
                                "access",       "referral",    "coordinators", "years",
                                "n/a",          "assumption",  "calibrated",   "pupils",
                                "months",       "effect",      "fund",         "repayment",
                                "expected",     "horizon",     "bridge",       "uncertain",
                                "distribution", "discounting", "whole",        "loss",
                                "share",        "beta",        "lognormal",    "base",
                                "dist"};

}  // namespace

TEST(DecisionLanguage, LabelsFromTheConfigOrMadeFromStaffingAndPolicies) {
  const auto cfg = small_uppsala();
  const auto scen = comparison_scenarios(cfg);
  ASSERT_GE(scen.size(), 3u);
  EXPECT_EQ(scenario_labels(cfg, scen[0]).sv, "utan koordinatorer");
  EXPECT_EQ(scenario_labels(cfg, scen[0]).en, "no coordinators");
  // The ladder's 1 FTE: the ladder shares the configured gender_parity allocation and equal
  // referral, which are said once; the label is the staffing.
  EXPECT_EQ(scen[1].name, "1fte");
  EXPECT_EQ(scenario_labels(cfg, scen[1]).sv, "1 heltid");
  EXPECT_EQ(scenario_labels(cfg, scen[1]).en, "1 FTE");
  EXPECT_EQ(ladder_policy_words(cfg, Language::sv),
            "Där inget annat anges: lika tillgång för flickor och pojkar, flickor remitteras som "
            "pojkar.");
  EXPECT_EQ(scenario_labels(cfg, scen.back()).sv,
            "5 årsarbetare som 2018: först till kvarn, remittering som förut");
  ScenarioSpec half = scen[1];  // an explicit scenario without labels names its policies
  half.name = "2_5fte";
  auto with_half = cfg;
  with_half.compare.explicit_scenarios.push_back(half);
  half.allocation_policy = Allocation::fifo;
  half.referral_policy = ReferralPolicy::as_configured;
  for (auto& p : half.staffing.periods) p.fte = p.fte > 0 ? 2.5 : 0;
  EXPECT_EQ(scenario_labels(with_half, half).sv, "2,5 årsarbetare, först till kvarn");
  EXPECT_EQ(scenario_labels(with_half, half).en, "2.5 FTE, first come, first served");
  EXPECT_EQ(config_description(cfg, Language::sv),
            "Uppsala 2020: 5 koordinatorer med lika tillgång till stöd för flickor och pojkar");
}

TEST(DecisionLanguage, OneLabelWithoutTheOtherIsRejected) {
  auto text =
      testsupport::read_file(fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "uppsala_2020.toml");
  const auto at = text.find("label_en = ");
  ASSERT_NE(at, std::string::npos);
  text.erase(at, text.find('\n', at) - at + 1);
  try {
    (void)parse_model_config(attendsim::config::Document::parse(text, "one_label.toml"));
    FAIL() << "accepted a scenario with label_sv only";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("label_en"), std::string::npos) << e.what();
  }
}

TEST(DecisionLanguage, SwedishBriefHasNoEnglishWordRawKeyOrCodeName) {
  const auto cfg = small_uppsala();
  RunOptions opt;
  opt.seed = 3;
  opt.replications = 3;
  opt.threads = 2;
  add_plan_and_fund_extras(cfg, opt);  // as compare does: the bridge and the fund sections
  const auto res = run_experiment(cfg, comparison_scenarios(cfg), opt);
  auto rep = analyse_comparison(cfg, res);
  // compare's threshold section, hand-built: one row crossed beyond the plausible range (the
  // configured staffing), one not crossed within the range searched.
  ThresholdRow crossed;
  crossed.scenario = rep.plan_fund.bridge_scenario;
  crossed.parameter = kDefaultThresholdParameter;
  crossed.metric = "net_benefit";
  crossed.base_value = 1.5;
  crossed.range_low = crossed.plausible_low = 1.0;
  crossed.range_high = 4.75;
  crossed.plausible_high = 2.25;
  crossed.crossed = true;
  crossed.direction = 1;
  crossed.threshold = 3.39;
  crossed.ci_low = 2.8;
  crossed.ci_high = 3.9;
  crossed.batches = crossed.batches_crossed = 5;
  crossed.refined = false;
  crossed.replications = 10;
  crossed.grid_points = 4;
  ThresholdRow flat = crossed;
  flat.scenario = res.scenarios.at(1).name;
  flat.crossed = false;
  flat.direction = 0;
  flat.threshold = flat.ci_low = flat.ci_high = NAN;
  flat.metric_at_low = -2e6;
  flat.metric_at_high = -1e6;
  ThresholdRow no_interval = crossed;
  no_interval.scenario = res.scenarios.at(2).name;
  no_interval.ci_low = no_interval.ci_high = NAN;
  no_interval.batches_crossed = 4;
  ASSERT_FALSE(crossed.scenario.empty());
  rep.threshold = {flat, no_interval, crossed};
  const auto md = decision_markdown(cfg, res, rep, Language::sv);
  const auto w = words(md);
  for (const char* e : kEnglish) EXPECT_EQ(w.count(e), 0u) << "English word '" << e << "'";
  for (const auto& t : tokens(md)) {
    EXPECT_EQ(t.find('_'), std::string::npos) << "raw key or code name '" << t << "'";
  }
  for (const auto& sc : res.scenarios) {
    EXPECT_EQ(md.find(sc.name), std::string::npos) << "code name '" << sc.name << "'";
  }
  EXPECT_EQ(md.find(cfg.name), std::string::npos);
  // The parts a council member looks for.
  for (const char* part : {"## Rekommendation",
                           "utan koordinatorer",
                           "| 1 heltid |",
                           "5 årsarbetare",
                           "flickors tillgång i förhållande till pojkars",
                           "per 100 flickor",
                           "kostnad per extra varaktig återgång",
                           "kostnad per extra elev som fullföljer gymnasiet",
                           "elever som gått om ett år",
                           "## Från planens 2,80 kr till simuleringens",
                           "| 0 | Planens egen kalkyl",
                           "## Vad fonden kan räkna med att få tillbaka",
                           "förväntad återbetalning, kr",
                           "nuvärde, kr",
                           "4 875 772 kr",
                           "## Vad som krävs för att det ska löna sig",
                           "grovt rutnät",
                           "ska löna sig behöver koordinatorernas effekt",
                           "vara minst 3,39",
                           "mer än det rimliga intervallet 1,00–2,25",
                           "lönar det sig inte för något värde"}) {
    EXPECT_NE(md.find(part), std::string::npos) << part << "\n" << md;
  }
  // Whether the value past the horizon is counted is said (the config has it on).
  ASSERT_TRUE(cfg.structure.economics.terminal_value);
  EXPECT_NE(md.find("Värdet efter horisonten är med"), std::string::npos) << md;
  const auto en = decision_markdown(cfg, res, rep, Language::en);
  EXPECT_NE(en.find("## Recommendation"), std::string::npos);
  EXPECT_NE(en.find("The value past the horizon is included"), std::string::npos) << en;
  EXPECT_NE(attendsim::models::terminal_value_note(false, false).find("not included"),
            std::string::npos);
  EXPECT_NE(en.find("5 FTE as in 2018"), std::string::npos);
  EXPECT_NE(en.find("## From the plan's 2.80 to the simulated"), std::string::npos);
  EXPECT_NE(en.find("## What the fund can expect back"), std::string::npos);
  EXPECT_NE(en.find("present value, SEK"), std::string::npos);
  EXPECT_NE(en.find("## What it would take to pay"), std::string::npos);
  EXPECT_NE(en.find("would need to be at least 3.39"), std::string::npos) << en;
  EXPECT_EQ(en.find("5fte"), std::string::npos);
}

TEST(DecisionLanguage, NoCoordinatorsIsAnOptionInEveryBestLine) {
  // Every staffing loses money: the highest mean net benefit is no coordinators' 0, and with
  // no staffing reaching the confidence rule the recommendation is no coordinators.
  ComparisonReport rep;
  ScenarioDecision a, b;
  a.name = "1fte";
  a.cost.mean = 1e6;
  a.net_benefit.mean = -2e5;
  a.p_roi_at_least_target = 0.3;
  b.name = "5fte";
  b.cost.mean = 5e6;
  b.net_benefit.mean = -1e5;
  b.p_roi_at_least_target = 0.4;
  rep.decisions = {a, b};
  rep.confidence = 0.8;
  fill_ladder_and_recommendation(rep);
  EXPECT_EQ(rep.best_net_benefit.value_or("none"), "baseline");
  EXPECT_EQ(rep.recommended.value_or("none"), "baseline");
  EXPECT_FALSE(rep.break_even.has_value());
  // One staffing gains: it is the best.
  rep.decisions[1].net_benefit.mean = 1e5;
  fill_ladder_and_recommendation(rep);
  EXPECT_EQ(rep.best_net_benefit.value_or("none"), "5fte");
}

TEST(DecisionLanguage, DominatedOnlyWhereTheIntervalExcludesTheOther) {
  IncrementalStep st;
  st.dominated = true;
  attendsim::Summary d;
  d.n = 10;
  d.mean = -1.0;
  d.ci_low = -3.0;
  d.ci_high = 1.0;  // contains 0: cannot tell
  EXPECT_EQ(step_verdict(st, d), "not_distinguishable");
  d.ci_high = -0.2;  // wholly below 0: firmly less effective
  EXPECT_EQ(step_verdict(st, d), "dominated");
  st.dominated = false;
  d.mean = 2.0;
  d.ci_low = 0.5;
  d.ci_high = 3.5;
  EXPECT_EQ(step_verdict(st, d), "");
  d.ci_low = -0.5;  // a gain the simulation cannot tell from 0
  EXPECT_EQ(step_verdict(st, d), "not_distinguishable");
}

TEST(DecisionLanguage, SwedishReportBodyUsesLabelsNotCodeNames) {
  // compare then report --lang sv on the small Uppsala config: the whole report, the appendix
  // of assumptions and sources included, shows labels and the Swedish description, never a
  // scenario code name, the config name, a raw config key or an English word.
  const auto dir = testsupport::scratch_dir("decision-language");
  auto text =
      testsupport::read_file(fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "uppsala_2020.toml");
  text = testsupport::set_key(text, "population", "pupils", "3000");
  testsupport::write_file(dir / "uppsala_small.toml", text);
  auto r = testsupport::run_cli("compare '" + (dir / "uppsala_small.toml").string() +
                                    "' --replications 3 --threads 2 --quiet --out '" +
                                    (dir / "out").string() + "'",
                                dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = testsupport::run_cli("report '" + (dir / "out").string() + "' --lang sv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto html = testsupport::read_file(dir / "out" / "report_sv.html");
  // The whole page, the appendix of assumptions and sources included: it shows the keys in
  // words, their values and the sources they cite, no raw key and no English comment.
  const auto appendix = html.find("Viktiga antaganden och källor</h2>");
  ASSERT_NE(appendix, std::string::npos);
  for (const char* part :
       {"andel av arbetstiden i ärendearbete", "kostnad per årsarbetare", "S2", "antagande",
        "Från planens kalkyl till simuleringen", "Vad fonden kan räkna med att få tillbaka",
        "Kostnad och effekt i "
        "varje parameterdragning"})
    EXPECT_NE(html.find(part), std::string::npos) << part;
  EXPECT_EQ(html.find("Ytterligare"), std::string::npos) << "a shipped key without words";
  // With a decimal comma, an interval's ends are separated by "; " ("0,45 [0,36; 0,50]"):
  // "[0,36, 0,50]" cannot be read. No interval in the page separates its ends by ", ".
  int intervals = 0;
  for (auto at = html.find(" ["); at != std::string::npos; at = html.find(" [", at + 2)) {
    if (at + 2 >= html.size() || !std::isdigit(static_cast<unsigned char>(html[at + 2]))) continue;
    const auto end = html.find(']', at);
    ASSERT_NE(end, std::string::npos);
    const std::string inside = html.substr(at + 2, end - at - 2);
    if (inside.find("; ") == std::string::npos && inside.find(", ") == std::string::npos)
      continue;  // "[95 % konfidensintervall]": a legend, not a pair of ends
    EXPECT_EQ(inside.find(", "), std::string::npos) << inside;
    ++intervals;
  }
  EXPECT_GT(intervals, 10);
  std::string body = html;
  // Drop the markup: tags and attribute values are not read.
  std::string visible;
  bool in_tag = false;
  for (char c : body) {
    if (c == '<') in_tag = true;
    if (!in_tag) visible += c;
    if (c == '>') in_tag = false;
  }
  ASSERT_NE(visible.rfind('}'), std::string::npos);  // the <style> block's text is dropped
  visible = visible.substr(visible.rfind('}') + 1);
  const auto w = words(visible);
  for (const char* e : kEnglish) EXPECT_EQ(w.count(e), 0u) << "English word '" << e << "'";
  for (const char* code : {"5fte", "1fte", "baseline", "uppsala_2020", "5fte_fifo"})
    EXPECT_EQ(visible.find(code), std::string::npos) << code;
  for (const auto& t : tokens(visible))
    EXPECT_EQ(t.find('_'), std::string::npos) << "raw key or code name '" << t << "'";
  EXPECT_NE(visible.find("5 årsarbetare som 2018"), std::string::npos);
  EXPECT_NE(visible.find("lika tillgång till stöd för flickor och pojkar"), std::string::npos);
  // compare alone gives what it would take (its coarse threshold) and the fund's present value.
  EXPECT_NE(visible.find("Vad som krävs för att det ska löna sig"), std::string::npos);
  EXPECT_NE(visible.find("nuvärde, kr"), std::string::npos);
  // The English appendix also shows the keys in words, not raw keys.
  r = testsupport::run_cli("report '" + (dir / "out").string() + "' --lang en", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto en = testsupport::read_file(dir / "out" / "report_en.html");
  const auto en_appendix = en.find("</h2>", en.find("assumption"));
  ASSERT_NE(en_appendix, std::string::npos);
  EXPECT_NE(en.find("cost per FTE-year (SEK)"), std::string::npos);
  for (const char* key : {"economics.cost_per_fte_year_sek", "coordinators.caseload_per_fte",
                          "cost_per_fte_year_sek", "rr_improve_in_case"})
    EXPECT_EQ(en.find(key), std::string::npos) << key;
  std::filesystem::remove_all(dir);
}

namespace {
ScenarioDecision option_with_draws(const std::string& name, double cost, std::vector<double> net,
                                   std::vector<double> roi) {
  ScenarioDecision d;
  d.name = name;
  d.cost.mean = cost;
  d.net_by_unit = std::move(net);
  d.roi_by_unit = std::move(roi);
  return d;
}
}  // namespace

TEST(DecisionFromDraws, HandBuiltDrawsGiveTheDocumentedChoice) {
  // Four parameter draws, two staffing levels (A cheaper than B). By hand:
  //   A net  -5e5  2e5 -1e5  3e5   ROI 0.50 1.20 0.90 1.30   P(ROI >= 1) = 2/4, P(net > 0) = 2/4
  //   B net -10e5  4e5  1e5 -2e5   ROI 0.67 1.13 1.03 0.93   P(ROI >= 1) = 2/4, P(net > 0) = 2/4
  //   best per draw: none (both < 0), B, B, A -> P(best): none 1/4, A 1/4, B 2/4
  //   expected net: A -25 000, B -175 000 -> highest expected net benefit: no coordinators.
  ComparisonReport rep;
  rep.roi_target = 1.0;
  rep.confidence = 0.8;
  rep.decisions = {option_with_draws("A", 1e6, {-5e5, 2e5, -1e5, 3e5}, {0.5, 1.2, 0.9, 1.3}),
                   option_with_draws("B", 3e6, {-10e5, 4e5, 1e5, -2e5}, {0.67, 1.13, 1.03, 0.93})};
  decide_from_units(rep);
  EXPECT_EQ(rep.units, 4u);
  EXPECT_DOUBLE_EQ(rep.decisions[0].p_roi_at_least_target, 0.5);
  EXPECT_DOUBLE_EQ(rep.decisions[1].p_roi_at_least_target, 0.5);
  EXPECT_DOUBLE_EQ(rep.decisions[0].p_net_positive, 0.5);
  EXPECT_DOUBLE_EQ(rep.decisions[0].p_best, 0.25);
  EXPECT_DOUBLE_EQ(rep.decisions[1].p_best, 0.5);
  EXPECT_DOUBLE_EQ(rep.p_best_no_coordinators, 0.25);
  EXPECT_DOUBLE_EQ(rep.decisions[0].net_benefit.mean, -25000.0);
  EXPECT_DOUBLE_EQ(rep.decisions[1].net_benefit.mean, -175000.0);
  EXPECT_DOUBLE_EQ(share_error(0.5, 4), 0.25);  // sqrt(0.5 * 0.5 / 4)
  // No staffing reaches P >= 0.8 and both lose money on average: no coordinators is best.
  EXPECT_EQ(rep.recommended.value_or("none"), "baseline");
  EXPECT_EQ(rep.best_net_benefit.value_or("none"), "baseline");
  EXPECT_FALSE(rep.break_even.has_value());
  // At confidence 0.5 the cheapest level meeting it is A.
  rep.confidence = 0.5;
  decide_from_units(rep);
  EXPECT_EQ(rep.recommended.value_or("none"), "A");
  // A's first draw turned to +5e5 (ROI 1.5): P(ROI >= 1) = 3/4, expected net 225 000, best
  // per draw A, B, B, A -> P(best) A 2/4, B 2/4, none 0.
  rep.decisions[0].net_by_unit[0] = 5e5;
  rep.decisions[0].roi_by_unit[0] = 1.5;
  rep.confidence = 0.7;
  decide_from_units(rep);
  EXPECT_DOUBLE_EQ(rep.decisions[0].p_roi_at_least_target, 0.75);
  EXPECT_DOUBLE_EQ(rep.decisions[0].net_benefit.mean, 225000.0);
  EXPECT_DOUBLE_EQ(rep.decisions[0].p_best, 0.5);
  EXPECT_DOUBLE_EQ(rep.p_best_no_coordinators, 0.0);
  EXPECT_EQ(rep.recommended.value_or("none"), "A");
  EXPECT_EQ(rep.best_net_benefit.value_or("none"), "A");
  EXPECT_EQ(rep.break_even.value_or("none"), "A");
}

TEST(DecisionFromDraws, CompareSamplesTheParametersByDefault) {
  const auto cfg = small_uppsala();
  EXPECT_EQ(cfg.compare.draws, 100);
  EXPECT_EQ(cfg.compare.replications_per_draw, 2);
  const auto dir = testsupport::scratch_dir("decision-draws");
  auto text =
      testsupport::read_file(fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "uppsala_2020.toml");
  text = testsupport::set_key(text, "population", "pupils", "2000");
  text = testsupport::set_key(text, "compare", "roi_target",
                              "1.0\ndraws = 6\nreplications_per_draw = 2");
  testsupport::write_file(dir / "u.toml", text);
  const auto r =
      testsupport::run_cli("compare '" + (dir / "u.toml").string() +
                               "' --threads 2 --quiet --out '" + (dir / "out").string() + "'",
                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testsupport::read_file(dir / "out" / "comparison.json"));
  EXPECT_EQ(j["draws"], 6);
  EXPECT_EQ(j["replications_per_draw"], 2);
  EXPECT_EQ(j["units"], 6);
  EXPECT_TRUE(j["units_are_parameter_draws"].get<bool>());
  for (const char* f : {"psa.csv", "acceptability.csv"}) EXPECT_TRUE(fs::exists(dir / "out" / f));
  const auto md = testsupport::read_file(dir / "out" / "decision.md");
  EXPECT_NE(md.find("6 slumpade uppsättningar av de osäkra parametrarna"), std::string::npos) << md;
  std::filesystem::remove_all(dir);
}
