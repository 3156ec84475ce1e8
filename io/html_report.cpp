#include "io/html_report.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include "analysis/metrics.hpp"
#include "io/json_input.hpp"
#include "io/municipality_tables.hpp"
#include "io/report_threshold.hpp"
#include "io/subgroup_tables.hpp"
#include "io/svg_chart.hpp"
#include "models/attendance.hpp"
#include "sim/config.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"

namespace attendsim::models {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keeps the scenario order of the files

namespace {

std::string read_text(const fs::path& p) {
  return read_input_file(p, kMaxResultsBytes, "results file");
}

json read_json(const fs::path& p) {
  if (!fs::exists(p))
    ATTENDSIM_INPUT_ERROR(p.string() << ": missing (not a complete results folder)");
  json j = parse_json_input(read_text(p), p.string());
  if (!j.is_object()) ATTENDSIM_INPUT_ERROR(p.string() << ": must hold a JSON object {...}");
  return j;
}

/// A number of a JSON object: NaN when the key is absent or null (attendsim writes NaN as
/// null); an InputError naming file and key when it is anything else.
double jnum(const json& obj, const std::string& key, const fs::path& file,
            const std::string& where) {
  if (!obj.is_object())
    ATTENDSIM_INPUT_ERROR(file.string() << ": key '" << where << "' must be an object");
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nan("");
  if (!it->is_number())
    ATTENDSIM_INPUT_ERROR(file.string() << ": key '" << (where.empty() ? "" : where + ".") << key
                                        << "' must be a number, got " << it->type_name());
  return it->get<double>();
}

/// A number of a JSON object that must be there and finite (fit.json, written whole by
/// calibrate): InputError naming the file and key when absent, null or not a number.
double jneed(const json& obj, const std::string& key, const fs::path& file,
             const std::string& where) {
  const double v = jnum(obj, key, file, where);
  if (!std::isfinite(v))
    ATTENDSIM_INPUT_ERROR(file.string() << ": key '" << (where.empty() ? "" : where + ".") << key
                                        << "' missing or not a finite number");
  return v;
}

/// A string of a JSON object, or `fallback` when absent; InputError when not a string.
std::string jstr(const json& obj, const std::string& key, const std::string& fallback,
                 const fs::path& file) {
  const auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->is_string())
    ATTENDSIM_INPUT_ERROR(file.string()
                          << ": key '" << key << "' must be a string, got " << it->type_name());
  return it->get<std::string>();
}

/// A CSV file (quoted fields allowed, sim/csv.hpp) with a header map; cells are checked.
struct Csv {
  std::string path;
  std::map<std::string, std::size_t> col;
  std::vector<csv::Record> rows;
  const std::string& at(const csv::Record& r, const std::string& c) const {
    return r.cells.at(col.at(c));
  }
  /// A number cell ("" and "nan" are NaN); InputError naming file, line and column otherwise.
  double num(const csv::Record& r, const std::string& c) const {
    const std::string& s = at(r, c);
    if (s.empty() || s == "nan") return std::nan("");
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0')
      ATTENDSIM_INPUT_ERROR(path << ":" << r.line << ": column '" << c << "': not a number: '"
                                 << s.substr(0, 40) << "'");
    return v;
  }
  /// A whole number in [lo, hi].
  long integer(const csv::Record& r, const std::string& c, long lo, long hi) const {
    const double v = num(r, c);
    if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi)) || v != std::floor(v))
      ATTENDSIM_INPUT_ERROR(path << ":" << r.line << ": column '" << c
                                 << "': must be a whole number in " << lo << ".." << hi << ", got '"
                                 << at(r, c).substr(0, 40) << "'");
    return static_cast<long>(v);
  }
};

Csv read_csv(const fs::path& p, const std::vector<std::string>& required) {
  if (!fs::exists(p))
    ATTENDSIM_INPUT_ERROR(p.string() << ": missing (not a complete results folder)");
  Csv c;
  c.path = p.string();
  auto records = csv::parse(read_text(p), c.path);
  if (records.empty()) ATTENDSIM_INPUT_ERROR(p.string() << ": empty file");
  const auto head = records.front().cells;
  for (std::size_t i = 0; i < head.size(); ++i) c.col.emplace(head[i], i);
  for (const auto& r : required) {
    if (!c.col.count(r)) ATTENDSIM_INPUT_ERROR(p.string() << ":1: missing column '" << r << "'");
  }
  for (std::size_t k = 1; k < records.size(); ++k) {
    if (records[k].cells.size() != head.size())
      ATTENDSIM_INPUT_ERROR(p.string() << ":" << records[k].line << ": expected " << head.size()
                                       << " columns, got " << records[k].cells.size());
    c.rows.push_back(std::move(records[k]));
  }
  return c;
}

/// Every occurrence of `from` in `s` replaced by `to`.
std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// A config line "key = value # comment" split as the assumptions table needs it: the key
/// starts the line, the value is up to the first '#', the comment the rest. False otherwise.
bool split_commented_line(const std::string& line, std::string& key, std::string& value,
                          std::string& comment) {
  std::size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_'))
    ++i;
  if (i == 0) return false;
  key = line.substr(0, i);
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i >= line.size() || line[i] != '=') return false;
  ++i;
  const auto hash = line.find('#', i);
  if (hash == std::string::npos) return false;
  auto trim = [](std::string t) {
    const auto a = t.find_first_not_of(" \t");
    if (a == std::string::npos) return std::string();
    return t.substr(a, t.find_last_not_of(" \t") - a + 1);
  };
  value = trim(line.substr(i, hash - i));
  comment = line.substr(hash + 1);
  comment.erase(0, std::min(comment.size(), comment.find_first_not_of(" \t")));
  return true;
}

/// Whether a comment cites a source (S12) or names an assumption.
bool cites_source(const std::string& comment) {
  if (comment.find("assumption") != std::string::npos) return true;
  for (std::size_t i = 0; i + 1 < comment.size(); ++i) {
    if (comment[i] == 'S' && is_digit(comment[i + 1])) return true;
  }
  return false;
}

/// Every user-visible string of the report, in each language.
struct Text {
  std::string lang, title, evaluated, scenarios, outcomes, recommendation, equity, sensitivity,
      assumptions, provenance, occupancy_title, months_since_start, pupils, roi_title, sek_per_sek,
      scenario_axis, net_title, sek, msek, gap_title, percentage_points, payback_title, year_axis,
      percent, metric, mean_ci, no_comparison, roi_one, no_gap, baseline, no_sensitivity,
      tornado_title, swing_unit, parameter_axis, version, config_hash, seed, replications, draws,
      recommended_is, none_recommended, break_even, conditions, key, value, source, generated_by,
      acceptability_title, value_per_return_axis, probability_best_axis, averted_title;
};

const Text& text_for(Language l) {
  static const Text sv{
      "sv",
      "Effektrapport",
      "Vad som utvärderades",
      "Scenarier",
      "Utfall och avkastning",
      "Rekommendation",
      "Jämställdhet: vem får stöd",
      "Känslighetsanalys",
      "Viktiga antaganden och källor",
      "Ursprung",
      "Elever med hög eller omfattande frånvaro",
      "månader från start",
      "elever",
      "Avkastning per investerad krona",
      "kr per kr",
      "scenario",
      "Nettonytta",
      "kr",
      "miljoner kr",
      "Skillnad i tillgång till stöd, flickor minus pojkar",
      "procentenheter",
      "Andel simuleringar där investeringen är återbetald",
      "år från start",
      "procent",
      "mått",
      "medelvärde [95 % konfidensintervall]",
      "Ingen scenariojämförelse finns i mappen (kör attendsim compare).",
      "1 kr per kr",
      "ingen skillnad",
      "utan koordinatorer",
      "Ingen känslighetsanalys finns i mappen (kör attendsim sensitivity).",
      "Största påverkan på nettonyttan (envägsanalys)",
      "kr",
      "parameter",
      "version",
      "konfigurationens kontrollsumma",
      "startvärde för slumptalen",
      "upprepade simuleringar",
      "parameterdragningar",
      "Rekommenderad bemanning: ",
      "Ingen av de jämförda bemanningarna når målet med tillräcklig säkerhet.",
      "Bemanning där nettonyttan i genomsnitt är minst noll: ",
      "Villkor: ",
      "nyckel",
      "värde",
      "källa och kommentar",
      "Skapad av attendsim",
      "Sannolikhet att bemanningen ger störst nettonytta",
      "värde av en varaktig återgång (tusen kr)",
      "procent",
      "Färre elever med hög eller omfattande frånvaro än utan koordinatorer (medelvärde)"};
  static const Text en{
      "en",
      "Effect report",
      "What was evaluated",
      "Scenarios",
      "Outcomes and return on investment",
      "Recommendation",
      "Equity: who gets support",
      "Sensitivity analysis",
      "Main assumptions and sources",
      "Provenance",
      "Pupils with high or extensive absence",
      "months since start",
      "pupils",
      "Return per SEK invested",
      "SEK per SEK",
      "scenario",
      "Net benefit",
      "SEK",
      "million SEK",
      "Access to support, girls minus boys",
      "percentage points",
      "Share of replications that have paid back",
      "years since start",
      "percent",
      "metric",
      "mean [95 % confidence interval]",
      "No scenario comparison in this folder (run attendsim compare).",
      "1 SEK per SEK",
      "no gap",
      "baseline (no coordinators)",
      "No sensitivity analysis in this folder (run attendsim sensitivity).",
      "Largest effects on net benefit (one-way analysis)",
      "SEK",
      "parameter",
      "version",
      "config hash",
      "seed",
      "replications",
      "parameter draws",
      "Recommended staffing: ",
      "None of the compared staffing levels reaches the target with enough confidence.",
      "Staffing at which the mean net benefit is at least zero: ",
      "Conditions: ",
      "key",
      "value",
      "source and comment",
      "Made with attendsim",
      "Probability that a staffing level has the highest net benefit",
      "value of one sustained return (thousand SEK)",
      "percent",
      "Fewer pupils with high or extensive absence than without coordinators (mean)"};
  return l == Language::sv ? sv : en;
}

