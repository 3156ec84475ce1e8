#pragma once
/// The limits a run is checked against before anything is allocated or simulated: the memory
/// it would hold and the time it would take. One mechanism for every command: each command
/// describes its run as a WorkEstimate (bytes held at once, seconds of work on one thread,
/// what it is made of and which options shrink it), and WorkLimits refuses it, with an
/// InputError (exit 2) that says how to raise the limit, when either is above the user's limit
/// (--max-memory-gib, --max-hours).
///
/// The time is estimated from the work (for example pupil-months simulated) at a fixed
/// throughput per thread, not measured: the same command is refused or accepted on any machine
/// and under any load. The throughputs are those of the machine they were measured on, rounded
/// up (docs/methods.md, "Limits"), so the estimate is "about", rather low than high. Threads
/// count up to the machine's cores, and the processes of an mpirun share the work.
#include <string>

namespace attendsim {

struct WorkEstimate {
  double bytes = 0;           ///< memory held at once
  double thread_seconds = 0;  ///< work, in seconds on one thread
  std::string what;           ///< how it is made up ("9 grid points x 20 replications x ...")
  std::string lower;          ///< the options that shrink it ("--grid, --replications")

  /// Adds another part of the same run (memory held at once and work both add).
  WorkEstimate& operator+=(const WorkEstimate& other);
};

struct WorkLimits {
  double max_memory_gib = 8;
  double max_hours = 1;

  /// Hours of `e` on `threads` threads (counting no more threads than the machine has cores)
  /// in each process of the command's work split (sim/work_split.hpp).
  static double hours(const WorkEstimate& e, int threads);

  /// Throws InputError when `e` needs more than max_memory_gib of memory or more than
  /// max_hours on `threads` threads; `command` starts the message ("sensitivity --method sobol").
  void check(const WorkEstimate& e, int threads, const std::string& command) const;
};

}  // namespace attendsim
