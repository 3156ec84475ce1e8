// The peers' 5-state chain (issue 17, bench/peer_chain.toml): transitions in every month,
// leaving by state, and a run without coordinators that is the baseline alone.
//
// The expected occupancy is pi0 P^t with P = expm(Q) computed here by Eigen's
// MatrixFunctions from the rates of the issue, independently of the config's rows (which
// bench/peer_chain.py wrote with its own series) and of the simulator.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <functional>
#include <unsupported/Eigen/MatrixFunctions>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "io/config_schema.hpp"
#include "models/count_chain.hpp"
#include "models/simulation.hpp"
#include "paths.hpp"
#include "sim/config.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace attendsim;
using namespace attendsim::models;

namespace {

std::string peer_chain_path() {
  return std::string(ATTENDSIM_SOURCE_DIR) + "/bench/peer_chain.toml";
}

/// P = expm(Q) of the issue's monthly rates (states regular, at risk, high, long, left).
Eigen::Matrix<double, 5, 5> issue_matrix() {
  Eigen::Matrix<double, 5, 5> q = Eigen::Matrix<double, 5, 5>::Zero();
  q(0, 1) = 0.060, q(0, 4) = 0.003;
  q(1, 0) = 0.250, q(1, 2) = 0.100, q(1, 4) = 0.004;
  q(2, 1) = 0.150, q(2, 3) = 0.080, q(2, 4) = 0.005;
  q(3, 2) = 0.050, q(3, 4) = 0.008;
  for (int i = 0; i < 5; ++i) q(i, i) = -q.row(i).sum();
  return q.exp();
}

/// One replication of the no-programme run: the individual engine or the count-based path.
using Engine = std::function<ReplicationOutcome(const ModelParams&, const StreamKey&)>;
ReplicationOutcome individual(const ModelParams& p, const StreamKey& key) {
  return simulate(p, ScenarioSpec{}, key);
}

/// Checks the simulated share of every state at steps `check` against pi0 P^(k(t)), with
/// k(t) the transition steps up to t, within 4 Monte Carlo SE over `reps` replications.
void expect_chain_occupancy(const ModelParams& p, int reps,
                            const std::vector<std::pair<int, int>>& check,
                            const Engine& engine = individual) {
  const auto P = issue_matrix();
  Eigen::RowVectorXd pi0(5);
  pi0 << 0.70, 0.15, 0.10, 0.05, 0.0;
  std::vector<std::vector<std::array<double, kStates>>> share(check.size());
  for (int r = 0; r < reps; ++r) {
    const auto out = engine(p, {3, 0, static_cast<std::uint64_t>(r), 0, 0});
    for (std::size_t c = 0; c < check.size(); ++c) {
      const auto& occ = out.occupancy[static_cast<std::size_t>(check[c].first)];
      double n = 0;
      for (auto v : occ) n += v;
      std::array<double, kStates> s{};
      for (int k = 0; k < kStates; ++k) s[k] = occ[k] / n;
      share[c].push_back(s);
    }
  }
  for (std::size_t c = 0; c < check.size(); ++c) {
    Eigen::RowVectorXd pi = pi0;
    for (int k = 0; k < check[c].second; ++k) pi = pi * P;
    for (int k = 0; k < kStates; ++k) {
      double m = 0, m2 = 0;
      for (const auto& s : share[c]) m += s[k];
      m /= reps;
      for (const auto& s : share[c]) m2 += (s[k] - m) * (s[k] - m);
      const double se = std::sqrt(m2 / (reps - 1) / reps);
      EXPECT_LT(std::abs(m - pi(k)), 4 * se + 1e-12)
          << "step " << check[c].first << " state " << kStateNames[k] << ": simulated " << m
          << ", pi0 P^" << check[c].second << " = " << pi(k) << ", se " << se;
      EXPECT_GT(se, 0.0);
    }
  }
}

ModelParams small_chain(int pupils) {
  const auto cfg = load_model_config(peer_chain_path());
  auto p = realise(cfg, cfg.parameters.base_values());
  p.population.pupils = pupils;
  return p;
}

}  // namespace

TEST(PeerChain, ConfigRowsAreExpmOfTheRates) {
  // The committed rows, recombined as (1 - l_s) P'[s] and l_s, are expm(Q) of the issue.
  const auto p = small_chain(100);
  const auto P = issue_matrix();
  for (int b = 0; b < kBands; ++b) {
    for (int s = 0; s < kAttendanceStates; ++s) {
      const double l = p.transitions.p_leave_by_state[static_cast<std::size_t>(s)];
      EXPECT_NEAR(l, P(s, 4), 1e-12);
      for (int j = 0; j < kAttendanceStates; ++j)
        EXPECT_NEAR((1 - l) * p.transitions.base[b][s][j], P(s, j), 1e-12) << s << "," << j;
    }
  }
  EXPECT_EQ(p.transitions.months, TransitionMonths::all);
  EXPECT_FALSE(p.coordinators.enabled);
}

