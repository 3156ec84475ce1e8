// libFuzzer target: the attendance register reader of `attendsim calibrate` (CSV ->
// AttendanceRegister). Any input must end in a register or an InputError; what it accepts must
// hold only school months, sorted by pupil and month, with no pupil-month twice.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/register_reader.hpp"
#include "sim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto reg = attendsim::models::parse_register_csv(text, "fuzz_register.csv");
    if (reg.records.empty()) __builtin_trap();
    for (std::size_t i = 0; i < reg.records.size(); ++i) {
      const auto& r = reg.records[i];
      if (r.pupil >= reg.pupils || r.grade > 12) __builtin_trap();
      if (attendsim::models::school_month_of(r.month) < 0) __builtin_trap();
      if (i > 0) {
        const auto& p = reg.records[i - 1];
        if (p.pupil > r.pupil || (p.pupil == r.pupil && p.month >= r.month)) __builtin_trap();
      }
    }
  } catch (const attendsim::InputError&) {
  }
  return 0;
}
