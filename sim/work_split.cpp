#include "sim/work_split.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace attendsim {

namespace {

/// One process, the whole work: what every run was before MPI.
class SerialSplit final : public WorkSplit {
 public:
  int rank() const override { return 0; }
  int ranks() const override { return 1; }
  std::vector<std::string> all_gather(const std::string& mine) override { return {mine}; }
  void gather_to_root(const std::string&, const std::function<void(int, std::string&)>&) override {}
  void release_followers(bool) override {}
  bool await_root() override { return false; }
  [[noreturn]] void abort_all(int code) const override { std::exit(code); }
};

std::unique_ptr<WorkSplit>& installed() {
  static std::unique_ptr<WorkSplit> split = std::make_unique<SerialSplit>();
  return split;
}

/// The number of ranks mpirun (Open MPI, or a PMI launcher) says this process is one of; 0 when
/// it was not started by a launcher.
int launcher_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(name)) return std::atoi(v) > 0 ? std::atoi(v) : 1;
  }
  return std::getenv("PMIX_RANK") ? 1 : 0;
}

}  // namespace

// Defined in sim/mpi_split.cpp: MPI's split (MPI initialised), or null when built without MPI.
std::unique_ptr<WorkSplit> make_mpi_split(int& argc, char**& argv);
void finish_mpi();

WorkSplit& process_work_split() {
  return *installed();
}

void start_work_split(int& argc, char**& argv) {
  const int launched = launcher_ranks();
  if (launched == 0) return;
  auto split = make_mpi_split(argc, argv);
  if (!split) {
    if (launched > 1) {
      ATTENDSIM_INPUT_ERROR("started by mpirun with "
                            << launched
                            << " ranks, but this attendsim was built without MPI "
                               "(-DATTENDSIM_MPI=ON); every rank would run the whole work");
    }
    return;
  }
  if (split->rank() != 0) {
    // Only rank 0 prints: the others' tables and messages would repeat it.
    if (!std::freopen("/dev/null", "w", stdout)) std::fclose(stdout);
  }
  installed() = std::move(split);
}

void finish_work_split() {
  finish_mpi();
}

namespace detail {
void fail_if_asked(const WorkSplit& split) {
  if (const char* v = std::getenv("ATTENDSIM_FAIL_RANK")) {
    if (std::string(v) == std::to_string(split.rank())) {
      ATTENDSIM_REQUIRE(false, "rank " << split.rank()
                                       << " failed on purpose (ATTENDSIM_FAIL_RANK, a test hook)");
    }
  }
}
}  // namespace detail

}  // namespace attendsim
