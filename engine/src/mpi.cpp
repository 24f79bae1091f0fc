#include "flywheel/engine/mpi.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>

namespace flywheel::mpi {
namespace {

int world_rank = 0;
int world_size = 1;
bool started = false;

/// Set by Open MPI's mpirun, by PMIx/PMI launchers (Slurm's srun): singleton
/// start-up is avoided because it is slow and fails in some containers.
[[maybe_unused]] bool launched_by_mpi() noexcept {
  constexpr std::array<const char*, 3> names{"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"};
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up, before any thread
  return std::ranges::any_of(names, [](const char* name) { return std::getenv(name) != nullptr; });
}

}  // namespace

bool built_with_mpi() noexcept { return FLYWHEEL_WITH_MPI != 0; }

Session::Session([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
#if FLYWHEEL_WITH_MPI
  if (!launched_by_mpi()) return;
  // Only the main thread calls MPI; TBB workers never do.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  if (provided < MPI_THREAD_FUNNELED) {
    std::fputs("flywheel: error: this MPI library does not support MPI_THREAD_FUNNELED\n", stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  started = true;
#endif
}

Session::~Session() {
#if FLYWHEEL_WITH_MPI
  if (started) MPI_Finalize();
#endif
}

void abort_all(int code) noexcept {
#if FLYWHEEL_WITH_MPI
  if (started) {
    std::fflush(stdout);
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, code);
  }
#endif
  std::exit(code);  // NOLINT(concurrency-mt-unsafe): the process ends here; other threads do not matter
}

int rank() noexcept { return world_rank; }
int size() noexcept { return world_size; }
bool active() noexcept { return started; }

#if FLYWHEEL_WITH_MPI
MPI_Comm world() noexcept { return MPI_COMM_WORLD; }
#endif

}  // namespace flywheel::mpi
