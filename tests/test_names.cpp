// One name table per enumerated choice (sim/names.hpp): every value has exactly one name, the
// config schema and the command line accept exactly the table's names, and an unknown name is
// refused naming file, line and key (config) or the option (CLI) with the known names.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "analysis/sensitivity.hpp"
#include "io/config_schema.hpp"
#include "io/labels.hpp"
#include "models/economics_params.hpp"
#include "models/params.hpp"
#include "models/policies/allocation_policy.hpp"
#include "models/simulation.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/names.hpp"
#include "sim/sobol.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace attendsim::models;
using attendsim::known_names;
using attendsim::name_of;
using attendsim::names_of;
using attendsim::parse_name;

namespace {

/// Every value 0..count-1 of E has one name, the names are distinct and parse back.
template <class E>
void expect_one_name_each(int count) {
  const auto names = names_of<E>();
  ASSERT_EQ(names.size(), static_cast<std::size_t>(count));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (int i = 0; i < count; ++i) {
    const auto v = static_cast<E>(i);
    const std::string n = name_of(v);
    EXPECT_EQ(n, names[static_cast<std::size_t>(i)]);
    ASSERT_TRUE(parse_name<E>(n).has_value()) << n;
    EXPECT_EQ(*parse_name<E>(n), v) << n;
  }
  EXPECT_FALSE(parse_name<E>("").has_value());
  EXPECT_FALSE(parse_name<E>("no_such_name").has_value());
}

/// The message of parsing the reference config with `key = value` set in `section`.
std::string config_error(const std::string& section, const std::string& key,
                         const std::string& value) {
  const auto text = testsupport::set_key(testsupport::reference_config_text(), section, key, value);
  try {
    (void)parse_model_config(attendsim::config::Document::parse(text, "ref.toml"));
  } catch (const attendsim::InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST(Names, EveryEnumeratedChoiceHasOneNamePerValue) {
  expect_one_name_each<Allocation>(4);
  expect_one_name_each<ReferralPolicy>(2);
  expect_one_name_each<ReferralRule>(3);
  expect_one_name_each<TerminalEvents>(2);
  expect_one_name_each<Perspective>(3);
  expect_one_name_each<SensitivityMethod>(5);
  expect_one_name_each<attendsim::SobolEstimator>(2);
  expect_one_name_each<Language>(2);
}

TEST(Names, TheNamesAreTheDocumentedOnes) {
  // configs/reference.toml and the --help texts document these spellings.
  EXPECT_EQ(known_names<Allocation>(), "fifo, severity_first, gender_proportional, gender_parity");
  EXPECT_EQ(known_names<ReferralPolicy>(), "as_configured, equal_referral");
  EXPECT_EQ(known_names<ReferralRule>(), "always, queue_limit, queue_decline");
  EXPECT_EQ(known_names<TerminalEvents>(), "drawn, expected");
  EXPECT_EQ(known_names<Perspective>(), "municipality, public_sector, society");
  EXPECT_EQ(known_names<SensitivityMethod>(), "psa, oneway, twoway, sobol, voi");
  EXPECT_EQ(known_names<attendsim::SobolEstimator>(), "combined, saltelli-jansen");
  EXPECT_EQ(known_names<Language>(), "sv, en");
}

TEST(Names, ConfigReadsEveryNameOfTheTable) {
  const auto text = testsupport::reference_config_text();
  for (const auto& n : names_of<Perspective>()) {
    const auto cfg = parse_model_config(attendsim::config::Document::parse(
        testsupport::set_key(text, "economics", "perspective", "\"" + n + "\""), "ref.toml"));
    EXPECT_EQ(name_of(cfg.structure.economics.perspective), n);
  }
  for (const auto& n : names_of<Allocation>()) {
    const auto cfg = parse_model_config(attendsim::config::Document::parse(
        testsupport::set_key(text, "coordinators", "allocation_policy", "\"" + n + "\""),
        "ref.toml"));
    EXPECT_EQ(name_of(cfg.scenario.allocation_policy), n);
  }
}

TEST(Names, ConfigRefusesAnUnknownNameWithFileLineKeyAndTheKnownNames) {
  struct Case {
    const char* section;
    const char* key;
    std::string known;
  };
  for (const Case& c : {Case{"economics", "perspective", known_names<Perspective>()},
                        Case{"coordinators", "allocation_policy", known_names<Allocation>()},
                        Case{"detection", "referral_rule", known_names<ReferralRule>()}}) {
    const auto msg = config_error(c.section, c.key, "\"lottery\"");
    EXPECT_NE(msg.find("ref.toml:"), std::string::npos) << msg;
    EXPECT_NE(msg.find(std::string(c.section) + "." + c.key), std::string::npos) << msg;
    EXPECT_NE(msg.find("'lottery'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(known: " + c.known + ")"), std::string::npos) << msg;
  }
}

TEST(Names, CompareLadderNamesScenariosByThePolicyNames) {
  auto text = testsupport::reference_config_text();
  text +=
      "\n[compare]\nstaffing_levels_fte = [2]\n"
      "allocation_policies = [\"fifo\", \"gender_parity\"]\n"
      "referral_policies = [\"as_configured\", \"equal_referral\"]\n";
  const auto cfg = parse_model_config(attendsim::config::Document::parse(text, "ref.toml"));
  const auto sc = comparison_scenarios(cfg);
  ASSERT_EQ(sc.size(), 5U);
  EXPECT_EQ(sc[1].name, "2fte_fifo_as_configured");
  EXPECT_EQ(sc[4].name, "2fte_gender_parity_equal_referral");
  EXPECT_EQ(sc[4].allocation_policy, Allocation::gender_parity);
  EXPECT_EQ(sc[4].referral_policy, ReferralPolicy::equal_referral);

  auto bad = testsupport::reference_config_text() +
             "\n[compare]\nallocation_policies = [\"fifo\", \"lottery\"]\n";
  try {
    (void)parse_model_config(attendsim::config::Document::parse(bad, "ref.toml"));
    ADD_FAILURE() << "an unknown allocation policy in [compare] was accepted";
  } catch (const attendsim::InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("compare.allocation_policies"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(known: " + known_names<Allocation>() + ")"), std::string::npos) << msg;
  }
}

TEST(Names, CommandLineRefusesAnUnknownNameAndListsTheTable) {
  const fs::path dir = testsupport::scratch_dir("names-cli");
  const auto cfg = testsupport::small_reference_config(dir);
  struct Case {
    std::string option;
    std::vector<std::string> names;
  };
  auto with_config = names_of<TerminalEvents>();
  with_config.push_back("config");
  for (const Case& c : {Case{"--method", names_of<SensitivityMethod>()},
                        Case{"--estimator", names_of<attendsim::SobolEstimator>()},
                        Case{"--terminal-events", with_config}}) {
    const std::string method = c.option == "--method" ? "" : " --method oneway";
    const auto r =
        testsupport::run_cli("sensitivity " + cfg + method + " " + c.option +
                                 " lottery --quiet --out '" + (dir / "out").string() + "'",
                             dir);
    EXPECT_EQ(r.exit_code, 2) << c.option << ": " << r.err;
    EXPECT_NE(r.err.find(c.option), std::string::npos) << r.err;
    for (const auto& n : c.names) EXPECT_NE(r.err.find(n), std::string::npos) << n << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
  }
  fs::remove_all(dir);
}
