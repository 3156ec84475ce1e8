#pragma once
/// The coordinators' case book: the queue of referred, consenting pupils and the open cases
/// (docs/methods.md §4.7-4.8), internal to models/. Shared by the full simulation and the
/// scenario simulated from a recorded baseline, which must manage cases identically.
///
/// The book holds pupil indices only; the pupils themselves live in the caller's array.
/// An index may stay in the queue or the case list after its pupil has left that status
/// (moved away, replaced by a new entrant): such stale entries are dropped at the next
/// `manage`, which reads each pupil's status.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "models/policies/allocation_policy.hpp"
#include "models/simulation.hpp"
#include "sim/counter_stream.hpp"

namespace attendsim::models::detail {

/// Purpose of the stream of the case ends for other reasons (p_case_end_per_month, §4.7): its
/// own stream, so that no other draw changes, and the same in every scenario (common random
/// numbers): case k of pupil i open at step t ends if hi(case_end_stream(key).at(i, t)) < p.
inline constexpr std::uint32_t kCaseEndPurpose = 0x63656e64U;  // "cend"

/// The case-end draws of the replication keyed `key`.
inline CounterStream case_end_stream(const StreamKey& key) {
  return CounterStream({key.master_seed, key.draw, key.replication, kCaseEndPurpose, 0});
}

class CaseBook {
 public:
  /// `key` is the replication's: it keys the case-end draws (case_end_stream).
  CaseBook(Allocation allocation_policy, const StreamKey& key);

  /// A pupil referred with consent this month joins the end of the queue.
  void add_referral(std::uint32_t pupil) { queue_.push_back(pupil); }

  /// The school month's case management at step t with `slots` case slots: closes finished
  /// cases (and, with p_case_end_per_month, those ended for another reason), withdraws referrals of
  /// pupils back in regular attendance, then fills free slots by the allocation policy. `eligible`
  /// is the running count of pupils ever in high or extensive absence, by gender, for equity
  /// policies. A case closes after close_after_regular_months regular (the return followed up); a
  /// waiting referral is withdrawn once the pupil has been regular for
  /// min(close_after_regular_months, sustained_return_months): the school withdraws it at a
  /// sustained return.
  void manage(int t, int slots, const CoordinatorParams& cp, const double eligible[kGenders],
              Pupil* pupils, ReplicationOutcome& out,
              int sustained_return_months = std::numeric_limits<int>::max());

  /// Pupils waiting after the last `manage` (0 before the first).
  int waiting() const { return waiting_; }

  /// At the end of the horizon: pupils still waiting are counted and their waits censored.
  void censor(int steps, Pupil* pupils, ReplicationOutcome& out) const;

 private:
  /// The queue and open cases after step t's management, into the outcome and waiting_.
  void record_lengths(int t, const Pupil* pupils, ReplicationOutcome& out);

  std::unique_ptr<AllocationPolicy> policy_;
  CounterStream case_end_;
  std::vector<std::uint32_t> cases_;
  std::vector<std::uint32_t> queue_;
  int waiting_ = 0;
};

}  // namespace attendsim::models::detail
