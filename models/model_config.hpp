#pragma once
/// The attendance model's config schema: TOML -> parameters, structure and scenario.
///
/// Every numeric model parameter may be a number or a distribution written as an inline
/// table, e.g. `p_consent = { base = 0.85, dist = "beta", a = 25.8, b = 4.6 }` (`base`
/// optional: the distribution's mean, or its median for a lognormal). Transition rows may
/// carry a Dirichlet concentration for PSA. See configs/reference.toml for the full schema.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "models/params.hpp"
#include "models/simulation.hpp"
#include "sim/parameters.hpp"

namespace attendsim::config {
class Document;
}

namespace attendsim::models {

struct RunSettings {
  std::uint64_t seed = 1;
  int draws = 1;
  int replications = 20;
};

/// A plan's own back-of-envelope calculation (the kind the Uppsala application used):
/// inputs only; `models/plan_calculator.hpp` computes the totals.
struct PlanInputs {
  bool present = false;
  double cost_of_effort_sek = 0;
  double avoided_repeated_years = 0;
  double cost_per_repeated_year_sek = 0;
  double avoided_summer_school = 0;
  double cost_summer_school_sek = 0;
  double completers_gained = 0;
  double saving_per_completer_sek = 0;
};

struct ModelConfig {
  std::string file;
  std::string text;  ///< raw config bytes (hashed into run.json)
  std::string name;
  std::string description;
  ParameterSet parameters;
  /// setters[i] writes the value of parameters[i] into a ModelParams.
  std::vector<std::function<void(ModelParams&, double)>> setters;
  ModelParams structure;  ///< everything that is not an uncertain parameter
  ScenarioSpec scenario;  ///< the configured staffing and policies
  RunSettings run;
  PlanInputs plan;  ///< optional [plan] table
};

ModelConfig load_model_config(const std::filesystem::path& path);
ModelConfig parse_model_config(const config::Document& doc);

/// Model parameters for a vector of parameter values (base, a PSA draw, a design point).
/// Probability rows are renormalised to sum exactly to 1.
ModelParams realise(const ModelConfig& cfg, const std::vector<double>& values);

/// Hex FNV-1a hash of the config text, for provenance.
std::string config_hash(const ModelConfig& cfg);

}  // namespace attendsim::models