/// A metric's label from the metric table (analysis/metrics.hpp); the name itself when the
/// results hold a metric this build does not know.
std::string metric_label(Language l, const std::string& m) {
  const auto id = find_metric(m);
  return id ? std::string(metric_info(*id).label(l == Language::sv)) : m;
}

/// Scenario names as shown: the baseline named for the language, "5fte" as "5 FTE" /
/// "5 årsarbetare" ("1fte" as "1 heltid").
std::string scenario_label(Language l, const std::string& name) {
  if (name == "baseline") return text_for(l).baseline;
  // "5fte" / "2_5fte" -> "5 FTE" / "2_5 årsarbetare"; then "2_5" -> "2.5" / "2,5".
  auto fte = [l](const std::string& number) {
    if (l == Language::en) return std::string(" FTE");
    return std::string(number == "1" ? " heltid" : " årsarbetare");
  };
  std::string s;
  for (std::size_t i = 0; i < name.size();) {
    if (!is_digit(name[i])) {
      s += name[i++];
      continue;
    }
    std::size_t j = i;
    while (j < name.size() && is_digit(name[j])) ++j;
    std::size_t k = j;
    if (k + 1 < name.size() && name[k] == '_' && is_digit(name[k + 1])) {
      ++k;
      while (k < name.size() && is_digit(name[k])) ++k;
      if (name.compare(k, 3, "fte") == 0) {
        s += name.substr(i, k - i) + fte(name.substr(i, k - i));
        i = k + 3;
        continue;
      }
    }
    if (name.compare(j, 3, "fte") == 0) {
      s += name.substr(i, j - i) + fte(name.substr(i, j - i));
      i = j + 3;
      continue;
    }
    s += name.substr(i, j - i);
    i = j;
  }
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    if (is_digit(s[i]) && s[i + 1] == '_' && is_digit(s[i + 2])) {
      s[i + 1] = l == Language::sv ? ',' : '.';
      i += 2;
      while (i + 1 < s.size() && is_digit(s[i + 1])) ++i;
    }
  }
  if (l == Language::sv) {
    const std::pair<const char*, const char*> words[] = {{"coordinators", "koordinatorer"},
                                                         {"teams", "team"},
                                                         {"team", "team"},
                                                         {"equal_access", "lika tillgång"},
                                                         {"gender_parity", "jämn tillgång"},
                                                         {"fifo", "först till kvarn"},
                                                         {"severity_first", "svårast först"},
                                                         {"gender_proportional", "proportionellt"},
                                                         {"equal_referral", "lika remittering"},
                                                         {"as_configured", "som konfigurerat"},
                                                         {"msek", " mnkr"}};
    for (const auto& [from, to] : words) s = replace_all(s, from, to);
  }
  for (auto& c : s) {
    if (c == '_') c = ' ';
  }
  return s;
}

/// A number of a validated summary metric (NaN when null or absent).
double mval(const json& m, const char* key) {
  if (!m.is_object()) return std::nan("");
  const auto it = m.find(key);
  return it != m.end() && it->is_number() ? it->get<double>() : std::nan("");
}

std::string ci_cell(Language l, const json& m, int d) {
  if (!std::isfinite(mval(m, "mean"))) return "–";
  return format_for(l, mval(m, "mean"), d) + " [" + format_for(l, mval(m, "ci_low"), d) + "; " +
         format_for(l, mval(m, "ci_high"), d) + "]";
}

/// "YYYY-MM" as a month index (year * 12 + month - 1); -1 when malformed.
int month_index(const std::string& ym) {
  if (ym.size() != 7 || ym[4] != '-') return -1;
  for (int k : {0, 1, 2, 3, 5, 6}) {
    if (!is_digit(ym[static_cast<std::size_t>(k)])) return -1;
  }
  const int y = std::stoi(ym.substr(0, 4)), m = std::stoi(ym.substr(5, 2));
  if (m < 1 || m > 12) return -1;
  return y * 12 + m - 1;
}

