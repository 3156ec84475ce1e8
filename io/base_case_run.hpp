#pragma once
/// The run files of a base case (one draw at base values, baseline and the configured
/// scenario) that an analysis writes beside its own CSV into a new folder (threshold,
/// sensitivity's oneway, twoway and sobol), so that the folder is a results folder that
/// compare can add to and report can read.
#include <optional>
#include <string>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

/// Simulates the base case with `opt`'s seed, replications and threads (no progress bar;
/// draws and parameter sets dropped) and writes its run files into `dir`, recording `what`
/// and `wall_seconds` (default: the base run's own) in run.json.
void write_base_case_run(const OutputDir& dir, const ModelConfig& cfg, const RunOptions& opt,
                         const std::string& what, std::optional<double> wall_seconds);

}  // namespace attendsim::models
