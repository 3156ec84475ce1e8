#pragma once
/// Units of work split across processes (MPI ranks), behind one small interface.
///
/// A `WorkSplit` is the set of processes that run one command together: `ranks()` of them,
/// this one being `rank()`. Started without mpirun there is one (the serial split) and the
/// program runs as it always did. Started by `mpirun -np K` (and built with ATTENDSIM_MPI),
/// every rank runs the whole command; only the units of work are split:
///
///   - `share(n, k)`, the fixed rule: rank k evaluates units [floor(n k / K), floor(n (k+1) / K)),
///     a contiguous block, on its own oneTBB arena (`run_indexed`, so --threads per rank);
///   - `run_split` then gathers every rank's block, in rank order (so in unit order), on rank
///     0, one rank's bytes at a time: rank 0 holds every unit's whole result (aggregates per
///     unit, never anything per pupil) and folds them exactly as a serial run does, so the
///     bytes of every output are the same for any K and any --threads. Every other rank keeps
///     of every unit only its shared part: the few numbers per unit that the command's next
///     steps read (a threshold's root finding, --target-se's stopping rule), so that every
///     rank takes the same next step; the bulk (series by month, subgroups) is on rank 0 alone;
///   - after a split the other ranks wait until rank 0 starts the next split or ends the
///     command (FollowerDone): only rank 0 writes files (sim/output.hpp) and prints;
///   - `run_split_all` gathers whole results on every rank (for small results, all shared).
///
/// Why every rank keeps the shared part of every unit, not only its own: the commands that
/// take several splits decide their next split from all the units of the last one (threshold's
/// root finding: the mean net benefit or ROI over every unit at each grid point; --target-se:
/// the standard error over every replication so far; one-way and calc: the low/high runs'
/// means), and every rank computes that decision itself, from the same numbers, so that all
/// ranks take the same next step without another message. Keeping only its own units would
/// need rank 0 to compute each decision and send it to the others, a change in each of those
/// callers (a broadcast of their state between splits), not in this file; the shared part is
/// small (a unit's metrics, about 0.8 KB of its 6.6 KB: nothing per month nor per subgroup).
///
/// Analysis code calls `run_split` with the split it was given (RunOptions::split; null is the
/// serial split) where it called `run_indexed`; it never calls MPI. A unit's result crosses
/// between ranks as bytes (`ByteWriter` / `ByteReader`, raw IEEE bits, so values arrive bit
/// for bit).
///
/// Errors: bad input is found on every rank before the first split (each rank reads and checks
/// the config). A rank that throws later cannot leave the others waiting in a gather: main
/// reports the error and calls `abort_all(code)`. On rank 0 that ends every rank (MPI_Abort)
/// after the temporary output folder has been removed by the unwinding. Another rank sends its
/// code to rank 0 and waits: rank 0, at the barrier of that split, throws RankFailed, unwinds
/// (its temporary folder removed) and ends every rank with that code. The failed rank never
/// ends rank 0 from outside (mpirun's SIGKILL can cut short the removal: sim/mpi_split.cpp).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/error.hpp"
#include "sim/runner.hpp"

namespace attendsim {

/// Seconds and bytes of the exchanges between ranks (rank 0's figures are printed at the end).
struct GatherStats {
  double wait_seconds = 0;      ///< waiting for slower ranks to finish their share
  double exchange_seconds = 0;  ///< moving the bytes
  std::uint64_t bytes_gathered = 0;
};

/// Thrown on a rank other than 0 when rank 0 has ended the command (`await_root`): that rank's
/// part is done. Not a std::exception, so that no error handler takes it for a failure; main
/// ends the rank with exit code 0 (its scratch folder removed by the unwinding).
struct FollowerDone {};

/// Thrown on rank 0 at a gather when rank `rank` has failed (its own message printed by that
/// rank): main ends every rank with exit code `code`.
struct RankFailed : std::runtime_error {
  RankFailed(int failed_rank, int exit_code)
      : std::runtime_error("rank " + std::to_string(failed_rank) + " failed (its error above)"),
        rank(failed_rank),
        code(exit_code) {}
  int rank, code;
};

class WorkSplit {
 public:
  virtual ~WorkSplit() = default;
  virtual int rank() const = 0;
  virtual int ranks() const = 0;
  /// Every rank's `mine`, in rank order, on every rank (collective: all ranks call it).
  virtual std::vector<std::string> all_gather(const std::string& mine) = 0;
  /// Every rank's `mine` to rank 0, one rank at a time in rank order (collective): on rank 0
  /// `take(k, bytes)` is called for k = 1 .. K-1 with rank k's bytes, which it may consume;
  /// they are freed before the next rank's arrive, so rank 0 never holds two ranks' bytes.
  /// The other ranks send theirs and return.
  virtual void gather_to_root(const std::string& mine,
                              const std::function<void(int, std::string&)>& take) = 0;
  /// Rank 0 tells the other ranks, which wait in `await_root`, that the command goes on to
  /// another split (`more` = true) or has ended (false).
  virtual void release_followers(bool more) = 0;
  /// Ranks other than 0: wait (sleeping, not spinning) for rank 0's `release_followers`;
  /// true when another split follows.
  virtual bool await_root() = 0;
  /// Ends every rank with exit code `code` (does not return).
  [[noreturn]] virtual void abort_all(int code) const = 0;

