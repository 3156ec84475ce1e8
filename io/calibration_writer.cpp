#include "io/calibration_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include "io/config_schema.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

namespace {

using json = nlohmann::ordered_json;

toml::table beta_table(const BetaPosterior& b) {
  toml::table t{{"dist", "beta"}, {"a", b.a}, {"b", b.b}};
  t.is_inline(true);
  return t;
}

toml::table& sub(toml::table& t, std::string_view key) {
  auto* s = t[key].as_table();
  ATTENDSIM_REQUIRE(s != nullptr, "calibrated config: no table " << key);
  return *s;
}

std::string year_month(int idx) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year_of(idx), month_of(idx));
  return buf;
}

json row_json(const Row& r) {
  return json::array({r[0], r[1], r[2], r[3]});
}

/// Mean, sd and the 2.5 / 97.5 % quantiles (type 7) of values.
json describe(std::vector<double> v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double var = 0;
  for (double x : v) var += (x - mean) * (x - mean);
  var = v.size() > 1 ? var / static_cast<double>(v.size() - 1) : 0.0;
  std::sort(v.begin(), v.end());
  auto q = [&](double p) {
    const double h = (static_cast<double>(v.size()) - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
  };
  return {{"mean", mean}, {"sd", std::sqrt(var)}, {"p2_5", q(0.025)}, {"p97_5", q(0.975)}};
}

/// Sets the value at a parameter path ("a.b.c" or "a.b.c[i]") of a TOML document.
void set_path(toml::table& root, const std::string& path, double value) {
  std::vector<std::string> parts;
  std::size_t s = 0;
  for (std::size_t k = 0; k <= path.size(); ++k) {
    if (k == path.size() || path[k] == '.') {
      parts.push_back(path.substr(s, k - s));
      s = k + 1;
    }
  }
  toml::table* t = &root;
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) t = &sub(*t, parts[k]);
  std::string last = parts.back();
  const auto br = last.find('[');
  if (br == std::string::npos) {
    t->insert_or_assign(last, value);
    return;
  }
  const auto i = static_cast<std::size_t>(std::stoul(last.substr(br + 1)));
  auto* arr = (*t)[last.substr(0, br)].as_array();
  ATTENDSIM_REQUIRE(arr != nullptr && i < arr->size(), "calibrated config: no array at " << path);
  arr->replace(arr->cbegin() + static_cast<std::ptrdiff_t>(i), value);
}

/// Multipliers estimated by maximum likelihood, each a lognormal with median the estimate and
/// sigma = se / estimate (the delta method's sd of its log), or the bare estimate without a se.
template <std::size_t N>
toml::array estimates(const std::array<double, N>& est, const std::array<double, N>& se) {
  toml::array w;
  for (std::size_t m = 0; m < N; ++m) {
    if (se[m] > 0 && est[m] > 0) {
      toml::table t{{"base", est[m]},
                    {"dist", "lognormal"},
                    {"mu", std::log(est[m])},
                    {"sigma", se[m] / est[m]}};
      t.is_inline(true);
      w.push_back(t);
    } else {
      w.push_back(est[m]);
    }
  }
  return w;
}

template <std::size_t N>
json estimates_json(const std::array<double, N>& est, const std::array<double, N>& se) {
  json j = {{"estimate", json::array()}, {"se", json::array()}};
  for (std::size_t m = 0; m < N; ++m) {
    j["estimate"].push_back(est[m]);
    j["se"].push_back(se[m]);
  }
  return j;
}

}  // namespace

std::string target_calibrated_config_toml(const ModelConfig& prior, const TargetCalibration& cal,
                                          const std::string& targets_name) {
  toml::table root = effective_config_table(prior);  // with its overrides, if any
  root.insert_or_assign("name", prior.name + "_calibrated");
  root.insert_or_assign("description",
                        "Calibrated to the targets " + targets_name +
                            " by sampling-importance-resampling; prior: " + prior.name);
  const auto post = cal.posterior();
  std::ostringstream os;
  os << "# Calibrated by `attendsim calibrate --targets` from " << targets_name << ".\n"
     << "# Calibrated parameters fixed at their posterior means:\n";
  for (std::size_t k = 0; k < cal.params.size(); ++k) {
    double mean = 0;
    for (const auto& d : post) mean += d[k];
    mean /= static_cast<double>(post.size());
    set_path(root, cal.params[k], mean);
    os << "#   " << cal.params[k] << " = " << mean << "\n";
  }
  os << "# Their posterior uncertainty: run with --draws-from posterior_draws.csv (beside this\n"
     << "# file). Prior config: " << prior.file << " (its comments are not kept).\n\n";
  os << toml::toml_formatter(
      root, toml::toml_formatter::default_flags & ~toml::format_flags::allow_literal_strings);
  os << "\n";
  return os.str();
}

