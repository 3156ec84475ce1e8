// Many municipalities in one run (issue 18, analysis/municipalities.hpp): the list is read
// with file:line:key errors; each municipality's experiment equals the same municipality
// written as a config of its own, run with the documented seed; the whole is their sum.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/economics.hpp"
#include "analysis/global_sensitivity.hpp"
#include "analysis/metrics.hpp"
#include "analysis/municipalities.hpp"
#include "analysis/sensitivity.hpp"
#include "io/config_schema.hpp"
#include "io/municipality_tables.hpp"
#include "models/count_chain.hpp"
#include "models/simulation.hpp"
#include "sim/error.hpp"
#include "sim/sobol.hpp"
#include "sim/streams.hpp"
#include "tests/support.hpp"

namespace fs = std::filesystem;
using namespace attendsim;
using namespace attendsim::models;

namespace {

/// The reference at 3 years with `extra` appended.
std::string small_text(const std::string& extra) {
  auto t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "simulation", "horizon_years", "3");
  return t + "\n" + extra;
}

const char* kTwo = R"(
[[municipalities]]
name = "north"
pupils = 700
[[municipalities.staffing]]
from_month = 0
fte = 2.0
[[municipalities.staffing]]
from_month = 24
fte = 0.0

[[municipalities]]
name = "south-2"
pupils = 400
[[municipalities.staffing]]
from_month = 0
fte = 5.0
[[municipalities.staffing]]
from_month = 36
fte = 0.0
)";

/// A municipality written out as a config of its own: the reference's [population] pupils
/// and [[coordinators.staffing]] edited in the text.
std::string standalone_text(int pupils, const std::string& fte, const std::string& until) {
  auto t = testsupport::reference_config_text();
  t = testsupport::set_key(t, "simulation", "horizon_years", "3");
  t = testsupport::set_key(t, "population", "pupils", std::to_string(pupils));
  const std::string fte_line = "fte = 5.0                   # S2 (5 coordinator posts)";
  const std::string until_line =
      "from_month = 36             # three school years, then the team ends";
  const auto a = t.find(fte_line), b = t.find(until_line);
  if (a == std::string::npos || b == std::string::npos)
    throw std::runtime_error("reference.toml's staffing lines changed");
  t.replace(b, until_line.size(), "from_month = " + until);
  t.replace(a, fte_line.size(), "fte = " + fte);
  return t;
}

ModelConfig load_text(const fs::path& dir, const std::string& name, const std::string& text) {
  testsupport::write_file(dir / name, text);
  return load_model_config(dir / name);
}

std::string load_error(const fs::path& dir, const std::string& text) {
  try {
    (void)load_text(dir, "bad.toml", text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

/// Bit for bit (NaN, an undefined metric, equals NaN).
template <class T>
bool same_bits(const std::vector<std::vector<T>>& a, const std::vector<std::vector<T>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].size() != b[i].size()) return false;
    if (!a[i].empty() && std::memcmp(a[i].data(), b[i].data(), a[i].size() * sizeof(T)) != 0)
      return false;
  }
  return true;
}

}  // namespace

TEST(Municipalities, ListIsRead) {
  const auto dir = testsupport::scratch_dir("muni-read");
  const auto cfg = load_text(dir, "two.toml", small_text(kTwo));
  ASSERT_EQ(cfg.municipalities.size(), 2u);
  EXPECT_EQ(cfg.municipalities[0].name, "north");
  EXPECT_EQ(cfg.municipalities[0].pupils, 700);
  EXPECT_EQ(cfg.municipalities[0].staffing.fte_at(23), 2.0);
  EXPECT_EQ(cfg.municipalities[0].staffing.fte_at(24), 0.0);
  EXPECT_EQ(cfg.municipalities[1].name, "south-2");
  EXPECT_EQ(cfg.municipalities[1].staffing.fte_at(35), 5.0);
  const auto mc = municipality_config(cfg, cfg.municipalities[1]);
  EXPECT_EQ(mc.structure.population.pupils, 400);
  EXPECT_TRUE(mc.municipalities.empty());
}

