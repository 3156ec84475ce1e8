#pragma once
/// `attendsim report`: one self-contained HTML file (inline SVG charts, no scripts, no
/// network) from a results folder of run / compare / sensitivity, in Swedish or English.
#include <filesystem>
#include <string>

#include "io/labels.hpp"

namespace attendsim::models {

/// Builds the report from `results_dir`. Throws InputError (exit 2) when the folder or one
/// of its required files (summary.json, run.json, occupancy.csv) is missing or malformed.
std::string build_report(const std::filesystem::path& results_dir, Language lang);

/// 1 234 567 (sv: "1 234 567", en: "1,234,567"), rounded to `decimals`; sv uses a decimal comma.
std::string format_for(Language lang, double v, int decimals);

}  // namespace attendsim::models
