#include "analysis/calibration_targets.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "models/pupil_rules.hpp"
#include "models/simulation.hpp"
#include "sim/error.hpp"
#include "sim/runner.hpp"
#include "sim/streams.hpp"

namespace attendsim::models {

std::vector<std::vector<double>> TargetCalibration::posterior() const {
  std::vector<std::vector<double>> out;
  for (auto i : resampled) out.push_back(prior_samples[i]);
  return out;
}

std::vector<double> simulate_targets(const ModelConfig& cfg, const std::vector<double>& values,
                                     const std::vector<Target>& targets, int pupils,
                                     const StreamKey& key, const ScenarioSpec& scenario) {
  ModelParams p = realise(cfg, values);
  if (pupils > 0) {  // another count: spread evenly over the grades
    p.population.pupils = pupils;
    p.population.pupils_by_grade = {};
  }
  int years = 1;
  for (const auto& t : targets) years = std::max(years, t.year);
  ATTENDSIM_REQUIRE(years <= p.horizon_years, "a target's year is beyond the horizon");
  const int n = p.population.pupils;
  Trace trace;
  trace.pupils.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    trace.pupils[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(i);
  (void)simulate(p, scenario, key, &trace);
  std::vector<double> out;
  out.reserve(targets.size());
  for (const auto& tg : targets) {
    const int first = (tg.year - 1) * kMonthsPerYear + (tg.term == 2 ? 4 : 0);
    const int last = (tg.year - 1) * kMonthsPerYear + (tg.term == 1 ? 3 : kSchoolMonthsPerYear - 1);
    auto in_stratum = [&](const Pupil& q) {
      return q.state != static_cast<std::uint8_t>(State::left) &&
             (tg.band < 0 || q.band == tg.band) && (tg.gender < 0 || q.gender == tg.gender);
    };
    double num = 0, den = 0;
    if (is_count(tg.kind)) {
      // Calendar months of the period (a whole year: all 12, summer included).
      const int y0 = (tg.year - 1) * kMonthsPerYear;
      const int a = tg.month >= 0 ? y0 + tg.month : y0 + (tg.term == 2 ? 4 : 0);
      const int b =
          tg.month >= 0 ? a : y0 + (tg.term == 0 ? kMonthsPerYear - 1 : (tg.term == 1 ? 3 : 9));
      for (int t = a; t <= b && t < static_cast<int>(trace.after_step.size()); ++t) {
        const auto& before =
            t == 0 ? trace.initial : trace.after_step[static_cast<std::size_t>(t - 1)];
        const auto& after = trace.after_step[static_cast<std::size_t>(t)];
        if (tg.kind == TargetKind::referrals) {
          // Counted where referrals happen, once per month, by subgroup cell (Trace).
          for (int c = 0; c < kSubgroupCells; ++c) {
            if ((tg.band < 0 || c % kBands == tg.band) &&
                (tg.gender < 0 || c / kBands == tg.gender))
              num += trace.referrals[static_cast<std::size_t>(t)][static_cast<std::size_t>(c)];
          }
          continue;
        }
        for (int i = 0; i < n; ++i) {
          const Pupil& q0 = before[static_cast<std::size_t>(i)];
          const Pupil& q = after[static_cast<std::size_t>(i)];
          if ((tg.band >= 0 && q.band != tg.band) || (tg.gender >= 0 && q.gender != tg.gender))
            continue;
          if (tg.kind == TargetKind::cases_started) {
            // A case's start stamps the pupil with its step + 1 (models/case_book.cpp).
            num += q.case_start == t + 1 && q0.case_start != t + 1 ? 1 : 0;
          } else {
            // A sustained return clears the pupil's high-or-extensive mark and, within 12
            // months of a case's start, the case's stamp (models/pupil_rules.hpp).
            const bool same_pupil =
                q0.state != static_cast<std::uint8_t>(State::left) && q.grade >= q0.grade;
            num += same_pupil && q0.case_start != 0 && t + 1 - q0.case_start <= kMonthsPerYear &&
                           (q0.flags & detail::kHadHighOrExtensive) &&
                           !(q.flags & detail::kHadHighOrExtensive) &&
                           q.state == static_cast<std::uint8_t>(State::regular) && q.case_start == 0
                       ? 1
                       : 0;
          }
        }
      }
      out.push_back(num);
      continue;
    }
    if (tg.kind == TargetKind::long_term_absent_share) {
      for (int i = 0; i < n; ++i) {
        bool present = false, extensive = false;
        for (int t = first; t <= last; ++t) {
          const Pupil& q =
              trace.after_step[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)];
          if (!in_stratum(q)) continue;
          present = true;
          extensive = extensive || q.state == static_cast<std::uint8_t>(State::extensive);
        }
        den += present ? 1 : 0;
        num += extensive ? 1 : 0;
      }
    } else {
      const int lowest = tg.kind == TargetKind::prevalence_extensive ? 3 : 2;
      for (int t = first; t <= last; ++t) {
        for (const auto& q : trace.after_step[static_cast<std::size_t>(t)]) {
          if (!in_stratum(q)) continue;
          den += 1;
          num += q.state >= lowest ? 1 : 0;
        }
      }
    }
    out.push_back(den > 0 ? num / den : 0.0);
  }
  return out;
}

TargetCalibration calibrate_targets(const ModelConfig& cfg, const std::vector<Target>& targets,
                                    const TargetOptions& opt) {
  ATTENDSIM_REQUIRE(!targets.empty(), "no targets");
  ATTENDSIM_REQUIRE(opt.prior_draws >= 2 && opt.posterior_draws >= 1, "bad SIR sizes");
  const auto t0 = std::chrono::steady_clock::now();
  TargetCalibration out;
  out.params = opt.params;
  for (const auto& name : opt.params) {
    const auto i = cfg.parameters.find(name);
    if (!i || !cfg.parameters.at(*i).dist)
      ATTENDSIM_INPUT_ERROR("--params: '" << name << "' is not a parameter with a distribution in "
                                          << cfg.file << " (its prior)");
    out.param_index.push_back(*i);
  }
  const bool counts =
      std::any_of(targets.begin(), targets.end(), [](const Target& t) { return is_count(t.kind); });
  ScenarioSpec scenario;
  if (!opt.scenario.empty() && opt.scenario != "baseline") {
    std::string known;
    bool found = false;
    for (const auto& s : comparison_scenarios(cfg)) {
      known += (known.empty() ? "" : ", ") + s.name;
      if (s.name == opt.scenario) {
        scenario = s;
        found = true;
      }
    }
    if (!found)
      ATTENDSIM_INPUT_ERROR("--scenario: no scenario '" << opt.scenario << "' in " << cfg.file
                                                        << " (known: " << known << ")");
  }
  if (counts && scenario.staffing.periods.empty())
    ATTENDSIM_INPUT_ERROR(
        "targets cases_started, returns and referrals are the team's counts: name the "
        "scenario of the team's staffing with --scenario");
  if (counts && opt.pupils > 0 && opt.pupils != cfg.structure.population.pupils)
    ATTENDSIM_INPUT_ERROR(
        "targets cases_started, returns and referrals are counts of the municipality's "
        "pupils: simulate the config's "
        << cfg.structure.population.pupils << " pupils (omit --pupils)");
  const auto base = cfg.parameters.base_values();
  const auto m = static_cast<std::size_t>(opt.prior_draws);
  struct Sample {
    std::vector<double> theta, sim;
  };
  const auto samples = run_indexed<Sample>(m, opt.threads, [&](std::size_t i) {
    const auto draw = cfg.parameters.sample(opt.seed, i);
    auto values = base;
    Sample s;
    for (auto k : out.param_index) {
      values[k] = draw[k];
      s.theta.push_back(draw[k]);
    }
    s.sim = simulate_targets(cfg, values, targets, opt.pupils, StreamKey{opt.seed, i, 0}, scenario);
    return s;
  });
  double max_ll = -HUGE_VAL;
  for (const auto& s : samples) {
    double ll = 0;
    for (std::size_t k = 0; k < targets.size(); ++k) {
      const double z = (s.sim[k] - targets[k].value) / targets[k].se;
      ll -= 0.5 * z * z;
    }
    out.prior_samples.push_back(s.theta);
    out.simulated.push_back(s.sim);
    // A target the sample cannot give (a share of no pupils: NaN) or so far off for its se
    // that the likelihood underflows: weight 0.
    if (!(ll > -HUGE_VAL)) ll = -HUGE_VAL;
    out.log_likelihood.push_back(ll);
    max_ll = std::max(max_ll, ll);
  }
  if (!(max_ll > -HUGE_VAL)) {
    double smallest_se = HUGE_VAL;
    for (const auto& t : targets) smallest_se = std::min(smallest_se, t.se);
    ATTENDSIM_INPUT_ERROR("calibrate: every one of the "
                          << m << " prior samples has likelihood 0 given the targets (the "
                          << "smallest standard error is " << smallest_se
                          << "): the targets' standard errors are far below the distance of "
                             "every simulated value; check the se column, or raise "
                             "--prior-draws or --pupils");
  }
  double sw = 0, sw2 = 0;
  for (double ll : out.log_likelihood) {
    const double w = std::exp(ll - max_ll);
    out.weights.push_back(w);
    sw += w;
    sw2 += w * w;
  }
  for (double& w : out.weights) w /= sw;
  out.ess = sw * sw / sw2;
  // Systematic resampling: u_k = (k + u) / K against the cumulative weights.
  Engine e = make_engine({opt.seed, 0, 0, kSirPurpose, 0});
  const double u = uniform53(e());
  const auto kk = static_cast<std::size_t>(opt.posterior_draws);
  double cum = out.weights[0];
  std::size_t i = 0;
  for (std::size_t k = 0; k < kk; ++k) {
    const double uk = (static_cast<double>(k) + u) / static_cast<double>(kk);
    while (uk > cum && i + 1 < m) cum += out.weights[++i];
    out.resampled.push_back(i);
  }
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace attendsim::models