std::string target_fit_json(const ModelConfig& prior, const std::vector<Target>& targets,
                            const TargetCalibration& cal, const TargetOptions& opt,
                            const std::string& targets_name) {
  json j;
  j["method"] = "targets_sir";
  j["prior_config"] = prior.file;
  j["targets_file"] = targets_name;
  j["prior_draws"] = opt.prior_draws;
  j["posterior_draws"] = opt.posterior_draws;
  j["simulated_pupils"] = opt.pupils > 0 ? opt.pupils : prior.structure.population.pupils;
  j["scenario"] = opt.scenario.empty() ? "baseline" : opt.scenario;
  j["effective_sample_size"] = cal.ess;
  j["distinct_posterior_samples"] = [&] {
    auto r = cal.resampled;
    std::sort(r.begin(), r.end());
    return static_cast<std::size_t>(std::unique(r.begin(), r.end()) - r.begin());
  }();
  json params = json::array();
  for (std::size_t k = 0; k < cal.params.size(); ++k) {
    std::vector<double> pr, po;
    for (const auto& s : cal.prior_samples) pr.push_back(s[k]);
    for (auto i : cal.resampled) po.push_back(cal.prior_samples[i][k]);
    params.push_back(
        {{"path", cal.params[k]}, {"prior", describe(pr)}, {"posterior", describe(po)}});
  }
  j["parameters"] = params;
  json tj = json::array();
  for (std::size_t k = 0; k < targets.size(); ++k) {
    std::vector<double> pr, po;
    for (const auto& s : cal.simulated) pr.push_back(s[k]);
    for (auto i : cal.resampled) po.push_back(cal.simulated[i][k]);
    tj.push_back({{"target", targets[k].label},
                  {"value", targets[k].value},
                  {"se", targets[k].se},
                  {"simulated_prior", describe(pr)},
                  {"simulated_posterior", describe(po)}});
  }
  j["targets"] = tj;
  j["calibrate_seconds"] = cal.wall_seconds;
  return j.dump(2) + "\n";
}

std::string calibrated_config_toml(const ModelConfig& prior, const RegisterCalibration& cal,
                                   const std::string& register_name) {
  toml::table root = effective_config_table(prior);  // with its overrides, if any
  root.insert_or_assign("name", prior.name + "_calibrated");
  root.insert_or_assign("description", "Calibrated to the register " + register_name + " (" +
                                           std::to_string(cal.records) +
                                           " pupil-months); prior: " + prior.name);
  auto& pop = sub(root, "population");
  pop.insert_or_assign("pupils", static_cast<std::int64_t>(std::max(1, cal.first_month_pupils)));
  auto& prev = sub(pop, "prevalence");
  static const char* kPrev[] = {"worrying", "high", "extensive"};
  for (int b = 0; b < kBands; ++b) {
    auto& pb = sub(prev, kBandNames[b]);
    for (int s = 0; s < 3; ++s) pb.insert_or_assign(kPrev[s], beta_table(cal.prevalence[b][s]));
  }
  auto& tr = sub(root, "transitions");
  for (int b = 0; b < kBands; ++b) {
    auto& mt = sub(tr, kBandNames[b]);
    toml::array conc;
    for (int i = 0; i < kAttendanceStates; ++i) {
      const auto& rp = cal.rows[b][i];
      const Row m = rp.mean();
      mt.insert_or_assign(kStateNames[i], toml::array{m[0], m[1], m[2], m[3]});
      conc.push_back(rp.concentration());
    }
    mt.insert_or_assign("dirichlet_concentration", conc);
  }
  if (cal.duration_estimated) {
    auto& d = sub(tr, "duration");
    d.insert_or_assign("high_exit_mult", estimates(cal.high_exit_mult, cal.high_exit_mult_se));
    d.insert_or_assign("extensive_exit_mult",
                       estimates(cal.extensive_exit_mult, cal.extensive_exit_mult_se));
  }
  if (cal.relapse_estimated) {
    toml::array one = estimates(std::array<double, 1>{cal.relapse_mult},
                                std::array<double, 1>{cal.relapse_mult_se});
    sub(tr, "relapse").insert_or_assign("mult", *one.get(0));
  }
  if (cal.seasonality_estimated)
    sub(tr, "seasonality")
        .insert_or_assign("worsen_mult_sep_to_jun", estimates(cal.worsen_mult, cal.worsen_mult_se));
  sub(tr, "leaving").insert_or_assign("p_leave_per_month", beta_table(cal.leave));
  std::ostringstream os;
  os << "# Calibrated by `attendsim calibrate` from the register " << register_name << ":\n"
     << "# " << cal.records << " pupil-months, " << cal.transitions << " transitions, "
     << year_month(cal.first_month) << " to " << year_month(cal.last_month) << ".\n"
     << "# Transition rows: posterior means, dirichlet_concentration = posterior concentration;\n"
     << "# seasonal, duration and relapse multipliers (those on in the prior) by maximum\n"
     << "# likelihood, as lognormals (sigma = se / estimate). See fit.json beside this file.\n"
     << "# Prior config: " << prior.file << " (its comments are not kept).\n\n";
  os << toml::toml_formatter(
      root, toml::toml_formatter::default_flags & ~toml::format_flags::allow_literal_strings);
  os << "\n";
  return os.str();
}

