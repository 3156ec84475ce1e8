#pragma once
/// A progress bar on stderr for long runs: shown only when stderr is a terminal, not
/// --quiet, and the run has lasted over a second. `tick()` is thread-safe.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace attendsim {

class ProgressBar {
 public:
  ProgressBar(std::size_t total, std::string label, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  void tick() { done_.fetch_add(1, std::memory_order_relaxed); }
  /// Stops the display thread and clears the line.
  void finish();

 private:
  void loop();
  std::size_t total_;
  std::string label_;
  std::atomic<std::size_t> done_{0};
  bool enabled_;
  bool shown_ = false;
  bool stop_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

/// True when stderr is a terminal.
bool stderr_is_terminal();

}  // namespace attendsim