TEST(Municipalities, BadListsNameFileLineAndKey) {
  const auto dir = testsupport::scratch_dir("muni-bad");
  const std::string one =
      "[[municipalities]]\nname = \"a\"\npupils = 10\n"
      "[[municipalities.staffing]]\nfrom_month = 0\nfte = 1.0\n";
  auto expect = [&](const std::string& extra, const std::string& key, const std::string& words) {
    const auto e = load_error(dir, small_text(extra));
    EXPECT_NE(e.find("bad.toml:"), std::string::npos) << e;
    EXPECT_NE(e.find(key), std::string::npos) << e;
    EXPECT_NE(e.find(words), std::string::npos) << e;
  };
  expect(one + one, "municipalities", "listed twice");
  expect(
      "[[municipalities]]\nname = \"a/b\"\npupils = 10\n[[municipalities.staffing]]\n"
      "from_month = 0\nfte = 1.0\n",
      "name", "names a folder");
  expect(
      "[[municipalities]]\nname = \"a\"\npupils = 0\n[[municipalities.staffing]]\n"
      "from_month = 0\nfte = 1.0\n",
      "pupils", "between 1 and");
  expect("[[municipalities]]\nname = \"a\"\npupils = 10\n", "staffing", "needs");
  expect(
      "[[municipalities]]\nname = \"a\"\npupils = 10\nfte = 3\n[[municipalities.staffing]]\n"
      "from_month = 0\nfte = 1.0\n",
      "fte", "");
}

TEST(Municipalities, EachIsItsOwnConfigAndTheWholeIsTheirSum) {
  const auto dir = testsupport::scratch_dir("muni-sum");
  const auto cfg = load_text(dir, "two.toml", small_text(kTwo));
  RunOptions opt;
  opt.seed = 11;
  opt.replications = 3;
  opt.threads = 2;
  std::vector<ExperimentResult> each;
  const auto whole = run_municipalities(
      cfg, opt, [&](const Municipality&, const ModelConfig&, const ExperimentResult& r) {
        each.push_back(r);
      });
  ASSERT_EQ(each.size(), 2u);
  // The same municipalities as configs of their own, on the documented seeds: the first
  // output of the engine keyed {seed, 0, 0, 'MUNI', index}.
  const ModelConfig alone[2] = {load_text(dir, "north.toml", standalone_text(700, "2.0", "24")),
                                load_text(dir, "south.toml", standalone_text(400, "5.0", "36"))};
  const std::size_t n_metrics = kMetricCount;
  std::vector<ExperimentResult> ref;
  for (std::size_t i = 0; i < 2; ++i) {
    RunOptions o = opt;
    auto engine = make_engine(StreamKey{11, 0, 0, 0x4D554E49, i});
    o.seed = engine();
    ref.push_back(run_experiment(alone[i], baseline_and_configured(alone[i]), o));
    ASSERT_EQ(ref[i].units.size(), each[i].units.size());
    for (std::size_t u = 0; u < ref[i].units.size(); ++u) {
      EXPECT_TRUE(same_bits(ref[i].units[u].metrics, each[i].units[u].metrics))
          << "municipality " << i << ", unit " << u;
      EXPECT_TRUE(same_bits(ref[i].units[u].occupancy, each[i].units[u].occupancy));
    }
  }
  // Two municipalities of different sizes and staffing give different results (the test
  // would pass vacuously if the list were ignored).
  EXPECT_NE(ref[0].units[0].metrics[1][metric_position(Metric::cost_sek)],
            ref[1].units[0].metrics[1][metric_position(Metric::cost_sek)]);
  ASSERT_EQ(whole.units.size(), 3u);
  for (std::size_t u = 0; u < 3; ++u) {
    const auto& w = whole.units[u];
    const auto &a = ref[0].units[u], &b = ref[1].units[u];
    for (std::size_t s = 0; s < 2; ++s) {
      for (Metric m : {Metric::pupil_months_extensive, Metric::cases_started, Metric::detected,
                       Metric::completed_upper_secondary}) {
        const auto k = metric_position(m);
        EXPECT_EQ(w.metrics[s][k], a.metrics[s][k] + b.metrics[s][k]) << metric_info(m).name;
      }
      EXPECT_TRUE(std::isnan(w.metrics[s][metric_position(Metric::mean_wait_months)]));
      EXPECT_TRUE(std::isnan(w.metrics[s][metric_position(Metric::cases_started_per_fte_year)]));
      for (std::size_t i = 0; i < w.occupancy[s].size(); ++i)
        EXPECT_EQ(w.occupancy[s][i], a.occupancy[s][i] + b.occupancy[s][i]);
    }
    const auto c = metric_position(Metric::cost_sek), sv = metric_position(Metric::savings_sek),
               r = metric_position(Metric::roi);
    const double cost = a.metrics[1][c] + b.metrics[1][c];
    const double savings = a.metrics[1][sv] + b.metrics[1][sv];
    EXPECT_EQ(w.metrics[1][c], cost);
    EXPECT_EQ(w.metrics[1][sv], savings);
    EXPECT_EQ(w.metrics[1][r], savings / cost);
    EXPECT_EQ(w.metrics[1].size(), n_metrics);
  }
  EXPECT_EQ(whole.pupil_months_simulated,
            ref[0].pupil_months_simulated + ref[1].pupil_months_simulated);
}

