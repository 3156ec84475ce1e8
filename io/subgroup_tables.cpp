#include "io/subgroup_tables.hpp"

#include <cmath>
#include <sstream>

#include "io/svg_chart.hpp"
#include "sim/statistics.hpp"

namespace attendsim::models {

namespace {

struct Words {
  const char* title;
  const char* metric;
  const char* note;
};

const Words& words(Language lang) {
  static const Words sv{
      "Resultat per kön och årskurser", "mått",
      "Medelvärde [95 % konfidensintervall] för alternativet ovan. Pojkar och flickor, och "
      "årskursgrupperna, summerar till totalen utom för väntetid, andelar och avkastning. "
      "En elev räknas i den årskursgrupp där eleven gick när händelsen inträffade. Kostnaden "
      "fördelas efter påbörjade ärenden. Besparingen räknas i den grupp där den undvikna "
      "händelsen inträffar, till exempel i gymnasieskolan när en elev som fick stöd i årskurs 8 "
      "sedan fullföljer gymnasiet. Därför anges avkastning per investerad krona för pojkar och "
      "flickor men inte per årskursgrupp. – står för ett värde som inte är definierat, till "
      "exempel avkastningen per årskursgrupp eller väntetiden där inget ärende påbörjades: ingen "
      "väntade."};
  static const Words en{
      "Results by gender and grade band", "metric",
      "Mean [95 % confidence interval] for the option above. Boys and girls, and the "
      "grade bands, add up to the total except for waits, shares and the return. A pupil counts "
      "in the grade band it was in when the event happened. The cost is shared out by cases "
      "started. A saving counts in the group where the avoided event happens, for example in "
      "upper secondary school when a pupil helped in grade 8 later completes it. So the return "
      "per SEK invested is given for boys and girls but not by grade band. – marks a value that "
      "is not defined, such as the return of a grade band or the wait where no case started: "
      "nobody waited."};
  return lang == Language::sv ? sv : en;
}

constexpr Subgroup kColumns[] = {Subgroup::total,    Subgroup::boys,     Subgroup::girls,
                                 Subgroup::grade0_6, Subgroup::grade7_9, Subgroup::grade10_12};

bool is_band(Subgroup g) {
  return g == Subgroup::grade0_6 || g == Subgroup::grade7_9 || g == Subgroup::grade10_12;
}

/// The metrics that decide whether a grade band's column is shown: its pupil-months in each
/// state and the table's own rows. A band whose values are all 0 (or undefined) held no
/// pupil within the horizon (Mora's F-9 population has no upper secondary school) and had no
/// event or saving counted in it: its column would be a row of zeros.
std::vector<Metric> column_evidence() {
  std::vector<Metric> ms = {Metric::pupil_months_regular, Metric::pupil_months_worrying,
                            Metric::pupil_months_high, Metric::pupil_months_extensive};
  for (const Metric m : subgroup_table_metrics()) ms.push_back(m);
  return ms;
}

/// The sentence under the table naming the bands left out ("" when none is).
std::string omitted_note(Language lang, const std::vector<Subgroup>& omitted) {
  if (omitted.empty()) return "";
  const bool sv = lang == Language::sv;
  std::string names;
  for (std::size_t i = 0; i < omitted.size(); ++i) {
    if (i > 0) names += i + 1 == omitted.size() ? (sv ? " och " : " and ") : ", ";
    names += subgroup_words(lang, omitted[i]);
  }
  if (sv)
    return (omitted.size() == 1 ? "Kolumnen för " : "Kolumnerna för ") + names +
           " visas inte: populationen har inga elever där under tidshorisonten, och inga "
           "utfall eller besparingar räknas där.";
  return "The " + names + (omitted.size() == 1 ? " column is" : " columns are") +
         " not shown: the population has no pupils there within the horizon, and no outcome "
         "or saving counts there.";
}

std::string interval(Language lang, double mean, double lo, double hi, int d) {
  if (!std::isfinite(mean)) return "–";
  if (!std::isfinite(lo) || !std::isfinite(hi)) return format_number_in(lang, mean, d);
  return format_number_in(lang, mean, d) + " [" + format_number_in(lang, lo, d) + "; " +
         format_number_in(lang, hi, d) + "]";
}

/// A number of a summary.json metric object, NaN when absent or not a number.
double field(const nlohmann::json& m, const char* key) {
  if (!m.is_object()) return std::nan("");
  const auto it = m.find(key);
  return it != m.end() && it->is_number() ? it->get<double>() : std::nan("");
}

}  // namespace

bool band_holds_pupils(const ExperimentResult& res, std::size_t scenario, Subgroup band) {
  for (const Metric m : {Metric::pupil_months_regular, Metric::pupil_months_worrying,
                         Metric::pupil_months_high, Metric::pupil_months_extensive}) {
    for (const double v : res.unit_values(scenario, band, metric_info(m).index()))
      if (std::isfinite(v) && v != 0) return true;
  }
  return false;
}

bool band_holds_pupils(const nlohmann::json& summary, const std::string& scenario, Subgroup band) {
  if (!summary.contains("subgroups") || !summary["subgroups"].is_object() ||
      !summary["subgroups"].contains(scenario))
    return true;
  const auto& sg = summary["subgroups"][scenario];
  const std::string g(subgroup_name(band));
  if (!sg.is_object() || !sg.contains(g) || !sg[g].is_object()) return true;
  for (const Metric m : {Metric::pupil_months_regular, Metric::pupil_months_worrying,
                         Metric::pupil_months_high, Metric::pupil_months_extensive}) {
    const std::string key(metric_info(m).name);
    if (!sg[g].contains(key)) return true;  // not given: nothing to tell
    for (const char* k : {"mean", "ci_low", "ci_high"}) {
      const double v = field(sg[g][key], k);
      if (!std::isfinite(v) || v != 0) return true;
    }
  }
  return false;
}

std::string no_upper_secondary_note(Language lang) {
  return lang == Language::sv
             ? "Fullföljd gymnasieskola –: populationen omfattar inga gymnasieelever under "
               "tidshorisonten, så ingen fullföljer gymnasiet inom den."
             : "Completed upper secondary –: the population holds no upper secondary pupils "
               "within the horizon, so nobody completes upper secondary within it.";
}

const std::vector<Metric>& subgroup_table_metrics() {
  static const std::vector<Metric> rows = {Metric::long_term_absent_pupils_per_year,
                                           Metric::cases_started,
                                           Metric::mean_wait_admitted_months,
                                           Metric::sustained_returns,
                                           Metric::sustained_return_within_12_months_share,
                                           Metric::repeated_years,
                                           Metric::cost_sek,
                                           Metric::savings_sek,
                                           Metric::net_benefit_sek,
                                           Metric::roi};
  return rows;
}

std::string subgroup_words(Language lang, Subgroup g) {
  const bool sv = lang == Language::sv;
  switch (g) {
    case Subgroup::total:
      return sv ? "totalt" : "total";
    case Subgroup::boys:
      return sv ? "pojkar" : "boys";
    case Subgroup::girls:
      return sv ? "flickor" : "girls";
    case Subgroup::grade0_6:
      return sv ? "förskoleklass–åk 6" : "grades 0–6";
    case Subgroup::grade7_9:
      return sv ? "åk 7–9" : "grades 7–9";
    case Subgroup::grade10_12:
      return sv ? "gymnasieskolan" : "upper secondary";
  }
  return "";
}

std::optional<std::size_t> subgroup_table_scenario(const std::vector<std::string>& names,
                                                   const std::optional<std::string>& recommended,
                                                   const std::vector<double>& net_benefit) {
  if (recommended && *recommended != "baseline") {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == *recommended) return i;
    }
  }
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "baseline") continue;
    const double v = i < net_benefit.size() ? net_benefit[i] : std::nan("");
    if (!best) {
      best = i;
      continue;
    }
    const double b = *best < net_benefit.size() ? net_benefit[*best] : std::nan("");
    if (std::isfinite(v) && (!std::isfinite(b) || v > b)) best = i;
  }
  return best;
}

