/// MPI's WorkSplit (built with ATTENDSIM_MPI; see sim/work_split.hpp). Without it the factory
/// returns null and no MPI is linked.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "sim/work_split.hpp"

#ifdef ATTENDSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace attendsim {

#ifdef ATTENDSIM_HAVE_MPI

namespace {

bool g_started = false;

/// Message tags of the point-to-point exchanges (the collectives need none): a part of the
/// results, rank 0's go-on/end, and a failed rank's exit code to rank 0 (abort_all).
constexpr int kPartTag = 18, kControlTag = 19, kFailedTag = 20;
/// Pieces of at most 1 GiB: MPI counts are int.
constexpr std::size_t kPiece = std::size_t{1} << 30;

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

class MpiSplit final : public WorkSplit {
 public:
  MpiSplit() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
  }
  int rank() const override { return rank_; }
  int ranks() const override { return ranks_; }

  /// Each rank in turn broadcasts its length, then its bytes in pieces. A barrier first,
  /// timed apart, separates waiting for slower ranks from the exchange itself.
  std::vector<std::string> all_gather(const std::string& mine) override {
    const auto t0 = Clock::now();
    barrier();
    stats.wait_seconds += seconds_since(t0);
    const auto t1 = Clock::now();
    std::vector<std::string> all(static_cast<std::size_t>(ranks_));
    for (int k = 0; k < ranks_; ++k) {
      auto& part = all[static_cast<std::size_t>(k)];
      unsigned long long size = k == rank_ ? mine.size() : 0;
      MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, k, MPI_COMM_WORLD);
      if (k == rank_) {
        part = mine;
      } else {
        part.resize(static_cast<std::size_t>(size));
      }
      for (std::size_t at = 0; at < part.size(); at += kPiece) {
        const auto len = static_cast<int>(std::min(kPiece, part.size() - at));
        MPI_Bcast(part.data() + at, len, MPI_BYTE, k, MPI_COMM_WORLD);
      }
      stats.bytes_gathered += size;
    }
    stats.exchange_seconds += seconds_since(t1);
    return all;
  }

  /// Ranks 1 .. K-1 send their length, then their bytes in pieces; rank 0 receives them in
  /// rank order into one buffer, handed to `take` and freed before the next rank's.
  void gather_to_root(const std::string& mine,
                      const std::function<void(int, std::string&)>& take) override {
    const auto t0 = Clock::now();
    barrier();
    stats.wait_seconds += seconds_since(t0);
    const auto t1 = Clock::now();
    if (rank_ != 0) {
      unsigned long long size = mine.size();
      MPI_Send(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, kPartTag, MPI_COMM_WORLD);
      for (std::size_t at = 0; at < mine.size(); at += kPiece) {
        const auto len = static_cast<int>(std::min(kPiece, mine.size() - at));
        MPI_Send(mine.data() + at, len, MPI_BYTE, 0, kPartTag, MPI_COMM_WORLD);
      }
    } else {
      for (int k = 1; k < ranks_; ++k) {
        unsigned long long size = 0;
        MPI_Recv(&size, 1, MPI_UNSIGNED_LONG_LONG, k, kPartTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        std::string part(static_cast<std::size_t>(size), '\0');
        for (std::size_t at = 0; at < part.size(); at += kPiece) {
          const auto len = static_cast<int>(std::min(kPiece, part.size() - at));
          MPI_Recv(part.data() + at, len, MPI_BYTE, k, kPartTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
        stats.bytes_gathered += size;
        if (take) take(k, part);
      }
    }
    stats.exchange_seconds += seconds_since(t1);
  }

  void release_followers(bool more) override {
    int flag = more ? 1 : 0;
    for (int k = 1; k < ranks_; ++k) MPI_Send(&flag, 1, MPI_INT, k, kControlTag, MPI_COMM_WORLD);
  }

  /// A receive tested every millisecond: a blocking one would spin a core (Open MPI polls)
  /// all the while rank 0 works alone (folding, writing files, preparing its next split).
  bool await_root() override {
    int flag = 0, done = 0;
    MPI_Request req;
    MPI_Irecv(&flag, 1, MPI_INT, 0, kControlTag, MPI_COMM_WORLD, &req);
    for (;;) {
      MPI_Test(&req, &done, MPI_STATUS_IGNORE);
      if (done) return flag != 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  /// Rank 0 ends every rank itself (its temporary output folder already removed). Another
  /// rank does not: it sends its exit code to rank 0 and waits, sleeping, to be ended by rank
  /// 0's MPI_Abort. Were it to call MPI_Abort, mpirun would kill rank 0 wherever it is, and
  /// Open MPI 4.1.4 sends its SIGKILL 8-20 ms after its SIGTERM (strace; the 1 s of
  /// odls_base_sigkill_timeout only when no rank died meanwhile): on a loaded machine rank 0's
  /// signal handler, still removing the temporary folder, was cut short and left it behind.
  [[noreturn]] void abort_all(int code) const override {
    if (rank_ != 0) {
      // Rank 0 takes the code at its next barrier (barrier()). Should this rank have failed
      // after the last one (the checks of the bytes it received), rank 0 ends the command
      // instead (release_followers(false), its folder committed): then this rank ends all.
      MPI_Request sent, control;
      int flag = 1, sent_done = 0, control_done = 0;
      MPI_Isend(&code, 1, MPI_INT, 0, kFailedTag, MPI_COMM_WORLD, &sent);
      MPI_Irecv(&flag, 1, MPI_INT, 0, kControlTag, MPI_COMM_WORLD, &control);
      for (;;) {
        if (!sent_done) MPI_Test(&sent, &sent_done, MPI_STATUS_IGNORE);
        MPI_Test(&control, &control_done, MPI_STATUS_IGNORE);
        if (control_done) {
          if (flag == 0) break;
          MPI_Irecv(&flag, 1, MPI_INT, 0, kControlTag, MPI_COMM_WORLD, &control);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);  // MPI_Abort does not return; this satisfies [[noreturn]]
  }

 private:
  /// A barrier. On rank 0 it also listens for a failed rank's exit code (abort_all) and then
  /// throws RankFailed, so that rank 0 unwinds (its temporary folder removed) and ends every
  /// rank. A rank fails only before a barrier it has not reached, so rank 0 always hears it
  /// here: it cannot pass that barrier without the failed rank.
  /// Every rank takes the non-blocking barrier: it does not match a blocking one (MPI 3.0, 5.12).
  void barrier() {
    MPI_Request req;
    MPI_Ibarrier(MPI_COMM_WORLD, &req);
    if (rank_ != 0) {
      MPI_Wait(&req, MPI_STATUS_IGNORE);
      return;
    }
    for (int done = 0, failed = 0;;) {
      MPI_Test(&req, &done, MPI_STATUS_IGNORE);
      if (done) return;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, kFailedTag, MPI_COMM_WORLD, &failed, &st);
      if (failed) {
        int code = 1;
        MPI_Recv(&code, 1, MPI_INT, st.MPI_SOURCE, kFailedTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        throw RankFailed(st.MPI_SOURCE, code);
      }
    }
  }

  int rank_ = 0, ranks_ = 1;
};

}  // namespace

std::unique_ptr<WorkSplit> make_mpi_split(int& argc, char**& argv) {
  int provided = 0;
  // Only the main thread calls MPI (the gathers run between the oneTBB arenas' work).
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  g_started = true;
  return std::make_unique<MpiSplit>();
}

void finish_mpi() {
  if (g_started) {
    g_started = false;
    MPI_Finalize();
  }
}

#else

std::unique_ptr<WorkSplit> make_mpi_split(int&, char**&) {
  return nullptr;
}
void finish_mpi() {}

#endif

}  // namespace attendsim