TEST(Municipalities, SobolOfTheWholeSumsItsMunicipalitiesPointByPoint) {
  // A Sobol analysis of a [[municipalities]] config: at every design point, the whole's net
  // benefit and sustained returns are the municipalities' sums and its ROI their summed
  // savings over their summed cost. Computed here by hand: each municipality as a config of
  // its own on its documented seed, every point's baseline and scenario simulated in full
  // (the analysis itself reuses baselines), then the indices of the summed outputs.
  const auto dir = testsupport::scratch_dir("muni-sobol");
  const auto cfg = load_text(dir, "two.toml", small_text(kTwo));
  const ModelConfig alone[2] = {load_text(dir, "north.toml", standalone_text(700, "2.0", "24")),
                                load_text(dir, "south.toml", standalone_text(400, "5.0", "36"))};
  const auto params =
      uncertain_parameters(cfg, "coordinators.rr_improve_in_case,economics.cost_per_fte_year_sek");
  const std::size_t n = 4, d = params.size(), reps = 2;
  RunOptions opt;
  opt.seed = 11;
  opt.replications = static_cast<int>(reps);
  opt.threads = 2;
  const auto got = sobol_sensitivity(cfg, opt, params, n, 0, 1, true, SobolEstimator::combined);

  const auto design = saltelli_design(n, d);
  std::uint64_t seeds[2];
  for (std::size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(alone[i].parameters.size(), cfg.parameters.size());
    auto engine = make_engine(StreamKey{11, 0, 0, 0x4D554E49, i});
    seeds[i] = engine();
  }
  std::vector<std::vector<double>> values(3, std::vector<double>(design.points.size() * reps));
  for (std::size_t p = 0; p < design.points.size(); ++p) {
    auto v = cfg.parameters.base_values();
    for (std::size_t i = 0; i < d; ++i)
      v[params[i]] = cfg.parameters.at(params[i]).dist->quantile(design.points[p][i]);
    const std::size_t k = p % n;  // point p = j N + k is in row k
    for (std::size_t r = 0; r < reps; ++r) {
      double net = 0, savings = 0, cost = 0, returns = 0;
      for (std::size_t i = 0; i < 2; ++i) {
        const auto pm = realise(alone[i], v);
        const auto sc = baseline_and_configured(alone[i]);
        const StreamKey key{seeds[i], 0, k * reps + r, 0, 0};
        const auto b = simulate(pm, sc[0], key), s = simulate(pm, sc[1], key);
        const auto econ = evaluate_economics(pm.economics, b.events, s.events);
        const auto mb = outcome_metrics(b, nullptr), ms = outcome_metrics(s, &econ);
        net += ms[metric_position(Metric::net_benefit_sek)];
        savings += ms[metric_position(Metric::savings_sek)];
        cost += ms[metric_position(Metric::cost_sek)];
        returns += ms[metric_position(Metric::sustained_returns)] -
                   mb[metric_position(Metric::sustained_returns)];
      }
      values[0][p * reps + r] = net;
      values[1][p * reps + r] = savings / cost;
      values[2][p * reps + r] = returns;
    }
  }
  SobolOptions so;
  so.bootstrap = 0;
  so.seed = 11;
  ASSERT_EQ(got.rows.size(), 3 * d);
  for (std::size_t o = 0; o < 3; ++o) {
    const auto want = sobol_indices_replicated(values[o], n, d, reps, so);
    for (std::size_t i = 0; i < d; ++i) {
      const auto& g = got.rows[o * d + i];
      EXPECT_EQ(g.output, sensitivity_outputs()[o]);
      if (!want.identifiable) {
        EXPECT_FALSE(g.identifiable) << g.output;
        continue;
      }
      EXPECT_DOUBLE_EQ(g.index.first_order, want.indices[i].first_order) << g.output << " " << i;
      EXPECT_DOUBLE_EQ(g.index.total, want.indices[i].total) << g.output << " " << i;
    }
  }
  // Not vacuous: the effect parameter (the only one of the two the simulation reads) moves the
  // whole's sustained returns, and the net benefit differs between design points.
  ASSERT_TRUE(got.rows[2 * d].identifiable);
  EXPECT_GT(got.rows[2 * d].index.total, 0.1);
  EXPECT_NE(*std::min_element(values[0].begin(), values[0].end()),
            *std::max_element(values[0].begin(), values[0].end()));
}

