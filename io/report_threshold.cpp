#include "io/report_threshold.hpp"

#include <sstream>

#include "io/svg_chart.hpp"
#include "io/threshold_writer.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"

namespace attendsim::models {

std::string threshold_report_section(const std::filesystem::path& results_dir, Language l,
                                     const ScenarioLabeler& label) {
  const auto rows = read_threshold_csv(results_dir);
  if (!rows || rows->empty()) return "";
  return threshold_html(*rows, label, l);
}

namespace {
std::string output_words(Language l, const std::string& output) {
  const bool sv = l == Language::sv;
  if (output == "net_benefit_sek") return sv ? "Nettonytta" : "Net benefit";
  if (output == "roi") return sv ? "Avkastning per investerad krona" : "Return per SEK invested";
  if (output == "extra_sustained_returns")
    return sv ? "Extra varaktiga återgångar till skolan" : "Extra sustained returns to school";
  return sv ? "Ett utfall" : output;
}
}  // namespace

std::string sobol_report_section(const std::filesystem::path& results_dir, Language l) {
  const auto path = results_dir / "sobol_status.csv";
  if (!std::filesystem::exists(path)) return "";
  const auto records =
      csv::parse(read_input_file(path, kMaxResultsBytes, "results file"), path.string());
  if (records.empty() ||
      records.front().cells != std::vector<std::string>{"output", "status", "note"})
    ATTENDSIM_INPUT_ERROR(path.string() << ":1: expected the header output,status,note");
  const bool sv = l == Language::sv;
  std::ostringstream h;
  h << "<h3>" << (sv ? "Globala känslighetsindex (Sobol)" : "Global sensitivity indices (Sobol)")
    << "</h3><ul>";
  for (std::size_t k = 1; k < records.size(); ++k) {
    const auto& c = records[k].cells;
    if (c.size() != 3)
      ATTENDSIM_INPUT_ERROR(path.string()
                            << ":" << records[k].line << ": expected 3 columns, got " << c.size());
    if (c[1] != "ok" && c[1] != "not_identifiable" && c[1] != "not_computed")
      ATTENDSIM_INPUT_ERROR(path.string() << ":" << records[k].line
                                          << ": column 'status': ok, not_identifiable or "
                                             "not_computed, got '"
                                          << c[1] << "'");
    h << "<li>" << svg::escape(output_words(l, c[0])) << ": ";
    if (c[1] == "ok") {
      h << (sv ? "index beräknade för de valda parametrarna."
               : "indices estimated for the chosen "
                 "parameters.");
    } else if (c[1] == "not_computed") {  // the count-based path (docs/methods.md §4.12)
      h << (sv ? "ej beräknat: den räknebaserade vägen ([simulation] count_based, docs/methods.md "
                 "§4.12) följer inte eleverna en och en och räknar inte utfallet, så inga index "
                 "anges."
               : "not computed: the count-based path ([simulation] count_based, docs/methods.md "
                 "§4.12) does not follow pupils one by one and does not count it, so no indices "
                 "are given.");
    } else {
      h << (sv ? "går inte att fördela på de valda parametrarna: ingen av dem påverkar utfallet "
                 "mer "
                 "än slumpen gör, så inga index anges."
               : "not identifiable: none of the chosen parameters moves it beyond the simulation's "
                 "noise, so no indices are given (")
        << (sv ? "" : svg::escape(c[2]) + ").");
    }
    h << "</li>";
  }
  h << "</ul>\n";
  return h.str();
}

}  // namespace attendsim::models
