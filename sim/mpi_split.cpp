/// MPI's WorkSplit (built with ATTENDSIM_MPI; see sim/work_split.hpp). Without it the factory
/// returns null and no MPI is linked.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>

#include "sim/work_split.hpp"

#ifdef ATTENDSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace attendsim {

#ifdef ATTENDSIM_HAVE_MPI

namespace {

bool g_started = false;

class MpiSplit final : public WorkSplit {
 public:
  MpiSplit() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
  }
  int rank() const override { return rank_; }
  int ranks() const override { return ranks_; }

  /// Each rank in turn broadcasts its length, then its bytes in pieces of at most 1 GiB (MPI
  /// counts are int). A barrier first, timed apart, separates waiting for slower ranks from the
  /// exchange itself.
  std::vector<std::string> all_gather(const std::string& mine) const override {
    auto& self = const_cast<MpiSplit&>(*this);
    const auto t0 = std::chrono::steady_clock::now();
    MPI_Barrier(MPI_COMM_WORLD);
    const auto t1 = std::chrono::steady_clock::now();
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
      constexpr std::size_t kPiece = std::size_t{1} << 30;
      for (std::size_t at = 0; at < part.size(); at += kPiece) {
        const auto len = static_cast<int>(std::min(kPiece, part.size() - at));
        MPI_Bcast(part.data() + at, len, MPI_BYTE, k, MPI_COMM_WORLD);
      }
      self.bytes_gathered += size;
    }
    const auto t2 = std::chrono::steady_clock::now();
    self.wait_seconds += std::chrono::duration<double>(t1 - t0).count();
    self.exchange_seconds += std::chrono::duration<double>(t2 - t1).count();
    return all;
  }

  [[noreturn]] void abort_all(int code) const override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);  // MPI_Abort does not return; this satisfies [[noreturn]]
  }

 private:
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
