#pragma once
/// The table "by gender and grade band" of decision.md and of the report: the key metrics of
/// one scenario for the total, boys, girls and the grade bands (analysis/metrics.hpp,
/// Subgroup), in Swedish or English. Its own file, so that the brief's and the report's other
/// sections can change beside it.
///
/// The scenario shown is the recommended one, else the compared scenario with the highest
/// mean net benefit (the one a steering group looks at when nothing is recommended).
/// A grade band whose pupil-months and table values are all 0 (no pupil there within the
/// horizon, as in a population of grades 0-9) is left out, and a sentence under the table says
/// which and why.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/metrics.hpp"
#include "io/labels.hpp"

namespace attendsim::models {

/// The metrics of the table, in row order.
const std::vector<Metric>& subgroup_table_metrics();

/// A subgroup's name as a reader sees it ("pojkar", "åk 7–9", ...).
std::string subgroup_words(Language lang, Subgroup g);

/// The scenario shown: `recommended` when it names a scenario of `names` (not the baseline),
/// else the scenario of `names` but the baseline with the highest `net_benefit` (same order as
/// names; NaN counts as lowest); nullopt when there is none.
std::optional<std::size_t> subgroup_table_scenario(const std::vector<std::string>& names,
                                                   const std::optional<std::string>& recommended,
                                                   const std::vector<double>& net_benefit);

/// Whether grade band `band` held any pupil within the horizon in scenario `scenario`: any
/// pupil-month (regular, worrying, high or extensive) counted there in any unit. A population
/// of grades 0-9 holds none in upper secondary school, so nobody can complete it there.
bool band_holds_pupils(const ExperimentResult& res, std::size_t scenario, Subgroup band);
/// The same from a results folder's summary.json (`subgroups`); true when the summary has no
/// subgroups for the scenario (an older folder: nothing to tell).
bool band_holds_pupils(const nlohmann::json& summary, const std::string& scenario, Subgroup band);

/// The sentence that explains a completion shown as "–" because the population has no
/// upper secondary pupils.
std::string no_upper_secondary_note(Language lang);

/// decision.md's section (Markdown, '|' in the label escaped), from the experiment's units.
std::string subgroup_brief_section(const ExperimentResult& res, std::size_t scenario,
                                   const std::string& label, Language lang);

/// The report's section (HTML, escaped), from summary.json's `scenarios` and `subgroups`;
/// "" when the folder's summary has no subgroups (an older folder) or no scenario to show.
/// A value that is not a number shows as "–".
std::string subgroup_report_section(const nlohmann::json& summary,
                                    const std::optional<std::string>& recommended,
                                    const std::function<std::string(const std::string&)>& label_of,
                                    Language lang);

}  // namespace attendsim::models
