// The funding allocation rule (analysis/funding_allocation.hpp) and `attendsim allocate`.
// Every expected number below is worked by hand in the comment next to it.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/funding_allocation.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using attendsim::PreconditionError;
using attendsim::models::allocate_funding;
using attendsim::models::FundingAllocation;
using attendsim::models::FundingRequest;
using attendsim::models::FundingRule;

namespace {

const fs::path kStockholmConfig =
    fs::path(ATTENDSIM_SOURCE_DIR) / "configs" / "stockholm_2014_funding.toml";

struct LoadedCase {
  FundingRule rule;
  std::vector<FundingRequest> requests;
};

// Reads the funding config with the project's TOML reader (the values only; the CLI tests
// below cover validation).
LoadedCase load_case(const fs::path& path) {
  const auto doc = attendsim::config::Document::load(path);
  attendsim::config::TableReader root(doc);
  auto f = root.table("funding");
  LoadedCase c;
  c.rule.budget_sek = f.integer("budget_sek");
  c.rule.cap_per_unit_sek = f.integer("cap_per_unit_sek");
  c.rule.threshold_sek = f.integer("remainder_threshold_sek");
  for (auto& a : root.tables("applicant")) {
    c.requests.push_back({a.string("name"), a.integer("units"), a.integer("requested_sek")});
  }
  return c;
}

const attendsim::models::FundingShare& share(const FundingAllocation& a, const std::string& name) {
  for (const auto& s : a.applicants) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("no applicant " + name);
}

// The invariants every allocation must satisfy, whatever the inputs.
void expect_invariants(const FundingRule& rule, const std::vector<FundingRequest>& requests,
                       const FundingAllocation& a) {
  ASSERT_EQ(a.applicants.size(), requests.size());
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto& s = a.applicants[i];
    const auto& r = requests[i];
    EXPECT_EQ(s.name, r.name);  // input order kept
    EXPECT_EQ(s.base_sek, std::min(r.requested_sek, rule.cap_per_unit_sek * r.units));
    EXPECT_EQ(s.allocated_sek, s.base_sek + s.extra_sek);
    EXPECT_GE(s.extra_sek, 0);
    EXPECT_LE(s.allocated_sek, r.requested_sek) << s.name;
    EXPECT_EQ(s.eligible_for_remainder,
              r.requested_sek - rule.cap_per_unit_sek * r.units > rule.threshold_sek);
    if (!s.eligible_for_remainder) {
      EXPECT_EQ(s.extra_sek, 0) << s.name;
    }
    sum += s.allocated_sek;
  }
  EXPECT_EQ(sum, a.allocated_total_sek);
  EXPECT_EQ(a.allocated_total_sek + a.unallocated_sek, rule.budget_sek);
  EXPECT_GE(a.unallocated_sek, 0);
}

}  // namespace

