#include "analysis/experiment.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include "models/baseline/scenario_from_baseline.hpp"
#include "sim/error.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"

namespace attendsim::models {

std::vector<std::string> metric_names(bool with_economics) {
  std::vector<std::string> n = {"pupil_months_regular",
                                "pupil_months_worrying",
                                "pupil_months_high",
                                "pupil_months_extensive",
                                "long_term_absent_pupils_per_year",
                                "sustained_returns",
                                "detected",
                                "referrals",
                                "cases_started",
                                "mean_wait_months",
                                "queue_at_end",
                                "withdrawn_referrals",
                                "repeated_years",
                                "summer_school",
                                "placements",
                                "eligible_upper_secondary",
                                "completed_upper_secondary",
                                "sustained_returns_boys",
                                "sustained_returns_girls",
                                "cases_started_boys",
                                "cases_started_girls",
                                "eligible_pupils_boys",
                                "eligible_pupils_girls",
                                "detected_boys",
                                "detected_girls",
                                "referrals_boys",
                                "referrals_girls",
                                "mean_wait_months_boys",
                                "mean_wait_months_girls"};
  if (with_economics) {
    for (const char* e : {"cost_sek", "savings_sek", "savings_short_term_sek",
                          "savings_long_term_sek", "net_benefit_sek", "roi"}) {
      n.emplace_back(e);
    }
  }
  return n;
}

std::vector<double> outcome_metrics(const ReplicationOutcome& o, const EconomicResult* econ) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double cases = o.cases_started[0] + o.cases_started[1];
  const double queued = o.queued[0] + o.queued[1];
  std::vector<double> v = {
      o.pupil_months[0], o.pupil_months[1], o.pupil_months[2], o.pupil_months[3],
      o.long_term_absent_pupil_years / o.school_years,
      o.sustained_returns[0] + o.sustained_returns[1], o.detected[0] + o.detected[1],
      o.referrals[0] + o.referrals[1], cases,
      // Mean wait of every queued referral (admitted or not); 0 when
      // nobody was queued (e.g. the baseline).
      queued > 0 ? (o.wait_months_sum[0] + o.wait_months_sum[1]) / queued : 0.0, o.queue_at_end,
      o.withdrawn_referrals, o.repeated_years, o.summer_school, o.placements,
      o.eligible_upper_secondary, o.completed_upper_secondary, o.sustained_returns[0],
      o.sustained_returns[1], o.cases_started[0], o.cases_started[1], o.eligible_pupils[0],
      o.eligible_pupils[1], o.detected[0], o.detected[1], o.referrals[0], o.referrals[1],
      o.queued[0] > 0 ? o.wait_months_sum[0] / o.queued[0] : nan,
      o.queued[1] > 0 ? o.wait_months_sum[1] / o.queued[1] : nan};
  if (econ != nullptr) {
    for (double x : {econ->cost_sek, econ->savings_sek, econ->savings_short_term_sek,
                     econ->savings_long_term_sek, econ->net_benefit_sek, econ->roi}) {
      v.push_back(x);
    }
  }
  return v;
}

std::vector<ScenarioSpec> baseline_and_configured(const ModelConfig& cfg) {
  ScenarioSpec base;
  base.name = "baseline";
  base.allocation_policy = cfg.scenario.allocation_policy;
  return {base, cfg.scenario};
}

std::size_t ExperimentResult::metric_index(const std::string& name) const {
  const auto names = metric_names(true);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  ATTENDSIM_REQUIRE(false, "unknown metric '" << name << "'");
  return 0;
}

std::vector<double> ExperimentResult::unit_values(std::size_t scenario, std::size_t metric) const {
  const auto reps = static_cast<std::size_t>(options.replications);
  std::vector<double> out;
  if (options.draws <= 1) {
    for (const auto& u : units) out.push_back(u.metrics[scenario][metric]);
    return out;
  }
  for (std::size_t d = 0; d < static_cast<std::size_t>(options.draws); ++d) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t r = 0; r < reps; ++r) {
      const double x = units[d * reps + r].metrics[scenario][metric];
      if (!std::isnan(x)) {
        sum += x;
        ++n;
      }
    }
    out.push_back(n > 0 ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN());
  }
  return out;
}

