#pragma once
/// The attendance model's config schema: TOML -> parameters, structure and scenario.
///
/// Every numeric model parameter may be a number or a distribution written as an inline
/// table, e.g. `p_consent = { base = 0.85, dist = "beta", a = 25.8, b = 4.6 }` (`base`
/// optional: the distribution's mean, or its median for a lognormal). Transition rows may
/// carry a Dirichlet concentration for PSA. See configs/reference.toml for the full schema.
#include <filesystem>

#include "analysis/model_config.hpp"

namespace attendsim::config {
class Document;
}

namespace attendsim::models {

ModelConfig load_model_config(const std::filesystem::path& path);
ModelConfig parse_model_config(const config::Document& doc);

}  // namespace attendsim::models