// (1) The seed's table (S4), from the config file through the library. Hand computation:
//   caps (625 000 x schools): Farsta 1 875 000, Skarpnäck 1 250 000, Rinkeby-Kista 2 500 000,
//   Skärholmen 1 250 000, E-Å-V 625 000, Spånga-Tensta 625 000, Älvsjö 625 000, H-V 1 250 000.
//   bases = min(request, cap): 1 134 896, 1 134 896, 2 500 000, 1 200 000, 625 000, 625 000,
//   625 000, 1 250 000; sum 9 094 792; remainder 10 000 000 - 9 094 792 = 905 208.
//   excess over cap: R-K 700 000, E-Å-V 458 656, S-T 275 000, Älvsjö 25 000 (not > 25 000),
//   H-V 1 630 000 -> eligible units 4 + 1 + 1 + 2 = 8; 905 208 / 8 = 113 151 exactly.
//   No one reaches its request (4 x 113 151 = 452 604 < 700 000; 113 151 < 275 000; ...), so
//   one round: R-K 2 500 000 + 452 604 = 2 952 604; E-Å-V and S-T 625 000 + 113 151 = 738 151;
//   H-V 1 250 000 + 226 302 = 1 476 302. Requests sum to 12 183 448.
TEST(FundingAllocation, StockholmTableFromConfig) {
  const auto c = load_case(kStockholmConfig);
  const auto a = allocate_funding(c.rule, c.requests);
  expect_invariants(c.rule, c.requests, a);
  const std::vector<std::pair<std::string, std::int64_t>> expected = {
      {"Farsta", 1134896},     {"Skarpnäck", 1134896},           {"Rinkeby-Kista", 2952604},
      {"Skärholmen", 1200000}, {"Enskede-Årsta-Vantör", 738151}, {"Spånga-Tensta", 738151},
      {"Älvsjö", 625000},      {"Hässelby-Vällingby", 1476302}};
  ASSERT_EQ(a.applicants.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(a.applicants[i].name, expected[i].first);
    EXPECT_EQ(a.applicants[i].allocated_sek, expected[i].second) << expected[i].first;
  }
  EXPECT_EQ(a.total_units, 16);
  EXPECT_EQ(a.requested_total_sek, 12183448);
  EXPECT_EQ(a.base_total_sek, 9094792);
  EXPECT_EQ(a.remainder_sek, 905208);
  EXPECT_EQ(a.eligible_units, 8);
  EXPECT_EQ(a.allocated_total_sek, 10000000);
  EXPECT_EQ(a.unallocated_sek, 0);
  EXPECT_EQ(a.redistribution_rounds, 1);
  EXPECT_FALSE(share(a, "Älvsjö").eligible_for_remainder);
  EXPECT_EQ(share(a, "Rinkeby-Kista").extra_sek, 452604);
  EXPECT_EQ(share(a, "Hässelby-Vällingby").extra_sek, 226302);
}

// (2) Redistribution hits a request ceiling and the rest is shared again.
//   B = 1 000, c = 100, T = 0.
//   A: 2 units, asks 150 -> cap 200, base 150, excess -50: not eligible.
//   B: 3 units, asks 500 -> cap 300, base 300, excess 200: eligible, headroom 200.
//   C: 1 unit,  asks 400 -> cap 100, base 100, excess 300: eligible, headroom 300.
//   bases 150 + 300 + 100 = 550 (cap respected before any redistribution); R = 450.
//   round 1: P = 450 over U = 4 units = 112.5 per unit; B's share 337.5 >= headroom 200, so B
//   gets 200 (its full request 500); C's share 112.5 < 300. round 2: P = 450 - 200 = 250 over
//   C's 1 unit; 250 < 300, so C gets 250 -> 350. Totals 150 + 500 + 350 = 1 000.
TEST(FundingAllocation, CeilingReachedThenRestSharedAgain) {
  const FundingRule rule{1000, 100, 0};
  const std::vector<FundingRequest> req = {{"A", 2, 150}, {"B", 3, 500}, {"C", 1, 400}};
  const auto a = allocate_funding(rule, req);
  expect_invariants(rule, req, a);
  EXPECT_EQ(share(a, "A").base_sek, 150);
  EXPECT_EQ(share(a, "B").base_sek, 300);
  EXPECT_EQ(share(a, "C").base_sek, 100);
  EXPECT_EQ(a.remainder_sek, 450);
  EXPECT_EQ(share(a, "A").allocated_sek, 150);
  EXPECT_EQ(share(a, "B").allocated_sek, 500);
  EXPECT_TRUE(share(a, "B").reached_request);
  EXPECT_EQ(share(a, "C").allocated_sek, 350);
  EXPECT_FALSE(share(a, "C").reached_request);
  EXPECT_EQ(a.allocated_total_sek, 1000);
  EXPECT_EQ(a.unallocated_sek, 0);
  EXPECT_EQ(a.redistribution_rounds, 2);
}

