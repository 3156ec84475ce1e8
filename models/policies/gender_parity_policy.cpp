#include "models/policies/gender_parity_policy.hpp"

#include <algorithm>

namespace attendsim::models {

std::vector<std::size_t> GenderParityPolicy::choose(const std::vector<Candidate>& waiting,
                                                    int free_slots,
                                                    const AccessCounts& counts) const {
  const std::size_t free = static_cast<std::size_t>(std::max(free_slots, 0));
  std::vector<std::size_t> out;
  std::vector<bool> taken(waiting.size(), false);
  double started[kGenders] = {counts.cases_started[0], counts.cases_started[1]};
  std::size_t next[kGenders] = {0, 0};  // scan position of the next waiting pupil per gender
  std::size_t next_any = 0;
  auto next_of = [&](int g) {
    std::size_t& i = next[g];
    while (i < waiting.size() && (taken[i] || static_cast<int>(waiting[i].gender) != g)) ++i;
    return i;
  };
  while (out.size() < free) {
    int want = -1;  // the gender to serve, -1 for first come, first served
    if (counts.eligible[0] > 0 && counts.eligible[1] > 0) {
      const double r0 = started[0] / counts.eligible[0];
      const double r1 = started[1] / counts.eligible[1];
      if (r0 < r1) want = 0;
      if (r1 < r0) want = 1;
    }
    std::size_t pick = waiting.size();
    if (want >= 0) pick = next_of(want);
    if (pick == waiting.size()) {
      while (next_any < waiting.size() && taken[next_any]) ++next_any;
      pick = next_any;
    }
    if (pick == waiting.size()) break;  // nobody left waiting
    taken[pick] = true;
    started[static_cast<int>(waiting[pick].gender)] += 1;
    out.push_back(pick);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace attendsim::models
