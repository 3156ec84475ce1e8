#include "io/results_writer.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "io/json_input.hpp"
#include "models/attendance.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"
#include "sim/streams.hpp"
#include "sim/version.hpp"

namespace attendsim::models {

using json = nlohmann::ordered_json;

Summary metric_summary(const ExperimentResult& res, std::size_t scenario, std::size_t metric) {
  return summarise(res.unit_values(scenario, metric));
}

bool not_computed(const ExperimentResult& res, std::size_t metric, Subgroup subgroup) {
  for (const Metric m : res.not_computed) {
    if (metric_position(m) == metric) return true;
  }
  if (subgroup == Subgroup::total) return false;
  for (const Metric m : res.not_computed_in_subgroups) {
    if (metric_position(m) == metric) return true;
  }
  return false;
}

std::vector<std::string> metric_names_of(const std::vector<Metric>& metrics) {
  std::vector<std::string> out;
  for (const Metric m : metrics) out.emplace_back(metric_info(m).name);
  return out;
}

namespace {

bool has_finite(const std::vector<double>& v) {
  for (double x : v) {
    if (!std::isnan(x)) return true;
  }
  return false;
}

json summary_json(const Summary& s) {
  json j;
  j["mean"] = s.mean;
  j["se"] = s.se;
  j["ci_low"] = s.ci_low;
  j["ci_high"] = s.ci_high;
  j["p2_5"] = s.p2_5;
  j["p97_5"] = s.p97_5;
  j["n"] = s.n;
  return j;
}

std::string csv_row(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += cells[i];
  }
  return out + "\n";
}

}  // namespace