// Cap respected before redistribution, and a leftover no eligible applicant can take.
//   B = 1 000, c = 100, T = 50.
//   A: 1 unit,  asks 140 -> cap 100, excess 40 <= 50: not eligible, gets exactly 100 (< 140).
//   B: 2 units, asks 600 -> cap 200, excess 400 > 50: eligible, headroom 400.
//   C: 3 units, asks 100 -> cap 300, base 100.
//   bases 100 + 200 + 100 = 400; R = 600. round 1: 600 over 2 units = 300 per unit, B's share
//   600 >= 400, so B gets 400 (-> 600, its request); P = 200 and no eligible applicant is left:
//   200 SEK unallocated (A's headroom of 40 does not count: A is not eligible).
//   allocated 100 + 600 + 100 = 800 = 1 000 - 200.
TEST(FundingAllocation, CapFirstAndUnallocatedWhenNobodyCanTakeMore) {
  const FundingRule rule{1000, 100, 50};
  const std::vector<FundingRequest> req = {{"A", 1, 140}, {"B", 2, 600}, {"C", 3, 100}};
  const auto a = allocate_funding(rule, req);
  expect_invariants(rule, req, a);
  EXPECT_EQ(share(a, "A").allocated_sek, 100);
  EXPECT_EQ(share(a, "B").base_sek, 200);
  EXPECT_EQ(share(a, "B").allocated_sek, 600);
  EXPECT_EQ(share(a, "C").allocated_sek, 100);
  EXPECT_EQ(a.remainder_sek, 600);
  EXPECT_EQ(a.allocated_total_sek, 800);
  EXPECT_EQ(a.unallocated_sek, 200);
}

// Threshold: an excess exactly at T is out, one SEK above is in.
//   B = 1 150, c = 500, T = 100.
//   X: 1 unit, asks 600 -> excess 100 = T: not eligible -> 500.
//   Y: 1 unit, asks 601 -> excess 101 > T: eligible, headroom 101.
//   Z: 1 unit, asks 100 -> base 100.
//   bases 500 + 500 + 100 = 1 100; R = 50, all to Y (50 < 101) -> 550. Sum 1 150.
TEST(FundingAllocation, ThresholdExactlyAtIsExcludedJustAboveIsIncluded) {
  const FundingRule rule{1150, 500, 100};
  const std::vector<FundingRequest> req = {{"X", 1, 600}, {"Y", 1, 601}, {"Z", 1, 100}};
  const auto a = allocate_funding(rule, req);
  expect_invariants(rule, req, a);
  EXPECT_FALSE(share(a, "X").eligible_for_remainder);
  EXPECT_TRUE(share(a, "Y").eligible_for_remainder);
  EXPECT_EQ(share(a, "X").allocated_sek, 500);
  EXPECT_EQ(share(a, "Y").allocated_sek, 550);
  EXPECT_EQ(share(a, "Z").allocated_sek, 100);
  EXPECT_EQ(a.allocated_total_sek, 1150);
  EXPECT_EQ(a.unallocated_sek, 0);
}

// Rounding: the per-unit share is not whole SEK.
//   B = 1 000, c = 100, T = 0; P (1 unit), Q (2), R (4) each ask 10 000.
//   bases 100 + 200 + 400 = 700; remainder 300 over 7 units = 42.857... per unit.
//   exact shares: P 300/7 = 42 + 6/7, Q 600/7 = 85 + 5/7, R 1200/7 = 171 + 3/7.
//   floors 42 + 85 + 171 = 298; 2 SEK left go to the largest remainders, P (6/7) and Q (5/7):
//   P 43, Q 86, R 171 (sum 300) -> allocated 143, 286, 571; sum 1 000.
TEST(FundingAllocation, LargestRemainderRoundingSumsExactlyToBudget) {
  const FundingRule rule{1000, 100, 0};
  const std::vector<FundingRequest> req = {{"P", 1, 10000}, {"Q", 2, 10000}, {"R", 4, 10000}};
  const auto a = allocate_funding(rule, req);
  expect_invariants(rule, req, a);
  EXPECT_EQ(share(a, "P").extra_sek, 43);
  EXPECT_EQ(share(a, "Q").extra_sek, 86);
  EXPECT_EQ(share(a, "R").extra_sek, 171);
  EXPECT_EQ(share(a, "P").allocated_sek, 143);
  EXPECT_EQ(share(a, "Q").allocated_sek, 286);
  EXPECT_EQ(share(a, "R").allocated_sek, 571);
  EXPECT_EQ(a.allocated_total_sek, 1000);
}