/// The fit report of `attendsim calibrate` (fit.json, and fit.csv for a register), as an HTML
/// section; "" when the folder holds no calibration output. Every value read is checked
/// (InputError naming the file, and line and column for fit.csv).
std::string fit_section(const fs::path& dir, Language lang) {
  const fs::path fit_path = dir / "fit.json";
  if (!fs::exists(fit_path)) return "";
  const FitLabels& t = fit_labels(lang);
  const json fit = read_json(fit_path);
  const std::string method = jstr(fit, "method", "", fit_path);
  auto fmt = [lang](double v, int d) { return format_for(lang, v, d); };
  auto pct = [lang](double v, int d) { return format_for(lang, 100.0 * v, d) + " %"; };
  auto obj = [&](const json& o, const std::string& key) -> const json& {
    if (!o.contains(key) || !o[key].is_object())
      ATTENDSIM_INPUT_ERROR(fit_path.string() << ": key '" << key << "' missing or not an object");
    return o[key];
  };
  std::ostringstream h;
  h << "<h2>" << t.section << "</h2>";
  if (method == "register") {
    h << "<p>" << t.register_intro << "</p>\n";
    const Csv c =
        read_csv(dir / "fit.csv", {"year_month", "band", "state", "observed_share",
                                   "simulated_mean", "simulated_p2_5", "simulated_p97_5"});
    // band -> state -> month -> observed, mean, low, high
    std::map<std::string, std::map<std::string, std::map<int, std::array<double, 4>>>> cells;
    int first = -1;
    for (const auto& r : c.rows) {
      const int m = month_index(c.at(r, "year_month"));
      if (m < 0)
        ATTENDSIM_INPUT_ERROR(c.path << ":" << r.line
                                     << ": column 'year_month': expected YYYY-MM, got '"
                                     << c.at(r, "year_month").substr(0, 40) << "'");
      std::array<double, 4> v{c.num(r, "observed_share"), c.num(r, "simulated_mean"),
                              c.num(r, "simulated_p2_5"), c.num(r, "simulated_p97_5")};
      for (double x : v) {
        if (std::isfinite(x) && !(x >= 0 && x <= 1))
          ATTENDSIM_INPUT_ERROR(c.path << ":" << r.line << ": a share outside [0, 1]");
      }
      const std::string band = c.at(r, "band"), state = c.at(r, "state");
      if (band_words(Language::en, band) == band || state_words(Language::en, state) == state)
        ATTENDSIM_INPUT_ERROR(c.path << ":" << r.line << ": unknown band or state '"
                                     << band.substr(0, 40) << "', '" << state.substr(0, 40) << "'");
      first = first < 0 ? m : std::min(first, m);
      if (!std::isfinite(v[0])) continue;  // a cell without registered pupils is not drawn
      // Observed: the simulated share and its interval are numbers, p2_5 <= p97_5, once each.
      static const char* const kSim[] = {"simulated_mean", "simulated_p2_5", "simulated_p97_5"};
      for (int k = 1; k < 4; ++k) {
        if (!std::isfinite(v[k]))
          ATTENDSIM_INPUT_ERROR(c.path << ":" << r.line << ": column '" << kSim[k - 1]
                                       << "': a number is needed where a share was observed");
      }
      if (v[2] > v[3])
        ATTENDSIM_INPUT_ERROR(c.path << ":" << r.line
                                     << ": column 'simulated_p2_5': above simulated_p97_5");
      if (!cells[band][state].emplace(m, v).second)
        ATTENDSIM_INPUT_ERROR(c.path << ":" << r.line << ": band '" << band << "', state '" << state
                                     << "', month " << c.at(r, "year_month") << " given twice");
    }
    auto fmt0 = [lang](double v) { return format_for(lang, v, 0); };
    for (const char* band : {"grade0_6", "grade7_9", "grade10_12"}) {
      if (!cells.count(band)) continue;
      std::vector<svg::Series> series;
      for (const char* state : {"high", "extensive"}) {
        if (!cells[band].count(state)) continue;
        svg::Series obs, sim;
        obs.name = t.observed + ", " + state_words(lang, state);
        sim.name = t.simulated + ", " + state_words(lang, state);
        for (const auto& [m, v] : cells[band][state]) {
          obs.x.push_back(m - first);
          obs.y.push_back(100 * v[0]);
          sim.x.push_back(m - first);
          sim.y.push_back(100 * v[1]);
          sim.low.push_back(100 * v[2]);
          sim.high.push_back(100 * v[3]);
        }
        series.push_back(std::move(sim));
        series.push_back(std::move(obs));
      }
      if (series.empty()) continue;
      h << "<figure>"
        << svg::line_chart({t.chart_title + ": " + band_words(lang, band), t.x_axis, t.y_axis},
                           series, fmt0)
        << "</figure>\n";
    }
    const json& g = obj(fit, "fit");
    const json& reg = obj(fit, "register");
    h << "<h3>" << t.goodness << "</h3><table><tr><th>" << t.measure << "</th><th>" << t.value
      << "</th></tr>"
      << "<tr><td>" << t.coverage << " (" << t.coverage_note << ")</td><td>"
      << pct(jneed(g, "coverage_95", fit_path, "fit"), 1) << "</td></tr>"
      << "<tr><td>" << t.msr << " (" << t.msr_note << ")</td><td>"
      << fmt(jneed(g, "mean_sq_std_residual", fit_path, "fit"), 2) << "</td></tr>"
      << "<tr><td>" << t.rmse << "</td><td>"
      << fmt(100 * jneed(g, "rmse_share", fit_path, "fit"), 2) << "</td></tr>"
      << "<tr><td>" << t.pupil_months << "</td><td>"
      << fmt(jneed(reg, "records", fit_path, "register"), 0) << "</td></tr>"
      << "<tr><td>" << t.transitions << "</td><td>"
      << fmt(jneed(reg, "transitions", fit_path, "register"), 0) << "</td></tr>"
      << "<tr><td>" << t.pupils_first_month << "</td><td>"
      << fmt(jneed(reg, "first_month_pupils", fit_path, "register"), 0) << "</td></tr>"
      << "<tr><td>" << t.runs << "</td><td>" << fmt(jneed(g, "draws", fit_path, "fit"), 0)
      << "</td></tr>"
      << "<tr><td>" << t.seconds << "</td><td>"
      << fmt(jneed(fit, "calibrate_seconds", fit_path, ""), 1) << "</td></tr></table>"
      << "<p class=\"note\">" << t.not_estimated << "</p>\n";
  } else if (method == "targets_sir") {
    h << "<p>" << t.targets_intro << "</p>\n";
    if (!fit.contains("targets") || !fit["targets"].is_array())
      ATTENDSIM_INPUT_ERROR(fit_path.string() << ": key 'targets' missing or not an array");
    auto interval = [&](const json& d, const std::string& where, bool share) {
      const double scale = share ? 100.0 : 1.0;
      const int dec = 1;
      return fmt(scale * jneed(d, "mean", fit_path, where), dec) + " [" +
             fmt(scale * jneed(d, "p2_5", fit_path, where), dec) + "; " +
             fmt(scale * jneed(d, "p97_5", fit_path, where), dec) + "]" + (share ? " %" : "");
    };
    h << "<table><tr><th>" << t.target << "</th><th>" << t.observed_value << "</th><th>" << t.before
      << "</th><th>" << t.after << "</th></tr>";
    for (std::size_t k = 0; k < fit["targets"].size(); ++k) {
      const json& tg = fit["targets"][k];
      const std::string where = "targets[" + std::to_string(k) + "]";
      if (!tg.is_object())
        ATTENDSIM_INPUT_ERROR(fit_path.string() << ": key '" << where << "' must be an object");
      const std::string label = jstr(tg, "target", "", fit_path);
      const bool share = label.rfind("cases_started", 0) != 0 && label.rfind("returns", 0) != 0 &&
                         label.rfind("referrals", 0) != 0;
      const double scale = share ? 100.0 : 1.0;
      h << "<tr><td>" << svg::escape(target_words(lang, label)) << "</td><td>"
        << fmt(scale * jneed(tg, "value", fit_path, where), share ? 2 : 1) << " ("
        << fmt(scale * jneed(tg, "se", fit_path, where), share ? 2 : 1) << ")"
        << (share ? " %" : "") << "</td><td>"
        << interval(obj(tg, "simulated_prior"), where + ".simulated_prior", share) << "</td><td>"
        << interval(obj(tg, "simulated_posterior"), where + ".simulated_posterior", share)
        << "</td></tr>";
    }
    h << "</table>\n<table><tr><th>" << t.parameter << "</th><th>" << t.prior << "</th><th>"
      << t.posterior << "</th></tr>";
    if (!fit.contains("parameters") || !fit["parameters"].is_array())
      ATTENDSIM_INPUT_ERROR(fit_path.string() << ": key 'parameters' missing or not an array");
    {
      for (std::size_t k = 0; k < fit["parameters"].size(); ++k) {
        const json& p = fit["parameters"][k];
        const std::string where = "parameters[" + std::to_string(k) + "]";
        if (!p.is_object())
          ATTENDSIM_INPUT_ERROR(fit_path.string() << ": key '" << where << "' must be an object");
        auto iv = [&](const char* key) {
          const json& d = obj(p, key);
          return fmt(jneed(d, "mean", fit_path, where), 3) + " [" +
                 fmt(jneed(d, "p2_5", fit_path, where), 3) + "; " +
                 fmt(jneed(d, "p97_5", fit_path, where), 3) + "]";
        };
        h << "<tr><td><code>" << svg::escape(jstr(p, "path", "?", fit_path)) << "</code></td><td>"
          << iv("prior") << "</td><td>" << iv("posterior") << "</td></tr>";
      }
    }
    h << "</table>\n<h3>" << t.goodness << "</h3><table><tr><th>" << t.measure << "</th><th>"
      << t.value << "</th></tr><tr><td>" << t.ess << " (" << t.ess_note << ")</td><td>"
      << fmt(jneed(fit, "effective_sample_size", fit_path, ""), 1) << "</td></tr><tr><td>"
      << t.prior_samples << "</td><td>" << fmt(jneed(fit, "prior_draws", fit_path, ""), 0)
      << "</td></tr><tr><td>" << t.seconds << "</td><td>"
      << fmt(jneed(fit, "calibrate_seconds", fit_path, ""), 1) << "</td></tr></table>\n";
  } else {
    ATTENDSIM_INPUT_ERROR(fit_path.string()
                          << ": key 'method' must be 'register' or 'targets_sir', got '"
                          << method.substr(0, 40) << "'");
  }
  return h.str();
}

/// A report of a folder that holds only a calibration (fit.json, no summary.json).
std::string fit_only_report(const fs::path& dir, Language lang) {
  const FitLabels& t = fit_labels(lang);
  const std::string section = fit_section(dir, lang);
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"" << language_code(lang)
    << "\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<title>" << svg::escape(t.fit_only_title) << "</title><style>"
    << "body{font-family:sans-serif;max-width:980px;margin:2em auto;padding:0 "
       "1em;color:#222;line-height:1.45}"
    << "table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid "
       "#ccc;padding:4px 8px;text-align:right}"
    << "th:first-child,td:first-child{text-align:left}h1{font-size:26px}h2{margin-top:1.6em;border-"
       "bottom:1px solid #ddd}"
    << "figure{margin:1em 0}.note{color:#555;font-size:13px}</style></head><body>\n"
    << "<h1>" << svg::escape(t.fit_only_title) << "</h1>\n<p class=\"note\">" << t.no_run
    << "</p>\n"
    << section << "<p class=\"note\">" << text_for(lang).generated_by << "</p></body></html>\n";
  return h.str();
}

using LabelOf = std::function<std::string(const std::string&)>;

/// The series of `all` named `name`, appended empty when there is none yet.
svg::Series& series_named(std::vector<svg::Series>& all, const std::string& name) {
  for (auto& s : all) {
    if (s.name == name) return s;
  }
  all.push_back({name, {}, {}, {}, {}});
  return all.back();
}

/// The series of a CSV: one per scenario (by its label), points (x_col / x_div,
/// y_mul * y_col / y_div) in row order, non-finite points and empty series left out.
std::vector<svg::Series> series_of(const Csv& csv, const std::string& x_col, double x_div,
                                   const std::string& y_col, double y_mul, double y_div,
                                   const LabelOf& label_of) {
  std::vector<svg::Series> all;
  for (const auto& r : csv.rows) {
    svg::Series& series = series_named(all, label_of(csv.at(r, "scenario")));
    const double x = csv.num(r, x_col) / x_div, y = y_mul * csv.num(r, y_col) / y_div;
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    series.x.push_back(x);
    series.y.push_back(y);
  }
  all.erase(
      std::remove_if(all.begin(), all.end(), [](const svg::Series& c) { return c.x.empty(); }),
      all.end());
  return all;
}

