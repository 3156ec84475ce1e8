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
///   - `run_split` then gathers every rank's block, in rank order (so in unit order), on every
///     rank: each rank holds all the per-unit results (aggregates per unit, never anything per
///     pupil) and folds them exactly as a serial run does, so the bytes of every output are the
///     same for any K and any --threads. Only rank 0 writes files (sim/output.hpp) and prints.
///
/// Analysis code calls `run_split` where it called `run_indexed`; it never calls MPI. A unit's
/// result crosses between ranks as bytes (`ByteWriter` / `ByteReader`, raw IEEE bits, so
/// values arrive bit for bit).
///
/// Errors: bad input is found on every rank before the first split (each rank reads and checks
/// the config). A rank that throws later cannot leave the others waiting in a gather: main
/// reports the error and calls `abort_all(code)`, which ends every rank (MPI_Abort) after the
/// temporary output folder has been removed by the unwinding.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/error.hpp"
#include "sim/runner.hpp"

namespace attendsim {

class WorkSplit {
 public:
  virtual ~WorkSplit() = default;
  virtual int rank() const = 0;
  virtual int ranks() const = 0;
  /// Every rank's `mine`, in rank order, on every rank (collective: all ranks call it).
  virtual std::vector<std::string> all_gather(const std::string& mine) const = 0;
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

  /// Seconds spent in all_gather by this rank: waiting for slower ranks, then exchanging.
  double wait_seconds = 0, exchange_seconds = 0;
  std::uint64_t bytes_gathered = 0;
};

/// The split of this process: the serial one unless `start_work_split` installed MPI's. (The
/// one process-wide object of the engine, as MPI_COMM_WORLD is one per process.)
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

/// As run_indexed_with_scratch over units [0, n), split across the ranks of
/// process_work_split(): this rank evaluates its share with `threads` workers, then every
/// rank's results are gathered, in unit order, on every rank. `encode(ByteWriter&, const
/// Result&)` and `decode(ByteReader&, Result&)` carry a result between ranks. With one rank
/// this is run_indexed_with_scratch exactly (nothing is encoded).
template <class Result, class Scratch, class Fn, class Encode, class Decode>
std::vector<Result> run_split(std::size_t n, int threads, Fn&& fn, Encode&& encode, Decode&& decode,
                              const std::function<void()>& on_done = {}) {
  const WorkSplit& split = process_work_split();
  if (split.ranks() == 1) {
    return run_indexed_with_scratch<Result, Scratch>(n, threads, std::forward<Fn>(fn), on_done);
  }
  detail::fail_if_asked(split);
  // Plain variables, not a structured binding: clang 14 (the fuzz build) cannot capture one.
  const auto share = split.share(n, split.rank());
  const std::size_t first = share.first;
  const std::size_t last = share.second;
  auto mine = run_indexed_with_scratch<Result, Scratch>(
      last - first, threads, [&](std::size_t i, Scratch& s) { return fn(first + i, s); }, on_done);
  ByteWriter w;
  for (const auto& r : mine) encode(w, r);
  mine.clear();
  mine.shrink_to_fit();
  const auto parts = split.all_gather(w.take());
  std::vector<Result> all(n);
  for (int k = 0; k < split.ranks(); ++k) {
    const auto [lo, hi] = split.share(n, k);
    ByteReader rd(parts[static_cast<std::size_t>(k)]);
    for (std::size_t u = lo; u < hi; ++u) decode(rd, all[u]);
    ATTENDSIM_REQUIRE(rd.done(), "gathered results of rank " << k << " have bytes left over");
  }
  return all;
}

}  // namespace attendsim
