#include "models/case_book.hpp"

#include <algorithm>

#include "models/pupil_rules.hpp"
#include "sim/error.hpp"

namespace attendsim::models::detail {

CaseBook::CaseBook(Allocation allocation_policy, const StreamKey& key)
    : policy_(make_allocation_policy(allocation_policy)), case_end_(case_end_stream(key)) {}

void CaseBook::manage(int t, int slots, const CoordinatorParams& cp,
                      const double eligible[kGenders], Pupil* pupils, ReplicationOutcome& out,
                      int sustained_return_months) {
  // A case ends for another reason (consent withdrawn, handed on) when the high word of its
  // pupil's step-t draw is below p (exactly P(u < p) for a 32-bit uniform u); no draw is
  // made at p = 0.
  const std::uint64_t end_bits = threshold_bits(cp.p_case_end_per_month);
  const auto ends_otherwise = [&](std::uint32_t i) {
    return end_bits > 0 && (case_end_.at(i, static_cast<std::uint32_t>(t)) >> 32) < end_bits;
  };
  std::vector<std::uint32_t> still;
  for (auto i : cases_) {
    Pupil& p = pupils[i];
    if (p.status != kInCase) continue;  // left the municipality or the school system
    ++p.status_months;
    if (slots == 0 || p.regular_run >= cp.close_after_regular_months ||
        p.status_months >= cp.max_case_months || ends_otherwise(i)) {
      p.status = kNone;
      p.status_months = 0;
      p.after_close = 1;
    } else {
      still.push_back(i);
    }
  }
  cases_.swap(still);
  // Referrals still waiting; a pupil who has returned to regular attendance for
  // min(close_after_regular_months, sustained_return_months) leaves the queue (the referral
  // is withdrawn).
  const int withdraw_after = std::min(cp.close_after_regular_months, sustained_return_months);
  std::vector<std::uint32_t> queue;
  for (auto i : queue_) {
    Pupil& p = pupils[i];
    if (p.status != kWaiting) continue;
    if (p.regular_run >= withdraw_after) {
      PupilRules::end_wait(p, t, out);
      p.status = kNone;
      out.count(p.gender, p.band, [](OutcomeCounts& o) { o.withdrawn_referrals += 1; });
      continue;
    }
    queue.push_back(i);
  }
  queue_.swap(queue);
  if (slots == 0) {
    for (auto i : queue_) {
      PupilRules::end_wait(pupils[i], t, out);
      pupils[i].status = kNone;
    }
    queue_.clear();
    record_lengths(t, pupils, out);
    return;
  }
  const int free = slots - static_cast<int>(cases_.size());
  if (free <= 0 || queue_.empty()) {
    record_lengths(t, pupils, out);
    return;
  }
  std::vector<Candidate> cand;
  cand.reserve(queue_.size());
  for (auto i : queue_) {
    const Pupil& p = pupils[i];
    cand.push_back({i, p.queued_at, static_cast<State>(p.state), p.months_in_state,
                    static_cast<Gender>(p.gender)});
  }
  AccessCounts counts;
  for (int g = 0; g < kGenders; ++g) {
    counts.eligible[g] = eligible[g];
    counts.cases_started[g] = out.cases_started[g];
  }
  for (auto i : cases_) counts.in_case[pupils[i].gender] += 1;
  const auto chosen = policy_->choose(cand, free, counts);
  ATTENDSIM_REQUIRE(static_cast<int>(chosen.size()) <= free,
                    "policy admitted more than free slots");
  std::vector<bool> admitted(queue_.size(), false);
  for (auto k : chosen) {
    ATTENDSIM_REQUIRE(k < queue_.size() && !admitted[k], "policy chose an invalid candidate");
    admitted[k] = true;
    Pupil& p = pupils[queue_[k]];
    out.count(p.gender, p.band, [&](OutcomeCounts& o) {
      o.cases_started[p.gender] += 1;
      o.admitted_wait_months_sum[p.gender] += t - p.queued_at;
      o.admitted_by_state[p.state] += 1;
      o.admitted_by_band[p.band] += 1;
    });
    p.case_start = static_cast<std::uint16_t>(t + 1);
    PupilRules::end_wait(p, t, out);
    p.status = kInCase;
    p.status_months = 0;
    p.after_close = 0;
    cases_.push_back(queue_[k]);
  }
  std::vector<std::uint32_t> rest;
  for (std::size_t k = 0; k < queue_.size(); ++k) {
    if (!admitted[k]) rest.push_back(queue_[k]);
  }
  queue_.swap(rest);
  record_lengths(t, pupils, out);
}

void CaseBook::record_lengths(int t, const Pupil* pupils, ReplicationOutcome& out) {
  waiting_ = static_cast<int>(queue_.size());
  for (auto i : queue_) {
    const Pupil& p = pupils[i];
    out.count(p.gender, p.band, [](OutcomeCounts& o) { o.queue_pupil_months += 1; });
  }
  out.queue_length[static_cast<std::size_t>(t)] = waiting_;
  out.open_cases[static_cast<std::size_t>(t)] = static_cast<double>(cases_.size());
}

void CaseBook::censor(int steps, Pupil* pupils, ReplicationOutcome& out) const {
  for (auto i : queue_) {
    const Pupil& p = pupils[i];
    const double w = p.status == kWaiting ? 1 : 0;
    out.count(p.gender, p.band, [w](OutcomeCounts& o) { o.queue_at_end += w; });
    PupilRules::end_wait(pupils[i], steps, out);  // censored at the end of the horizon
  }
}

}  // namespace attendsim::models::detail