/// The cost-effectiveness plane from the parameter draws (psa.csv of compare): per draw and
/// scenario, extra sustained returns against extra cost, both against no coordinators.
std::string ce_plane_html(const fs::path& dir, Language lang, const LabelOf& label_of) {
  if (!fs::exists(dir / "psa.csv")) return "";
  const Csv psa = read_csv(dir / "psa.csv",
                           {"scenario", "incremental_cost_sek", "incremental_sustained_returns"});
  const auto clouds = series_of(psa, "incremental_sustained_returns", 1.0, "incremental_cost_sek",
                                1.0, 1e6, label_of);
  if (clouds.empty()) return "";
  const bool sv = lang == Language::sv;
  const svg::ChartText text{
      sv ? "Kostnad och effekt i varje parameterdragning: extra kostnad och fler återgångar "
           "än utan koordinatorer"
         : "Cost and effect in each parameter draw: extra cost and extra returns against no "
           "coordinators",
      sv ? "fler varaktiga återgångar till skolan (elever)"
         : "extra sustained returns to school (pupils)",
      sv ? "miljoner kr" : "million SEK"};
  auto f0 = [lang](double v) { return format_for(lang, v, 0); };
  auto f1 = [lang](double v) { return format_for(lang, v, 1); };
  return "<figure>" + svg::scatter_chart(text, clouds, f0, f1) + "</figure>\n<p class=\"note\">" +
         (sv ? "Varje punkt är en parameterdragning: en möjlig uppsättning av de osäkra "
               "antagandena. Punkter till höger om den streckade lodräta linjen ger fler "
               "återgångar än utan koordinatorer."
             : "Each point is one parameter draw: one possible set of the uncertain "
               "assumptions. Points to the right of the dashed vertical line give more returns "
               "than no coordinators.") +
         "</p>\n";
}

/// The bridge from the plan's own calculation to the simulated return and the fund's
/// repayment, from comparison.json ("bridge", "fund"; analysis/bridge.hpp, analysis/fund.hpp).
std::string plan_and_fund_html(const json& cmp, const fs::path& cmp_path, Language lang,
                               const LabelOf& label_of) {
  const bool sv = lang == Language::sv;
  const std::string code = language_code(lang);
  std::ostringstream h;
  auto bad = [&](const std::string& key, const char* what) {
    ATTENDSIM_INPUT_ERROR(cmp_path.string() << ": key '" << key << "' must be " << what);
  };
  if (cmp.contains("bridge")) {
    const auto& b = cmp["bridge"];
    if (!b.is_object()) bad("bridge", "an object");
    const std::string shown = b.contains("shown_for") && b["shown_for"].is_string()
                                  ? b["shown_for"].get<std::string>()
                                  : "";
    if (!b.contains("steps") || !b["steps"].is_array()) bad("bridge.steps", "an array");
    if (!b.contains("roi_by_scenario") || !b["roi_by_scenario"].is_object())
      bad("bridge.roi_by_scenario", "an object");
    const auto& steps = b["steps"];
    if (!shown.empty() && b["roi_by_scenario"].contains(shown)) {
      const auto& rows = b["roi_by_scenario"][shown];
      if (!rows.is_array() || rows.size() != steps.size())
        bad("bridge.roi_by_scenario." + shown, "an array with one row per step");
      h << "<h2>"
        << (sv ? "Från planens kalkyl till simuleringen"
               : "From the plan's calculation to the "
                 "simulation")
        << "</h2><p>"
        << svg::escape(sv ? "Ett antagande ändras i taget, för " + label_of(shown) +
                                "; varje rad bygger på raden före."
                          : "One assumption changes at a time, for " + label_of(shown) +
                                "; each row builds on the one before.")
        << "</p><table><tr><th>" << (sv ? "steg" : "step") << "</th><th>"
        << (sv ? "vad som ändras" : "what changes") << "</th><th>"
        << (sv ? "kr per investerad krona" : "SEK per SEK invested") << "</th></tr>";
      std::vector<svg::IntervalPoint> points;
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const std::string where = "bridge.steps[" + std::to_string(i) + "]";
        if (!steps[i].is_object()) bad(where, "an object");
        const std::string text = jstr(steps[i], "label_" + code, "", cmp_path);
        const auto& r = rows[i];
        const std::string rw = "bridge.roi_by_scenario." + shown + "[" + std::to_string(i) + "]";
        const double mean = jnum(r, "mean", cmp_path, rw), lo = jnum(r, "p2_5", cmp_path, rw),
                     hi = jnum(r, "p97_5", cmp_path, rw);
        h << "<tr><td>" << i << "</td><td>" << svg::escape(text) << "</td><td>"
          << format_for(lang, mean, 2);
        if (std::isfinite(lo) && std::isfinite(hi) && hi > lo)
          h << " [" << format_for(lang, lo, 2) << "; " << format_for(lang, hi, 2) << "]";
        h << "</td></tr>";
        if (std::isfinite(mean))
          points.push_back({(sv ? "steg " : "step ") + std::to_string(i), mean,
                            std::isfinite(lo) ? lo : mean, std::isfinite(hi) ? hi : mean});
      }
      h << "</table><p class=\"note\">"
        << (sv ? "Inom hakparentes: det intervall där 95 % av simuleringarna hamnar."
               : "In brackets: the range holding 95 % of the simulations.")
        << "</p>\n";
      if (!points.empty()) {
        h << "<figure>"
          << svg::interval_chart(
                 {sv ? "Avkastning per investerad krona, steg för steg från planen"
                     : "Return per SEK invested, step by step from the plan",
                  sv ? "steg (se tabellen)" : "step (see the table)",
                  sv ? "kr per kr" : "SEK per SEK"},
                 points, [lang](double v) { return format_for(lang, v, 1); }, 1.0,
                 sv ? "1 kr per kr" : "1 SEK per SEK")
          << "</figure>\n";
      }
    }
  }
  if (cmp.contains("fund")) {
    const auto& f = cmp["fund"];
    if (!f.is_object()) bad("fund", "an object");
    if (!f.contains("scenarios") || !f["scenarios"].is_object()) bad("fund.scenarios", "an object");
    h << "<h2>"
      << (sv ? "Vad fonden kan räkna med att få tillbaka" : "What the fund can expect back")
      << "</h2><p>" << svg::escape(jstr(f, "terms_" + code, "", cmp_path)) << "</p>"
      << "<table><tr><th>" << (sv ? "alternativ" : "option") << "</th><th>"
      << (sv ? "förväntad återbetalning, kr" : "expected repayment, SEK") << "</th><th>"
      << (sv ? "nuvärde, kr" : "present value, SEK") << "</th><th>"
      << (sv ? "sannolikhet för återbetalning" : "probability of repayment") << "</th><th>"
      << (sv ? "år (median) då villkoret uppfylls" : "year (median) the condition is met")
      << "</th></tr>";
    for (const auto& [name, o] : f["scenarios"].items()) {
      const std::string where = "fund.scenarios." + name;
      if (!o.is_object()) bad(where, "an object");
      const json none = json::object();
      const auto& r = o.contains("expected_repayment_sek") ? o["expected_repayment_sek"] : none;
      const double mean = jnum(r, "mean", cmp_path, where + ".expected_repayment_sek");
      const auto& pv = o.contains("expected_repayment_present_value_sek")
                           ? o["expected_repayment_present_value_sek"]
                           : none;
      const double pv_mean =
          jnum(pv, "mean", cmp_path, where + ".expected_repayment_present_value_sek");
      const double p = jnum(o, "p_repaid", cmp_path, where),
                   pe = jnum(o, "p_repaid_mc_error", cmp_path, where),
                   year = jnum(o, "median_first_year", cmp_path, where);
      if (std::isfinite(p) && !(p >= 0 && p <= 1)) bad(where + ".p_repaid", "a share in [0, 1]");
      h << "<tr><td>" << svg::escape(label_of(name)) << "</td><td>" << format_for(lang, mean, 0)
        << "</td><td>" << (std::isfinite(pv_mean) ? format_for(lang, pv_mean, 0) : "–")
        << "</td><td>" << (std::isfinite(p) ? format_for(lang, 100 * p, 0) + " %" : "–");
      if (std::isfinite(pe) && pe > 0)
        h << " ± " << format_for(lang, 100 * pe, 0) << (sv ? " procentenheter" : " points");
      h << "</td><td>" << (std::isfinite(year) ? format_for(lang, year, 0) : "–") << "</td></tr>";
    }
    h << "</table><p class=\"note\">"
      << (sv ? "Nuvärde: återbetalningen diskonterad till simuleringens start med kalkylräntan."
             : "Present value: the repayment discounted to the start of the simulation at the "
               "discount rate.")
      << "</p>\n";
  }
  return h.str();
}

