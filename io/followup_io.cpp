#include "io/followup_io.hpp"

#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "analysis/metrics.hpp"
#include "io/csv_fields.hpp"
#include "io/json_input.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

namespace {

using json = nlohmann::ordered_json;

double number_at(const json& m, const char* key, const std::string& where) {
  if (!m.contains(key) || !m[key].is_number())
    ATTENDSIM_INPUT_ERROR(where << ": key '" << key << "' missing or not a number");
  const double v = m[key].get<double>();
  if (!std::isfinite(v))
    ATTENDSIM_INPUT_ERROR(where << ": key '" << key << "' must be a finite number");
  return v;
}

}  // namespace

std::vector<FollowupRow> parse_followup(const std::string& summary_text,
                                        const std::filesystem::path& summary_path,
                                        const std::string& observed_text, const std::string& file,
                                        std::string default_scenario) {
  json summary = parse_json_input(summary_text, summary_path.string());
  if (!summary.contains("scenarios") || !summary["scenarios"].is_object() ||
      summary["scenarios"].empty())
    ATTENDSIM_INPUT_ERROR(summary_path.string() << ": key 'scenarios' missing or empty");
  const json& scen = summary["scenarios"];
  if (!default_scenario.empty() && !scen.contains(default_scenario)) {
    std::string known;
    for (auto it = scen.begin(); it != scen.end(); ++it)
      known += (known.empty() ? "" : ", ") + it.key();
    ATTENDSIM_INPUT_ERROR("--scenario: no scenario '" << default_scenario << "' in "
                                                      << summary_path.string()
                                                      << " (scenarios: " << known << ")");
  }
  if (default_scenario.empty()) {
    std::vector<std::string> others;
    for (auto it = scen.begin(); it != scen.end(); ++it) {
      if (it.key() != "baseline") others.push_back(it.key());
    }
    if (others.size() == 1) {
      default_scenario = others[0];
    } else if (others.empty()) {
      default_scenario = "baseline";
    }
  }
  const auto ls = csv::lines(observed_text);  // views into observed_text
  if (ls.empty()) ATTENDSIM_INPUT_ERROR(file << ":1: empty file: expected a header line");
  const auto head = csv::fields(ls[0].text);
  int c_scen = -1, c_metric = -1, c_value = -1;
  for (std::size_t k = 0; k < head.size(); ++k) {
    int* slot = head[k] == "scenario" ? &c_scen
                : head[k] == "metric" ? &c_metric
                : head[k] == "value"  ? &c_value
                                      : nullptr;
    if (slot == nullptr || *slot >= 0)
      ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": column '" << std::string(head[k])
                                 << "' (" << k + 1
                                 << "): " << (slot ? "given twice" : "unknown column")
                                 << " (expected metric, value and optionally scenario)");
    *slot = static_cast<int>(k);
  }
  if (c_metric < 0 || c_value < 0)
    ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": missing column '"
                               << (c_metric < 0 ? "metric" : "value") << "'");
  std::vector<FollowupRow> rows;
  std::map<std::pair<std::string, std::string>, int> seen;
  for (std::size_t n = 1; n < ls.size(); ++n) {
    const int line = ls[n].number;
    const auto f = csv::row_fields(ls[n], head.size(), file);
    std::string sc = c_scen >= 0 ? std::string(f[static_cast<std::size_t>(c_scen)]) : "";
    if (sc.empty()) sc = default_scenario;
    if (sc.empty())
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "scenario", c_scen + 1)
                            << "the results hold several scenarios: name one (a scenario column "
                               "or --scenario)");
    if (!scen.contains(sc))
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "scenario", c_scen + 1)
                            << "no scenario '" << sc << "' in " << summary_path.string());
    const std::string metric(f[static_cast<std::size_t>(c_metric)]);
    const json& ms = scen[sc];
    if (!find_metric(metric)) {
      std::string known;
      for (const auto& m : metric_table())
        known += (known.empty() ? "" : ", ") + std::string(m.name);
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "metric", c_metric + 1)
                            << "unknown metric '" << metric << "' (known: " << known << ")");
    }
    if (!ms.contains(metric))
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "metric", c_metric + 1)
                            << "metric '" << metric << "' has no forecast for scenario '" << sc
                            << "' in " << summary_path.string()
                            << " (undefined in every unit, or an economic metric of the baseline)");
    double v = 0;
    if (!csv::parse_number(f[static_cast<std::size_t>(c_value)], v))
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "value", c_value + 1)
                            << "expected a number, got '"
                            << std::string(f[static_cast<std::size_t>(c_value)]) << "'");
    // A count, a number of months or a share cannot be negative, nor a cost; a share is at
    // most 1. Savings, net benefit and ROI can be below 0.
    const auto& info = metric_info(*find_metric(metric));
    const bool signed_metric = info.economic() && info.id != Metric::cost_sek;
    if (!signed_metric && v < 0)
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "value", c_value + 1)
                            << "metric '" << metric << "' (" << info.unit
                            << ") cannot be negative, got " << v);
    if (info.unit == "share" && v > 1)
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "value", c_value + 1)
                            << "metric '" << metric << "' is a share (0 to 1), got " << v);
    auto [it, fresh] = seen.try_emplace({sc, metric}, line);
    if (!fresh)
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "metric", c_metric + 1)
                            << "metric '" << metric << "' given twice (first at line " << it->second
                            << ")");
    const std::string where = summary_path.string() + ": scenarios." + sc + "." + metric;
    ForecastInterval fc{number_at(ms[metric], "mean", where), number_at(ms[metric], "p2_5", where),
                        number_at(ms[metric], "p97_5", where)};
    // An interval upside down or too wide for a double gives no meaningful excess width.
    if (!(fc.p2_5 <= fc.p97_5) || !std::isfinite(fc.p97_5 - fc.p2_5))
      ATTENDSIM_INPUT_ERROR(where << ": p2_5 " << fc.p2_5 << " and p97_5 " << fc.p97_5
                                  << " are no interval (p2_5 <= p97_5, finite width)");
    rows.push_back(follow_up(sc, metric, v, fc));
    if (!std::isfinite(rows.back().excess_widths))
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "value", c_value + 1)
                            << "observed value " << v
                            << " is too far outside the forecast interval "
                            << "of " << where << " to compare");
    rows.back().unit = std::string(metric_info(*find_metric(metric)).unit);
  }
  if (rows.empty()) ATTENDSIM_INPUT_ERROR(file << ": no observed values");
  return rows;
}

std::vector<FollowupRow> read_followup(const std::filesystem::path& results_dir,
                                       const std::filesystem::path& observed_csv,
                                       std::string default_scenario) {
  const auto summary_path = results_dir / "summary.json";
  const std::string summary =
      read_input_file(summary_path, kMaxResultsBytes, "forecast summary (run or compare first)");
  return parse_followup(summary, summary_path,
                        read_input_file(observed_csv, kMaxTableBytes, "observed outcomes file"),
                        observed_csv.string(), std::move(default_scenario));
}

std::string followup_csv(const std::vector<FollowupRow>& rows) {
  std::string out =
      "scenario,metric,unit,observed,forecast_mean,forecast_p2_5,forecast_p97_5,outside,"
      "excess_widths\n";
  for (const auto& r : rows) {
    out += r.scenario + "," + r.metric + "," + r.unit + "," + format_number(r.observed) + "," +
           format_number(r.forecast.mean) + "," + format_number(r.forecast.p2_5) + "," +
           format_number(r.forecast.p97_5) + "," + (r.outside ? "1" : "0") + "," +
           format_number(r.excess_widths) + "\n";
  }
  return out;
}

}  // namespace attendsim::models