ExperimentResult run_experiment(const ModelConfig& cfg, const std::vector<ScenarioSpec>& scenarios,
                                const RunOptions& opt) {
  ATTENDSIM_REQUIRE(!scenarios.empty() && scenarios[0].staffing.periods.empty(),
                    "the first scenario must be the baseline");
  ATTENDSIM_REQUIRE(opt.draws >= 1 && opt.replications >= 1, "draws and replications must be >= 1");
  const auto start = std::chrono::steady_clock::now();
  // Parameter draws are realised serially, in draw order (cheap, and errors surface early).
  std::vector<ModelParams> params;
  const bool explicit_sets = !opt.parameter_sets.empty();
  ATTENDSIM_REQUIRE(!explicit_sets || static_cast<int>(opt.parameter_sets.size()) == opt.draws,
                    "draws must equal the number of parameter sets");
  params.reserve(static_cast<std::size_t>(opt.draws));
  for (int d = 0; d < opt.draws; ++d) {
    if (explicit_sets) {
      cfg.parameters.check_domain(opt.parameter_sets[static_cast<std::size_t>(d)],
                                  "design point " + std::to_string(d));
      params.push_back(realise(cfg, opt.parameter_sets[static_cast<std::size_t>(d)]));
      continue;
    }
    const auto values = opt.draws == 1
                            ? cfg.parameters.base_values()
                            : cfg.parameters.sample(opt.seed, static_cast<std::uint64_t>(d));
    params.push_back(realise(cfg, values));
  }
  const std::size_t n_units =
      static_cast<std::size_t>(opt.draws) * static_cast<std::size_t>(opt.replications);
  ProgressBar bar(n_units, "simulating", opt.progress);
  auto units = run_indexed_with_scratch<UnitResult, BaselineRecord>(
      n_units, opt.threads,
      [&](std::size_t u, BaselineRecord& record) {
        const auto d = u / static_cast<std::size_t>(opt.replications);
        const auto r = u % static_cast<std::size_t>(opt.replications);
        const StreamKey key{opt.seed, opt.common_streams_across_draws ? 0 : d,
                            r + static_cast<std::uint64_t>(opt.first_replication), 0, 0};
        const ModelParams& p = params[d];
        UnitResult res;
        // The baseline is simulated and recorded once; every scenario is simulated from it
        // (only the pupils it changes), bit-identical to simulating it in full.
        const bool from_baseline = opt.from_baseline && record_fits(p);
        if (from_baseline) record_baseline(p, key, record);
        ReplicationOutcome base;
        for (std::size_t s = 0; s < scenarios.size(); ++s) {
          ReplicationOutcome o = !from_baseline ? simulate(p, scenarios[s], key)
                                 : s == 0       ? record.outcome
                                                : simulate_from_baseline(record, p, scenarios[s]);
          res.pupil_months += o.pupil_months_simulated;
          std::vector<float> occ;
          occ.reserve(o.occupancy.size() * kStates);
          for (const auto& row : o.occupancy) {
            for (auto c : row) occ.push_back(static_cast<float>(c));
          }
          res.occupancy.push_back(std::move(occ));
          if (s == 0) {
            res.metrics.push_back(outcome_metrics(o, nullptr));
            res.cumulative_net_by_year.emplace_back();
            base = std::move(o);
          } else {
            const EconomicResult econ = evaluate_economics(p.economics, base.events, o.events);
            res.metrics.push_back(outcome_metrics(o, &econ));
            std::vector<double> net;
            for (std::size_t y = 0; y < econ.cumulative_cost_by_year.size(); ++y) {
              net.push_back(econ.cumulative_savings_by_year[y] - econ.cumulative_cost_by_year[y]);
            }
            res.cumulative_net_by_year.push_back(std::move(net));
          }
        }
        return res;
      },
      [&bar] { bar.tick(); });
  bar.finish();
  ExperimentResult out;
  out.options = opt;
  out.scenarios = scenarios;
  out.steps = params[0].horizon_years * kMonthsPerYear;
  out.units = std::move(units);
  for (const auto& u : out.units) out.pupil_months_simulated += u.pupil_months;
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace attendsim::models