std::string subgroup_brief_section(const ExperimentResult& res, std::size_t scenario,
                                   const std::string& label, Language lang) {
  const Words& w = words(lang);
  const bool sv = lang == Language::sv;
  std::string shown;
  for (const char c : label) {
    if (c == '|') shown += '\\';
    shown += c;
  }
  const std::size_t count = metric_count(scenario > 0);
  std::vector<Subgroup> columns, omitted;
  for (const Subgroup g : kColumns) {
    bool held = !is_band(g);
    for (const Metric m : column_evidence()) {
      const auto& info = metric_info(m);
      if (held || info.index() >= count) continue;
      for (const double v : res.unit_values(scenario, g, info.index()))
        held = held || (std::isfinite(v) && v != 0);
    }
    (held ? columns : omitted).push_back(g);
  }
  std::ostringstream md;
  md << "## " << w.title << "\n\n"
     << (sv ? "Alternativ: " : "Option: ") << shown << "\n\n| " << w.metric;
  for (const Subgroup g : columns) md << " | " << subgroup_words(lang, g);
  md << " |\n|---";
  for (std::size_t i = 0; i < columns.size(); ++i) md << "|---:";
  md << "|\n";
  for (const Metric m : subgroup_table_metrics()) {
    const auto& info = metric_info(m);
    if (info.index() >= count) continue;  // money metrics: scenarios only
    md << "| " << info.label(sv);
    // A wait with nobody to average over (wait_count: no referrals, no cases) is "–", not 0.
    const auto waiters = wait_count(m);
    for (const Subgroup g : columns) {
      const auto values = res.unit_values(scenario, g, info.index());
      bool defined = false;  // e.g. a band's ROI, or a wait without cases: "–"
      for (const double v : values) defined = defined || std::isfinite(v);
      if (waiters) {
        bool anyone = false;
        for (const double v : res.unit_values(scenario, g, metric_position(*waiters)))
          anyone = anyone || v > 0;
        defined = defined && anyone;
      }
      if (!defined) {
        md << " | –";
        continue;
      }
      const Summary s = summarise(values);
      md << " | "
         << interval(lang, s.mean, s.n > 1 ? s.ci_low : NAN, s.n > 1 ? s.ci_high : NAN,
                     info.decimals);
    }
    md << " |\n";
  }
  md << "\n" << w.note;
  if (const auto note = omitted_note(lang, omitted); !note.empty()) md << " " << note;
  md << "\n\n";
  return md.str();
}