void write_run_outputs(const OutputDir& dir, const ModelConfig& cfg, const ExperimentResult& res,
                       const Provenance& prov, bool with_draws) {
  // An MPI rank other than 0 holds only a shared part of each unit and writes nothing.
  if (!res.units_whole) return;
  json scen = json::object();
  json subgroups = json::object();
  std::string csv = "scenario,subgroup,metric,mean,se,ci_low,ci_high,p2_5,p97_5\n";
  for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
    // The total first, then each subgroup (every metric of the scenario; money split by cell,
    // analysis/subgroup_economics.hpp).
    const auto names = metric_names(s > 0);
    json by_subgroup = json::object();
    for (std::size_t gi = 0; gi < kSubgroupCount; ++gi) {
      const auto g = static_cast<Subgroup>(gi);
      const std::size_t count = names.size();
      json metrics = json::object();
      for (std::size_t m = 0; m < count; ++m) {
        if (not_computed(res, m, g)) {  // null and empty cells, never a 0 (docs/methods.md §4.12)
          metrics[names[m]] = nullptr;
          csv += csv_row({res.scenarios[s].name, std::string(subgroup_name(g)), names[m], "", "",
                          "", "", "", ""});
          continue;
        }
        const auto vals = res.unit_values(s, g, m);
        if (!has_finite(vals)) continue;  // undefined in every unit (e.g. a wait with no cases)
        const Summary sm = summarise(vals);
        metrics[names[m]] = summary_json(sm);
        csv +=
            csv_row({res.scenarios[s].name, std::string(subgroup_name(g)), names[m],
                     format_number(sm.mean), format_number(sm.se), format_number(sm.ci_low),
                     format_number(sm.ci_high), format_number(sm.p2_5), format_number(sm.p97_5)});
      }
      if (g == Subgroup::total) {
        scen[res.scenarios[s].name] = std::move(metrics);
      } else {
        by_subgroup[std::string(subgroup_name(g))] = std::move(metrics);
      }
    }
    subgroups[res.scenarios[s].name] = std::move(by_subgroup);
  }
  json summary;
  summary["scenarios"] = std::move(scen);
  // The same metrics by gender and by grade band (analysis/metrics.hpp, Subgroup): counts of
  // the two genders, and of the three bands, add up to the total.
  summary["subgroups"] = std::move(subgroups);
  summary["unit"] = res.options.draws > 1 ? "draw" : "replication";
  summary["draws"] = res.options.draws;
  summary["replications"] = res.options.replications;
  // The metrics this run did not compute (null above), and why; only on such a run, so that
  // every other run's summary.json is as before.
  if (!res.not_computed.empty()) {
    summary["not_computed"] = metric_names_of(res.not_computed);
    summary["not_computed_in_subgroups"] = metric_names_of(res.not_computed_in_subgroups);
    summary["not_computed_reason"] = kNotComputedReason;
  }
  dir.write("summary.json", summary.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  dir.write("summary.csv", csv);

  // occupancy.csv: mean and spread over units of pupils per state at the end of each month.
  std::string occ = "scenario,month,state,mean,p2_5,p97_5\n";
  for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
    for (int t = 0; t < res.steps; ++t) {
      for (int st = 0; st < kStates; ++st) {
        std::vector<double> v;
        v.reserve(res.units.size());
        for (const auto& u : res.units)
          v.push_back(u.occupancy[s][static_cast<std::size_t>(t * kStates + st)]);
        double mean = 0;
        for (double x : v) mean += x;
        mean /= static_cast<double>(v.size());
        occ += csv_row({res.scenarios[s].name, std::to_string(t + 1), std::string(kStateNames[st]),
                        format_number(mean), format_number(quantile(v, 0.025)),
                        format_number(quantile(v, 0.975))});
      }
    }
  }
  dir.write("occupancy.csv", occ);

  // queue.csv: pupils waiting for a coordinator after each month's case management (0 in
  // the summer and without a team), mean and spread over units.
  std::string queue = "scenario,month,mean,p2_5,p97_5\n";
  for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
    for (int t = 0; t < res.steps; ++t) {
      std::vector<double> v;
      v.reserve(res.units.size());
      for (const auto& u : res.units) v.push_back(u.queue[s][static_cast<std::size_t>(t)]);
      double mean = 0;
      for (double x : v) mean += x;
      mean /= static_cast<double>(v.size());
      queue += csv_row({res.scenarios[s].name, std::to_string(t + 1), format_number(mean),
                        format_number(quantile(v, 0.025)), format_number(quantile(v, 0.975))});
    }
  }
  dir.write("queue.csv", queue);

  // savings_by_payer.csv: discounted savings against the baseline by payer and year of the
  // horizon (every payer, whatever the perspective; in_perspective says which the savings
  // count), mean and spread over units.
  std::string pay = "scenario,payer,in_perspective,year,mean,p2_5,p97_5\n";
  const std::size_t years = static_cast<std::size_t>((res.steps + 11) / 12);
  const Perspective persp = cfg.structure.economics.perspective;
  for (std::size_t s = 1; s < res.scenarios.size(); ++s) {
    for (std::size_t p = 0; p < static_cast<std::size_t>(kPayers); ++p) {
      const bool in = perspective_includes(persp, static_cast<Payer>(p));
      for (std::size_t y = 0; y < years; ++y) {
        std::vector<double> v;
        v.reserve(res.units.size());
        for (const auto& u : res.units) v.push_back(u.savings_by_payer_year[s][p * years + y]);
        double mean = 0;
        for (double x : v) mean += x;
        mean /= static_cast<double>(v.size());
        pay += csv_row({res.scenarios[s].name, kPayerNames[p], in ? "1" : "0",
                        std::to_string(y + 1), format_number(mean),
                        format_number(quantile(v, 0.025)), format_number(quantile(v, 0.975))});
      }
    }
  }
  dir.write("savings_by_payer.csv", pay);

  if (with_draws) {
    std::string dr = "draw,replication,scenario,metric,value\n";
    const auto reps = static_cast<std::size_t>(res.options.replications);
    for (std::size_t u = 0; u < res.units.size(); ++u) {
      for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
        const auto names = metric_names(s > 0);
        for (std::size_t m = 0; m < names.size(); ++m) {
          dr += csv_row({std::to_string(u / reps), std::to_string(u % reps), res.scenarios[s].name,
                         names[m],
                         not_computed(res, m) ? "" : format_number(res.units[u].metrics[s][m])});
        }
      }
    }
    dir.write("draws.csv", dr);
  } else {
    dir.drop("draws.csv");  // an older run's draws.csv must not stay beside this run
  }

  json run;
  run["version"] = kVersion;
  run["git_revision"] = kGitRevision;
  run["command"] = prov.command;
  run["config_file"] = cfg.file;
  run["config_name"] = cfg.name;
  run["config_hash"] = config_hash(cfg);
  // The overrides applied over config.toml: `attendsim run config.toml --overrides
  // overrides.toml` (with this seed, draws and replications) simulates the same config.
  if (!cfg.overrides.empty()) run["overrides_file"] = "overrides.toml";
  run["seed"] = res.options.seed;
  run["stream_derivation_version"] = kStreamDerivationVersion;
  run["terminal_events"] = name_of(cfg.structure.outcomes.terminal_events);
  run["terminal_value"] = cfg.structure.economics.terminal_value ? "on" : "off";
  run["draws"] = res.options.draws;
  run["replications"] = res.options.replications;
  run["threads"] = prov.threads;
  // MPI ranks the units were split across (sim/work_split.hpp); the other files do not
  // depend on it.
  run["ranks"] = res.options.split ? res.options.split->ranks() : 1;
  run["scenarios"] = json::array();
  for (const auto& sc : res.scenarios) run["scenarios"].push_back(sc.name);
  run["pupil_months_simulated"] = res.pupil_months_simulated;
  run["wall_seconds"] = prov.wall_seconds;
  // config_file is a path: its bytes need not be UTF-8; replace what is not.
  dir.write("run.json", run.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  dir.write("config.toml", cfg.text);  // the exact config, for reports and reproduction
  if (cfg.overrides.empty())
    dir.drop("overrides.toml");
  else
    dir.write("overrides.toml", cfg.overrides);  // its exact overrides, if any
}

