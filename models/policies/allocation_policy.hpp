#pragma once
/// Who gets a free coordinator slot: the pluggable allocation policy.
///
/// The simulator keeps the queue of referred, consenting pupils in referral order and, each
/// school month, asks the policy to choose up to `free_slots` of them. A policy sees only
/// what a coordinator team would see (state, months in state, gender, when referred) plus
/// running access counts by gender, and must be deterministic: no random numbers, so that
/// scenarios stay on common random numbers.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/attendance.hpp"
#include "sim/names.hpp"

namespace attendsim::models {

/// The allocation policies by name ([coordinators] allocation_policy, [compare]
/// allocation_policies): one table for parsing, printing and error messages.
enum class Allocation : std::uint8_t { fifo, severity_first, gender_proportional, gender_parity };
inline constexpr std::array<Named<Allocation>, 4> kAllocationNames{{
    {Allocation::fifo, "fifo"},
    {Allocation::severity_first, "severity_first"},
    {Allocation::gender_proportional, "gender_proportional"},
    {Allocation::gender_parity, "gender_parity"},
}};
constexpr const auto& name_table(Allocation) {
  return kAllocationNames;
}

struct Candidate {
  std::uint32_t pupil = 0;
  int queued_at = 0;  ///< step of referral
  State state = State::high;
  int months_in_state = 0;
  Gender gender = Gender::boy;
};

/// Counts the policy may use for equity rules, by gender (index Gender).
struct AccessCounts {
  double eligible[kGenders] = {0, 0};  ///< distinct pupils ever in high or extensive absence so far
  double cases_started[kGenders] = {0, 0};  ///< cases started so far
  double in_case[kGenders] = {0, 0};        ///< open cases now, before this month's admissions
};

class AllocationPolicy {
 public:
  virtual ~AllocationPolicy() = default;
  /// Indices into `waiting` (in referral order) of the pupils to admit, at most `free_slots`.
  virtual std::vector<std::size_t> choose(const std::vector<Candidate>& waiting, int free_slots,
                                          const AccessCounts& counts) const = 0;
  virtual std::string name() const = 0;
};

/// First come, first served: the earliest referrals.
class FifoPolicy final : public AllocationPolicy {
 public:
  std::vector<std::size_t> choose(const std::vector<Candidate>& waiting, int free_slots,
                                  const AccessCounts& counts) const override;
  std::string name() const override { return "fifo"; }
};

/// The policy object of an allocation policy.
std::unique_ptr<AllocationPolicy> make_allocation_policy(Allocation policy);

}  // namespace attendsim::models
