// Bad input through the CLI: every case must exit 2 with a message that names the file, the
// line and the key at fault, and must leave nothing behind (no output folder, no hidden
// `.out.attendsim-tmp-PID-N` or `.out.attendsim-old-PID-N` folder).
//
// Each case starts from the text of configs/reference.toml and changes one thing. The
// expected line is computed from the modified text itself (the line the test edited, or
// the table header for a missing key), never taken from the program.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "paths.hpp"
#include "support.hpp"

namespace fs = std::filesystem;

namespace {

/// Replaces the single line that starts with `prefix` by `replacement` (which may hold
/// several lines). Throws unless exactly one line starts with `prefix`.
std::string replace_line(const std::string& text, const std::string& prefix,
                         const std::string& replacement) {
  std::size_t found = std::string::npos;
  int count = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    if (text.compare(pos, prefix.size(), prefix) == 0) {
      found = pos;
      ++count;
    }
    const auto nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  if (count != 1)
    throw std::runtime_error("expected one line starting with '" + prefix + "', found " +
                             std::to_string(count));
  const auto end = text.find('\n', found);
  return text.substr(0, found) + replacement + (end == std::string::npos ? "" : text.substr(end));
}

/// 1-based number of the unique line that starts with `prefix`.
int line_starting_with(const std::string& text, const std::string& prefix) {
  int line = 1, hit = 0, count = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    if (text.compare(pos, prefix.size(), prefix) == 0) {
      hit = line;
      ++count;
    }
    const auto nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
    ++line;
  }
  if (count != 1)
    throw std::runtime_error("expected one line starting with '" + prefix + "', found " +
                             std::to_string(count));
  return hit;
}

/// The files the harness itself may leave in a scratch folder.
const std::set<std::string> kAllowed = {"c.toml", "cli_stdout.txt", "cli_stderr.txt"};

void expect_nothing_written(const fs::path& dir) {
  EXPECT_FALSE(fs::exists(dir / "out")) << "output folder created despite the error";
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(kAllowed.count(name) == 1) << "left behind: " << e.path();
    EXPECT_EQ(name.find("tmp-"), std::string::npos) << "temporary folder left behind: " << e.path();
  }
}

struct Expect {
  std::string key;   ///< dotted key path as printed, e.g. "detection.p_consent"
  int line = 0;      ///< expected line (0: no line for this case)
  std::string also;  ///< another phrase the message must contain ("" for none)
};

/// Writes `text` to a scratch c.toml, runs `attendsim run` on it and checks exit code,
/// message and that nothing is written.
void check_bad_config(const std::string& name, const std::string& text, const Expect& ex) {
  SCOPED_TRACE(name);
  const fs::path dir = testsupport::scratch_dir("bad-" + name);
  const fs::path cfg = dir / "c.toml";
  testsupport::write_file(cfg, text);
  const auto r = testsupport::run_cli(
      "run '" + cfg.string() + "' --out '" + (dir / "out").string() + "' --quiet --replications 1",
      dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  if (ex.line > 0) {
    EXPECT_NE(r.err.find(cfg.string() + ":" + std::to_string(ex.line) + ":"), std::string::npos)
        << "expected " << cfg.string() << ":" << ex.line << " in: " << r.err;
  } else {
    EXPECT_NE(r.err.find(cfg.string()), std::string::npos) << "file not named: " << r.err;
  }
  if (!ex.key.empty()) {
    EXPECT_NE(r.err.find("'" + ex.key), std::string::npos)
        << "key '" << ex.key << "' not named: " << r.err;
  }
  if (!ex.also.empty()) {
    EXPECT_NE(r.err.find(ex.also), std::string::npos) << r.err;
  }
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  expect_nothing_written(dir);
  fs::remove_all(dir);
}

const std::string& ref() {
  static const std::string t = testsupport::reference_config_text();
  return t;
}

/// Replaces the line starting with `prefix`, then checks the error is reported at that line.
void check_line_edit(const std::string& name, const std::string& prefix,
                     const std::string& new_line, const std::string& key,
                     const std::string& also = "") {
  const std::string t = replace_line(ref(), prefix, new_line);
  // The edited line starts with the first word of new_line.
  const std::string first = new_line.substr(0, new_line.find('\n'));
  check_bad_config(name, t, {key, line_starting_with(t, first), also});
}

}  // namespace

