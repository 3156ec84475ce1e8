// Thread-count independence, end to end through the CLI: the same config and seed at 1, 2
// and 4 threads must write byte-identical summary.json, summary.csv and occupancy.csv (and
// draws.csv on the PSA path). run.json differs by design (threads, wall time) and is not
// compared. A different seed must change summary.json.
//
// The config is configs/reference.toml with pupils = 4000 and horizon_years = 2 (several
// pupil chunks would need > 4096 pupils; 4000 keeps the test fast, and the runner's
// parallelism is over replications/draws, which is what is varied here).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support.hpp"

namespace fs = std::filesystem;

namespace {

struct Fixture {
  fs::path dir;
  fs::path config;
};

Fixture make_fixture(const std::string& name, int pupils) {
  Fixture f;
  f.dir = testsupport::scratch_dir(name);
  std::string t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "population", "pupils", std::to_string(pupils));
  t = testsupport::set_key(t, "simulation", "horizon_years", "2");
  f.config = f.dir / "small.toml";
  testsupport::write_file(f.config, t);
  return f;
}

/// Runs `attendsim run` into dir/out-TAG and returns that folder.
fs::path run(const Fixture& f, const std::string& extra, const std::string& tag) {
  const fs::path out = f.dir / ("out-" + tag);
  const auto r = testsupport::run_cli(
      "run '" + f.config.string() + "' " + extra + " --out '" + out.string() + "' --quiet", f.dir);
  EXPECT_EQ(r.exit_code, 0) << "attendsim run " << extra << "\nstderr: " << r.err;
  return out;
}

void expect_same_file(const fs::path& a, const fs::path& b, const std::string& name) {
  ASSERT_TRUE(fs::exists(a / name)) << (a / name);
  ASSERT_TRUE(fs::exists(b / name)) << (b / name);
  const std::string ta = testsupport::read_file(a / name);
  const std::string tb = testsupport::read_file(b / name);
  EXPECT_FALSE(ta.empty()) << name;
  EXPECT_TRUE(ta == tb) << name << " differs between " << a << " and " << b;
}

void check_thread_independence(const std::string& fixture_name, const std::string& args,
                               const std::vector<std::string>& files) {
  const auto f = make_fixture(fixture_name, 4000);
  const auto t1 = run(f, args + " --threads 1", "t1");
  const auto t2 = run(f, args + " --threads 2", "t2");
  const auto t4 = run(f, args + " --threads 4", "t4");
  for (const auto& name : files) {
    expect_same_file(t1, t2, name);
    expect_same_file(t1, t4, name);
  }
  // The runs really used the requested thread counts (run.json provenance).
  EXPECT_NE(testsupport::read_file(t1 / "run.json").find("\"threads\": 1"), std::string::npos);
  EXPECT_NE(testsupport::read_file(t4 / "run.json").find("\"threads\": 4"), std::string::npos);
  fs::remove_all(f.dir);
}

}  // namespace

TEST(Determinism, ReplicationsByteIdenticalAcrossThreadCounts) {
  check_thread_independence("det-reps", "--replications 4 --seed 7",
                            {"summary.json", "summary.csv", "occupancy.csv"});
}

TEST(Determinism, PsaDrawsByteIdenticalAcrossThreadCounts) {
  check_thread_independence("det-psa", "--draws 3 --replications 2 --seed 7",
                            {"summary.json", "summary.csv", "occupancy.csv", "draws.csv"});
}

TEST(Determinism, RepeatedRunIsByteIdentical) {
  const auto f = make_fixture("det-repeat", 4000);
  const auto a = run(f, "--replications 3 --seed 7 --threads 2", "a");
  const auto b = run(f, "--replications 3 --seed 7 --threads 2", "b");
  expect_same_file(a, b, "summary.json");
  expect_same_file(a, b, "occupancy.csv");
  fs::remove_all(f.dir);
}

TEST(Determinism, DifferentSeedsGiveDifferentResults) {
  const auto f = make_fixture("det-seeds", 4000);
  const auto s7 = run(f, "--replications 4 --seed 7 --threads 2", "s7");
  const auto s8 = run(f, "--replications 4 --seed 8 --threads 2", "s8");
  const std::string a = testsupport::read_file(s7 / "summary.json");
  const std::string b = testsupport::read_file(s8 / "summary.json");
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_NE(a, b);
  EXPECT_NE(testsupport::read_file(s7 / "occupancy.csv"),
            testsupport::read_file(s8 / "occupancy.csv"));
  // Draws on the PSA path depend on the seed too.
  const auto p7 = run(f, "--draws 2 --replications 1 --seed 7 --threads 2", "p7");
  const auto p8 = run(f, "--draws 2 --replications 1 --seed 8 --threads 2", "p8");
  EXPECT_NE(testsupport::read_file(p7 / "summary.json"),
            testsupport::read_file(p8 / "summary.json"));
  fs::remove_all(f.dir);
}

TEST(Determinism, PupilChunksByteIdenticalAcrossThreadCounts) {
  // 9 000 pupils span three 4096-pupil chunks (three pupil streams per replication).
  const auto f = make_fixture("det-chunks", 9000);
  const auto t1 = run(f, "--replications 2 --seed 3 --threads 1", "t1");
  const auto t2 = run(f, "--replications 2 --seed 3 --threads 2", "t2");
  for (const char* name : {"summary.json", "summary.csv", "occupancy.csv"})
    expect_same_file(t1, t2, name);
  fs::remove_all(f.dir);
}

TEST(Determinism, FullScenariosGiveTheSameBytesAsScenariosFromTheBaseline) {
  // --full-scenarios simulates every scenario in full instead of from the recorded baseline
  // (models/baseline/scenario_from_baseline.hpp): the same results, byte for byte, for run and
  // compare (a ladder of policies and staffing levels).
  const auto f = make_fixture("det-full", 4000);
  const auto a = run(f, "--replications 3 --seed 7 --threads 2", "record");
  const auto b = run(f, "--replications 3 --seed 7 --threads 2 --full-scenarios", "full");
  for (const char* name : {"summary.json", "summary.csv", "occupancy.csv"})
    expect_same_file(a, b, name);
  for (const char* mode : {"", " --full-scenarios"}) {
    const std::string tag = *mode ? "cmp-full" : "cmp-record";
    const auto r = testsupport::run_cli(
        "compare '" + f.config.string() + "' --draws 3 --replications 2 --seed 7 --quiet --out '" +
            (f.dir / tag).string() + "'" + mode,
        f.dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  for (const char* name : {"comparison.csv", "equity.csv", "summary.json"})
    expect_same_file(f.dir / "cmp-record", f.dir / "cmp-full", name);
  fs::remove_all(f.dir);
}