std::string subgroup_report_section(const nlohmann::json& summary,
                                    const std::optional<std::string>& recommended,
                                    const std::function<std::string(const std::string&)>& label_of,
                                    Language lang) {
  if (!summary.contains("subgroups") || !summary["subgroups"].is_object() ||
      !summary.contains("scenarios") || !summary["scenarios"].is_object())
    return "";
  std::vector<std::string> names;
  std::vector<double> net;
  for (const auto& [name, metrics] : summary["scenarios"].items()) {
    names.push_back(name);
    net.push_back(metrics.is_object() && metrics.contains("net_benefit_sek")
                      ? field(metrics["net_benefit_sek"], "mean")
                      : std::nan(""));
  }
  const auto pick = subgroup_table_scenario(names, recommended, net);
  if (!pick) return "";
  const std::string& name = names[*pick];
  const auto& subs = summary["subgroups"];
  if (!subs.contains(name) || !subs[name].is_object()) return "";
  const Words& w = words(lang);
  const bool sv = lang == Language::sv;
  // The summary.json object of one metric of one column (nullptr when absent).
  const auto metric_of = [&](Subgroup g, const std::string& key) -> const nlohmann::json* {
    if (g == Subgroup::total) {
      const auto& sc = summary["scenarios"][name];
      return sc.is_object() && sc.contains(key) ? &sc[key] : nullptr;
    }
    const auto& sg = subs[name];
    const std::string gname(subgroup_name(g));
    return sg.contains(gname) && sg[gname].is_object() && sg[gname].contains(key) ? &sg[gname][key]
                                                                                  : nullptr;
  };
  std::vector<Subgroup> columns, omitted;
  for (const Subgroup g : kColumns) {
    bool held = !is_band(g);
    for (const Metric m : column_evidence()) {
      if (held) break;
      const auto* obj = metric_of(g, std::string(metric_info(m).name));
      if (obj == nullptr) continue;
      for (const char* k : {"mean", "ci_low", "ci_high"}) {
        const double v = field(*obj, k);
        held = held || (std::isfinite(v) && v != 0);
      }
    }
    (held ? columns : omitted).push_back(g);
  }
  std::ostringstream h;
  h << "<h2>" << svg::escape(w.title) << "</h2><p>" << (sv ? "Alternativ: " : "Option: ")
    << svg::escape(label_of(name)) << "</p><table><tr><th>" << svg::escape(w.metric) << "</th>";
  for (const Subgroup g : columns) h << "<th>" << svg::escape(subgroup_words(lang, g)) << "</th>";
  h << "</tr>";
  for (const Metric m : subgroup_table_metrics()) {
    const auto& info = metric_info(m);
    const std::string key(info.name);
    bool any = false;
    std::ostringstream row;
    row << "<tr><td>" << svg::escape(std::string(info.label(sv))) << "</td>";
    for (const Subgroup g : columns) {
      const nlohmann::json* obj = metric_of(g, key);
      // A wait with nobody to average over (wait_count: no referrals, no cases) is "–", not 0.
      if (const auto waiters = wait_count(m); obj && waiters) {
        const auto* count = metric_of(g, std::string(metric_info(*waiters).name));
        if (count != nullptr && field(*count, "mean") == 0) obj = nullptr;
      }
      std::string cell = "–";
      if (obj) {
        cell = interval(lang, field(*obj, "mean"), field(*obj, "ci_low"), field(*obj, "ci_high"),
                        info.decimals);
        any = any || cell != "–";
      }
      row << "<td>" << svg::escape(cell) << "</td>";
    }
    row << "</tr>";
    if (any) h << row.str();
  }
  std::string note = w.note;
  if (const auto omitted_text = omitted_note(lang, omitted); !omitted_text.empty())
    note += " " + omitted_text;
  h << "</table><p class=\"note\">" << svg::escape(note) << "</p>\n";
  return h.str();
}

}  // namespace attendsim::models