TEST(BadConfig, ReferenceConfigItselfIsAccepted) {
  // Control: the unmodified text passes through the same harness with exit 0.
  const fs::path dir = testsupport::scratch_dir("bad-control");
  std::string t = testsupport::set_key(ref(), "population", "pupils", "300");
  t = testsupport::set_key(t, "simulation", "horizon_years", "1");
  testsupport::write_file(dir / "c.toml", t);
  const auto r = testsupport::run_cli("run '" + (dir / "c.toml").string() + "' --out '" +
                                          (dir / "out").string() + "' --quiet --replications 1",
                                      dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "summary.json"));
  fs::remove_all(dir);
}

TEST(BadConfig, UnknownTopLevelKey) {
  // Reported at the line of the misspelt key, not of the key before it.
  const std::string t = replace_line(ref(), "name = ", "name = \"reference\"\nnmae = \"typo\"");
  check_bad_config("unknown-top-line", t, {"nmae", line_starting_with(t, "nmae"), "unknown key"});
}

TEST(BadConfig, UnknownNestedKey) {
  // A misspelt extra key next to the real one (replacing it would report p_consent missing).
  const std::string t = replace_line(ref(), "p_consent = ", "p_consent = 0.85\np_consnt = 0.85");
  check_bad_config("unknown-nested", t,
                   {"detection.p_consnt", line_starting_with(t, "p_consnt"), "unknown key"});
}

TEST(BadConfig, UnknownKeyInStaffingPeriod) {
  const std::string t = replace_line(ref(), "fte = 5.0", "fte = 5.0\nftee = 1");
  check_bad_config("unknown-staffing", t,
                   {"coordinators.staffing[0].ftee", line_starting_with(t, "ftee"), ""});
}

TEST(BadConfig, UnknownKeyInDistributionTable) {
  const std::string t =
      replace_line(ref(), "p_consent = ", "p_consent = { dist = \"beta\", a = 2, b = 2, c = 1 }");
  check_bad_config("unknown-dist-arg", t,
                   {"detection.p_consent.c", line_starting_with(t, "p_consent"), ""});
}

TEST(BadConfig, MissingKey) {
  // Removed p_consent: reported at the [detection] header line.
  const std::string t = replace_line(ref(), "p_consent = ", "");
  check_bad_config("missing", t,
                   {"detection.p_consent", line_starting_with(t, "[detection]"), "missing"});
}

TEST(BadConfig, MissingTable) {
  // [outcomes] header renamed: its keys become unknown or the table missing; either way exit 2.
  std::string t = replace_line(ref(), "[outcomes]", "[outcome]");
  const fs::path dir = testsupport::scratch_dir("bad-missing-table");
  testsupport::write_file(dir / "c.toml", t);
  const auto r = testsupport::run_cli("run '" + (dir / "c.toml").string() + "' --out '" +
                                          (dir / "out").string() + "' --quiet --replications 1",
                                      dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("outcome"), std::string::npos) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("c\\.toml:[0-9]+:"))) << r.err;
  expect_nothing_written(dir);
  fs::remove_all(dir);
}

TEST(BadConfig, WrongTypeStringForNumber) {
  check_line_edit("wrong-type", "p_consent = ", "p_consent = \"high\"", "detection.p_consent");
}

TEST(BadConfig, WrongTypeStringForInteger) {
  check_line_edit("wrong-type-int", "horizon_years = ", "horizon_years = \"5\"",
                  "simulation.horizon_years", "integer");
}

TEST(BadConfig, WrongTypeFractionForInteger) {
  check_line_edit("fraction-int", "horizon_years = ", "horizon_years = 2.5",
                  "simulation.horizon_years", "integer");
}

TEST(BadConfig, ProbabilityAboveOne) {
  check_line_edit("prob-above", "p_consent = ", "p_consent = 1.3", "detection.p_consent", "1.3");
}