  /// The fixed rule: the units [first, last) of `n` that rank `k` evaluates.
  std::pair<std::size_t, std::size_t> share(std::size_t n, int k) const {
    // floor(n j / K) = q j + floor(r j / K) with n = q K + r: no overflow for any n.
    const auto big_k = static_cast<std::size_t>(ranks());
    const std::size_t q = n / big_k, r = n % big_k;
    auto bound = [&](int j) {
      const auto jj = static_cast<std::size_t>(j);
      return q * jj + r * jj / big_k;
    };
    return {bound(k), bound(k + 1)};
  }

  /// Called by run_split as a split starts: rank 0 releases the ranks waiting since the last
  /// split's end. The others have already been released (await_root in end_split).
  void begin_split() {
    if (rank() == 0 && followers_waiting_) release_followers(true);
    followers_waiting_ = false;
  }
  /// Called by run_split as a split ends. The ranks other than 0 wait there until rank 0
  /// starts its next split or ends the command (then FollowerDone is thrown): they never run
  /// what rank 0 does after its last split (writing, printing), for which they lack the data.
  void end_split() {
    if (ranks() == 1) return;
    if (rank() == 0) {
      followers_waiting_ = true;
    } else if (!await_root()) {
      throw FollowerDone{};
    }
  }
  /// Called by main on rank 0 when the command has succeeded: the waiting ranks end.
  void finish_command() {
    if (rank() == 0 && followers_waiting_) release_followers(false);
    followers_waiting_ = false;
  }

  GatherStats stats;

 private:
  bool followers_waiting_ = false;
};

/// The split of this process, owned by main: the serial one unless `start_work_split`
/// installed MPI's. Only app/ (which passes it to the analyses in RunOptions::split) and the
/// output folder (only rank 0 writes) read it; the engine takes the split it is given.
/// It stays a process global because it is one per process (MPI_Init once, before the
/// command line is parsed) and its readers are main, io/commands' `base_run_options` and
/// `OutputDir`: passing it instead would change the signature of every command body and of
/// OutputDir, which the Python module also calls (where it is always the serial split).
WorkSplit& process_work_split();

/// Called once by main, first: when this process was started by mpirun (its environment says
/// so), initialises MPI and installs the MPI split; else keeps the serial one and touches no
/// MPI. Throws InputError when started by mpirun with several ranks but built without
/// ATTENDSIM_MPI (each rank would otherwise run the whole work alone). Non-zero ranks get
/// their standard output sent to /dev/null.
void start_work_split(int& argc, char**& argv);
/// Called by main at a normal end (MPI_Finalize when MPI was started).
void finish_work_split();

/// Bytes of a unit's result, written in a fixed order (native endianness: the ranks of one
/// run share an architecture).
class ByteWriter {
 public:
  template <class T>
  void put(const T& v) {
    if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      const auto at = bytes_.size();
      bytes_.resize(at + sizeof(T));
      std::memcpy(bytes_.data() + at, &v, sizeof(T));
    } else {
      put(static_cast<std::uint64_t>(v.size()));
      for (const auto& x : v) put(x);
    }
  }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(const std::string& bytes) : bytes_(bytes) {}
  template <class T>
  void get(T& v) {
    if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      ATTENDSIM_REQUIRE(at_ + sizeof(T) <= bytes_.size(), "gathered results end early");
      std::memcpy(&v, bytes_.data() + at_, sizeof(T));
      at_ += sizeof(T);
    } else {
      std::uint64_t n = 0;
      get(n);
      ATTENDSIM_REQUIRE(n <= bytes_.size() - at_, "gathered results: bad length");
      if constexpr (requires { v.resize(std::size_t{0}); }) {
        v.resize(static_cast<std::size_t>(n));
      } else {
        ATTENDSIM_REQUIRE(n == v.size(), "gathered results: bad fixed length");
      }
      for (auto& x : v) get(x);
    }
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  std::size_t at_ = 0;
};

namespace detail {
/// ATTENDSIM_FAIL_RANK=k (a test hook): rank k throws as it starts its share of the work.
void fail_if_asked(const WorkSplit& split);
}  // namespace detail

/// True when `split` is one process (null, or one rank): nothing is split nor encoded.
inline bool serial(const WorkSplit* split) {
  return split == nullptr || split->ranks() == 1;
}

