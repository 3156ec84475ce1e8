#include "io/municipality_tables.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "io/decision_brief.hpp"
#include "io/svg_chart.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"
#include "sim/statistics.hpp"

namespace attendsim::models {

namespace {

constexpr const char* kCsvHeader = "level,municipality,pupils,metric,mean,ci_low,ci_high";

struct Words {
  const char* title;
  const char* heading;
  const char* municipality;
  const char* pupils;
  const char* whole;
  const char* note;  ///< %s: the number of units
};

const Words& words(Language lang) {
  static const Words sv{
      "Kommuner i en körning",
      "Resultat per kommun",
      "kommun",
      "elever",
      "alla kommuner",
      "Medelvärde [95 % konfidensintervall] över {units} oberoende enheter (replikationer, "
      "eller parameterdragningar när de är fler än en), för varje kommuns koordinatorer "
      "jämfört med inga koordinatorer, på samma slumptal inom kommunen. Kommunerna har var sin "
      "slumpström och är oberoende av varandra. Raden alla kommuner är kommunernas summa, "
      "enhet för enhet: väntetiden summeras inte och visas därför inte (–), och avkastningen "
      "är den summerade besparingen delad med den summerade kostnaden. Resultaten för varje "
      "kommun finns i mappen municipality-NAMN."};
  static const Words en{
      "Municipalities in one run",
      "Results by municipality",
      "municipality",
      "pupils",
      "all municipalities",
      "Mean [95 % confidence interval] over {units} independent units (replications, or "
      "parameter draws when there are more than one), for each municipality's coordinators "
      "against no coordinators, on common random numbers within the municipality. Each "
      "municipality has its own random streams and is independent of the others. The row all "
      "municipalities is their sum, unit by unit: waits do not add up and are not shown (–), "
      "and the return is the summed savings over the summed cost. Each municipality's results "
      "are in the folder municipality-NAME."};
  return lang == Language::sv ? sv : en;
}

std::string with_units(const char* text, std::size_t units) {
  std::string s(text);
  const std::string key = "{units}";
  const auto at = s.find(key);
  if (at != std::string::npos) s.replace(at, key.size(), std::to_string(units));
  return s;
}

std::string interval(Language lang, double mean, double lo, double hi, int d) {
  if (!std::isfinite(mean)) return "–";
  // No interval, or none to show (a cost fixed by the staffing).
  if (!std::isfinite(lo) || !std::isfinite(hi) || (lo == mean && hi == mean))
    return format_number_in(lang, mean, d);
  return format_number_in(lang, mean, d) + " [" + format_number_in(lang, lo, d) + "; " +
         format_number_in(lang, hi, d) + "]";
}

std::string cell(double v) {
  return std::isfinite(v) ? format_number(v) : "";
}

double number(const csv::Record& r, std::size_t col, const std::string& path) {
  const std::string& s = r.cells[col];
  if (s.empty() || s == "nan") return std::nan("");
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0')
    ATTENDSIM_INPUT_ERROR(path << ":" << r.line << ": not a number: '" << s.substr(0, 40) << "'");
  return v;
}

/// The label of a row as shown: the municipality's name, or "all municipalities".
std::string row_name(const MunicipalityRow& r, Language lang) {
  return r.whole ? std::string(words(lang).whole) : r.name;
}

/// The cells of a row after its name: pupils, then each metric as mean [CI].
std::vector<std::string> row_cells(const MunicipalityRow& r, Language lang) {
  std::vector<std::string> cells{format_number_in(lang, static_cast<double>(r.pupils), 0)};
  const auto& metrics = municipality_table_metrics();
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    const int d = metric_info(metrics[k]).decimals;
    cells.push_back(k < r.mean.size() ? interval(lang, r.mean[k], r.ci_low[k], r.ci_high[k], d)
                                      : "–");
  }
  return cells;
}

}  // namespace

const std::vector<Metric>& municipality_table_metrics() {
  static const std::vector<Metric> cols = {Metric::cases_started, Metric::mean_wait_admitted_months,
                                           Metric::cost_sek, Metric::net_benefit_sek, Metric::roi};
  return cols;
}

MunicipalityRow municipality_row(const std::string& name, bool whole, std::int64_t pupils,
                                 const ExperimentResult& res) {
  ATTENDSIM_REQUIRE(res.scenarios.size() >= 2, "a municipality's row needs the scenario");
  MunicipalityRow row{name, whole, pupils, {}, {}, {}};
  for (const Metric m : municipality_table_metrics()) {
    const auto values = res.unit_values(1, metric_position(m));
    bool defined = false;
    for (const double v : values) defined = defined || std::isfinite(v);
    if (!defined) {
      row.mean.push_back(std::nan(""));
      row.ci_low.push_back(std::nan(""));
      row.ci_high.push_back(std::nan(""));
      continue;
    }
    const Summary s = summarise(values);
    row.mean.push_back(s.mean);
    row.ci_low.push_back(s.n > 1 ? s.ci_low : std::nan(""));
    row.ci_high.push_back(s.n > 1 ? s.ci_high : std::nan(""));
  }
  return row;
}

