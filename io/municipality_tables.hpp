#pragma once
/// Many municipalities side by side (a config with `[[municipalities]]`, analysis/
/// municipalities.hpp): one row per municipality, in the config's order, and one for the whole,
/// with the key metrics of the configured coordinators against no coordinators, each as its
/// mean with the 95 % confidence interval of the mean. `attendsim run` writes the rows as
/// municipalities.csv and the table into decision.md; `attendsim report` reads the CSV back
/// for the HTML table. Swedish or English, like the rest of the brief (io/labels.hpp).
///
/// Why `compare` does not take such a config: each municipality's staffing *is* its scenario,
/// whereas compare's scenarios are other staffings of one population; crossing the two needs a
/// rule for what each scenario means in each municipality (per pupil? per team?) that neither
/// the config nor the sources give, and compare's recommendation, ladder and threshold are
/// decisions for one population. Each municipality can be compared on its own config.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/metrics.hpp"
#include "io/labels.hpp"

namespace attendsim::models {

/// The metrics of the table, in column order (after the pupils).
const std::vector<Metric>& municipality_table_metrics();

struct MunicipalityRow {
  std::string name;    ///< the municipality's name, or the config's name for the whole
  bool whole = false;  ///< the row of every municipality together
  std::int64_t pupils = 0;
  /// Per metric of municipality_table_metrics(): mean, ci_low, ci_high of the configured
  /// scenario (NaN when undefined: the whole's waits, an ROI without cost).
  std::vector<double> mean, ci_low, ci_high;
};

/// The row of one municipality's (or the whole's) experiment: scenario 1 against the baseline.
MunicipalityRow municipality_row(const std::string& name, bool whole, std::int64_t pupils,
                                 const ExperimentResult& res);

/// municipalities.csv: level (municipality | whole), municipality, pupils, metric, mean,
/// ci_low, ci_high; rows in the table's order.
std::string municipalities_csv(const std::vector<MunicipalityRow>& rows);
/// The rows of a municipalities.csv (InputError naming file and line when malformed).
std::vector<MunicipalityRow> read_municipalities_csv(const std::string& text,
                                                     const std::string& path);

/// decision.md of a run of several municipalities: the title, the config's description in
/// the language, the side-by-side table and how to read it. `units` is the number of
/// independent units the intervals are over.
std::string municipality_brief(const std::vector<MunicipalityRow>& rows,
                               const std::string& description, std::size_t units, Language lang);

/// The report's section (HTML, escaped) from the rows; "" when there are none.
std::string municipality_report_section(const std::vector<MunicipalityRow>& rows, Language lang);

}  // namespace attendsim::models