TEST(PeerChain, EveryMonthTransitionsFollowPiZeroPt) {
  // 36 months with a transition in each: occupancy after step t is pi0 P^(t+1).
  expect_chain_occupancy(small_chain(4000), 24, {{0, 1}, {10, 11}, {11, 12}, {23, 24}, {35, 36}});
}

TEST(PeerChain, SchoolMonthsOnlyKeepSummersStill) {
  // The same chain with transitions in school months only: July and August move nobody (no
  // leaving on the low word), so step t of year y has taken 10 y + min(t mod 12 + 1, 10) steps.
  auto p = small_chain(4000);
  p.transitions.months = TransitionMonths::school;
  expect_chain_occupancy(p, 24, {{9, 10}, {10, 10}, {11, 10}, {12, 11}, {23, 20}, {35, 30}});
}

TEST(PeerChain, CountPathFollowsPiZeroPtInEveryMonth) {
  // The count-based path (models/count_chain.hpp) on the same chain: transitions in July and
  // August and leaving by state, every month of the 36 checked.
  const auto p = small_chain(4000);
  ASSERT_EQ(count_path_unsupported(p), "");
  std::vector<std::pair<int, int>> every;
  for (int t = 0; t < 36; ++t) every.push_back({t, t + 1});
  expect_chain_occupancy(p, 40, every, simulate_counts);
}

TEST(PeerChain, CountPathKeepsSummersStillWithSchoolMonthsOnly) {
  auto p = small_chain(4000);
  p.transitions.months = TransitionMonths::school;
  expect_chain_occupancy(p, 40, {{9, 10}, {10, 10}, {11, 10}, {12, 11}, {23, 20}, {35, 30}},
                         simulate_counts);
}

TEST(PeerChain, CountPathRunsThePeerChainConfig) {
  // bench/peer_chain.toml with [simulation] count_based = true is accepted and run: the
  // occupancy of every step sums to the population, and the left column only grows.
  std::string t = testsupport::read_file(peer_chain_path());
  t = testsupport::set_key(t, "simulation", "replications", "2\ncount_based = true");
  t = testsupport::set_key(t, "population", "pupils", "20000");
  const auto cfg = parse_model_config(config::Document::parse(t, "peer_chain.toml"));
  ASSERT_TRUE(cfg.run.count_based);
  RunOptions opt;
  opt.replications = 2;
  opt.threads = 2;
  const auto res = run_experiment(cfg, baseline_and_configured(cfg), opt);
  ASSERT_EQ(res.units.size(), 2u);
  for (const auto& u : res.units) {
    EXPECT_EQ(u.occupancy[0], u.occupancy[1]);  // one count-based run serves both scenarios
    float left = 0;
    for (std::size_t step = 0; step < 36; ++step) {
      double sum = 0;
      for (std::size_t s = 0; s < kStates; ++s) sum += u.occupancy[0][step * kStates + s];
      EXPECT_EQ(sum, 20000.0) << step;
      EXPECT_GE(u.occupancy[0][step * kStates + kStates - 1], left) << step;
      left = u.occupancy[0][step * kStates + kStates - 1];
    }
    EXPECT_GT(left, 0.0f);
  }
}

TEST(PeerChain, NewKeysDefaultToTheOldModel) {
  // Without the new keys (reference config): no leaving by state, transitions in school
  // months only (the golden outputs check that the bits are unchanged).
  const auto cfg = load_model_config(std::string(ATTENDSIM_SOURCE_DIR) + "/configs/reference.toml");
  const auto p = realise(cfg, cfg.parameters.base_values());
  EXPECT_EQ(p.transitions.p_leave_by_state, (Row{0, 0, 0, 0}));
  EXPECT_EQ(p.transitions.months, TransitionMonths::school);
}

TEST(PeerChain, AllLeaveFromAStateWithLeavingOne) {
  // l_high = 1: every pupil that starts a month in high leaves in it.
  auto p = small_chain(3000);
  p.transitions.p_leave_by_state = {0, 0, 1, 0};
  Trace tr;
  for (std::uint32_t i = 0; i < 3000; ++i) tr.pupils.push_back(i);
  simulate(p, ScenarioSpec{}, {1, 0, 0, 0, 0}, &tr);
  int starts_high = 0;
  for (std::size_t i = 0; i < tr.pupils.size(); ++i) {
    if (tr.initial[i].state != static_cast<std::uint8_t>(State::high)) continue;
    ++starts_high;
    EXPECT_EQ(tr.after_step[0][i].state, static_cast<std::uint8_t>(State::left));
  }
  EXPECT_GT(starts_high, 100);
}

