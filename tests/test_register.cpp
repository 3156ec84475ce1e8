// The register extract: simulated (synth-register) and read back (io/register_reader).
#include <gtest/gtest.h>

#include <map>

#include "analysis/model_config.hpp"
#include "analysis/synthetic_register.hpp"
#include "io/config_schema.hpp"
#include "io/register_reader.hpp"
#include "models/simulation.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "tests/support.hpp"

using namespace attendsim;
using namespace attendsim::models;

namespace {

ModelParams reference_params() {
  const auto cfg = parse_model_config(
      config::Document::parse(testsupport::reference_config_text(), "reference.toml"));
  return realise(cfg, cfg.parameters.base_values());
}

}  // namespace

TEST(SynthRegister, CountsEqualTheSimulationsOwnOccupancy) {
  // The register of 3000 pupils over 24 months, against simulate()'s occupancy tally of the
  // same key: every school month, the register's pupils per state are the simulated ones.
  const auto p0 = reference_params();
  const auto reg = simulate_register(p0, 3000, 24, 7);
  ModelParams p = p0;
  p.population.pupils = 3000;
  p.horizon_years = 2;
  const auto out = simulate(p, ScenarioSpec{}, StreamKey{7, 0, 0});
  std::map<std::pair<int, int>, int> count;  // (month, state)
  for (const auto& r : reg.records) ++count[{r.month, r.state}];
  const int first = month_index(2023, 9);
  int school_months = 0;
  for (int t = 0; t < 24; ++t) {
    if (!is_school_month(t)) {
      for (int s = 0; s < 4; ++s) EXPECT_EQ((count.count({first + t, s})), 0U) << "summer row";
      continue;
    }
    ++school_months;
    for (int s = 0; s < kAttendanceStates; ++s) {
      EXPECT_EQ((count[{first + t, s}]), static_cast<int>(out.occupancy[t][s])) << t << " " << s;
    }
  }
  EXPECT_EQ(school_months, 20);
  // New entrants (grade 0 in a September after the first) are new pupils, and some leave.
  EXPECT_GT(reg.pupils, 3000U);
}

TEST(SynthRegister, ReproducibleBySeedAndPercentInItsState) {
  const auto p = reference_params();
  const auto a = register_csv(simulate_register(p, 500, 12, 3));
  const auto b = register_csv(simulate_register(p, 500, 12, 3));
  const auto c = register_csv(simulate_register(p, 500, 12, 4));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  const auto reg = simulate_register(p, 500, 12, 3);
  for (const auto& r : reg.records) {
    ASSERT_GE(r.absence_percent, 0.0);
    ASSERT_LE(r.absence_percent, 100.0);
    ASSERT_EQ(static_cast<int>(state_of_absence_percent(r.absence_percent)), r.state);
  }
}

