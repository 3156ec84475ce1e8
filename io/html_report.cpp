#include "io/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <vector>

#include "analysis/metrics.hpp"
#include "io/svg_chart.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keeps the scenario order of the files

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json read_json(const fs::path& p) {
  if (!fs::exists(p))
    ATTENDSIM_INPUT_ERROR(p.string() << ": missing (not a complete results folder)");
  try {
    return json::parse(read_text(p));
  } catch (const json::exception& e) {
    ATTENDSIM_INPUT_ERROR(p.string() << ": not valid JSON: " << e.what());
  }
}

/// A CSV file as rows of cells with a header map (no quoting: attendsim writes none).
struct Csv {
  std::map<std::string, std::size_t> col;
  std::vector<std::vector<std::string>> rows;
  const std::string& at(const std::vector<std::string>& r, const std::string& c) const {
    return r.at(col.at(c));
  }
};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream ls(line);
  while (std::getline(ls, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

Csv read_csv(const fs::path& p, const std::vector<std::string>& required) {
  if (!fs::exists(p))
    ATTENDSIM_INPUT_ERROR(p.string() << ": missing (not a complete results folder)");
  std::istringstream in(read_text(p));
  std::string line;
  Csv csv;
  if (!std::getline(in, line)) ATTENDSIM_INPUT_ERROR(p.string() << ": empty file");
  const auto head = split(line);
  for (std::size_t i = 0; i < head.size(); ++i) csv.col[head[i]] = i;
  for (const auto& r : required) {
    if (!csv.col.count(r)) ATTENDSIM_INPUT_ERROR(p.string() << ":1: missing column '" << r << "'");
  }
  int n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    auto cells = split(line);
    if (cells.size() != head.size())
      ATTENDSIM_INPUT_ERROR(p.string() << ":" << n << ": expected " << head.size() << " columns");
    csv.rows.push_back(std::move(cells));
  }
  return csv;
}

double to_d(const std::string& s) {
  return s.empty() ? std::nan("") : std::strtod(s.c_str(), nullptr);
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

/// Scenario names as shown: the baseline named for the language, "5fte" as "5 FTE" / "5 heltider".
std::string scenario_label(Language l, const std::string& name) {
  if (name == "baseline") return text_for(l).baseline;
  std::string s = std::regex_replace(name, std::regex("(\\d+(_\\d+)?)fte"),
                                     l == Language::sv ? "$1 heltider" : "$1 FTE");
  s = std::regex_replace(s, std::regex("(\\d+)_(\\d+)"), l == Language::sv ? "$1,$2" : "$1.$2");
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
    for (const auto& [from, to] : words) s = std::regex_replace(s, std::regex(from), to);
  }
  for (auto& c : s) {
    if (c == '_') c = ' ';
  }
  return s;
}

std::string ci_cell(Language l, const json& m, int d) {
  if (!m.is_object() || !m.contains("mean") || !m["mean"].is_number()) return "–";
  return format_for(l, m["mean"].get<double>(), d) + " [" +
         format_for(l, m["ci_low"].get<double>(), d) + ", " +
         format_for(l, m["ci_high"].get<double>(), d) + "]";
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
  if (!fs::is_directory(dir))
    ATTENDSIM_INPUT_ERROR(dir.string() << ": not a results folder (no such directory)");
  const Text& t = text_for(lang);
  const json summary = read_json(dir / "summary.json");
  const json run = read_json(dir / "run.json");
  if (!summary.contains("scenarios") || !summary["scenarios"].is_object() ||
      summary["scenarios"].empty()) {
    ATTENDSIM_INPUT_ERROR((dir / "summary.json").string() << ": key 'scenarios' missing or empty");
  }
  for (const char* k : {"version", "config_hash", "seed", "replications"}) {
    if (!run.contains(k))
      ATTENDSIM_INPUT_ERROR((dir / "run.json").string() << ": missing key '" << k << "'");
  }
  const Csv occ =
      read_csv(dir / "occupancy.csv", {"scenario", "month", "state", "mean", "p2_5", "p97_5"});
  const bool has_cmp = fs::exists(dir / "comparison.json");
  const json cmp = has_cmp ? read_json(dir / "comparison.json") : json();
  // Scenario labels and the description as compare wrote them (io/labels.hpp), in the
  // report's language; older folders fall back to labels made from the code names.
  const std::string code = language_code(lang);
  auto label_of = [&](const std::string& s) {
    if (has_cmp && cmp.contains("labels") && cmp["labels"].contains(s) &&
        cmp["labels"][s].contains(code) && cmp["labels"][s][code].is_string())
      return cmp["labels"][s][code].get<std::string>();
    return scenario_label(lang, s);
  };
  std::string description;
  if (has_cmp && cmp.contains("description") && cmp["description"].contains(code) &&
      cmp["description"][code].is_string())
    description = cmp["description"][code].get<std::string>();
  auto num_fmt = [lang](int d) { return [lang, d](double v) { return format_for(lang, v, d); }; };

  std::ostringstream h;
  const std::string name =
      description.empty() ? run.value("config_name", std::string("attendsim")) : description;
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
    std::smatch m;
    const std::string cfg = read_text(dir / "config.toml");
    if (std::regex_search(cfg, m, std::regex("description\\s*=\\s*\"([^\"]*)\"")))
      h << svg::escape(m[1].str());
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
  for (const Metric row : rows) {
    const std::string m(metric_info(row).name);
    const int d = metric_info(row).decimals;
    h << "<tr><td>" << svg::escape(metric_label(lang, m)) << "</td>";
    for (const auto& s : scen) {
      const auto& sm = summary["scenarios"][s];
      h << "<td>" << (sm.contains(m) ? ci_cell(lang, sm[m], d) : "–") << "</td>";
    }
    h << "</tr>";
  }
  h << "</table><p class=\"note\">" << t.mean_ci << "</p>\n";

  // Occupancy chart: high + extensive per scenario with band of the sum's bounds.
  {
    std::map<std::string, std::map<int, std::array<double, 3>>>
        acc;  // scenario -> month -> mean, lo, hi
    for (const auto& r : occ.rows) {
      const std::string st = occ.at(r, "state");
      if (st != "high" && st != "extensive") continue;
      auto& a = acc[occ.at(r, "scenario")][std::stoi(occ.at(r, "month"))];
      a[0] += to_d(occ.at(r, "mean"));
      a[1] += to_d(occ.at(r, "p2_5"));
      a[2] += to_d(occ.at(r, "p97_5"));
    }
    std::vector<svg::Series> series;
    for (const auto& s : scen) {
      if (!acc.count(s)) continue;
      svg::Series ser;
      ser.name = label_of(s);
      for (const auto& [month, a] : acc[s]) {
        ser.x.push_back(month);
        ser.y.push_back(a[0]);
        ser.low.push_back(a[1]);
        ser.high.push_back(a[2]);
      }
      series.push_back(std::move(ser));
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
          if (b == base.end()) continue;
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
      if (sm.contains("roi")) {
        roi.push_back({label_of(s), sm["roi"]["mean"].get<double>(),
                       sm["roi"]["ci_low"].get<double>(), sm["roi"]["ci_high"].get<double>()});
      }
      if (sm.contains("net_benefit_sek")) {
        const auto& n = sm["net_benefit_sek"];
        net.push_back({label_of(s), n["mean"].get<double>() / 1e6, n["ci_low"].get<double>() / 1e6,
                       n["ci_high"].get<double>() / 1e6});
      }
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
      << (cmp["break_even"].is_string()
              ? svg::escape(label_of(cmp["break_even"].get<std::string>()))
              : "–")
      << "</p><p class=\"note\">" << t.conditions
      << (lang == Language::sv ? "sannolikheten att avkastningen är minst " : "P(ROI ≥ ")
      << format_for(lang, cmp["roi_target"].get<double>(), 2)
      << (lang == Language::sv ? " kr per kr ska vara minst " : ") ≥ ")
      << format_for(lang, cmp["confidence"].get<double>(), 2) << ".</p>";
    // payback
    std::vector<svg::Series> pay;
    for (auto it = cmp["scenarios"].begin(); it != cmp["scenarios"].end(); ++it) {
      svg::Series ser;
      ser.name = label_of(it.key());
      const auto& v = it.value()["payback_share_by_year"];
      for (std::size_t y = 0; y < v.size(); ++y) {
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
  } else {
    h << "<p>" << t.no_comparison << "</p>";
  }

  // Equity
  h << "<h2>" << t.equity << "</h2>";
  if (fs::exists(dir / "equity.csv")) {
    const Csv eq =
        read_csv(dir / "equity.csv", {"scenario", "measure", "group", "mean", "ci_low", "ci_high"});
    std::vector<svg::IntervalPoint> gaps;
    for (const auto& r : eq.rows) {
      if (eq.at(r, "measure") == "access_rate" && eq.at(r, "group") == "gap_girls_minus_boys") {
        gaps.push_back({label_of(eq.at(r, "scenario")), 100 * to_d(eq.at(r, "mean")),
                        100 * to_d(eq.at(r, "ci_low")), 100 * to_d(eq.at(r, "ci_high"))});
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

  // Sensitivity
  h << "<h2>" << t.sensitivity << "</h2>";
  if (fs::exists(dir / "tornado.csv")) {
    const Csv tor = read_csv(dir / "tornado.csv",
                             {"parameter", "output", "output_low", "output_high", "swing"});
    std::vector<svg::IntervalPoint> bars;
    for (const auto& r : tor.rows) {
      if (tor.at(r, "output") != "net_benefit_sek" || bars.size() >= 8) continue;
      const double lo = to_d(tor.at(r, "output_low")), hi = to_d(tor.at(r, "output_high"));
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
  if (fs::exists(dir / "acceptability.csv")) {
    const Csv ac = read_csv(dir / "acceptability.csv",
                            {"value_per_outcome_sek", "scenario", "probability_best"});
    std::vector<svg::Series> curves;
    for (const auto& r : ac.rows) {
      const std::string label = label_of(ac.at(r, "scenario"));
      auto it = std::find_if(curves.begin(), curves.end(),
                             [&](const svg::Series& c) { return c.name == label; });
      if (it == curves.end()) {
        curves.push_back({label, {}, {}, {}, {}});
        it = curves.end() - 1;
      }
      it->x.push_back(to_d(ac.at(r, "value_per_outcome_sek")) / 1000.0);
      it->y.push_back(100.0 * to_d(ac.at(r, "probability_best")));
    }
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

  // Assumptions: the config's commented parameter lines that cite sources.
  h << "<h2>" << t.assumptions << "</h2>";
  if (fs::exists(dir / "config.toml")) {
    std::istringstream cfg(read_text(dir / "config.toml"));
    std::string line, section;
    h << "<table><tr><th>" << t.key << "</th><th>" << t.value << "</th><th>" << t.source
      << "</th></tr>";
    const std::regex kv("^([A-Za-z0-9_]+)\\s*=\\s*([^#]*?)\\s*#\\s*(.*)$");
    const std::regex sec("^\\[+([^\\]]+)\\]+");
    std::smatch m;
    while (std::getline(cfg, line)) {
      if (std::regex_search(line, m, sec)) section = m[1].str();
      if (std::regex_match(line, m, kv) &&
          std::regex_search(m[3].str(), std::regex("S[0-9]+|assumption"))) {
        h << "<tr><td>" << svg::escape(section + "." + m[1].str()) << "</td><td>"
          << svg::escape(m[2].str()) << "</td><td>" << svg::escape(m[3].str()) << "</td></tr>";
      }
    }
    h << "</table>";
  }

  // Provenance
  h << "<h2>" << t.provenance << "</h2><table>"
    << "<tr><td>" << t.version << "</td><td>" << svg::escape(run["version"].get<std::string>())
    << " (" << svg::escape(run.value("git_revision", std::string("?"))) << ")</td></tr>"
    << "<tr><td>" << t.config_hash << "</td><td>"
    << svg::escape(run["config_hash"].get<std::string>()) << "</td></tr>"
    << "<tr><td>" << t.seed << "</td><td>" << run["seed"].dump() << "</td></tr>"
    << "<tr><td>" << t.draws << "</td><td>" << run.value("draws", 1) << "</td></tr>"
    << "<tr><td>" << t.replications << "</td><td>" << run["replications"].dump()
    << "</td></tr></table>"
    << "<p class=\"note\">" << t.generated_by << "</p></body></html>\n";
  return h.str();
}

}  // namespace attendsim::models