TEST(BadConfig, ProbabilityBelowZero) {
  check_line_edit("prob-below", "p_detect_per_month = ", "p_detect_per_month = -0.1",
                  "detection.p_detect_per_month");
}

TEST(BadConfig, ProbabilityNaN) {
  check_line_edit("prob-nan", "p_detect_per_month = ", "p_detect_per_month = nan",
                  "detection.p_detect_per_month");
}

TEST(BadConfig, DistributionBaseOutsideRange) {
  check_line_edit("base-out",
                  "p_consent = ", "p_consent = { base = 1.5, dist = \"beta\", a = 2, b = 2 }",
                  "detection.p_consent");
}

TEST(BadConfig, TransitionRowNotSummingToOne) {
  // grade 7-9 worrying row: 0.3 + 0.588 + 0.11 + 0.012 = 1.01.
  check_line_edit("row-sum", "worrying  = [0.3000, 0.5880",
                  "worrying  = [0.3000, 0.5880, 0.1100, 0.0120]", "transitions.grade7_9.worrying",
                  "sum");
}

TEST(BadConfig, TransitionRowWithNegativeEntry) {
  // Sums to 1 (0.9728 - 0.01 + 0.037 + 0.0002) but has an entry below 0.
  check_line_edit("row-negative", "regular   = [0.9628",
                  "regular   = [0.9728, -0.0100, 0.0370, 0.0002]", "transitions.grade7_9.regular");
}

TEST(BadConfig, TransitionRowWrongLength) {
  check_line_edit("row-length", "regular   = [0.9628", "regular   = [0.9628, 0.0300, 0.0072]",
                  "transitions.grade7_9.regular");
}

TEST(BadConfig, CaseloadZero) {
  check_line_edit("caseload-zero", "caseload_per_fte = ", "caseload_per_fte = 0",
                  "coordinators.caseload_per_fte");
}

TEST(BadConfig, CaseloadNegative) {
  check_line_edit("caseload-neg", "caseload_per_fte = ", "caseload_per_fte = -3",
                  "coordinators.caseload_per_fte");
}

TEST(BadConfig, CaseloadInfinite) {
  check_line_edit("caseload-inf", "caseload_per_fte = ", "caseload_per_fte = inf",
                  "coordinators.caseload_per_fte");
}

TEST(BadConfig, NonexistentFile) {
  const fs::path dir = testsupport::scratch_dir("bad-nofile");
  const fs::path cfg = dir / "does-not-exist.toml";
  const auto r = testsupport::run_cli(
      "run '" + cfg.string() + "' --out '" + (dir / "out").string() + "' --quiet --replications 1",
      dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(cfg.string()), std::string::npos) << r.err;
  expect_nothing_written(dir);
  fs::remove_all(dir);
}