std::string municipalities_csv(const std::vector<MunicipalityRow>& rows) {
  std::string out = std::string(kCsvHeader) + "\n";
  const auto& metrics = municipality_table_metrics();
  for (const auto& r : rows) {
    for (std::size_t k = 0; k < metrics.size(); ++k) {
      out += csv::row({r.whole ? "whole" : "municipality", r.name, std::to_string(r.pupils),
                       std::string(metric_info(metrics[k]).name), cell(r.mean[k]),
                       cell(r.ci_low[k]), cell(r.ci_high[k])});
    }
  }
  return out;
}

std::vector<MunicipalityRow> read_municipalities_csv(const std::string& text,
                                                     const std::string& path) {
  const auto records = csv::parse(text, path);
  if (records.empty() || csv::row(records[0].cells) != std::string(kCsvHeader) + "\n")
    ATTENDSIM_INPUT_ERROR(path << ":1: expected the header " << kCsvHeader);
  const auto& metrics = municipality_table_metrics();
  std::vector<MunicipalityRow> rows;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.cells.size() != 7) ATTENDSIM_INPUT_ERROR(path << ":" << r.line << ": expected 7 fields");
    const bool whole = r.cells[0] == "whole";
    if (!whole && r.cells[0] != "municipality")
      ATTENDSIM_INPUT_ERROR(path << ":" << r.line << ": level must be municipality or whole");
    if (rows.empty() || rows.back().name != r.cells[1] || rows.back().whole != whole ||
        rows.back().mean.size() == metrics.size()) {
      if (!rows.empty() && rows.back().mean.size() != metrics.size())
        ATTENDSIM_INPUT_ERROR(path << ":" << r.line << ": " << rows.back().name
                                   << " lacks metrics before this line");
      const double pupils = number(r, 2, path);
      if (!(pupils >= 0 && pupils <= 1e9 && pupils == std::floor(pupils)))
        ATTENDSIM_INPUT_ERROR(path << ":" << r.line << ": pupils must be a whole number >= 0");
      rows.push_back({r.cells[1], whole, static_cast<std::int64_t>(pupils), {}, {}, {}});
    }
    auto& row = rows.back();
    const auto k = row.mean.size();
    if (r.cells[3] != metric_info(metrics[k]).name)
      ATTENDSIM_INPUT_ERROR(path << ":" << r.line << ": expected metric "
                                 << metric_info(metrics[k]).name << ", got '"
                                 << r.cells[3].substr(0, 40) << "'");
    row.mean.push_back(number(r, 4, path));
    row.ci_low.push_back(number(r, 5, path));
    row.ci_high.push_back(number(r, 6, path));
  }
  if (!rows.empty() && rows.back().mean.size() != metrics.size())
    ATTENDSIM_INPUT_ERROR(path << ": the last municipality lacks metrics");
  return rows;
}

std::string municipality_brief(const std::vector<MunicipalityRow>& rows,
                               const std::string& description, std::size_t units, Language lang) {
  const Words& w = words(lang);
  const bool sv = lang == Language::sv;
  std::ostringstream md;
  md << "# " << w.title << "\n\n";
  if (!description.empty()) md << markdown_text(description) << "\n\n";
  md << "## " << w.heading << "\n\n| " << w.municipality << " | " << w.pupils;
  for (const Metric m : municipality_table_metrics()) md << " | " << metric_info(m).label(sv);
  md << " |\n|---";
  for (std::size_t i = 0; i <= municipality_table_metrics().size(); ++i) md << "|---:";
  md << "|\n";
  for (const auto& r : rows) {
    const std::string name = markdown_text(row_name(r, lang));
    md << "| " << (r.whole ? "**" + name + "**" : name);
    for (const auto& c : row_cells(r, lang)) md << " | " << c;
    md << " |\n";
  }
  md << "\n" << with_units(w.note, units) << "\n";
  return md.str();
}

std::string municipality_report_section(const std::vector<MunicipalityRow>& rows, Language lang) {
  if (rows.empty()) return "";
  const Words& w = words(lang);
  const bool sv = lang == Language::sv;
  std::ostringstream h;
  h << "<h2>" << svg::escape(w.heading) << "</h2><table><tr><th>" << svg::escape(w.municipality)
    << "</th><th>" << svg::escape(w.pupils) << "</th>";
  for (const Metric m : municipality_table_metrics())
    h << "<th>" << svg::escape(std::string(metric_info(m).label(sv))) << "</th>";
  h << "</tr>";
  for (const auto& r : rows) {
    const std::string name = svg::escape(row_name(r, lang));
    h << "<tr><td>" << (r.whole ? "<strong>" + name + "</strong>" : name) << "</td>";
    for (const auto& c : row_cells(r, lang)) h << "<td>" << svg::escape(c) << "</td>";
    h << "</tr>";
  }
  // The note's unit count is in the brief; the report states the reading without it.
  std::string note = w.note;
  const auto at = note.find(" {units}");
  if (at != std::string::npos) note.erase(at, 8);
  h << "</table><p class=\"note\">" << svg::escape(note) << "</p>\n";
  return h.str();
}

}  // namespace attendsim::models