/// One number of a config value as the language writes it, with the decimals it was written with.
std::string config_number(Language lang, const std::string& token) {
  char* end = nullptr;
  const double v = std::strtod(token.c_str(), &end);
  if (end == token.c_str() || *end != '\0') return "";
  const auto dot = token.find('.');
  int decimals = 0;
  if (dot != std::string::npos && token.find_first_of("eE") == std::string::npos)
    decimals = static_cast<int>(token.size() - dot - 1);
  return format_for(lang, v, std::min(decimals, 6));
}

/// A config value in words for the Swedish appendix: numbers with a decimal comma, a
/// distribution as its base value and its kind, a policy or fund term in words; "" when the
/// value has no words (the row then shows the key's words and sources only).
std::string config_value_words(Language lang, const std::string& key, const std::string& raw) {
  const bool sv = lang == Language::sv;
  std::string v = raw;
  if (!v.empty() && v.front() == '"' && v.back() == '"' && v.size() >= 2) {
    const std::string s = v.substr(1, v.size() - 2);
    if (key == "coordinators.allocation_policy") {
      const auto p = parse_name<Allocation>(s);
      return p ? allocation_policy_words(lang, *p) : "";
    }
    if (key == "coordinators.referral_policy") {
      const auto p = parse_name<ReferralPolicy>(s);
      const auto w = referral_policy_words(lang, p.value_or(ReferralPolicy::as_configured));
      return w.empty() ? (sv ? "som tidigare" : "as before") : w;
    }
    if (key == "fund.measure") {
      if (s == "fewer_extensive_absent")
        return fund_measure_words(lang, FundMeasure::fewer_extensive_absent);
      if (s == "avoided_repeated_years")
        return fund_measure_words(lang, FundMeasure::avoided_repeated_years);
      if (s == "avoided_noncompletions")
        return fund_measure_words(lang, FundMeasure::avoided_noncompletions);
    }
    if (key == "fund.rule") {
      if (s == "effect")
        return sv ? "hela beloppet om effekten uppnås"
                  : "the whole amount if the effect is reached";
      if (s == "share_of_savings")
        return sv ? "en andel av besparingarna" : "a share of the savings";
    }
    return "";
  }
  if (v == "true") return sv ? "ja" : "yes";
  if (v == "false") return sv ? "nej" : "no";
  if (!v.empty() && v.front() == '{') {
    // An inline distribution table: its base value and its kind.
    // A linear scan (no std::regex over input text: its recursion overflows on long lines).
    const auto value_of = [&v](const std::string& name, const char* chars) -> std::string {
      for (std::size_t at = v.find(name); at != std::string::npos; at = v.find(name, at + 1)) {
        if (at > 0 && (std::isalnum(static_cast<unsigned char>(v[at - 1])) || v[at - 1] == '_'))
          continue;  // e.g. "database"
        std::size_t k = at + name.size();
        while (k < v.size() && (v[k] == ' ' || v[k] == '\t')) ++k;
        if (k >= v.size() || v[k] != '=') continue;
        ++k;
        while (k < v.size() && (v[k] == ' ' || v[k] == '\t')) ++k;
        const bool quoted = k < v.size() && v[k] == '"';
        if (quoted) ++k;
        const std::size_t e = v.find_first_not_of(chars, k);
        const std::size_t end = e == std::string::npos ? v.size() : e;
        if (end == k || (quoted && (end >= v.size() || v[end] != '"'))) continue;
        return v.substr(k, end - k);
      }
      return "";
    };
    std::string out;
    if (const auto b = value_of("base", "-+0123456789.eE"); !b.empty())
      out = config_number(lang, b);
    if (const auto d = value_of("dist", "abcdefghijklmnopqrstuvwxyz_"); !d.empty()) {
      const std::map<std::string, std::pair<const char*, const char*>> kinds = {
          {"beta", {"betafördelning", "beta distribution"}},
          {"lognormal", {"lognormalfördelning", "lognormal distribution"}},
          {"gamma", {"gammafördelning", "gamma distribution"}},
          {"uniform", {"likformig fördelning", "uniform distribution"}},
          {"normal", {"normalfördelning", "normal distribution"}},
          {"triangular", {"triangelfördelning", "triangular distribution"}}};
      const auto it = kinds.find(d);
      const std::string kind = it == kinds.end() ? (sv ? "fördelning" : "distribution")
                                                 : (sv ? it->second.first : it->second.second);
      out += (out.empty() ? "" : " ") + std::string(sv ? "(osäker: " : "(uncertain: ") + kind + ")";
    }
    return out;
  }
  if (!v.empty() && v.front() == '[') {
    // An array of numbers.
    std::string out, tok;
    const std::string inner =
        v.substr(1, v.find(']') == std::string::npos ? std::string::npos : v.find(']') - 1);
    std::istringstream is(inner);
    while (std::getline(is, tok, ',')) {
      const auto a = tok.find_first_not_of(" \t"), b = tok.find_last_not_of(" \t");
      if (a == std::string::npos) continue;
      const auto n = config_number(lang, tok.substr(a, b - a + 1));
      if (n.empty()) return "";
      out += (out.empty() ? "" : (sv ? "; " : ", ")) + n;
    }
    return out;
  }
  return config_number(lang, v);
}

/// The overrides of a results folder (overrides.toml, io/results_writer.cpp): dotted key ->
/// value as TOML text, for every value it replaces (tables written as sections or dotted keys
/// are walked; any other value, a distribution's inline table included, is one value).
std::map<std::string, std::string> override_values(const fs::path& file) {
  std::map<std::string, std::string> out;
  if (!fs::exists(file)) return out;
  const auto doc = config::Document::parse(read_text(file), file.string());
  std::function<void(const toml::table&, const std::string&)> walk = [&](const toml::table& t,
                                                                         const std::string& at) {
    for (auto&& [k, v] : t) {
      const std::string path = at.empty() ? std::string(k.str()) : at + "." + std::string(k.str());
      if (const auto* sub = v.as_table(); sub != nullptr && !sub->is_inline()) {
        walk(*sub, path);
        continue;
      }
      if (const auto* d = v.as_floating_point()) {  // shortest exact text: 0.6, not 0.599...98
        char buf[64];
        out[path] = std::string(buf, std::to_chars(buf, buf + sizeof buf, d->get()).ptr);
        continue;
      }
      toml::table one;
      one.insert_or_assign("x", v);
      std::ostringstream os;
      os << one;
      const std::string line = os.str();
      out[path] = line.rfind("x = ", 0) == 0 ? line.substr(4) : line;
    }
  };
  walk(doc.root(), "");
  return out;
}

/// Whether config key `path` acts only on pupils of a grade band in `absent_bands`.
bool acts_only_on_absent_band(const std::string& path, const std::set<std::string>& absent_bands) {
  for (const auto& band : absent_bands) {
    if (path.rfind("population.prevalence." + band + ".", 0) == 0) return true;
    if (band == "grade10_12" && (path == "outcomes.share_eligible_at_start_upper_sec" ||
                                 path == "outcomes.p_repeat_year_per_extensive_year_upper_sec"))
      return true;
  }
  return false;
}