TEST(BadConfig, DirectoryInsteadOfFile) {
  const fs::path dir = testsupport::scratch_dir("bad-dir");
  const fs::path cfg = dir / "c.toml";  // a folder with a config's name
  fs::create_directory(cfg);
  const auto r = testsupport::run_cli(
      "run '" + cfg.string() + "' --out '" + (dir / "out").string() + "' --quiet --replications 1",
      dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(cfg.string()), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  expect_nothing_written(dir);
  fs::remove_all(dir);
}

TEST(BadConfig, TomlSyntaxError) {
  check_line_edit("syntax", "seed = ", "seed = = 1", "", "syntax");
}

TEST(BadConfig, TomlSyntaxErrorUnclosedArray) {
  // An unclosed array is only detected at the next key (the following line), so the line is
  // checked to be the edited one or the one after it.
  const std::string t = replace_line(ref(), "high_exit_mult = ", "high_exit_mult = [1.3, 1.0, 0.7");
  const int line = line_starting_with(t, "high_exit_mult = ");
  const fs::path dir = testsupport::scratch_dir("bad-syntax-array");
  testsupport::write_file(dir / "c.toml", t);
  const std::string cfg = (dir / "c.toml").string();
  const auto r = testsupport::run_cli(
      "run '" + cfg + "' --out '" + (dir / "out").string() + "' --quiet --replications 1", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(r.err.find(cfg + ":" + std::to_string(line) + ":") != std::string::npos ||
              r.err.find(cfg + ":" + std::to_string(line + 1) + ":") != std::string::npos)
      << "expected line " << line << " or " << line + 1 << ": " << r.err;
  EXPECT_NE(r.err.find("syntax"), std::string::npos) << r.err;
  expect_nothing_written(dir);
  fs::remove_all(dir);
}

TEST(BadConfig, UnknownDistributionName) {
  check_line_edit("dist-unknown",
                  "p_consent = ", "p_consent = { dist = \"weibull\", a = 1, b = 2 }",
                  "detection.p_consent", "weibull");
}

TEST(BadConfig, BetaWithNonPositiveA) {
  check_line_edit("beta-a0", "p_consent = ", "p_consent = { dist = \"beta\", a = 0, b = 2 }",
                  "detection.p_consent");
  check_line_edit("beta-aneg", "p_consent = ", "p_consent = { dist = \"beta\", a = -1, b = 2 }",
                  "detection.p_consent");
}

TEST(BadConfig, NormalOnProbabilityCanLeaveUnitInterval) {
  // normal(0.85, 0.2) puts ~23 % of its mass above 1.
  check_line_edit("normal-prob",
                  "p_consent = ", "p_consent = { dist = \"normal\", mean = 0.85, sd = 0.2 }",
                  "detection.p_consent");
}

TEST(BadConfig, UniformOnProbabilityBeyondOne) {
  check_line_edit("uniform-prob",
                  "p_consent = ", "p_consent = { dist = \"uniform\", low = 0.5, high = 1.2 }",
                  "detection.p_consent");
}

TEST(BadConfig, LognormalOnProbabilityBeyondOne) {
  check_line_edit("lognormal-prob",
                  "p_consent = ", "p_consent = { dist = \"lognormal\", mu = -0.2, sigma = 0.1 }",
                  "detection.p_consent");
}

TEST(BadConfig, StaffingPeriodsOutOfOrder) {
  // Second period from month 0 after a first from month 0: not increasing.
  check_line_edit("staffing-order", "from_month = 36", "from_month = 0    # out of order",
                  "coordinators.staffing[1].from_month");
}

TEST(BadConfig, StaffingPeriodsDecreasing) {
  std::string t = replace_line(ref(), "from_month = 0", "from_month = 12");
  t = replace_line(t, "from_month = 36", "from_month = 6");
  check_bad_config(
      "staffing-decreasing", t,
      {"coordinators.staffing[1].from_month", line_starting_with(t, "from_month = 6"), ""});
}

TEST(BadConfig, NegativeFte) {
  check_line_edit("fte-neg", "fte = 5.0", "fte = -1.0", "coordinators.staffing[0].fte");
}

TEST(BadConfig, UnknownTerminalEventsMode) {
  check_line_edit("terminal", "share_eligible_at_start_upper_sec = ",
                  "terminal_events = \"sometimes\"\nshare_eligible_at_start_upper_sec = 0.86",
                  "outcomes.terminal_events", "sometimes");
}

TEST(BadConfig, UnknownAllocationPolicy) {
  check_line_edit("alloc", "allocation_policy = ", "allocation_policy = \"lottery\"",
                  "coordinators.allocation_policy", "lottery");
}

TEST(BadConfig, BadPerspective) {
  check_line_edit("perspective", "perspective = ", "perspective = \"galaxy\"",
                  "economics.perspective", "galaxy");
}

TEST(BadConfig, PrevalenceSharesExceedOne) {
  const std::string t = replace_line(ref(), "high = { base = 0.070", "high = 0.95");
  // Reported on the band's table ([population.prevalence.grade7_9]): 0.085 + 0.95 + 0.015 > 1.
  const fs::path dir = testsupport::scratch_dir("bad-prevalence");
  testsupport::write_file(dir / "c.toml", t);
  const auto r = testsupport::run_cli("run '" + (dir / "c.toml").string() + "' --out '" +
                                          (dir / "out").string() + "' --quiet --replications 1",
                                      dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("population.prevalence.grade7_9"), std::string::npos) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("c\\.toml:[0-9]+:"))) << r.err;
  expect_nothing_written(dir);
  fs::remove_all(dir);
}

