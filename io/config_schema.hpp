#pragma once
/// The attendance model's config schema: TOML -> parameters, structure and scenario.
///
/// Every numeric model parameter may be a number or a distribution written as an inline
/// table, e.g. `p_consent = { base = 0.85, dist = "beta", a = 25.8, b = 4.6 }` (`base`
/// optional: the distribution's mean, or its median for a lognormal). Transition rows may
/// carry a Dirichlet concentration for PSA. See configs/reference.toml for the full schema.
#include <filesystem>

#include "analysis/model_config.hpp"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace attendsim::config {
class Document;
}

namespace attendsim::models {

/// The config of `path`, with the overrides file `overrides` applied when given (a TOML file
/// of keys that replace the config's, e.g. `detection.p_consent = 0.5`; sim/config.hpp
/// Document::apply_overrides). The file must be valid alone.
ModelConfig load_model_config(const std::filesystem::path& path,
                              const std::filesystem::path& overrides = {});
ModelConfig parse_model_config(const config::Document& doc);
/// The TOML tree of a loaded config with its overrides applied (what it simulates).
toml::table effective_config_table(const ModelConfig& cfg);

}  // namespace attendsim::models
