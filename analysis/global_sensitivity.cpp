#include "analysis/global_sensitivity.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>

#include "analysis/economics.hpp"
#include "analysis/municipalities.hpp"
#include "analysis/sensitivity.hpp"
#include "models/baseline/derived_baseline.hpp"
#include "models/baseline/scenario_from_baseline.hpp"
#include "models/count_chain.hpp"
#include "models/hybrid_chain.hpp"
#include "sim/error.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"
#include "sim/statistics.hpp"
#include "sim/voi.hpp"
#include "sim/work_split.hpp"

namespace attendsim::models {

namespace {

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const auto end = comma == std::string::npos ? list.size() : comma;
    std::string item = list.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.empty()) ATTENDSIM_INPUT_ERROR("--params: empty name in '" << list << "'");
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool same_option(const ScenarioSpec& a, const ScenarioSpec& b) {
  if (a.allocation_policy != b.allocation_policy || a.referral_policy != b.referral_policy)
    return false;
  const auto steps = 12 * 200;  // any horizon: compare the schedules month by month
  for (int t = 0; t < steps; ++t) {
    if (a.staffing.fte_at(t) != b.staffing.fte_at(t)) return false;
  }
  return true;
}

}  // namespace

std::vector<std::size_t> uncertain_parameters(const ModelConfig& cfg, const std::string& list) {
  if (list.empty()) {
    auto all = cfg.parameters.uncertain();
    if (all.empty()) ATTENDSIM_INPUT_ERROR(cfg.file << ": no parameter has a distribution");
    return all;
  }
  std::vector<std::size_t> out;
  for (const auto& name : split_list(list)) {
    const auto i = cfg.parameters.find(name);
    if (!i) ATTENDSIM_INPUT_ERROR("--params: no parameter '" << name << "' in " << cfg.file);
    if (!cfg.parameters.at(*i).dist) {
      ATTENDSIM_INPUT_ERROR("--params: parameter '"
                            << name << "' has no distribution (give it one in " << cfg.file << ")");
    }
    if (std::find(out.begin(), out.end(), *i) != out.end()) {
      ATTENDSIM_INPUT_ERROR("--params: parameter '" << name << "' given twice");
    }
    out.push_back(*i);
  }
  return out;
}

