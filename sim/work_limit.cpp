#include "sim/work_limit.hpp"

#include <algorithm>
#include <sstream>
#include <thread>

#include "sim/error.hpp"
#include "sim/work_split.hpp"

namespace attendsim {

WorkEstimate& WorkEstimate::operator+=(const WorkEstimate& other) {
  bytes += other.bytes;
  thread_seconds += other.thread_seconds;
  if (!other.what.empty()) what += (what.empty() ? "" : "; ") + other.what;
  // Each option of other.lower once ("--grid, --replications" into "--draws, --replications").
  std::size_t from = 0;
  while (from < other.lower.size()) {
    auto to = other.lower.find(", ", from);
    if (to == std::string::npos) to = other.lower.size();
    const std::string option = other.lower.substr(from, to - from);
    bool seen = false;
    for (std::size_t at = 0; at < lower.size();) {
      auto end = lower.find(", ", at);
      if (end == std::string::npos) end = lower.size();
      seen = seen || lower.compare(at, end - at, option) == 0;
      at = end + 2;
    }
    if (!seen && !option.empty()) lower += (lower.empty() ? "" : ", ") + option;
    from = to + 2;
  }
  return *this;
}

double WorkLimits::hours(const WorkEstimate& e, int threads) {
  const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  const int ranks = std::max(1, process_work_split().ranks());
  return e.thread_seconds / std::clamp(threads, 1, cores) / ranks / 3600.0;
}

void WorkLimits::check(const WorkEstimate& e, int threads, const std::string& command) const {
  const double gib = e.bytes / (1024.0 * 1024.0 * 1024.0);
  const double h = hours(e, threads);
  const bool memory = gib > max_memory_gib, time = h > max_hours;
  if (!memory && !time) return;
  std::ostringstream os;
  os.precision(3);
  os << command << " would";
  if (memory)
    os << " need about " << gib << " GiB of memory, more than --max-memory-gib " << max_memory_gib;
  if (memory && time) os << ", and";
  if (time) {
    const int ranks = process_work_split().ranks();
    os << " take about " << h << " hours on " << threads << " thread(s)"
       << (ranks > 1 ? " x " + std::to_string(ranks) + " processes" : std::string())
       << ", more than --max-hours " << max_hours;
  }
  if (!e.what.empty()) os << " (" << e.what << ")";
  os << "; lower ";
  if (!e.lower.empty()) os << e.lower << " ";
  os << "or raise " << (memory ? "--max-memory-gib" : "") << (memory && time ? " and " : "")
     << (time ? "--max-hours" : "");
  throw InputError(os.str());
}

}  // namespace attendsim