std::string fit_json(const ModelConfig& prior, const RegisterCalibration& cal,
                     const RegisterFit& fit, const std::string& register_name,
                     double calibrate_seconds) {
  json j;
  j["method"] = "register";
  j["prior_config"] = prior.file;
  j["register"] = {{"file", register_name},
                   {"records", cal.records},
                   {"pupils", cal.pupils},
                   {"transitions", cal.transitions},
                   {"gaps_skipped", cal.gaps},
                   {"censored_transitions", cal.censored},
                   {"summer_rows_ignored", cal.summer_rows_ignored},
                   {"first_month", year_month(cal.first_month)},
                   {"last_month", year_month(cal.last_month)},
                   {"first_month_pupils", cal.first_month_pupils}};
  json rows = json::array();
  for (int b = 0; b < kBands; ++b) {
    for (int i = 0; i < kAttendanceStates; ++i) {
      const auto& rp = cal.rows[b][i];
      rows.push_back({{"band", kBandNames[b]},
                      {"from", kStateNames[i]},
                      {"counts", row_json(rp.counts)},
                      {"prior_alpha", row_json(rp.prior)},
                      {"posterior_alpha", row_json(rp.alpha)},
                      {"effective_transitions", rp.effective_transitions},
                      {"mean", row_json(rp.mean())},
                      {"ci_low", row_json(rp.low)},
                      {"ci_high", row_json(rp.high)}});
    }
  }
  j["transitions"] = rows;
  json season = {{"estimated", cal.seasonality_estimated}};
  season["worsen_mult"] = json::array();
  season["se"] = json::array();
  for (int m = 0; m < kSchoolMonthsPerYear; ++m) {
    season["worsen_mult"].push_back(cal.worsen_mult[m]);
    season["se"].push_back(cal.worsen_mult_se[m]);
  }
  season["iterations"] = cal.iterations;
  j["seasonality"] = season;
  json duration = {{"estimated", cal.duration_estimated}};
  duration["high_exit_mult"] = estimates_json(cal.high_exit_mult, cal.high_exit_mult_se);
  duration["extensive_exit_mult"] =
      estimates_json(cal.extensive_exit_mult, cal.extensive_exit_mult_se);
  j["duration"] = duration;
  j["relapse"] = {{"estimated", cal.relapse_estimated},
                  {"mult", cal.relapse_mult},
                  {"se", cal.relapse_mult_se},
                  {"months", cal.relapse_months}};
  json prev = json::array();
  static const char* kPrev[] = {"worrying", "high", "extensive"};
  for (int b = 0; b < kBands; ++b) {
    for (int s = 0; s < 3; ++s) {
      const auto& p = cal.prevalence[b][s];
      prev.push_back({{"band", kBandNames[b]},
                      {"state", kPrev[s]},
                      {"pupils", p.events},
                      {"of", p.trials},
                      {"a", p.a},
                      {"b", p.b},
                      {"mean", p.mean()},
                      {"ci_low", p.quantile(0.025)},
                      {"ci_high", p.quantile(0.975)}});
    }
  }
  j["prevalence"] = prev;
  j["leaving"] = {{"leavers", cal.leave.events},
                  {"exposure_months", cal.leave.trials},
                  {"a", cal.leave.a},
                  {"b", cal.leave.b},
                  {"mean", cal.leave.mean()},
                  {"ci_low", cal.leave.quantile(0.025)},
                  {"ci_high", cal.leave.quantile(0.975)}};
  json not_estimated = json::array();
  if (cal.multipliers_not_estimable)
    not_estimated.push_back(
        "multipliers (the register has too few transitions to estimate them: the prior's values "
        "kept)");
  if (!cal.seasonality_estimated)
    not_estimated.push_back("seasonal multipliers (off in the prior)");
  if (!cal.duration_estimated) not_estimated.push_back("duration dependence (off in the prior)");
  if (!cal.relapse_estimated) not_estimated.push_back("relapse multiplier (off in the prior)");
  not_estimated.push_back(
      "gender differences in transitions (the config has transition rows per grade band only)");
  j["not_estimated"] = not_estimated;
  j["fit"] = {{"draws", fit.draws},
              {"simulated_pupils", fit.pupils},
              {"cells", fit.cells.size()},
              {"coverage_95", fit.coverage},
              {"mean_sq_std_residual", fit.mean_sq_std_residual},
              {"rmse_share", fit.rmse},
              {"simulation_seconds", fit.wall_seconds}};
  j["calibrate_seconds"] = calibrate_seconds;
  return j.dump(2) + "\n";
}

std::string fit_csv(const RegisterFit& fit) {
  std::string out =
      "year_month,band,state,observed_share,observed_pupils,simulated_mean,simulated_p2_5,"
      "simulated_p97_5,inside\n";
  for (const auto& c : fit.cells) {
    out += year_month(c.month) + "," + std::string(kBandNames[c.band]) + "," +
           std::string(kStateNames[c.state]) + "," + format_number(c.observed) + "," +
           std::to_string(c.observed_pupils) + "," + format_number(c.sim_mean) + "," +
           format_number(c.sim_p2_5) + "," + format_number(c.sim_p97_5) + "," +
           (c.inside() ? "1" : "0") + "\n";
  }
  return out;
}

}  // namespace attendsim::models
