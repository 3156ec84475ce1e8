#include "models/policies/severity_first_policy.hpp"

#include <algorithm>
#include <numeric>

namespace attendsim::models {

std::vector<std::size_t> SeverityFirstPolicy::choose(const std::vector<Candidate>& waiting,
                                                     int free_slots, const AccessCounts&) const {
  std::vector<std::size_t> order(waiting.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Stable: equal state and referral step keep queue (referral) order.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = waiting[a];
    const auto& y = waiting[b];
    if (x.state != y.state) return static_cast<int>(x.state) > static_cast<int>(y.state);
    return x.queued_at < y.queued_at;
  });
  order.resize(
      std::min<std::size_t>(order.size(), static_cast<std::size_t>(std::max(free_slots, 0))));
  return order;
}

}  // namespace attendsim::models