TEST(Municipalities, RunWritesEachAndTheWholeOtherCommandsRefuse) {
  const auto dir = testsupport::scratch_dir("muni-cli");
  testsupport::write_file(dir / "two.toml", small_text(kTwo));
  const std::string cfg = "'" + (dir / "two.toml").string() + "'";
  const auto r = testsupport::run_cli(
      "run " + cfg + " --replications 2 --threads 2 --quiet --out '" + (dir / "out").string() + "'",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"summary.json", "occupancy.csv", "municipality-north/summary.json",
                        "municipality-south-2/summary.json", "municipality-south-2/occupancy.csv"})
    EXPECT_TRUE(fs::exists(dir / "out" / f)) << f;
  const auto c = testsupport::run_cli(
      "compare " + cfg + " --quiet --out '" + (dir / "cmp").string() + "'", dir);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("[[municipalities]] is read by `attendsim run` and `sensitivity --method "
                       "sobol` only"),
            std::string::npos)
      << c.err;
  EXPECT_FALSE(fs::exists(dir / "cmp"));
  const auto ow = testsupport::run_cli(
      "sensitivity " + cfg + " --method oneway --quiet --out '" + (dir / "ow").string() + "'", dir);
  EXPECT_EQ(ow.exit_code, 2) << ow.err;
  EXPECT_FALSE(fs::exists(dir / "ow"));
  // The Sobol analysis reads the list: sobol.csv beside the whole's base-case run.
  const auto sb = testsupport::run_cli(
      "sensitivity " + cfg +
          " --method sobol --params coordinators.rr_improve_in_case --sobol-n 4 --replications 2 "
          "--bootstrap 10 --threads 2 --quiet --out '" +
          (dir / "sobol").string() + "'",
      dir);
  ASSERT_EQ(sb.exit_code, 0) << sb.err;
  for (const char* f : {"sobol.csv", "summary.json", "occupancy.csv"})
    EXPECT_TRUE(fs::exists(dir / "sobol" / f)) << f;
}

