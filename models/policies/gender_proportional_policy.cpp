#include "models/policies/gender_proportional_policy.hpp"

#include <algorithm>

namespace attendsim::models {

std::vector<std::size_t> GenderProportionalPolicy::choose(const std::vector<Candidate>& waiting,
                                                          int free_slots,
                                                          const AccessCounts& counts) const {
  const std::size_t free = static_cast<std::size_t>(std::max(free_slots, 0));
  const double detected = counts.eligible[0] + counts.eligible[1];
  const double slots = counts.in_case[0] + counts.in_case[1] + static_cast<double>(free);
  double open[kGenders] = {counts.in_case[0], counts.in_case[1]};
  std::vector<bool> taken(waiting.size(), false);
  std::size_t next[kGenders] = {0, 0};  // scan position of the next waiting pupil per gender
  auto next_of = [&](int g) {
    std::size_t& i = next[g];
    while (i < waiting.size() && (taken[i] || static_cast<int>(waiting[i].gender) != g)) ++i;
    return i;
  };
  std::vector<std::size_t> out;
  while (out.size() < free) {
    const std::size_t i0 = next_of(0), i1 = next_of(1);
    if (i0 == waiting.size() && i1 == waiting.size()) break;  // nobody left waiting
    std::size_t pick;
    if (i0 == waiting.size()) {
      pick = i1;
    } else if (i1 == waiting.size() || !(detected > 0)) {
      pick = std::min(i0, i1);
    } else {
      const double short0 = slots * counts.eligible[0] / detected - open[0];
      const double short1 = slots * counts.eligible[1] / detected - open[1];
      pick = short0 > short1 ? i0 : short1 > short0 ? i1 : std::min(i0, i1);
    }
    taken[pick] = true;
    open[static_cast<int>(waiting[pick].gender)] += 1;
    out.push_back(pick);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace attendsim::models