TEST(PeerChain, ScenarioWithoutCaseSlotsIsTheBaseline) {
  // A scenario whose coordinators are disabled, or staffed at 0 FTE, has no case slot: its
  // full simulation equals the baseline's outcome with the scenario's FTE series.
  const auto cfg = load_model_config(std::string(ATTENDSIM_SOURCE_DIR) + "/configs/reference.toml");
  auto p = realise(cfg, cfg.parameters.base_values());
  p.population.pupils = 3000;
  p.horizon_years = 3;
  const StreamKey key{1, 0, 2, 0, 0};
  const auto base = simulate(p, ScenarioSpec{}, key);
  auto off = p;
  off.coordinators.enabled = false;
  ScenarioSpec zero = cfg.scenario;
  for (auto& per : zero.staffing.periods) per.fte = 0;
  EXPECT_TRUE(scenario_has_cases(p, cfg.scenario));
  EXPECT_FALSE(scenario_has_cases(off, cfg.scenario));
  EXPECT_FALSE(scenario_has_cases(p, zero));
  for (const auto& [params, sc] : {std::pair{off, cfg.scenario}, std::pair{p, zero}}) {
    const auto full = simulate(params, sc, key);
    const auto idle = idle_scenario(simulate(params, ScenarioSpec{}, key), sc);
    EXPECT_TRUE(full.counts() == idle.counts());
    EXPECT_EQ(full.cells, idle.cells);
    EXPECT_EQ(full.occupancy, idle.occupancy);
    EXPECT_EQ(full.events.fte, idle.events.fte);
    EXPECT_EQ(full.events.placements, idle.events.placements);
    EXPECT_EQ(full.events.noncompletions, idle.events.noncompletions);
    EXPECT_EQ(full.events.summer_school, idle.events.summer_school);
    EXPECT_EQ(full.events.repeated_years, idle.events.repeated_years);
    EXPECT_EQ(full.queue_length, idle.queue_length);
    EXPECT_EQ(full.open_cases, idle.open_cases);
    EXPECT_EQ(full.school_exits, idle.school_exits);
  }
  EXPECT_TRUE(base.counts() == simulate(off, ScenarioSpec{}, key).counts());
}

TEST(PeerChain, RunWithoutCoordinatorsGivesTheScenarioTheBaselinesMetrics) {
  // run_experiment on the peer chain (no coordinators): the scenario's non-economic metrics
  // equal the baseline's in every unit, whether or not the baseline would be recorded.
  auto cfg = load_model_config(peer_chain_path());
  RunOptions opt;
  opt.replications = 2;
  opt.threads = 1;
  cfg.structure.population.pupils = 500;
  const auto res = run_experiment(cfg, baseline_and_configured(cfg), opt);
  ASSERT_EQ(res.units.size(), 2u);
  // Equal or both NaN (a mean over no referral is NaN in both).
  const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
  for (const auto& u : res.units) {
    EXPECT_EQ(u.occupancy[0], u.occupancy[1]);
    ASSERT_EQ(u.subgroup_metrics[0].size(), u.subgroup_metrics[1].size());
    for (std::size_t g = 0; g < u.subgroup_metrics[0].size(); ++g) {
      // The baseline carries the non-economic metrics only; the scenario adds its economics
      // (issue 13's money by subgroup) after them.
      ASSERT_LE(u.subgroup_metrics[0][g].size(), u.subgroup_metrics[1][g].size());
      for (std::size_t m = 0; m < u.subgroup_metrics[0][g].size(); ++m)
        EXPECT_TRUE(same(u.subgroup_metrics[0][g][m], u.subgroup_metrics[1][g][m]))
            << "subgroup " << g << " metric " << m;
    }
  }
}

namespace {

/// The peer chain with the line starting `prefix` replaced: `run` exits 2 naming the file,
/// the replaced line and `key`.
void expect_bad(const std::string& name, const std::string& prefix, const std::string& line,
                const std::string& key) {
  SCOPED_TRACE(name);
  const std::string text = testsupport::read_file(peer_chain_path());
  std::string out;
  int at = 0, n = 0, found = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    std::string l = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    ++n;
    if (l.rfind(prefix, 0) == 0) {
      l = line;
      at = n;
      ++found;
    }
    out += l + "\n";
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  ASSERT_EQ(found, 1) << prefix;
  const fs::path dir = testsupport::scratch_dir("peer-" + name);
  testsupport::write_file(dir / "c.toml", out);
  const auto r = testsupport::run_cli(
      "run '" + (dir / "c.toml").string() + "' --out '" + (dir / "out").string() + "' --quiet",
      dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find((dir / "c.toml").string() + ":" + std::to_string(at) + ":"),
            std::string::npos)
      << "line " << at << " not named: " << r.err;
  EXPECT_NE(r.err.find("'" + key), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

}  // namespace

TEST(PeerChain, BadValuesExitTwoWithFileLineKey) {
  expect_bad("months-name", "months = \"all\"", "months = \"summer\"", "transitions.months");
  expect_bad("months-type", "months = \"all\"", "months = 12", "transitions.months");
  expect_bad("leave-length", "p_leave_by_state = ", "p_leave_by_state = [0.01, 0.02, 0.03]",
             "transitions.leaving.p_leave_by_state");
  expect_bad("leave-above-one", "p_leave_by_state = ", "p_leave_by_state = [0.01, 0.02, 1.5, 0]",
             "transitions.leaving.p_leave_by_state");
  expect_bad("leave-negative", "p_leave_by_state = ", "p_leave_by_state = [0.01, -0.02, 0.03, 0]",
             "transitions.leaving.p_leave_by_state");
  expect_bad("leave-not-array", "p_leave_by_state = ", "p_leave_by_state = 0.01",
             "transitions.leaving.p_leave_by_state");
}