TEST(Municipalities, SideBySideInCsvBriefAndReport) {
  // municipalities.csv, decision.md and the report's table of a run of two municipalities:
  // each municipality's row is its own summary.json (written apart, by the results writer),
  // the whole's counts and money are the municipalities' sums, its wait is not shown.
  const auto dir = testsupport::scratch_dir("muni-table");
  testsupport::write_file(dir / "two.toml", small_text(kTwo));
  const auto out = dir / "out";
  const auto r = testsupport::run_cli("run '" + (dir / "two.toml").string() +
                                          "' --replications 3 --seed 5 --threads 2 --quiet "
                                          "--lang en --out '" +
                                          out.string() + "'",
                                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_municipalities_csv(testsupport::read_file(out / "municipalities.csv"),
                                            "municipalities.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].name, "north");
  EXPECT_EQ(rows[1].name, "south-2");
  EXPECT_TRUE(rows[2].whole);
  EXPECT_EQ(rows[0].pupils, 700);
  EXPECT_EQ(rows[1].pupils, 400);
  EXPECT_EQ(rows[2].pupils, 1100);
  const auto& metrics = municipality_table_metrics();
  for (std::size_t i = 0; i < 2; ++i) {
    const auto summary = nlohmann::json::parse(
        testsupport::read_file(out / ("municipality-" + rows[i].name) / "summary.json"));
    std::string scenario;
    for (const auto& [name, v] : summary["scenarios"].items())
      if (name != "baseline") scenario = name;
    for (std::size_t k = 0; k < metrics.size(); ++k) {
      const auto& m = summary["scenarios"][scenario][std::string(metric_info(metrics[k]).name)];
      // municipalities.csv holds 12 significant digits (format_number).
      const double mean = m["mean"].get<double>(), lo = m["ci_low"].get<double>();
      EXPECT_NEAR(rows[i].mean[k], mean, 1e-11 * (1 + std::abs(mean)))
          << metric_info(metrics[k]).name;
      EXPECT_NEAR(rows[i].ci_low[k], lo, 1e-11 * (1 + std::abs(lo)));
    }
  }
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    const Metric m = metrics[k];
    if (m == Metric::mean_wait_admitted_months) {
      EXPECT_TRUE(std::isnan(rows[2].mean[k]));
    } else if (m != Metric::roi) {
      // A mean of sums is the sum of means (up to rounding).
      EXPECT_NEAR(rows[2].mean[k], rows[0].mean[k] + rows[1].mean[k],
                  1e-9 * (1 + std::abs(rows[2].mean[k])))
          << metric_info(m).name;
    }
  }
  const auto md = testsupport::read_file(out / "decision.md");
  EXPECT_NE(md.find("## Results by municipality"), std::string::npos) << md;
  EXPECT_NE(md.find("| north | 700 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| south-2 | 400 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| **all municipalities** | 1,100 |"), std::string::npos) << md;
  EXPECT_NE(md.find("over 3 independent units"), std::string::npos) << md;
  const auto rep = testsupport::run_cli(
      "report '" + out.string() + "' --lang sv --out '" + (dir / "r.html").string() + "'", dir);
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  const auto html = testsupport::read_file(dir / "r.html");
  EXPECT_NE(html.find("<h2>Resultat per kommun</h2>"), std::string::npos);
  EXPECT_NE(html.find("<td><strong>alla kommuner</strong></td><td>1 100</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>south-2</td><td>400</td>"), std::string::npos);
}

TEST(Municipalities, PupilsByBandAndOverridesAreRead) {
  // [population.pupils_by_band] and a municipality's own bands, queue_limit and team overhead.
  // Hand computation: 701 pupils over grades 0-6 are 101 in grade 0 and 100 in each other
  // grade; 300 over grades 7-9 are 100 each; 2 over grades 10-12 are 1, 1, 0. The reference's
  // queue_limit base is 30 and its team overhead 70 000, so 90 and 35 000 are factors 3 and 0.5.
  const auto dir = testsupport::scratch_dir("muni-bands");
  auto text = small_text(R"(
[[municipalities]]
name = "east"
pupils = 1003
queue_limit = 90
team_overhead_sek_per_year = 35000
[municipalities.pupils_by_band]
grade0_6 = 701
grade7_9 = 300
grade10_12 = 2
[[municipalities.staffing]]
from_month = 0
fte = 3.0
[[municipalities]]
name = "west"
pupils = 13
[[municipalities.staffing]]
from_month = 0
fte = 1.0
)");
  const auto cfg = load_text(dir, "bands.toml", text);
  ASSERT_EQ(cfg.municipalities.size(), 2u);
  const std::array<int, kGradeCount> east = {101, 100, 100, 100, 100, 100, 100,
                                             100, 100, 100, 1,   1,   0};
  EXPECT_EQ(cfg.municipalities[0].pupils_by_grade, east);
  const std::array<int, kGradeCount> even{};  // all 0: spread evenly
  EXPECT_EQ(cfg.municipalities[1].pupils_by_grade, even);
  const auto me = municipality_config(cfg, cfg.municipalities[0]);
  const auto mw = municipality_config(cfg, cfg.municipalities[1]);
  const ModelParams pe = realise(me, me.parameters.base_values());
  const ModelParams pw = realise(mw, mw.parameters.base_values());
  EXPECT_EQ(pe.population.pupils_by_grade, east);
  EXPECT_EQ(pe.detection.queue_limit, 90.0);
  EXPECT_EQ(pe.economics.team_overhead_sek_per_year, 35000.0);
  EXPECT_EQ(pw.detection.queue_limit, 30.0);  // the config's own
  EXPECT_EQ(pw.economics.team_overhead_sek_per_year, 70000.0);
  EXPECT_EQ(pw.population.grade_of_pupil(12), 12);  // 13 pupils spread evenly: one a grade
  // In a parameter draw the municipality's value moves with the config's by its factor.
  const auto draw = cfg.parameters.sample(3, 1);
  const ModelParams dc = realise(cfg, draw), de = realise(me, draw);
  EXPECT_DOUBLE_EQ(de.detection.queue_limit, 3 * dc.detection.queue_limit);
  EXPECT_DOUBLE_EQ(de.economics.team_overhead_sek_per_year,
                   0.5 * dc.economics.team_overhead_sek_per_year);
  // Pupil i's grade: the blocks of the counts, in grade order.
  EXPECT_EQ(pe.population.grade_of_pupil(0), 0);
  EXPECT_EQ(pe.population.grade_of_pupil(100), 0);
  EXPECT_EQ(pe.population.grade_of_pupil(101), 1);
  EXPECT_EQ(pe.population.grade_of_pupil(1000), 9);
  EXPECT_EQ(pe.population.grade_of_pupil(1001), 10);
  EXPECT_EQ(pe.population.grade_of_pupil(1002), 11);

  // Bad bands and overrides: file, key and why.
  auto expect = [&](const std::string& t, const std::string& key, const std::string& words) {
    const auto e = load_error(dir, t);
    EXPECT_NE(e.find("bad.toml:"), std::string::npos) << e;
    EXPECT_NE(e.find(key), std::string::npos) << e;
    EXPECT_NE(e.find(words), std::string::npos) << e;
  };
  auto with_bands = [&](const std::string& bands) {
    auto t = testsupport::reference_config_text();
    const std::string at = "[population.prevalence.grade0_6]";
    t.insert(t.find(at), "[population.pupils_by_band]\n" + bands + "\n");
    return t;
  };
  expect(with_bands("grade0_6 = 7000\ngrade7_9 = 3000\ngrade10_12 = 3000"), "pupils_by_band",
         "the bands hold 13000 pupils, but pupils = 20000");
  expect(with_bands("grade0_6 = 17000\ngrade7_9 = 3000"), "grade10_12", "");
  expect(with_bands("grade0_6 = 17000\ngrade7_9 = 3000\ngrade10_12 = -1"), "grade10_12",
         "between 0");
  expect(testsupport::set_key(with_bands("grade0_6 = 14000\ngrade7_9 = 6000\ngrade10_12 = 0"),
                              "population", "grade_max", "9"),
         "grade10_12", "has no grade in grade_min..grade_max");
  const std::string one = "[[municipalities]]\nname = \"a\"\npupils = 10\n";
  const std::string staff = "[[municipalities.staffing]]\nfrom_month = 0\nfte = 1.0\n";
  expect(small_text(one + "queue_limit = -3\n" + staff), "queue_limit", "between 0");
  expect(small_text(one +
                    "[municipalities.pupils_by_band]\ngrade0_6 = 5\ngrade7_9 = 5\n"
                    "grade10_12 = 1\n" +
                    staff),
         "pupils_by_band", "the bands hold 11 pupils, but pupils = 10");
  expect(small_text(one + "team_overhead = 5\n" + staff), "team_overhead", "");
}

TEST(Municipalities, PupilsByBandStartInTheirGrades) {
  // The simulated pupils start in the grades the counts give: with grades fixed and nobody
  // leaving, each band's pupil-months in the 10 school months of one year are 10 x its
  // count (an independent figure), on the pupil path and on the count-based path.
  const auto dir = testsupport::scratch_dir("muni-bands-sim");
  const auto cfg = load_text(dir, "ref.toml", testsupport::reference_config_text());
  ModelParams p = realise(cfg, cfg.parameters.base_values());
  p.horizon_years = 1;
  p.population.pupils = 1003;
  p.population.pupils_by_grade = {101, 100, 100, 100, 100, 100, 100, 100, 100, 100, 1, 1, 0};
  p.population.grade_progression = false;
  p.transitions.leaving_enabled = false;
  p.coordinators.enabled = false;
  // What the count-based path does not cover (models/count_chain.hpp), off for both paths.
  p.transitions.relapse_enabled = false;
  p.outcomes.p_repeat_per_extensive_year_upper_sec = 0;
  p.outcomes.p_repeat_per_extensive_year_compulsory = 0;
  const double band_pupils[kBands] = {701, 300, 2};
  const StreamKey key{5, 0, 0, 0, 0};
  for (const bool counts : {false, true}) {
    const auto o = counts ? simulate_counts(p, key) : simulate(p, ScenarioSpec{}, key);
    for (int b = 0; b < kBands; ++b) {
      double months = 0;
      for (int g = 0; g < kGenders; ++g)
        for (int s = 0; s < kAttendanceStates; ++s)
          months += o.cells[static_cast<std::size_t>(subgroup_cell(g, b))].school_pupil_months[s];
      EXPECT_EQ(months, 10 * band_pupils[b]) << "band " << b << (counts ? " (counts)" : "");
    }
  }
  // Counts that do not sum to the pupils are refused by the engine, not silently used.
  p.population.pupils = 1004;
  EXPECT_THROW((void)simulate(p, ScenarioSpec{}, key), PreconditionError);
}

TEST(Municipalities, RunRefusesLangWithoutMunicipalities) {
  // run's decision.md is the municipalities' table: --lang on a config without them would do
  // nothing, so it is refused (exit 2, no folder) rather than silently ignored.
  const auto dir = testsupport::scratch_dir("muni-lang");
  testsupport::write_file(dir / "one.toml", small_text(""));
  const auto r = testsupport::run_cli("run '" + (dir / "one.toml").string() +
                                          "' --replications 1 --quiet --lang en --out '" +
                                          (dir / "out").string() + "'",
                                      dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("one.toml: --lang: run writes decision.md only for a config of "
                       "[[municipalities]]"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  // Without --lang the same run succeeds.
  const auto ok =
      testsupport::run_cli("run '" + (dir / "one.toml").string() +
                               "' --replications 1 --quiet --out '" + (dir / "out").string() + "'",
                           dir);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(MunicipalityTables, CsvRoundTripAndBadLinesNamed) {
  const auto n = municipality_table_metrics().size();
  MunicipalityRow a{"a, b",
                    false,
                    12,
                    std::vector<double>(n, 1.5),
                    std::vector<double>(n, 1.0),
                    std::vector<double>(n, 2.0)};
  MunicipalityRow w{"all",
                    true,
                    30,
                    std::vector<double>(n, 7.0),
                    std::vector<double>(n, std::nan("")),
                    std::vector<double>(n, std::nan(""))};
  const auto text = municipalities_csv({a, w});
  const auto back = read_municipalities_csv(text, "m.csv");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].name, "a, b");
  EXPECT_EQ(back[0].pupils, 12);
  EXPECT_EQ(back[0].mean, a.mean);
  EXPECT_TRUE(back[1].whole);
  EXPECT_TRUE(std::isnan(back[1].ci_low[0]));
  EXPECT_EQ(municipalities_csv(back), text);
  // The sv brief: decimal comma, no interval where there is none.
  const auto md = municipality_brief(back, "", 4, Language::sv);
  EXPECT_NE(md.find("| kommun | elever |"), std::string::npos) << md;
  EXPECT_NE(md.find("över 4 oberoende enheter"), std::string::npos) << md;
  try {
    auto bad = text;
    bad.replace(bad.find("cases_started"), 13, "cases_startedX");
    read_municipalities_csv(bad, "m.csv");
    FAIL() << "a wrong metric was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("m.csv:2:"), std::string::npos) << e.what();
  }
}
