#pragma once
/// Parallel execution over independent units (replications, parameter draws, design points).
///
/// `run_indexed(n, threads, fn)` evaluates fn(i) for i in [0, n) on a oneTBB arena of
/// `threads` workers and stores each result in slot i. Callers fold the slots in index
/// order, so results are bit-identical for any thread count: no atomics, no thread-local
/// floating-point sums. `on_done` (optional) is called after each unit, from any thread;
/// it must be thread-safe (the progress bar uses an atomic counter).
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace attendsim {

template <class Result, class Fn>
std::vector<Result> run_indexed(std::size_t n, int threads, Fn&& fn,
                                const std::function<void()>& on_done = {}) {
  std::vector<Result> slots(n);
  // More threads than cores were asked for: oneTBB would run at most the cores' number and
  // print a warning; the limit is raised for this arena's life, so the threads asked for run
  // (oversubscribed; the results do not depend on it).
  std::optional<oneapi::tbb::global_control> allow;
  if (threads > oneapi::tbb::this_task_arena::max_concurrency())
    allow.emplace(oneapi::tbb::global_control::max_allowed_parallelism,
                  static_cast<std::size_t>(threads));
  oneapi::tbb::task_arena arena(threads > 0 ? threads : oneapi::tbb::task_arena::automatic);
  arena.execute([&] {
    oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, n, 1),
                              [&](const oneapi::tbb::blocked_range<std::size_t>& r) {
                                for (std::size_t i = r.begin(); i != r.end(); ++i) {
                                  slots[i] = fn(i);
                                  if (on_done) on_done();
                                }
                              });
  });
  return slots;
}

/// As run_indexed, with fn(i, scratch) given a Scratch object of the worker thread that runs
/// unit i: buffers a unit may reuse from an earlier unit on the same thread, to save their
/// allocation and page faults. A unit's result must not depend on what its scratch held
/// before (which units ran earlier on that thread is the scheduler's choice), so the slots
/// stay the same for any thread count.
template <class Result, class Scratch, class Fn>
std::vector<Result> run_indexed_with_scratch(std::size_t n, int threads, Fn&& fn,
                                             const std::function<void()>& on_done = {}) {
  oneapi::tbb::enumerable_thread_specific<Scratch> scratch;
  return run_indexed<Result>(
      n, threads, [&](std::size_t i) { return fn(i, scratch.local()); }, on_done);
}

}  // namespace attendsim