void check_output_folder(const std::filesystem::path& dir, const ModelConfig& cfg,
                         bool allow_other_config) {
  const auto run_json = dir / "run.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(run_json, ec)) return;
  const std::string text = read_input_file(run_json, kMaxResultsBytes, "results file");
  std::string hash;
  try {
    const auto j = parse_json_input(text, run_json.string());
    if (j.is_object() && j.contains("config_hash") && j["config_hash"].is_string())
      hash = j["config_hash"].get<std::string>();
  } catch (const InputError&) {  // unreadable: no hash, refused below unless allowed
  }
  if (hash.empty() && !allow_other_config) {
    ATTENDSIM_INPUT_ERROR(run_json.string()
                          << ": key 'config_hash' missing or unreadable: cannot check that the "
                             "folder's results are of the same config (--allow-other-config "
                             "replaces them anyway)");
  }
  const std::string mine = config_hash(cfg);
  if (!hash.empty() && hash != mine && !allow_other_config) {
    ATTENDSIM_INPUT_ERROR(dir.string()
                          << ": holds results of another config (run.json config_hash " << hash
                          << ", this config " << mine
                          << "); give another --out, or --allow-other-config to mix them");
  }
}

std::string group_thousands(double v, int decimals) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(decimals) << std::abs(v);
  std::string s = os.str();
  const auto dot = s.find('.');
  std::string ip = s.substr(0, dot);
  const std::string fp = dot == std::string::npos ? "" : s.substr(dot);
  std::string grouped;
  for (std::size_t i = 0; i < ip.size(); ++i) {
    if (i > 0 && (ip.size() - i) % 3 == 0) grouped += ' ';
    grouped += ip[i];
  }
  return (v < 0 && std::round(std::abs(v) * std::pow(10, decimals)) > 0 ? "-" : "") + grouped + fp;
}

void print_run_table(std::ostream& os, const ModelConfig& cfg, const ExperimentResult& res) {
  os << cfg.name << ": " << res.options.draws << " draw(s) x " << res.options.replications
     << " replication(s), seed " << res.options.seed << "\n";
  os << "mean [95 % CI of the mean]\n\n";
  const Metric rows[] = {Metric::long_term_absent_pupils_per_year,
                         Metric::sustained_returns,
                         Metric::cases_started,
                         Metric::mean_wait_months,
                         Metric::completed_upper_secondary,
                         Metric::eligible_upper_secondary,
                         Metric::repeated_years,
                         Metric::cost_sek,
                         Metric::savings_sek,
                         Metric::net_benefit_sek,
                         Metric::roi};
  const std::size_t sc = res.scenarios.size();
  os << std::left << std::setw(34) << "metric";
  for (std::size_t s = 0; s < sc; ++s) os << std::setw(36) << res.scenarios[s].name;
  os << "\n";
  for (const Metric r : rows) {
    const MetricInfo& info = metric_info(r);
    const std::size_t mi = info.index();
    os << std::setw(34) << std::string(info.label_en);
    for (std::size_t s = 0; s < sc; ++s) {
      std::string cell = "-";
      if (not_computed(res, mi)) {
        cell = "not computed";
      } else if (mi < metric_count(s > 0)) {
        const auto vals = res.unit_values(s, mi);
        if (has_finite(vals)) {
          const Summary sm = summarise(vals);
          cell = group_thousands(sm.mean, info.decimals) + " [" +
                 group_thousands(sm.ci_low, info.decimals) + ", " +
                 group_thousands(sm.ci_high, info.decimals) + "]";
        }
      }
      os << std::setw(36) << cell;
    }
    os << "\n";
  }
  os << "\nperspective: " << name_of(cfg.structure.economics.perspective) << ", discount rate "
     << cfg.structure.economics.discount_rate << ", value past the horizon "
     << (cfg.structure.economics.terminal_value ? "on" : "off (horizon only)")
     << "; savings are scenario vs baseline"
     << " on common random numbers.\n";
  if (!res.not_computed.empty()) os << "not computed: " << kNotComputedReason << ".\n";
}

}  // namespace attendsim::models
