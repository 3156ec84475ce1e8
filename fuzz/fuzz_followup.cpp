// libFuzzer target: the readers of `attendsim followup`: a results folder's summary.json and
// the observed-outcomes CSV. The input is the JSON text, a NUL byte, then the CSV text (no NUL:
// all of it is the JSON and the CSV is empty). Any input must end in follow-up rows or an
// InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/followup_io.hpp"
#include "sim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto nul = text.find('\0');
  const std::string summary = text.substr(0, nul);
  const std::string observed = nul == std::string::npos ? std::string() : text.substr(nul + 1);
  try {
    const auto rows = attendsim::models::parse_followup(summary, "fuzz/summary.json", observed,
                                                        "fuzz_observed.csv", "");
    if (rows.empty()) __builtin_trap();
    (void)attendsim::models::followup_csv(rows);
  } catch (const attendsim::InputError&) {
  }
  return 0;
}
