// attendsim followup: observed outcomes beside the forecast interval of summary.json.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analysis/followup.hpp"
#include "io/followup_io.hpp"
#include "sim/error.hpp"
#include "tests/support.hpp"

using namespace attendsim::models;

TEST(Followup, FlagsOnlyValuesOutsideTheInterval) {
  const ForecastInterval f{10, 8, 12};
  EXPECT_FALSE(follow_up("s", "m", 8, f).outside);  // the ends are inside
  EXPECT_FALSE(follow_up("s", "m", 12, f).outside);
  const auto above = follow_up("s", "m", 14, f);
  EXPECT_TRUE(above.outside);
  EXPECT_DOUBLE_EQ(above.excess_widths, 0.5);  // (14 - 12) / (12 - 8)
  const auto below = follow_up("s", "m", 7, f);
  EXPECT_TRUE(below.outside);
  EXPECT_DOUBLE_EQ(below.excess_widths, -0.25);
}

TEST(FollowupCli, FlagsOneOutsideNotOneInsideAndRejectsBadInput) {
  const auto dir = testsupport::scratch_dir("followup");
  const auto cfg = testsupport::small_reference_config(dir);
  const auto res = dir / "res";
  auto r = testsupport::run_cli(
      "run " + cfg + " --replications 4 --quiet --out '" + res.string() + "'", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(testsupport::read_file(res / "summary.json"));
  const auto& sc = summary["scenarios"]["coordinators_5fte"];
  // Two metrics with a non-degenerate interval: one observed at the interval's midpoint,
  // one a whole width above its upper end.
  std::vector<std::string> names;
  for (auto it = sc.begin(); it != sc.end() && names.size() < 2; ++it) {
    if (it.value()["p97_5"].get<double>() > it.value()["p2_5"].get<double>())
      names.push_back(it.key());
  }
  ASSERT_EQ(names.size(), 2U);
  const double lo0 = sc[names[0]]["p2_5"], hi0 = sc[names[0]]["p97_5"];
  const double lo1 = sc[names[1]]["p2_5"], hi1 = sc[names[1]]["p97_5"];
  const auto obs = dir / "observed.csv";
  testsupport::write_file(obs, "metric,value\n" + names[0] + "," + std::to_string((lo0 + hi0) / 2) +
                                   "\n" + names[1] + "," + std::to_string(hi1 + (hi1 - lo1)) +
                                   "\n");
  r = testsupport::run_cli("followup '" + res.string() + "' '" + obs.string() + "'", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto csv = testsupport::read_file(res / "followup.csv");
  EXPECT_NE(csv.find("coordinators_5fte," + names[0] + ","), std::string::npos);
  // Row of names[0]: outside = 0; row of names[1]: outside = 1.
  auto outside_of = [&](const std::string& m) {
    const auto p = csv.find("coordinators_5fte," + m + ",");
    const auto e = csv.find('\n', p);
    const std::string row = csv.substr(p, e - p);
    // columns: scenario,metric,unit,observed,mean,p2_5,p97_5,outside,excess
    std::vector<std::string> f;
    std::size_t s = 0;
    for (std::size_t k = 0; k <= row.size(); ++k) {
      if (k == row.size() || row[k] == ',') {
        f.push_back(row.substr(s, k - s));
        s = k + 1;
      }
    }
    return f.at(7);
  };
  EXPECT_EQ(outside_of(names[0]), "0");
  EXPECT_EQ(outside_of(names[1]), "1");
  EXPECT_NE(r.out.find("OUTSIDE (above)"), std::string::npos) << r.out;
  std::filesystem::remove(res / "followup.csv");

  struct Bad {
    std::string text, expect;
  };
  const std::vector<Bad> bad = {
      {"metric,value\nno_such_metric,1\n", "observed.csv:2: column 'metric' (1): unknown metric"},
      {"metric,value\n" + names[0] + ",abc\n", "observed.csv:2: column 'value' (2)"},
      {"metric,value\n" + names[0] + ",1\n" + names[0] + ",2\n",
       "observed.csv:3: column 'metric' (1): metric '" + names[0] + "' given twice"},
      {"metric,amount\n", "observed.csv:1: column 'amount' (2)"},
      {"scenario,metric,value\nnone," + names[0] + ",1\n", "observed.csv:2: column 'scenario' (1)"},
      {"metric,value\n" + names[0] + "\n", "observed.csv:2: expected 2 columns, got 1"},
      {"", "observed.csv:1: empty file"},
  };
  for (const auto& b : bad) {
    testsupport::write_file(obs, b.text);
    r = testsupport::run_cli("followup '" + res.string() + "' '" + obs.string() + "'", dir);
    EXPECT_EQ(r.exit_code, 2) << b.text;
    EXPECT_NE(r.err.find(b.expect), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(res / "followup.csv"));
  }
  r = testsupport::run_cli("followup '" + (dir / "nothing").string() + "' '" + obs.string() + "'",
                           dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("summary.json"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// Found by fuzz_followup: a number past the range of double in summary.json made the JSON
// library throw out_of_range, which ended the program (terminate) instead of an input error.
TEST(Followup, ANumberPastDoubleInTheSummaryIsAnInputError) {
  const std::string summary = R"({"scenarios": {"s": {"roi": {"mean": 24982.530E42832333}}}})";
  try {
    (void)parse_followup(summary, "res/summary.json", "metric,value\nroi,1\n", "obs.csv", "");
    FAIL() << "no error";
  } catch (const attendsim::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("res/summary.json"), std::string::npos) << e.what();
  }
}
