#pragma once
/// `severity_first`: extensive absence before high absence, then the longest wait.
///
/// Candidates are ranked by state (extensive, high, then any pupil who has improved while
/// waiting), then by the step of referral (earliest first), then by queue position. The
/// first `free_slots` of that order are admitted.
#include "models/policies/allocation_policy.hpp"

namespace attendsim::models {

class SeverityFirstPolicy final : public AllocationPolicy {
 public:
  std::vector<std::size_t> choose(const std::vector<Candidate>& waiting, int free_slots,
                                  const AccessCounts& counts) const override;
  std::string name() const override { return "severity_first"; }
};

}  // namespace attendsim::models