TEST(SynthRegister, PercentGridCoversEachStateRange) {
  // The ends of each state's range, by the thresholds of DESIGN.md.
  EXPECT_DOUBLE_EQ(absence_percent_of(State::regular, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(absence_percent_of(State::regular, 0.999999), 9.9);
  EXPECT_DOUBLE_EQ(absence_percent_of(State::worrying, 0.0), 10.0);
  EXPECT_DOUBLE_EQ(absence_percent_of(State::high, 0.999999), 50.0);
  EXPECT_DOUBLE_EQ(absence_percent_of(State::extensive, 0.0), 50.1);
  EXPECT_DOUBLE_EQ(absence_percent_of(State::extensive, 0.999999), 100.0);
  EXPECT_EQ(state_of_absence_percent(9.99), State::regular);
  EXPECT_EQ(state_of_absence_percent(10), State::worrying);
  EXPECT_EQ(state_of_absence_percent(20), State::high);
  EXPECT_EQ(state_of_absence_percent(50), State::high);
  EXPECT_EQ(state_of_absence_percent(50.01), State::extensive);
}

TEST(RegisterReader, RoundTripAndSummerRowsIgnored) {
  const auto reg = simulate_register(reference_params(), 300, 12, 5);
  const auto back = parse_register_csv(register_csv(reg), "r.csv");
  ASSERT_EQ(back.records.size(), reg.records.size());
  for (std::size_t i = 0; i < reg.records.size(); ++i) {
    EXPECT_EQ(back.records[i].state, reg.records[i].state);
    EXPECT_EQ(back.records[i].month, reg.records[i].month);
    EXPECT_EQ(back.records[i].grade, reg.records[i].grade);
    EXPECT_EQ(back.records[i].gender, reg.records[i].gender);
  }
  const auto s = parse_register_csv(
      "grade,pupil_id,state,year_month,gender\n3,a,high,2024-07,F\n3,a,regular,2024-09,F\n"
      "4,b,worrying,2024-06,M\r\n",
      "s.csv");
  EXPECT_EQ(s.records.size(), 2U);
  EXPECT_EQ(s.summer_rows_ignored, 1U);
  EXPECT_EQ(s.pupils, 2U);
}

namespace {

/// The message of the InputError thrown for `text`, or "" when none is thrown.
std::string error_of(const std::string& text) {
  try {
    parse_register_csv(text, "reg.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kHead = "pupil_id,year_month,grade,gender,absence_percent\n";

}  // namespace

TEST(RegisterReader, BadInputNamesFileLineAndColumn) {
  struct Case {
    std::string text, expect;
  };
  const std::vector<Case> cases = {
      {kHead + "a,2024-09,3,girl,5\na,2024-10,13,girl,5\n", "reg.csv:3: column 'grade' (3)"},
      {kHead + "a,2024-09,x,girl,5\n", "reg.csv:2: column 'grade' (3)"},
      {kHead + "a,2024-09,3,girl,100.5\n", "reg.csv:2: column 'absence_percent' (5)"},
      {kHead + "a,2024-09,3,girl,-1\n", "reg.csv:2: column 'absence_percent' (5)"},
      {kHead + "a,2024-09,3,girl,abc\n", "reg.csv:2: column 'absence_percent' (5)"},
      {kHead + "a,2024-09,3,girl,5\nb,2024-09,3,boy,5\na,2024-09,3,girl,7\n",
       "reg.csv:4: column 'year_month' (2): this pupil-month is given twice (first at line 2)"},
      {kHead + "a,2024-13,3,girl,5\n", "reg.csv:2: column 'year_month' (2)"},
      {kHead + "a,24-09,3,girl,5\n", "reg.csv:2: column 'year_month' (2)"},
      {kHead + "a,2024/09,3,girl,5\n", "reg.csv:2: column 'year_month' (2)"},
      {kHead + "a,2024-09,3,x,5\n", "reg.csv:2: column 'gender' (4)"},
      {kHead + ",2024-09,3,girl,5\n", "reg.csv:2: column 'pupil_id' (1)"},
      {kHead + "a,2024-09,3,girl\n", "reg.csv:2: expected 5 columns, got 4"},
      {"pupil_id,year_month,grade,sex,absence_percent\n", "reg.csv:1: column 'sex' (4)"},
      {"pupil_id,year_month,grade,absence_percent\n", "reg.csv:1: missing column 'gender'"},
      {"pupil_id,year_month,grade,gender,absence_percent,state\n", "reg.csv:1: column 'state' (6)"},
      {"pupil_id,year_month,grade,gender,state\na,2024-09,3,girl,left\n",
       "reg.csv:2: column 'state' (5)"},
      {"", "reg.csv:1: empty file"},
      {kHead, "reg.csv: no school-month rows"},
  };
  for (const auto& c : cases) {
    const std::string e = error_of(c.text);
    EXPECT_NE(e.find(c.expect), std::string::npos) << "input:\n" << c.text << "message: " << e;
  }
}

TEST(RegisterReader, PupilIdsNeverKept) {
  const auto reg = parse_register_csv(kHead + "secret-19990101-1234,2024-09,3,girl,5\n", "r.csv");
  EXPECT_EQ(register_csv(reg).find("secret"), std::string::npos);
}

TEST(SynthRegisterCli, WritesFileAndBadConfigExits2) {
  const auto dir = testsupport::scratch_dir("synth");
  const auto cfg = testsupport::small_reference_config(dir);
  const auto out = dir / "reg.csv";
  auto r = testsupport::run_cli(
      "synth-register " + cfg + " --pupils 200 --months 12 --seed 3 --out '" + out.string() + "'",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto text = testsupport::read_file(out);
  EXPECT_EQ(text.rfind(kHead, 0), 0U);
  const auto again = dir / "reg2.csv";
  r = testsupport::run_cli(
      "synth-register " + cfg + " --pupils 200 --months 12 --seed 3 --out '" + again.string() + "'",
      dir);
  EXPECT_EQ(testsupport::read_file(again), text);
  testsupport::write_file(dir / "bad.toml", "name = 1\n");
  r = testsupport::run_cli("synth-register '" + (dir / "bad.toml").string() +
                               "' --pupils 10 --months 12 --out '" + (dir / "no.csv").string() +
                               "'",
                           dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "no.csv"));
  std::filesystem::remove_all(dir);
}
