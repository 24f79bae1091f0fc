#pragma once
// Which of a sweep's runs this process takes: its task of a Slurm job array
// (or --task/--tasks), times its MPI rank among the ranks.

#include <cstddef>

#include "flywheel/app/sweep_command.hpp"

namespace flywheel::app {

/// Which runs this process takes: those whose index is `slot` modulo `slots`.
struct Share {
  std::size_t slot = 0;
  std::size_t slots = 1;
};

/// The task among `tasks` (--task/--tasks, else a Slurm job array's
/// environment, else 0 of 1), times this process's MPI rank among the ranks.
/// Throws ConfigError for --task without --tasks (or the other way), a task
/// out of range, or a Slurm variable that is not a whole number.
Share share_of_process(const SweepOptions& options);

}  // namespace flywheel::app