TEST(BadConfig, EmptyFile) {
  // Empty text: the first required key is missing; reported at line 1.
  check_bad_config("empty", "", {"name", 1, "missing"});
}

TEST(BadConfig, NestedMissingOutputParentIsNotCreated) {
  const fs::path dir = testsupport::scratch_dir("bad-nested-out");
  const std::string t = replace_line(ref(), "p_consent = ", "p_consent = 1.3");
  testsupport::write_file(dir / "c.toml", t);
  const auto r =
      testsupport::run_cli("run '" + (dir / "c.toml").string() + "' --out '" +
                               (dir / "a" / "b" / "out").string() + "' --quiet --replications 1",
                           dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(dir / "a")) << "parent folders created despite the error";
  fs::remove_all(dir);
}

TEST(BadConfig, ExistingOutputFolderIsLeftUntouched) {
  // A failing run must not replace or damage the results of an earlier one.
  const fs::path dir = testsupport::scratch_dir("bad-existing-out");
  fs::create_directory(dir / "out");
  testsupport::write_file(dir / "out" / "summary.json", "previous results\n");
  testsupport::write_file(dir / "c.toml", replace_line(ref(), "p_consent = ", "p_consent = 1.3"));
  const auto r = testsupport::run_cli("run '" + (dir / "c.toml").string() + "' --out '" +
                                          (dir / "out").string() + "' --quiet --replications 1",
                                      dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(testsupport::read_file(dir / "out" / "summary.json"), "previous results\n");
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().filename().string().find("tmp-"), std::string::npos) << e.path();
    EXPECT_EQ(e.path().filename().string().find("old-"), std::string::npos) << e.path();
  }
  fs::remove_all(dir);
}

// ---- CLI usage ----------------------------------------------------------------------------

namespace {
testsupport::CliResult cli(const std::string& args, const std::string& tag) {
  const fs::path dir = testsupport::scratch_dir("cli-" + tag);
  auto r = testsupport::run_cli(args, dir);
  fs::remove_all(dir);
  return r;
}

/// The project version as written in CMakeLists.txt: project(attendsim VERSION x.y.z ...).
std::string project_version() {
  const std::string cm = testsupport::read_file(fs::path(ATTENDSIM_SOURCE_DIR) / "CMakeLists.txt");
  std::smatch m;
  if (!std::regex_search(cm, m, std::regex("project\\(attendsim VERSION ([0-9][0-9.]*)")))
    return "";
  return m[1].str();
}
}  // namespace

TEST(Cli, HelpExitsZero) {
  const auto root = cli("--help", "help");
  EXPECT_EQ(root.exit_code, 0) << root.err;
  EXPECT_NE(root.out.find("run"), std::string::npos) << root.out;
  const auto run = cli("run --help", "run-help");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  for (const char* opt : {"--replications", "--draws", "--seed", "--threads", "--out", "--quiet"}) {
    EXPECT_NE(run.out.find(opt), std::string::npos) << opt << " missing from run --help:\n"
                                                    << run.out;
  }
}

TEST(Cli, VersionExitsZeroAndPrintsVersion) {
  const std::string v = project_version();
  ASSERT_FALSE(v.empty());
  const auto r = cli("--version", "version");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE((r.out + r.err).find("attendsim " + v), std::string::npos) << r.out << r.err;
}

TEST(Cli, UnknownOptionExitsTwo) {
  const auto r =
      cli("run '" + std::string(ATTENDSIM_SOURCE_DIR) + "/configs/reference.toml' --bogus-option",
          "unk");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--bogus-option"), std::string::npos) << r.err;
}

TEST(Cli, UnknownSubcommandExitsTwo) {
  EXPECT_EQ(cli("frobnicate", "unk-sub").exit_code, 2);
}

TEST(Cli, NoSubcommandExitsTwo) {
  EXPECT_EQ(cli("", "no-sub").exit_code, 2);
}

