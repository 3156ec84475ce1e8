// libFuzzer target: the simulation config reader (TOML text -> ModelConfig, with every check
// of io/config_schema.cpp). Any input must end in a ModelConfig or an InputError: never a
// crash, a hang, a sanitizer report, a leak or another exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/config_schema.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto doc = attendsim::config::Document::parse(text, "fuzz.toml");
    (void)attendsim::models::parse_model_config(doc);
  } catch (const attendsim::InputError&) {
    // bad input, reported as such: fine
  }
  return 0;  // any other exception escapes and libFuzzer reports it
}