/// The appendix: the config's commented parameter lines that cite a source. In both languages
/// each row is the key in words (io/labels.hpp), its value in words and the sources it cites,
/// no raw key and no comment text; a key without words is counted, not shown (the config file
/// in the results folder has them all).
/// A value replaced by the run's overrides (`overridden`) is shown with the overrides' value
/// and a note listing them all.
/// Rows whose parameter acts only on a grade band without pupils (`absent_bands`, e.g.
/// "grade10_12" in a compulsory-school population) are left out and counted in a sentence: the
/// prevalence of that band, and in upper secondary the share eligible at the start and the
/// repeated years there. (Completion rows stay: the value past the horizon projects the
/// compulsory-school pupils to the end of grade 12, §5.)
std::string assumptions_html(const std::string& config_text, Language lang,
                             const std::map<std::string, std::string>& overridden,
                             const std::set<std::string>& absent_bands) {
  const Text& t = text_for(lang);
  const bool sv = lang == Language::sv;
  std::ostringstream h;
  std::istringstream cfg(config_text);
  std::string line, section;
  h << "<table><tr><th>" << (sv ? "antagande" : "assumption") << "</th><th>" << t.value
    << "</th><th>" << (sv ? "källa" : "source") << "</th></tr>";
  std::string key, value, comment;
  int without_words = 0, absent_band_rows = 0;
  while (std::getline(cfg, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF configs
    if (line.size() > 1 && line[0] == '[') {
      const auto a = line.find_first_not_of('[');
      const auto b = line.find(']', a == std::string::npos ? line.size() : a);
      if (a != std::string::npos && b != std::string::npos && b > a)
        section = line.substr(a, b - a);
    }
    if (!split_commented_line(line, key, value, comment) || !cites_source(comment)) continue;
    const std::string path = section + "." + key;
    if (acts_only_on_absent_band(path, absent_bands)) {
      ++absent_band_rows;
      continue;
    }
    const auto words = config_key_words(path);
    if (!words) {
      ++without_words;
      continue;
    }
    // A value the run's overrides replaced is shown as simulated, its source as replaced.
    const auto o = overridden.find(path);
    h << "<tr><td>" << svg::escape(sv ? words->sv : words->en) << "</td><td>"
      << svg::escape(config_value_words(lang, path, o == overridden.end() ? value : o->second))
      << "</td><td>"
      << svg::escape(o == overridden.end() ? source_words(lang, comment)
                                           : (sv ? "ändrat för denna körning (overrides.toml)"
                                                 : "replaced for this run (overrides.toml)"))
      << "</td></tr>";
  }
  h << "</table>";
  if (!overridden.empty()) {
    h << "<p class=\"note\">"
      << (sv ? "Värden ändrade för denna körning (overrides.toml): "
             : "Values replaced for this run (overrides.toml): ");
    bool first = true;
    for (const auto& [k, v] : overridden) {
      h << (first ? "" : "; ") << svg::escape(k + " = " + v);
      first = false;
    }
    h << ".</p>\n";
  }
  h << "<p class=\"note\">"
    << (sv ? "Källorna (S1, S2 …) förtecknas i projektets källförteckning; "
             "konfigurationsfilen i resultatmappen anger dem med kommentarer."
           : "The sources (S1, S2 ...) are listed in the project's evidence table; the config "
             "file in the results folder cites them in comments.");
  if (absent_band_rows > 0) {
    h << " " << absent_band_rows
      << (sv ? " antaganden gäller bara årskurser som populationen inte har "
               "(förekomst av frånvaro där, och i gymnasiet behörighet vid start och att gå om "
               "ett år) och visas inte."
             : " assumptions act only on grades the population does not have (the prevalence "
               "of absence there and, in upper secondary, eligibility at the start and repeated "
               "years) and are not shown.");
  }
  if (without_words > 0)
    h << (sv ? " Ytterligare " : " Further ") << without_words
      << (sv ? " antaganden finns i konfigurationsfilen." : " assumptions are in the config file.");
  h << "</p>\n";
  return h.str();
}

}  // namespace

std::string format_for(Language lang, double v, int decimals) {
  if (!std::isfinite(v)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(v));
  std::string s = buf;
  const auto dot = s.find('.');
  std::string ip = s.substr(0, dot), fp = dot == std::string::npos ? "" : s.substr(dot + 1);
  std::string g;
  for (std::size_t i = 0; i < ip.size(); ++i) {
    if (i > 0 && (ip.size() - i) % 3 == 0) g += lang == Language::sv ? " " : ",";
    g += ip[i];
  }
  const bool neg = v < 0 && (std::stod(s) != 0.0);
  std::string out = (neg ? "-" : "") + g;
  if (!fp.empty()) out += (lang == Language::sv ? "," : ".") + fp;
  return out;
}

