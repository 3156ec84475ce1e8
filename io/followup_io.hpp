#pragma once
/// Reading the inputs of `attendsim followup` and writing followup.csv.
///
/// OBSERVED.csv: header `metric,value` or `scenario,metric,value` (any order); one row per
/// metric, names as in summary.json. Without a scenario column (or with an empty cell) a row
/// refers to `default_scenario`. A metric unknown to summary.json for its scenario, an unknown
/// scenario, a value that is not a finite number, a negative count, months, share or cost, a
/// share above 1, a metric given twice, or wrong columns
/// throw InputError naming file, line and column.
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/followup.hpp"

namespace attendsim::models {

/// The forecast of every metric of every scenario in RESULTS_DIR/summary.json, compared with
/// the observed values. `default_scenario` empty: the only scenario other than the baseline
/// (an error if there are several).
std::vector<FollowupRow> read_followup(const std::filesystem::path& results_dir,
                                       const std::filesystem::path& observed_csv,
                                       std::string default_scenario);

/// The same from the texts of summary.json and OBSERVED.csv (paths only name them in messages).
std::vector<FollowupRow> parse_followup(const std::string& summary_text,
                                        const std::filesystem::path& summary_path,
                                        const std::string& observed_text,
                                        const std::string& observed_display_path,
                                        std::string default_scenario);

std::string followup_csv(const std::vector<FollowupRow>& rows);

}  // namespace attendsim::models
