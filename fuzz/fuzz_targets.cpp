// libFuzzer target: the calibration targets reader of `attendsim calibrate` (CSV -> Target
// list, horizon of 3 years). Any input must end in targets or an InputError; what it accepts
// must be shares in [0, 1] with a positive finite standard error within the horizon.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/targets_reader.hpp"
#include "sim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto ts = attendsim::models::parse_targets_csv(text, "fuzz_targets.csv", 3);
    if (ts.empty()) __builtin_trap();
    for (const auto& t : ts) {
      if (!(t.value >= 0 && t.value <= 1) || !(t.se > 0) || !std::isfinite(t.se)) __builtin_trap();
      if (t.year < 1 || t.year > 3) __builtin_trap();
    }
  } catch (const attendsim::InputError&) {
  }
  return 0;
}
