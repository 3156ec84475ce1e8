#pragma once
/// `gender_proportional`: coordinator slots kept in proportion to each gender's share of
/// eligible pupils.
///
/// With d_g eligible pupils of gender g so far (ever in high or extensive absence: the
/// denominator of the equity table), share w_g = d_g / (d_boys + d_girls), and
/// S = open cases + free slots, gender g's target is S * w_g open cases. Each free slot goes
/// to the gender furthest below its target (target - open cases, counting this month's
/// admissions) that has someone waiting; on equal shortfall, to the earlier referral.
/// Within a gender, referral order. No slot stays empty while anyone waits. Unlike
/// `gender_parity`, the rule looks at the caseload now, not at access since the start.
/// Before anyone is eligible it is first come, first served.
#include "models/policies/allocation_policy.hpp"

namespace attendsim::models {

class GenderProportionalPolicy final : public AllocationPolicy {
 public:
  std::vector<std::size_t> choose(const std::vector<Candidate>& waiting, int free_slots,
                                  const AccessCounts& counts) const override;
  std::string name() const override { return "gender_proportional"; }
};

}  // namespace attendsim::models
