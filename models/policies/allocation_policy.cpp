#include "models/policies/allocation_policy.hpp"

#include <algorithm>

#include "models/policies/gender_parity_policy.hpp"
#include "models/policies/gender_proportional_policy.hpp"
#include "models/policies/severity_first_policy.hpp"

namespace attendsim::models {

std::vector<std::size_t> FifoPolicy::choose(const std::vector<Candidate>& waiting, int free_slots,
                                            const AccessCounts&) const {
  const std::size_t n =
      std::min<std::size_t>(waiting.size(), static_cast<std::size_t>(std::max(free_slots, 0)));
  std::vector<std::size_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

std::unique_ptr<AllocationPolicy> make_allocation_policy(const std::string& name) {
  if (name == "fifo") return std::make_unique<FifoPolicy>();
  if (name == "severity_first") return std::make_unique<SeverityFirstPolicy>();
  if (name == "gender_proportional") return std::make_unique<GenderProportionalPolicy>();
  if (name == "gender_parity") return std::make_unique<GenderParityPolicy>();
  return nullptr;
}

std::vector<std::string> allocation_policy_names() {
  return {"fifo", "severity_first", "gender_proportional", "gender_parity"};
}

}  // namespace attendsim::models