TEST(Cli, RunWithoutConfigExitsTwo) {
  EXPECT_EQ(cli("run --quiet", "no-config").exit_code, 2);
}

TEST(Cli, ZeroReplicationsExitsTwoAndWritesNothing) {
  const fs::path dir = testsupport::scratch_dir("cli-zero-reps");
  const auto r =
      testsupport::run_cli("run '" + std::string(ATTENDSIM_SOURCE_DIR) +
                               "/configs/reference.toml' --replications 0 --quiet --out '" +
                               (dir / "out").string() + "'",
                           dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--replications"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

TEST(Cli, OtherNonPositiveCountsExitTwo) {
  const std::string cfg = "'" + std::string(ATTENDSIM_SOURCE_DIR) + "/configs/reference.toml'";
  EXPECT_EQ(cli("run " + cfg + " --draws 0 --quiet", "draws0").exit_code, 2);
  EXPECT_EQ(cli("run " + cfg + " --threads 0 --quiet", "threads0").exit_code, 2);
  EXPECT_EQ(cli("run " + cfg + " --seed -1 --quiet", "seedneg").exit_code, 2);
  EXPECT_EQ(cli("run " + cfg + " --replications abc --quiet", "repsabc").exit_code, 2);
}

namespace {
/// The reference config with a [fund] table appended; `fund` holds the table's key lines.
std::string with_fund(const std::string& fund) {
  return ref() + "\n[fund]\n" + fund;
}
const std::string kFundGood =
    "amount_sek = 1000000\nrule = \"effect\"\nmeasure = \"fewer_extensive_absent\"\n"
    "threshold = 1\nby_year = 2\nrepay_over_years = 3\n";
}  // namespace

TEST(BadConfig, FundTermsAreCheckedWithFileLineAndKey) {
  // Each case changes one line of a valid [fund] table; the error names that line and key.
  struct Case {
    const char* name;
    const char* prefix;
    const char* line;
    const char* key;
    const char* also;
  };
  const Case cases[] = {
      {"fund-rule", "rule = ", "rule = \"whenever\"", "fund.rule", "effect, share_of_savings"},
      {"fund-amount", "amount_sek = ", "amount_sek = -5", "fund.amount_sek", "> 0"},
      {"fund-by-year", "by_year = ", "by_year = 99", "fund.by_year", "year of the horizon"},
      {"fund-by-year-0", "by_year = ", "by_year = 0", "fund.by_year", "year of the horizon"},
      {"fund-threshold", "threshold = ", "threshold = 0", "fund.threshold", "> 0"},
      {"fund-measure", "measure = ", "measure = \"happiness\"", "fund.measure", "known:"},
      {"fund-repay", "repay_over_years = ", "repay_over_years = 0", "fund.repay_over_years",
       "between 1 and 100"},
      {"fund-share-in-effect", "repay_over_years = ", "share_of_savings = 0.5",
       "fund.share_of_savings", "belongs to rule"},
  };
  for (const auto& c : cases) {
    const std::string t = replace_line(with_fund(kFundGood), c.prefix, c.line);
    check_bad_config(c.name, t, {c.key, line_starting_with(t, c.line), c.also});
  }
  // The share rule: a share outside (0, 1], and the effect rule's keys where they do not belong.
  const std::string share =
      "amount_sek = 1000000\nrule = \"share_of_savings\"\nshare_of_savings = 1.5\nby_year = 2\n";
  std::string t = with_fund(share);
  check_bad_config("fund-share", t,
                   {"fund.share_of_savings", line_starting_with(t, "share_of_savings"), "(0, 1]"});
  t = replace_line(with_fund(share),
                   "share_of_savings = ", "share_of_savings = 0.5\nthreshold = 2");
  check_bad_config("fund-threshold-in-share", t,
                   {"fund.threshold", line_starting_with(t, "threshold"), "belongs to rule"});
  // A missing key is reported at the [fund] header.
  t = replace_line(with_fund(kFundGood), "amount_sek = ", "");
  check_bad_config("fund-missing-amount", t,
                   {"fund.amount_sek", line_starting_with(t, "[fund]"), "missing"});
}
