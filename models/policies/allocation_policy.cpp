#include "models/policies/allocation_policy.hpp"

#include <algorithm>

#include "models/policies/gender_parity_policy.hpp"
#include "models/policies/gender_proportional_policy.hpp"
#include "models/policies/severity_first_policy.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

std::vector<std::size_t> FifoPolicy::choose(const std::vector<Candidate>& waiting, int free_slots,
                                            const AccessCounts&) const {
  const std::size_t n =
      std::min<std::size_t>(waiting.size(), static_cast<std::size_t>(std::max(free_slots, 0)));
  std::vector<std::size_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

std::unique_ptr<AllocationPolicy> make_allocation_policy(Allocation policy) {
  switch (policy) {
    case Allocation::fifo:
      return std::make_unique<FifoPolicy>();
    case Allocation::severity_first:
      return std::make_unique<SeverityFirstPolicy>();
    case Allocation::gender_proportional:
      return std::make_unique<GenderProportionalPolicy>();
    case Allocation::gender_parity:
      return std::make_unique<GenderParityPolicy>();
  }
  ATTENDSIM_REQUIRE(false, "allocation policy " << static_cast<int>(policy) << " has no class");
}

}  // namespace attendsim::models
