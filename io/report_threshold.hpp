#pragma once
/// Report sections of the threshold analysis (threshold.csv) and of the Sobol indices'
/// status (sobol_status.csv), kept apart from html_report.cpp's main flow.
#include <filesystem>
#include <string>

#include "io/labels.hpp"
#include "io/threshold_text.hpp"

namespace attendsim::models {

/// "What it would take to pay" from results_dir/threshold.csv; "" without the file.
std::string threshold_report_section(const std::filesystem::path& results_dir, Language l,
                                     const ScenarioLabeler& label);

/// Which outputs of a Sobol analysis have indices and which are not identifiable or not
/// computed (the count-based path), from results_dir/sobol_status.csv; "" without the file.
std::string sobol_report_section(const std::filesystem::path& results_dir, Language l);

}  // namespace attendsim::models