/// The start of run_split and run_split_all: serially, all n units (run_indexed_with_scratch
/// exactly, `first` = 0); else, the split begun, this rank's share of units [0, n) with
/// `threads` workers, its first unit in `first`.
template <class Result, class Scratch, class Fn>
std::vector<Result> run_my_share(WorkSplit* split, std::size_t n, int threads, Fn& fn,
                                 const std::function<void()>& on_done, std::size_t& first) {
  first = 0;
  if (serial(split)) return run_indexed_with_scratch<Result, Scratch>(n, threads, fn, on_done);
  split->begin_split();
  detail::fail_if_asked(*split);
  // Plain variables, not a structured binding: clang 14 (the fuzz build) cannot capture one.
  const auto share = split->share(n, split->rank());
  first = share.first;
  const std::size_t lo = share.first;
  return run_indexed_with_scratch<Result, Scratch>(
      share.second - share.first, threads, [&](std::size_t i, Scratch& s) { return fn(lo + i, s); },
      on_done);
}

/// As run_indexed_with_scratch over units [0, n), split across the ranks of `split` (null:
/// one process): this rank evaluates its share with `threads` workers; rank 0 then receives
/// every rank's results, in unit order, and returns all n whole. Every other rank returns all
/// n with only their shared part: `encode_shared`/`decode_shared` carry it to every rank,
/// `encode`/`decode` carry the whole result to rank 0 (`Result`'s fields bit for bit). With one
/// rank this is run_indexed_with_scratch exactly (nothing is encoded).
template <class Result, class Scratch, class Fn, class Encode, class Decode, class EncodeShared,
          class DecodeShared>
std::vector<Result> run_split(WorkSplit* split, std::size_t n, int threads, Fn&& fn,
                              Encode&& encode, Decode&& decode, EncodeShared&& encode_shared,
                              DecodeShared&& decode_shared,
                              const std::function<void()>& on_done = {}) {
  std::size_t first = 0;
  auto mine = run_my_share<Result, Scratch>(split, n, threads, fn, on_done, first);
  if (serial(split)) return mine;
  // The shared part of every unit, on every rank.
  ByteWriter ws;
  for (const auto& r : mine) encode_shared(ws, r);
  auto shared = split->all_gather(ws.take());
  std::vector<Result> all(n);
  if (split->rank() == 0) {
    shared = {};  // rank 0 takes every unit whole below
    // Rank 0's own units whole as they are; every other rank's decoded as they arrive.
    for (std::size_t i = 0; i < mine.size(); ++i) all[first + i] = std::move(mine[i]);
    mine = std::vector<Result>();
    split->gather_to_root({}, [&](int k, std::string& bytes) {
      const auto range = split->share(n, k);
      ByteReader rd(bytes);
      for (std::size_t u = range.first; u < range.second; ++u) decode(rd, all[u]);
      ATTENDSIM_REQUIRE(rd.done(), "gathered results of rank " << k << " have bytes left over");
    });
  } else {
    ByteWriter w;
    for (const auto& r : mine) encode(w, r);
    mine = std::vector<Result>();
    split->gather_to_root(w.take(), {});
    for (int k = 0; k < split->ranks(); ++k) {
      const auto range = split->share(n, k);
      ByteReader rd(shared[static_cast<std::size_t>(k)]);
      for (std::size_t u = range.first; u < range.second; ++u) decode_shared(rd, all[u]);
      ATTENDSIM_REQUIRE(rd.done(), "shared results of rank " << k << " have bytes left over");
    }
  }
  split->end_split();
  return all;
}

/// As run_split, for results every rank keeps whole (small ones, all of which the command's
/// next steps read): every rank's results gathered, in unit order, on every rank.
template <class Result, class Scratch, class Fn, class Encode, class Decode>
std::vector<Result> run_split_all(WorkSplit* split, std::size_t n, int threads, Fn&& fn,
                                  Encode&& encode, Decode&& decode,
                                  const std::function<void()>& on_done = {}) {
  std::size_t first = 0;
  auto mine = run_my_share<Result, Scratch>(split, n, threads, fn, on_done, first);
  if (serial(split)) return mine;
  ByteWriter w;
  for (const auto& r : mine) encode(w, r);
  mine = std::vector<Result>();
  const auto parts = split->all_gather(w.take());
  std::vector<Result> all(n);
  for (int k = 0; k < split->ranks(); ++k) {
    const auto range = split->share(n, k);
    ByteReader rd(parts[static_cast<std::size_t>(k)]);
    for (std::size_t u = range.first; u < range.second; ++u) decode(rd, all[u]);
    ATTENDSIM_REQUIRE(rd.done(), "gathered results of rank " << k << " have bytes left over");
  }
  split->end_split();
  return all;
}

}  // namespace attendsim
