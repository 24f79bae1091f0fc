#pragma once
// The process's place among MPI ranks. MPI is started only when the process
// was launched by an MPI launcher (mpirun, srun); otherwise, and in builds
// without MPI, the process is rank 0 of 1 and no MPI call is made.

#if FLYWHEEL_WITH_MPI
#include <mpi.h>
#endif

namespace flywheel::mpi {

/// Whether this build can run across MPI ranks.
[[nodiscard]] bool built_with_mpi() noexcept;

/// Starts MPI (if launched by an MPI launcher) for the life of the process's
/// main(); one per process.
class Session {
 public:
  Session(int& argc, char**& argv);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();
};

/// This process's rank in the world, and the number of ranks (0 and 1 without MPI).
[[nodiscard]] int rank() noexcept;
[[nodiscard]] int size() noexcept;
/// Whether MPI was started (a Session under a launcher).
[[nodiscard]] bool active() noexcept;

/// Ends every rank's process with `code` (MPI_Abort), so that an error on
/// one rank does not leave the others waiting in a collective; a plain
/// exit when MPI is not active.
[[noreturn]] void abort_all(int code) noexcept;

#if FLYWHEEL_WITH_MPI
/// The world communicator; only when active().
[[nodiscard]] MPI_Comm world() noexcept;
#endif

}  // namespace flywheel::mpi