// Rounding ties go to the earlier applicant in input order.
//   B = 302, c = 100, T = 0; three 1-unit applicants asking 1 000 each.
//   bases 3 x 100 = 300; remainder 2 over 3 units: each exact share 2/3 (floor 0, remainder
//   2 of 3, all equal), so the 2 SEK go to the first two in input order: 101, 101, 100.
TEST(FundingAllocation, RoundingTiesGoToEarlierApplicant) {
  const FundingRule rule{302, 100, 0};
  const std::vector<FundingRequest> abc = {{"a", 1, 1000}, {"b", 1, 1000}, {"c", 1, 1000}};
  const auto x = allocate_funding(rule, abc);
  expect_invariants(rule, abc, x);
  EXPECT_EQ(x.applicants[0].allocated_sek, 101);
  EXPECT_EQ(x.applicants[1].allocated_sek, 101);
  EXPECT_EQ(x.applicants[2].allocated_sek, 100);
  // Same applicants in reverse order: again the first two listed (c, b) get the extra SEK.
  const std::vector<FundingRequest> cba = {{"c", 1, 1000}, {"b", 1, 1000}, {"a", 1, 1000}};
  const auto y = allocate_funding(rule, cba);
  EXPECT_EQ(share(y, "c").allocated_sek, 101);
  EXPECT_EQ(share(y, "b").allocated_sek, 101);
  EXPECT_EQ(share(y, "a").allocated_sek, 100);
}

// A leftover SEK never lifts an applicant past its request.
//   B = 1 005, c = 100, T = 0; S (1 unit) asks 102, L (1 unit) asks 10 000.
//   bases 100 + 100 = 200; remainder 805 over 2 units = 402.5 per unit; S's headroom 2 <= 402.5,
//   so round 1 gives S exactly 2 (-> 102); round 2: L takes all 803 (< 9 900) -> 903.
//   Sum 102 + 903 = 1 005.
TEST(FundingAllocation, NoOneAboveRequest) {
  const FundingRule rule{1005, 100, 0};
  const std::vector<FundingRequest> req = {{"S", 1, 102}, {"L", 1, 10000}};
  const auto a = allocate_funding(rule, req);
  expect_invariants(rule, req, a);
  EXPECT_EQ(share(a, "S").allocated_sek, 102);
  EXPECT_EQ(share(a, "L").allocated_sek, 903);
}

// Invariants over a grid of small cases (sum + unallocated = budget, base = min(q, c u),
// nobody above request, only eligible applicants share): properties, not numbers.
TEST(FundingAllocation, InvariantsOnAGrid) {
  for (std::int64_t budget : {0, 1, 7, 999, 1000, 1234}) {
    for (std::int64_t threshold : {0, 3, 50}) {
      for (std::int64_t q0 : {0, 90, 101, 150, 5000}) {
        const FundingRule rule{budget, 100, threshold};
        const std::vector<FundingRequest> req = {
            {"a", 1, q0}, {"b", 3, 301}, {"c", 2, 250}, {"d", 1, 0}};
        // bases: min(q0,100) + 300 + 200 + 0 <= 600; skip budgets below the bases.
        std::int64_t bases = std::min<std::int64_t>(q0, 100) + 300 + 200;
        if (bases > budget) continue;
        const auto a = allocate_funding(rule, req);
        expect_invariants(rule, req, a);
      }
    }
  }
}

// Preconditions: the library throws PreconditionError (the CLI reports these as input errors).
TEST(FundingAllocation, PreconditionsChecked) {
  // bases 2 x 100 = 200 > budget 150
  EXPECT_THROW(allocate_funding({150, 100, 0}, {{"a", 1, 500}, {"b", 1, 500}}), PreconditionError);
  EXPECT_THROW(allocate_funding({150, 100, 0}, {}), PreconditionError);
  EXPECT_THROW(allocate_funding({150, 100, 0}, {{"a", 0, 10}}), PreconditionError);
  EXPECT_THROW(allocate_funding({150, 100, 0}, {{"a", 1, -1}}), PreconditionError);
  EXPECT_THROW(allocate_funding({-1, 100, 0}, {{"a", 1, 0}}), PreconditionError);
  EXPECT_THROW(allocate_funding({150, 100, -1}, {{"a", 1, 0}}), PreconditionError);
}

