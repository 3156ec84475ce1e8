// libFuzzer target: the parameter-draws reader of `--draws-from FILE` (psa, voi, compare),
// against configs/reference.toml (read once; ATTENDSIM_FUZZ_DRAWS_CONFIG is its path). Any
// input must end in parameter vectors or an InputError; every accepted vector has one finite
// value per parameter of the config.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/config_schema.hpp"
#include "io/targets_reader.hpp"
#include "sim/error.hpp"

namespace {

const attendsim::models::ModelConfig& config() {
  static const auto cfg = attendsim::models::load_model_config(ATTENDSIM_FUZZ_DRAWS_CONFIG);
  return cfg;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto& cfg = config();
  try {
    const auto draws = attendsim::models::parse_parameter_draws(text, "fuzz_draws.csv", cfg, 1);
    if (draws.empty()) __builtin_trap();
    for (const auto& d : draws) {
      if (d.size() != cfg.parameters.size()) __builtin_trap();
      for (double v : d) {
        if (!std::isfinite(v)) __builtin_trap();
      }
    }
  } catch (const attendsim::InputError&) {
  }
  return 0;
}
