#pragma once
/// `gender_parity`: each free slot goes to the gender whose access rate is lower.
///
/// Access rate of gender g = cases started / eligible pupils (ever in high or extensive
/// absence: the equity table's access rate), counted from the start of the
/// run and updated slot by slot within the month, so past under-service is caught up. The
/// slot goes to the earliest referral of that gender; on equal rates, or when that gender
/// has nobody waiting, to the earliest referral of any gender. A gender with no eligible
/// pupil yet has an undefined rate and is served only first come, first served.
#include "models/policies/allocation_policy.hpp"

namespace attendsim::models {

class GenderParityPolicy final : public AllocationPolicy {
 public:
  std::vector<std::size_t> choose(const std::vector<Candidate>& waiting, int free_slots,
                                  const AccessCounts& counts) const override;
  std::string name() const override { return "gender_parity"; }
};

}  // namespace attendsim::models