// (3) The CLI.

// The seed's table as CSV (numbers as in the StockholmTableFromConfig comment).
TEST(AllocateCli, StockholmCsvExact) {
  const auto dir = testsupport::scratch_dir("alloc-stockholm");
  const auto out = dir / "out";
  const auto r = testsupport::run_cli(
      "allocate '" + kStockholmConfig.string() + "' --out '" + out.string() + "'", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testsupport::read_file(out / "allocation.csv"),
            "applicant,units,requested_sek,allocated_sek\n"
            "Farsta,3,1134896,1134896\n"
            "Skarpnäck,2,1134896,1134896\n"
            "Rinkeby-Kista,4,3200000,2952604\n"
            "Skärholmen,2,1200000,1200000\n"
            "Enskede-Årsta-Vantör,1,1083656,738151\n"
            "Spånga-Tensta,1,900000,738151\n"
            "Älvsjö,1,650000,625000\n"
            "Hässelby-Vällingby,2,2880000,1476302\n"
            "total,16,12183448,10000000\n");
  // Only the CSV and allocate.json in DIR, nothing else in its parent: no temporary left.
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(out)) ++files;
  EXPECT_EQ(files, 2);
  EXPECT_TRUE(fs::exists(out / "allocate.json"));
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".out."), std::string::npos) << e.path();
  // The printed table uses the seed's thousands separators.
  EXPECT_NE(r.out.find("1 134 896"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 952 604"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("10 000 000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("905 208"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

TEST(AllocateCli, WithoutOutPrintsOnly) {
  const auto dir = testsupport::scratch_dir("alloc-print");
  const auto r = testsupport::run_cli("allocate '" + kStockholmConfig.string() + "'", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Hässelby-Vällingby"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unallocated: 0 SEK"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

TEST(AllocateCli, OutCreatesNestedFolderAndKeepsOtherFiles) {
  const auto dir = testsupport::scratch_dir("alloc-nested");
  const auto out = dir / "a" / "b";
  auto r = testsupport::run_cli(
      "allocate '" + kStockholmConfig.string() + "' --out '" + out.string() + "'", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out / "allocation.csv"));
  testsupport::write_file(out / "notes.txt", "keep me");
  r = testsupport::run_cli(
      "allocate '" + kStockholmConfig.string() + "' --out '" + out.string() + "'", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testsupport::read_file(out / "notes.txt"), "keep me");
  fs::remove_all(dir);
}

TEST(AllocateCli, Help) {
  const auto dir = testsupport::scratch_dir("alloc-help");
  const auto r = testsupport::run_cli("allocate --help", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("--out"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FUNDING"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

namespace {

const std::string kGoodFunding =
    "[funding]\nbudget_sek = 1000\ncap_per_unit_sek = 100\nremainder_threshold_sek = 0\n";
const std::string kGoodApplicants =
    "[[applicant]]\nname = \"A\"\nunits = 2\nrequested_sek = 500\n"
    "[[applicant]]\nname = \"B\"\nunits = 1\nrequested_sek = 50\n";

struct BadCase {
  const char* label;
  std::string toml;
  std::string key;  // must appear in stderr as 'key'
};

}  // namespace

// Each bad input exits 2, names the key (quoted, as config.hpp formats it) and writes nothing.
TEST(AllocateCli, BadInputExits2NamesKeyWritesNothing) {
  const std::vector<BadCase> cases = {
      {"negative budget", "[funding]\nbudget_sek = -1\ncap_per_unit_sek = 100\n" + kGoodApplicants,
       "funding.budget_sek"},
      {"negative cap", "[funding]\nbudget_sek = 1000\ncap_per_unit_sek = -100\n" + kGoodApplicants,
       "funding.cap_per_unit_sek"},
      {"negative threshold",
       "[funding]\nbudget_sek = 1000\ncap_per_unit_sek = 100\nremainder_threshold_sek = -5\n" +
           kGoodApplicants,
       "funding.remainder_threshold_sek"},
      {"negative request",
       kGoodFunding + "[[applicant]]\nname = \"A\"\nunits = 1\nrequested_sek = 10\n"
                      "[[applicant]]\nname = \"B\"\nunits = 1\nrequested_sek = -5\n",
       "applicant[1].requested_sek"},
      {"zero units", kGoodFunding + "[[applicant]]\nname = \"A\"\nunits = 0\nrequested_sek = 10\n",
       "applicant[0].units"},
      {"negative units",
       kGoodFunding + "[[applicant]]\nname = \"A\"\nunits = -2\nrequested_sek = 10\n",
       "applicant[0].units"},
      {"no applicants", kGoodFunding, "applicant"},
      {"duplicate names",
       kGoodFunding + "[[applicant]]\nname = \"A\"\nunits = 1\nrequested_sek = 10\n"
                      "[[applicant]]\nname = \"A\"\nunits = 1\nrequested_sek = 20\n",
       "applicant[1].name"},
      {"string budget",
       "[funding]\nbudget_sek = \"ten million\"\ncap_per_unit_sek = 100\n" + kGoodApplicants,
       "funding.budget_sek"},
      {"float budget", "[funding]\nbudget_sek = 1e7\ncap_per_unit_sek = 100\n" + kGoodApplicants,
       "funding.budget_sek"},
      {"fractional units",
       kGoodFunding + "[[applicant]]\nname = \"A\"\nunits = 1.5\nrequested_sek = 10\n",
       "applicant[0].units"},
      {"unknown funding key", kGoodFunding + "threshold_sek = 5\n" + kGoodApplicants,
       "funding.threshold_sek"},
      {"unknown applicant key",
       kGoodFunding + "[[applicant]]\nname = \"A\"\nunits = 1\nrequested_sek = 10\ncolour = 1\n",
       "applicant[0].colour"},
      {"missing funding table", kGoodApplicants, "funding"},
      // bases min(500, 200) + min(50, 100) = 250 > budget 200
      {"budget below capped requests",
       "[funding]\nbudget_sek = 200\ncap_per_unit_sek = 100\n" + kGoodApplicants,
       "funding.budget_sek"},
  };
  const auto dir = testsupport::scratch_dir("alloc-bad");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    const auto cfg = dir / ("bad" + std::to_string(i) + ".toml");
    testsupport::write_file(cfg, c.toml);
    const auto out = dir / ("out" + std::to_string(i));
    const auto r =
        testsupport::run_cli("allocate '" + cfg.string() + "' --out '" + out.string() + "'", dir);
    EXPECT_EQ(r.exit_code, 2) << c.label << "\n" << r.err;
    EXPECT_NE(r.err.find("'" + c.key + "'"), std::string::npos) << c.label << "\n" << r.err;
    EXPECT_NE(r.err.find(cfg.filename().string()), std::string::npos) << c.label << "\n" << r.err;
    EXPECT_FALSE(fs::exists(out)) << c.label;
  }
  fs::remove_all(dir);
}

TEST(AllocateCli, UnreadableFileExits2) {
  const auto dir = testsupport::scratch_dir("alloc-unreadable");
  const auto out = dir / "out";
  const auto missing = dir / "no-such-file.toml";
  auto r =
      testsupport::run_cli("allocate '" + missing.string() + "' --out '" + out.string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no-such-file.toml"), std::string::npos) << r.err;
  // A folder given as the file.
  r = testsupport::run_cli("allocate '" + dir.string() + "' --out '" + out.string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  // A TOML syntax error names file and line.
  const auto broken = dir / "broken.toml";
  testsupport::write_file(broken, "[funding]\nbudget_sek = [1,\n");
  r = testsupport::run_cli("allocate '" + broken.string() + "' --out '" + out.string() + "'", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("broken.toml:"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(dir);
}