std::string build_report(const fs::path& dir, Language lang) {
  if (!fs::is_directory(dir)) {
    std::error_code ec;
    ATTENDSIM_INPUT_ERROR(dir.string()
                          << ": not a results folder ("
                          << (fs::exists(dir, ec) ? "not a folder" : "no such folder") << ")");
  }
  // A calibration folder (attendsim calibrate) without a run: the fit report alone.
  if (!fs::exists(dir / "summary.json") && fs::exists(dir / "fit.json"))
    return fit_only_report(dir, lang);
  const Text& t = text_for(lang);
  const json summary = read_json(dir / "summary.json");
  const json run = read_json(dir / "run.json");
  if (!summary.contains("scenarios") || !summary["scenarios"].is_object() ||
      summary["scenarios"].empty()) {
    ATTENDSIM_INPUT_ERROR((dir / "summary.json").string() << ": key 'scenarios' missing or empty");
  }
  const fs::path summary_path = dir / "summary.json", run_path = dir / "run.json";
  for (const char* k : {"version", "config_hash", "seed", "replications"}) {
    if (!run.contains(k)) ATTENDSIM_INPUT_ERROR(run_path.string() << ": missing key '" << k << "'");
  }
  for (const char* k : {"version", "config_hash", "git_revision", "config_name"}) {
    (void)jstr(run, k, "", run_path);
  }
  for (const char* k : {"seed", "replications", "draws"}) {
    if (run.contains(k) && !run[k].is_number_unsigned())
      ATTENDSIM_INPUT_ERROR(run_path.string() << ": key '" << k << "' must be a whole number >= 0");
  }
  // Every metric of the metric table (analysis/metrics.hpp) must be an object of numbers (or
  // nulls) where present.
  // A count-based run (docs/methods.md §4.12) lists the metrics it did not compute, each null
  // in every scenario; a null elsewhere is refused below as a tampered file.
  std::set<std::string> not_computed;
  if (summary.contains("not_computed")) {
    const auto& nc = summary["not_computed"];
    if (!nc.is_array())
      ATTENDSIM_INPUT_ERROR(summary_path.string()
                            << ": key 'not_computed' must be a list of metric names");
    for (const auto& m : nc) {
      if (!m.is_string() || !find_metric(m.get<std::string>()))
        ATTENDSIM_INPUT_ERROR(summary_path.string()
                              << ": key 'not_computed': expected names of metrics, got "
                              << m.dump());
      not_computed.insert(m.get<std::string>());
    }
  }
  for (const auto& [name, sm] : summary["scenarios"].items()) {
    const std::string where = "scenarios." + name;
    if (!sm.is_object())
      ATTENDSIM_INPUT_ERROR(summary_path.string() << ": key '" << where << "' must be an object");
    for (const auto& [m, value] : sm.items()) {
      if (!find_metric(m)) continue;
      if (value.is_null() && not_computed.count(m)) continue;
      for (const char* k : {"mean", "ci_low", "ci_high"})
        (void)jnum(value, k, summary_path, where + "." + m);
    }
  }
  const Csv occ =
      read_csv(dir / "occupancy.csv", {"scenario", "month", "state", "mean", "p2_5", "p97_5"});
  const bool has_cmp = fs::exists(dir / "comparison.json");
  const json cmp = has_cmp ? read_json(dir / "comparison.json") : json::object();
  const fs::path cmp_path = dir / "comparison.json";
  for (const char* k : {"recommended", "break_even"}) {
    if (cmp.contains(k) && !cmp[k].is_string() && !cmp[k].is_null())
      ATTENDSIM_INPUT_ERROR(cmp_path.string() << ": key '" << k << "' must be a name or null");
  }
  if (cmp.contains("scenarios") && !cmp["scenarios"].is_object())
    ATTENDSIM_INPUT_ERROR(cmp_path.string() << ": key 'scenarios' must be an object");
  // Scenario labels and the description as compare wrote them (io/labels.hpp), in the
  // report's language; older folders fall back to labels made from the code names.
  const std::string code = language_code(lang);
  auto label_of = [&](const std::string& s) {
    if (cmp.contains("labels") && cmp["labels"].is_object() && cmp["labels"].contains(s) &&
        cmp["labels"][s].is_object() && cmp["labels"][s].contains(code) &&
        cmp["labels"][s][code].is_string())
      return cmp["labels"][s][code].get<std::string>();
    return scenario_label(lang, s);
  };
  std::string description;
  if (cmp.contains("description") && cmp["description"].is_object() &&
      cmp["description"].contains(code) && cmp["description"][code].is_string())
    description = cmp["description"][code].get<std::string>();
  auto num_fmt = [lang](int d) { return [lang, d](double v) { return format_for(lang, v, d); }; };

  std::ostringstream h;
  const std::string name =
      description.empty() ? jstr(run, "config_name", "attendsim", run_path) : description;
  h << "<!DOCTYPE html>\n<html lang=\"" << t.lang << "\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<title>" << svg::escape(t.title + ": " + name) << "</title><style>"
    << "body{font-family:sans-serif;max-width:980px;margin:2em auto;padding:0 "
       "1em;color:#222;line-height:1.45}"
    << "table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid "
       "#ccc;padding:4px 8px;text-align:right}"
    << "th:first-child,td:first-child{text-align:left}h1{font-size:26px}h2{margin-top:1.6em;border-"
       "bottom:1px solid #ddd}"
    << "figure{margin:1em 0}.note{color:#555;font-size:13px}</style></head><body>\n";
  h << "<h1>" << svg::escape(t.title + ": " + name) << "</h1>\n";

  // What was evaluated
  h << "<h2>" << t.evaluated << "</h2><p>";
  if (!description.empty()) {
    h << svg::escape(description);
  } else if (fs::exists(dir / "config.toml")) {
    // The description the config really has (not a commented-out line): read as TOML.
    try {
      const auto doc =
          config::Document::parse(read_text(dir / "config.toml"), (dir / "config.toml").string());
      if (const auto d = config::TableReader(doc).string_or("description", ""); !d.empty())
        h << svg::escape(d);
    } catch (const InputError&) {
      // A config.toml that does not parse has no description to show.
    }
  }
  h << "</p>\n<h2>" << t.scenarios << "</h2><ul>";
  std::vector<std::string> scen;
  for (auto it = summary["scenarios"].begin(); it != summary["scenarios"].end(); ++it)
    scen.push_back(it.key());
  for (const auto& s : scen) h << "<li>" << svg::escape(label_of(s)) << "</li>";
  h << "</ul>\n";

  // Outcomes table
  h << "<h2>" << t.outcomes << "</h2><table><tr><th>" << t.metric << "</th>";
  for (const auto& s : scen) h << "<th>" << svg::escape(label_of(s)) << "</th>";
  h << "</tr>";
  const Metric rows[] = {Metric::long_term_absent_pupils_per_year,
                         Metric::sustained_returns,
                         Metric::cases_started,
                         Metric::mean_wait_months,
                         Metric::eligible_upper_secondary,
                         Metric::completed_upper_secondary,
                         Metric::repeated_years,
                         Metric::cost_sek,
                         Metric::savings_sek,
                         Metric::net_benefit_sek,
                         Metric::roi};
  bool wait_dash = false;        // a wait shown as "–" because nobody waited (wait_count)
  bool completion_dash = false;  // completion shown as "–": no upper secondary pupil
  for (const Metric row : rows) {
    const std::string m(metric_info(row).name);
    const int d = metric_info(row).decimals;
    h << "<tr><td>" << svg::escape(metric_label(lang, m)) << "</td>";
    for (const auto& s : scen) {
      const auto& sm = summary["scenarios"][s];
      bool shown = sm.contains(m) && !sm[m].is_null();
      if (const auto waiters = wait_count(row); shown && waiters) {
        const std::string c(metric_info(*waiters).name);
        if (sm.contains(c) && sm[c].is_object() && sm[c].contains("mean") &&
            sm[c]["mean"].is_number() && sm[c]["mean"].get<double>() == 0) {
          shown = false;
          wait_dash = true;
        }
      }
      // No upper secondary pupil within the horizon: nobody can complete it there.
      if (shown && row == Metric::completed_upper_secondary &&
          !band_holds_pupils(summary, s, Subgroup::grade10_12)) {
        shown = false;
        completion_dash = true;
      }
      h << "<td>" << (shown ? ci_cell(lang, sm[m], d) : "–") << "</td>";
    }
    h << "</tr>";
  }
  h << "</table><p class=\"note\">" << t.mean_ci << "</p>\n";
  if (completion_dash)
    h << "<p class=\"note\">" << svg::escape(no_upper_secondary_note(lang)) << "</p>\n";
  if (wait_dash) {
    h << "<p class=\"note\">"
      << (lang == Language::sv
              ? "Väntetid –: ingen remitterades till koordinatorerna (utan koordinatorer finns "
                "ingen kö), så ingen väntade och väntetiden är inte definierad."
              : "Wait –: nobody was referred to the coordinators (without coordinators there is no "
                "queue), so nobody waited and the wait is not defined.")
      << "</p>\n";
  }
  if (!not_computed.empty()) {  // the count-based path: say what it did not compute
    const bool sv = lang == Language::sv;
    h << "<p class=\"note\"><strong>" << (sv ? "Ej beräknat." : "Not computed.") << "</strong> "
      << (sv ? "Körningen går den räknebaserade vägen ([simulation] count_based, docs/methods.md "
               "§4.12), som inte följer eleverna en och en. Dessa mått beräknas därför inte och "
               "visas som –, aldrig som 0: "
             : "This run takes the count-based path ([simulation] count_based, docs/methods.md "
               "§4.12), which does not follow pupils one by one. These metrics are therefore not "
               "computed and shown as –, never as 0: ");
    bool first = true;
    for (const auto& info : metric_table()) {
      if (!not_computed.count(std::string(info.name))) continue;
      h << (first ? "" : ", ") << svg::escape(std::string(info.label(sv)));
      first = false;
    }
    h << ".</p>\n";
  }

  // Occupancy chart: high + extensive per scenario with band of the sum's bounds.
  {
    std::map<std::string, std::map<int, std::array<double, 3>>>
        acc;  // scenario -> month -> mean, lo, hi
    // Every row is checked, also those the chart does not use: a scenario of summary.json, a
    // state of the model, a month from 1, counts of pupils (finite, >= 0, p2_5 <= p97_5), each
    // (scenario, month, state) once. A tampered or foreign file is refused, not drawn in part.
    const std::set<std::string> scenario_names(scen.begin(), scen.end());
    std::set<std::tuple<std::string, int, std::string>> seen;
    for (const auto& r : occ.rows) {
      const std::string st = occ.at(r, "state");
      const std::string& sc = occ.at(r, "scenario");
      auto bad = [&](const char* column, const std::string& why) {
        ATTENDSIM_INPUT_ERROR(occ.path << ":" << r.line << ": column '" << column << "': " << why);
      };
      if (!scenario_names.count(sc))
        bad("scenario", "'" + sc.substr(0, 40) + "' is not a scenario of summary.json");
      if (std::find(kStateNames.begin(), kStateNames.end(), st) == kStateNames.end())
        bad("state", "'" + st.substr(0, 40) +
                         "' is not a state (regular, worrying, high, "
                         "extensive, left)");
      const int month = static_cast<int>(occ.integer(r, "month", 1, 100000));
      const double mean = occ.num(r, "mean"), lo = occ.num(r, "p2_5"), hi = occ.num(r, "p97_5");
      for (const auto& [column, v] :
           {std::pair<const char*, double>{"mean", mean}, {"p2_5", lo}, {"p97_5", hi}}) {
        if (!(std::isfinite(v) && v >= 0))
          bad(column,
              "must be a number of pupils >= 0, got '" + occ.at(r, column).substr(0, 40) + "'");
      }
      if (lo > hi) bad("p2_5", "above p97_5");
      if (!seen.emplace(sc, month, st).second)
        ATTENDSIM_INPUT_ERROR(occ.path << ":" << r.line << ": scenario '" << sc.substr(0, 40)
                                       << "', month " << month << ", state '" << st
                                       << "' given twice");
      if (st != "high" && st != "extensive") continue;
      auto& a = acc[occ.at(r, "scenario")][month];
      a[0] += mean;
      a[1] += lo;
      a[2] += hi;
    }
    std::vector<svg::Series> series;
    for (const auto& s : scen) {
      if (!acc.count(s)) continue;
      svg::Series ser;
      ser.name = label_of(s);
      for (const auto& [month, a] : acc[s]) {
        if (!std::isfinite(a[0]) || !std::isfinite(a[1]) || !std::isfinite(a[2])) continue;
        ser.x.push_back(month);
        ser.y.push_back(a[0]);
        ser.low.push_back(a[1]);
        ser.high.push_back(a[2]);
      }
      if (!ser.x.empty()) series.push_back(std::move(ser));
    }
    if (!series.empty()) {
      h << "<figure>"
        << svg::line_chart({t.occupancy_title, t.months_since_start, t.pupils}, series, num_fmt(0))
        << "</figure>\n";
    }
    // The levels differ by a few pupils in thousands: the difference of means against the
    // baseline (equal to the mean of the paired differences) shows the effect itself.
    std::vector<svg::Series> averted;
    if (acc.count("baseline")) {
      const auto& base = acc["baseline"];
      for (const auto& sc : scen) {
        if (sc == "baseline" || !acc.count(sc)) continue;
        svg::Series ser;
        ser.name = label_of(sc);
        for (const auto& [month, a] : acc[sc]) {
          const auto b = base.find(month);
          if (b == base.end() || !std::isfinite(b->second[0] - a[0])) continue;
          ser.x.push_back(month);
          ser.y.push_back(b->second[0] - a[0]);
        }
        if (!ser.x.empty()) averted.push_back(std::move(ser));
      }
    }
    if (!averted.empty()) {
      h << "<figure>"
        << svg::line_chart({t.averted_title, t.months_since_start, t.pupils}, averted, num_fmt(0))
        << "</figure>\n";
    }
  }
  // ROI and net benefit by scenario
  {
    std::vector<svg::IntervalPoint> roi, net;
    for (const auto& s : scen) {
      const auto& sm = summary["scenarios"][s];
      auto point = [&](const char* m, double scale) {
        const svg::IntervalPoint p{label_of(s), mval(sm[m], "mean") / scale,
                                   mval(sm[m], "ci_low") / scale, mval(sm[m], "ci_high") / scale};
        return p;
      };
      auto finite = [](const svg::IntervalPoint& p) {
        return std::isfinite(p.value) && std::isfinite(p.low) && std::isfinite(p.high);
      };
      if (sm.contains("roi") && finite(point("roi", 1.0))) roi.push_back(point("roi", 1.0));
      if (sm.contains("net_benefit_sek") && finite(point("net_benefit_sek", 1e6)))
        net.push_back(point("net_benefit_sek", 1e6));
    }
    if (!roi.empty()) {
      h << "<figure>"
        << svg::interval_chart({t.roi_title, t.scenario_axis, t.sek_per_sek}, roi, num_fmt(1), 1.0,
                               t.roi_one)
        << "</figure>\n";
    }
    if (!net.empty()) {
      h << "<figure>"
        << svg::interval_chart({t.net_title, t.scenario_axis, t.msek}, net, num_fmt(1), 0.0, "0")
        << "</figure>\n";
    }
  }

  // Recommendation
  h << "<h2>" << t.recommendation << "</h2>";
  if (has_cmp) {
    if (cmp.contains("recommended") && cmp["recommended"].is_string()) {
      h << "<p><strong>" << t.recommended_is
        << svg::escape(label_of(cmp["recommended"].get<std::string>())) << "</strong></p>";
    } else {
      h << "<p><strong>" << t.none_recommended << "</strong></p>";
    }
    h << "<p>" << t.break_even
      << (cmp.contains("break_even") && cmp["break_even"].is_string()
              ? svg::escape(label_of(cmp["break_even"].get<std::string>()))
              : "–")
      << "</p><p class=\"note\">" << t.conditions
      << (lang == Language::sv ? "sannolikheten att avkastningen är minst " : "P(ROI ≥ ")
      << format_for(lang, jnum(cmp, "roi_target", cmp_path, ""), 2)
      << (lang == Language::sv ? " kr per kr ska vara minst " : ") ≥ ")
      << format_for(lang, jnum(cmp, "confidence", cmp_path, ""), 2) << ".</p>";
    // payback
    std::vector<svg::Series> pay;
    const json no_scenarios = json::object();
    for (const auto& [sname, sv] :
         cmp.contains("scenarios") ? cmp["scenarios"].items() : no_scenarios.items()) {
      svg::Series ser;
      ser.name = label_of(sname);
      if (!sv.is_object() || !sv.contains("payback_share_by_year")) continue;
      const auto& v = sv["payback_share_by_year"];
      if (!v.is_array())
        ATTENDSIM_INPUT_ERROR(cmp_path.string() << ": key 'scenarios." << sname
                                                << ".payback_share_by_year' must be an array");
      for (std::size_t y = 0; y < v.size(); ++y) {
        if (!v[y].is_number() || !(v[y].get<double>() >= 0 && v[y].get<double>() <= 1))
          ATTENDSIM_INPUT_ERROR(cmp_path.string()
                                << ": key 'scenarios." << sname << ".payback_share_by_year[" << y
                                << "]' must be a share in [0, 1]");
        ser.x.push_back(static_cast<double>(y + 1));
        ser.y.push_back(100.0 * v[y].get<double>());
      }
      if (!ser.x.empty()) pay.push_back(std::move(ser));
    }
    if (!pay.empty()) {
      h << "<figure>"
        << svg::line_chart({t.payback_title, t.year_axis, t.percent}, pay, num_fmt(0), 100.0)
        << "</figure>\n";
    }
    h << plan_and_fund_html(cmp, cmp_path, lang, label_of);
  } else {
    h << "<p>" << t.no_comparison << "</p>";
  }

  h << threshold_report_section(dir, lang, label_of);

  // Equity
  h << "<h2>" << t.equity << "</h2>";
  if (fs::exists(dir / "equity.csv")) {
    const Csv eq =
        read_csv(dir / "equity.csv", {"scenario", "measure", "group", "mean", "ci_low", "ci_high"});
    std::vector<svg::IntervalPoint> gaps;
    for (const auto& r : eq.rows) {
      if (eq.at(r, "measure") == "access_rate" && eq.at(r, "group") == "gap_girls_minus_boys") {
        const svg::IntervalPoint p{label_of(eq.at(r, "scenario")), 100 * eq.num(r, "mean"),
                                   100 * eq.num(r, "ci_low"), 100 * eq.num(r, "ci_high")};
        if (std::isfinite(p.value) && std::isfinite(p.low) && std::isfinite(p.high))
          gaps.push_back(p);
      }
    }
    if (!gaps.empty()) {
      h << "<figure>"
        << svg::interval_chart({t.gap_title, t.scenario_axis, t.percentage_points}, gaps,
                               num_fmt(2), 0.0, t.no_gap)
        << "</figure>\n";
    }
  } else {
    h << "<p>" << t.no_comparison << "</p>";
  }

  // By gender and grade band (io/subgroup_tables.hpp): the recommended scenario, else the
  // one with the highest mean net benefit.
  {
    std::optional<std::string> recommended;
    if (cmp.contains("recommended") && cmp["recommended"].is_string())
      recommended = cmp["recommended"].get<std::string>();
    h << subgroup_report_section(summary, recommended, label_of, lang);
  }

  // Side by side, when the folder is a run of several municipalities
  // (io/municipality_tables.hpp).
  if (fs::exists(dir / "municipalities.csv")) {
    const auto p = dir / "municipalities.csv";
    h << municipality_report_section(read_municipalities_csv(read_text(p), p.string()), lang);
  }

  // Sensitivity
  h << "<h2>" << t.sensitivity << "</h2>";
  if (fs::exists(dir / "tornado.csv")) {
    const Csv tor = read_csv(dir / "tornado.csv",
                             {"parameter", "output", "output_low", "output_high", "swing"});
    std::vector<svg::IntervalPoint> bars;
    for (const auto& r : tor.rows) {
      if (tor.at(r, "output") != "net_benefit_sek" || bars.size() >= 8) continue;
      const double lo = tor.num(r, "output_low"), hi = tor.num(r, "output_high");
      if (!std::isfinite(lo) || !std::isfinite(hi)) continue;
      bars.push_back({tor.at(r, "parameter"), 0.5 * (lo + hi) / 1e6, std::min(lo, hi) / 1e6,
                      std::max(lo, hi) / 1e6});
    }
    if (!bars.empty()) {
      h << "<figure>"
        << svg::interval_chart({t.tornado_title, t.parameter_axis, t.msek}, bars, num_fmt(1), 0.0,
                               "0")
        << "</figure>\n";
    }
  }
  h << ce_plane_html(dir, lang, label_of);
  if (fs::exists(dir / "acceptability.csv")) {
    const Csv ac = read_csv(dir / "acceptability.csv",
                            {"value_per_outcome_sek", "scenario", "probability_best"});
    const auto curves =
        series_of(ac, "value_per_outcome_sek", 1000.0, "probability_best", 100.0, 1.0, label_of);
    if (!curves.empty()) {
      h << "<figure>"
        << svg::line_chart(
               {t.acceptability_title, t.value_per_return_axis, t.probability_best_axis}, curves,
               num_fmt(0), 100.0)
        << "</figure>\n";
    }
  }
  if (!fs::exists(dir / "tornado.csv") && !fs::exists(dir / "acceptability.csv")) {
    h << "<p>" << t.no_sensitivity << "</p>";
  }
  h << sobol_report_section(dir, lang);

  // Fit to the municipality's data, when the folder holds calibration output.
  h << fit_section(dir, lang);

  // Assumptions: the config's commented parameter lines that cite sources.
  h << "<h2>" << t.assumptions << "</h2>";
  if (fs::exists(dir / "config.toml")) {
    // Grade bands without a pupil in the run (the first scenario's, the baseline).
    std::set<std::string> absent_bands;
    const std::string first = summary["scenarios"].begin().key();
    for (const Subgroup band : {Subgroup::grade0_6, Subgroup::grade7_9, Subgroup::grade10_12})
      if (!band_holds_pupils(summary, first, band))
        absent_bands.insert(std::string(subgroup_name(band)));
    h << assumptions_html(read_text(dir / "config.toml"), lang,
                          override_values(dir / "overrides.toml"), absent_bands);
  }

  // Provenance
  h << "<h2>" << t.provenance << "</h2><table>"
    << "<tr><td>" << t.version << "</td><td>" << svg::escape(jstr(run, "version", "?", run_path))
    << " (" << svg::escape(jstr(run, "git_revision", "?", run_path)) << ")</td></tr>"
    << "<tr><td>" << t.config_hash << "</td><td>"
    << svg::escape(jstr(run, "config_hash", "?", run_path)) << "</td></tr>"
    << "<tr><td>" << t.seed << "</td><td>" << run["seed"].dump() << "</td></tr>"
    << "<tr><td>" << t.draws << "</td><td>" << (run.contains("draws") ? run["draws"].dump() : "1")
    << "</td></tr>"
    << "<tr><td>" << t.replications << "</td><td>" << run["replications"].dump()
    << "</td></tr></table>"
    << "<p class=\"note\">" << t.generated_by << "</p></body></html>\n";
  return h.str();
}

}  // namespace attendsim::models
