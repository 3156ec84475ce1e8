// libFuzzer target: the funding reader of `attendsim allocate` (TOML -> FundingCase) and the
// allocation itself on what it accepts. Any input must end in an allocation or an InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/funding_allocation.hpp"
#include "io/funding_reader.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto doc = attendsim::config::Document::parse(text, "fuzz_funding.toml");
    const auto c = attendsim::models::parse_funding_case(doc);
    const auto a = attendsim::models::allocate_funding(c.rule, c.requests);
    if (a.allocated_total_sek > c.rule.budget_sek) __builtin_trap();  // the rule's invariant
  } catch (const attendsim::InputError&) {
  }
  return 0;
}