GlobalSobolResult sobol_sensitivity(const ModelConfig& cfg, const RunOptions& opt,
                                    const std::vector<std::size_t>& parameters, std::size_t n,
                                    int bootstrap, std::size_t randomisations,
                                    bool reuse_simulations, SobolEstimator estimator) {
  if (n < 2) ATTENDSIM_INPUT_ERROR("--sobol-n: the base sample size must be >= 2, got " << n);
  if (parameters.empty())
    ATTENDSIM_INPUT_ERROR("--params: a Sobol analysis needs at least one parameter");
  if (bootstrap < 0) ATTENDSIM_INPUT_ERROR("--bootstrap must be >= 0, got " << bootstrap);
  if (randomisations < 1)
    ATTENDSIM_INPUT_ERROR("--randomisations must be >= 1, got " << randomisations);
  const auto start = std::chrono::steady_clock::now();
  const std::size_t d = parameters.size();
  const std::size_t nq = randomisations;
  // One design (K = 1: the plain Sobol sequence) or K randomly shifted ones.
  std::vector<SaltelliDesign> designs;
  for (std::size_t q = 0; q < nq; ++q) {
    designs.push_back(nq == 1 ? saltelli_design(n, d) : saltelli_design(n, d, opt.seed, q));
  }
  const std::size_t block = designs[0].size();
  const auto base = cfg.parameters.base_values();
  const auto& names = sensitivity_outputs();
  // Per-replication outputs at every design point: values[output][(q block + point) R + r].
  const auto reps = static_cast<std::size_t>(opt.replications);
  std::vector<std::vector<double>> values(names.size(), std::vector<double>(nq * block * reps));
  // Parameter values at point p of design q; every point is checked (and realised once)
  // before any simulation, so that a bad value surfaces as an input error naming the key.
  auto point_values = [&](std::size_t q, std::size_t p) {
    auto v = base;
    for (std::size_t i = 0; i < d; ++i) {
      v[parameters[i]] = cfg.parameters.at(parameters[i]).dist->quantile(designs[q].points[p][i]);
    }
    return v;
  };
  for (std::size_t q = 0; q < nq; ++q) {
    for (std::size_t p = 0; p < block; ++p) {
      const auto v = point_values(q, p);
      cfg.parameters.check_domain(v, "Sobol design point " + std::to_string(q * block + p));
      (void)realise(cfg, v);
    }
  }
  // The populations a design point simulates: the config's own, or each municipality of a
  // [[municipalities]] config with its own pupils, staffing and master seed, as `run` has them
  // (analysis/municipalities.hpp). A point's outputs are then the whole's: net benefit and
  // sustained returns summed, ROI the summed savings over the summed cost.
  struct Population {
    ModelConfig cfg;
    std::vector<ScenarioSpec> scenarios;
    std::uint64_t seed;
  };
  std::vector<Population> populations;
  if (cfg.municipalities.empty()) {
    populations.push_back({cfg, baseline_and_configured(cfg), opt.seed});
  } else {
    for (std::size_t i = 0; i < cfg.municipalities.size(); ++i) {
      auto mc = municipality_config(cfg, cfg.municipalities[i]);
      auto sc = baseline_and_configured(mc);
      populations.push_back({std::move(mc), std::move(sc), municipality_seed(opt.seed, i)});
    }
  }
  const auto i_net = metric_position(Metric::net_benefit_sek), i_roi = metric_position(Metric::roi),
             i_ret = metric_position(Metric::sustained_returns),
             i_sav = metric_position(Metric::savings_sek),
             i_cost = metric_position(Metric::cost_sek);
  ProgressBar bar(nq * n * reps, "sobol", opt.progress);
  // Unit (randomisation q, row k, replication r): every point of row k (A_k, B_k,
  // A_B^(i)_k) on the streams {seed, draw 0, (q N + k) R + r}: common random numbers across
  // the points of a row (their differences, which the estimators are made of, keep little
  // noise), independent streams between rows and replications (so that the noise averages
  // out over the rows, the row bootstrap sees it, and the replications estimate it).
  using RowOutputs = std::vector<std::array<double, 3>>;  // [block j] -> outputs
  struct RowResult {
    RowOutputs outputs;
    /// Baselines recorded or simulated in full, baselines derived, scenario simulations.
    std::array<std::uint64_t, 3> counts{};
  };
  // Units split across the ranks of an mpirun (sim/work_split.hpp), gathered in unit order.
  // Rows are small (three outputs per design point) and every rank keeps them all.
  const auto rows = run_split_all<RowResult, std::vector<BaselineRecord>>(
      opt.split, nq * n * reps, opt.threads,
      [&](std::size_t u, std::vector<BaselineRecord>& pool) {
        const std::size_t q = u / (n * reps), k = (u / reps) % n, r = u % reps;
        const std::uint64_t stream =
            (q * n + k) * reps + r + static_cast<std::uint64_t>(opt.first_replication);
        RowOutputs out(d + 2);
        // Per point, summed over the populations: net benefit, savings, cost, and the
        // sustained returns of the scenario less the baseline's.
        std::vector<std::array<double, 4>> sums(d + 2, std::array<double, 4>{});
        std::size_t made = 0, derived = 0, runs = 0;
        pool.reserve(d + 2);
        for (const auto& pop : populations) {
          const StreamKey key{pop.seed, 0, stream, 0, 0};
          // The config's engine, as run_experiment has it: on the count path (count_based
          // without coordinators) a point's baseline is the count path's run and its scenario
          // idle_scenario of it; on the hybrid (count_based with coordinators) the baseline is
          // recorded by record_hybrid_baseline and the scenario replayed from it, as the
          // individual engine's below (never derived: derive_baseline refuses a hybrid record),
          // or both simulate_hybrid's in full where the individual engine would simulate in full.
          const bool counts = on_count_path(pop.cfg);
          const bool hybrid = pop.cfg.run.count_based && !counts;
          // The points of row k in block order. A point whose parameters simulate like an
          // earlier point's (they differ in economics only) reuses its outcomes; otherwise its
          // scenario is simulated from the recorded baseline of an earlier point with the same
          // baseline path, or from a new record (reuse_simulations = false: every point's
          // baseline and scenario simulated in full, the independent check).
          std::vector<ModelParams> p(d + 2);
          // pool[0, records) are this row's baselines (recorded or derived) of this population.
          std::size_t records = 0;
          std::vector<ReplicationOutcome> scen(d + 2), base_out(d + 2);
          for (std::size_t j = 0; j < d + 2; ++j) {
            p[j] = realise(pop.cfg, point_values(q, j * n + k));
            const bool in_full = !reuse_simulations || !opt.from_baseline ||
                                 p[j].transitions.months != TransitionMonths::school;
            if (counts || (hybrid && in_full)) {
              std::size_t same = j;
              for (std::size_t e = 0; e < j && same == j && reuse_simulations; ++e)
                if (same_simulation(p[e], p[j])) same = e;
              if (same < j) {
                base_out[j] = base_out[same];
                scen[j] = scen[same];
              } else {
                base_out[j] = counts ? simulate_counts(p[j], key)
                                     : simulate_hybrid(p[j], pop.scenarios[0], key);
                made += 1;
                if (hybrid && scenario_has_cases(p[j], pop.scenarios[1])) {
                  scen[j] = simulate_hybrid(p[j], pop.scenarios[1], key);
                  runs += 1;
                } else {
                  scen[j] = idle_scenario(base_out[j], pop.scenarios[1]);
                }
              }
            } else if (in_full) {
              base_out[j] = simulate(p[j], pop.scenarios[0], key);
              scen[j] = simulate(p[j], pop.scenarios[1], key);
              made += 1;
              runs += 1;
            } else {
              std::size_t same = j;
              for (std::size_t e = 0; e < j && same == j; ++e)
                if (same_simulation(p[e], p[j])) same = e;
              if (same < j) {
                base_out[j] = base_out[same];
                scen[j] = scen[same];
              } else {
                std::size_t rec = records;
                for (std::size_t e = 0; e < records && rec == records; ++e)
                  if (same_baseline_path(pool[e].params, p[j])) rec = e;
                if (rec == records) {
                  // A new baseline: derived from a recorded one when only the initial state
                  // of the population differs (models/baseline/derived_baseline.hpp), else
                  // recorded.
                  std::size_t from = records;
                  for (std::size_t e = 0; e < records && from == records && !hybrid; ++e)
                    if (!pool[e].derived && derivable_baseline(pool[e].params, p[j])) from = e;
                  if (pool.size() == records) pool.emplace_back();
                  if (from < records) {
                    derive_baseline(pool[from], p[j], pool[records++]);
                    ++derived;
                  } else if (hybrid) {
                    record_hybrid_baseline(p[j], key, pool[records++]);
                    ++made;
                  } else {
                    record_baseline(p[j], key, pool[records++]);
                    ++made;
                  }
                }
                scen[j] = simulate_from_baseline(pool[rec], p[j], pop.scenarios[1], nullptr,
                                                 &base_out[j]);
                ++runs;
              }
            }
            const EconomicResult econ =
                evaluate_economics(p[j].economics, base_out[j].events, scen[j].events);
            const auto mb = outcome_metrics(base_out[j], nullptr),
                       ms = outcome_metrics(scen[j], &econ);
            // One population: the point's outputs as they are (its ROI from economics.cpp).
            if (populations.size() == 1) out[j] = {ms[i_net], ms[i_roi], ms[i_ret] - mb[i_ret]};
            auto& t = sums[j];
            t[0] += ms[i_net];
            t[1] += ms[i_sav];
            t[2] += ms[i_cost];
            t[3] += ms[i_ret] - mb[i_ret];
          }
        }
        if (populations.size() > 1) {
          // The whole's ROI as run_municipalities has it: summed savings over summed cost.
          for (std::size_t j = 0; j < d + 2; ++j) {
            const auto& t = sums[j];
            out[j] = {t[0], t[2] > 0 ? t[1] / t[2] : std::numeric_limits<double>::quiet_NaN(),
                      t[3]};
          }
        }
        return RowResult{std::move(out), {made, derived, runs}};
      },
      [](ByteWriter& w, const RowResult& row) {
        w.put(row.outputs);
        w.put(row.counts);
      },
      [](ByteReader& rd, RowResult& row) {
        rd.get(row.outputs);
        rd.get(row.counts);
      },
      [&bar] { bar.tick(); });
  bar.finish();
  for (std::size_t u = 0; u < rows.size(); ++u) {
    const std::size_t q = u / (n * reps), k = (u / reps) % n, r = u % reps;
    for (std::size_t j = 0; j < d + 2; ++j) {
      for (std::size_t o = 0; o < names.size(); ++o)
        values[o][(q * block + j * n + k) * reps + r] = rows[u].outputs[j][o];
    }
  }
  std::size_t baselines = 0, derived_baselines = 0, scenario_runs = 0;
  for (const auto& row : rows) {
    const auto& c = row.counts;
    baselines += c[0];
    derived_baselines += c[1];
    scenario_runs += c[2];
  }
  GlobalSobolResult r;
  r.n = n;
  r.randomisations = nq;
  for (auto i : parameters) r.parameters.push_back(cfg.parameters.at(i).path);
  r.replications = opt.replications;
  r.design_points = nq * block;
  r.baselines = baselines;
  r.derived_baselines = derived_baselines;
  r.scenario_runs = scenario_runs;
  SobolOptions so;
  so.bootstrap = bootstrap;
  so.seed = opt.seed;
  so.estimator = estimator;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // What the config's path does not compute has no indices (docs/methods.md §4.12).
  const auto computed =
      outputs_computed(on_count_path(cfg) ? count_path_not_computed() : std::vector<Metric>{});
  for (std::size_t o = 0; o < names.size(); ++o) {
    if (!computed[o]) {
      SobolIndex none{nan, nan, nan, nan, nan, nan, nan, nan};
      for (std::size_t i = 0; i < d; ++i)
        r.rows.push_back({names[o], r.parameters[i], none, false, false});
      r.noise.push_back({names[o], nan, nan, nan, std::vector<double>(d, nan),
                         std::vector<double>(d, nan), false, "", false});
      continue;
    }
    const auto& v = values[o];
    for (double x : v) {
      if (!std::isfinite(x))
        ATTENDSIM_INPUT_ERROR("Sobol: output " << names[o] << " is not finite at a design point");
    }
    // An output no parameter moves is reported as not identifiable, not thrown; any exception
    // here is a bug and reaches main as it is (exit 1), never an input error.
    const SobolResult s =
        nq == 1 ? sobol_indices_replicated(v, n, d, reps, so)
                : sobol_indices_randomised(v, n, d, nq, reps, so.confidence, so.estimator);
    for (std::size_t i = 0; i < d; ++i)
      r.rows.push_back({names[o], r.parameters[i], s.indices[i], s.identifiable});
    SobolNoise z{names[o],
                 s.variance,
                 nan,
                 nan,
                 std::vector<double>(d, nan),
                 std::vector<double>(d, nan),
                 s.identifiable,
                 s.note};
    if (reps >= 2) {
      z.noise_variance = s.noise_variance;
      z.noise_share = s.noise_variance / s.variance;
      for (std::size_t i = 0; i < d; ++i) {
        z.first_order_noise[i] = s.indices[i].first_order_noise;
        z.total_noise[i] = s.indices[i].total_noise;
      }
    }
    r.noise.push_back(std::move(z));
  }
  r.point_outputs = std::move(values);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

std::vector<ScenarioSpec> decision_options(const ModelConfig& cfg) {
  auto out = baseline_and_configured(cfg);
  const auto ladder = comparison_scenarios(cfg);
  for (std::size_t s = 1; s < ladder.size(); ++s) {
    const bool dup = std::any_of(out.begin(), out.end(),
                                 [&](const ScenarioSpec& o) { return same_option(o, ladder[s]); });
    const bool name_taken = std::any_of(
        out.begin(), out.end(), [&](const ScenarioSpec& o) { return o.name == ladder[s].name; });
    if (!dup && !name_taken) out.push_back(ladder[s]);
  }
  return out;
}

VoiResult value_of_information(const ModelConfig& cfg, const RunOptions& opt,
                               const std::string& list) {
  if (opt.draws < 10)
    ATTENDSIM_INPUT_ERROR("--method voi needs --draws >= 10 PSA draws, got " << opt.draws);
  // What to value: parameters and Dirichlet groups (by path).
  struct Target {
    std::string name;
    std::vector<std::size_t> members;
  };
  std::vector<Target> targets;
  const auto& groups = cfg.parameters.groups();
  if (list.empty()) {
    for (auto i : cfg.parameters.uncertain()) targets.push_back({cfg.parameters.at(i).path, {i}});
    for (const auto& g : groups) targets.push_back({g.path, g.members});
  } else {
    for (const auto& name : split_list(list)) {
      const auto g = std::find_if(groups.begin(), groups.end(),
                                  [&](const DirichletGroup& x) { return x.path == name; });
      if (g != groups.end()) {
        targets.push_back({name, g->members});
        continue;
      }
      targets.push_back({name, {uncertain_parameters(cfg, name).front()}});
    }
    for (std::size_t a = 0; a < targets.size(); ++a) {
      for (std::size_t b = 0; b < a; ++b) {
        if (targets[a].name == targets[b].name)
          ATTENDSIM_INPUT_ERROR("--params: parameter '" << targets[a].name << "' given twice");
      }
    }
  }
  if (targets.empty()) ATTENDSIM_INPUT_ERROR(cfg.file << ": no parameter has a distribution");
  VoiResult out;
  RunOptions o = opt;
  o.parameter_sets.clear();
  o.common_streams_across_draws = false;
  out.result = run_experiment(cfg, decision_options(cfg), o);
  const auto& res = out.result;
  const auto k = static_cast<Eigen::Index>(opt.draws);
  const auto options = static_cast<Eigen::Index>(res.scenarios.size());
  const auto i_net = res.metric_index(Metric::net_benefit_sek);
  Eigen::MatrixXd nb = Eigen::MatrixXd::Zero(k, options);  // option 0: the baseline, net benefit 0
  for (Eigen::Index s = 1; s < options; ++s) {
    const auto v = res.unit_values(static_cast<std::size_t>(s), i_net);
    for (Eigen::Index d = 0; d < k; ++d) {
      if (!std::isfinite(v[static_cast<std::size_t>(d)]))
        ATTENDSIM_INPUT_ERROR("VOI: net benefit is not finite in draw " << d);
      nb(d, s) = v[static_cast<std::size_t>(d)];
    }
  }
  // Noise of the per-draw means.
  const auto reps = static_cast<std::size_t>(opt.replications);
  out.noise_variance = std::numeric_limits<double>::quiet_NaN();
  if (reps >= 2 && options > 1) {
    double sum = 0;
    for (std::size_t d = 0; d < static_cast<std::size_t>(k); ++d) {
      for (std::size_t s = 1; s < static_cast<std::size_t>(options); ++s) {
        RunningStats rs;
        for (std::size_t r = 0; r < reps; ++r) rs.add(res.units[d * reps + r].metrics[s][i_net]);
        sum += rs.variance() / static_cast<double>(reps);
      }
    }
    out.noise_variance = sum / static_cast<double>(k * (options - 1));
  }
  // The parameter values of each draw: the same samples run_experiment used.
  Eigen::MatrixXd values(k, static_cast<Eigen::Index>(cfg.parameters.size()));
  for (Eigen::Index d = 0; d < k; ++d) {
    const auto v = cfg.parameters.sample(opt.seed, static_cast<std::uint64_t>(d));
    for (std::size_t j = 0; j < v.size(); ++j) values(d, static_cast<Eigen::Index>(j)) = v[j];
  }
  const double total = evpi(nb);
  auto share = [&](double v) { return total > 0 ? v / total : 0.0; };
  out.rows.push_back({"evpi", "all", total, share(total)});
  for (const auto& t : targets) {
    Eigen::MatrixXd x(k, static_cast<Eigen::Index>(t.members.size()));
    for (std::size_t j = 0; j < t.members.size(); ++j)
      x.col(static_cast<Eigen::Index>(j)) = values.col(static_cast<Eigen::Index>(t.members[j]));
    const double v = evppi(nb, x);
    out.rows.push_back({"evppi", t.name, v, share(v)});
  }
  return out;
}

}  // namespace attendsim::models
