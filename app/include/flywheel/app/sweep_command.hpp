#pragma once
// `flywheel sweep SWEEP.yaml`: a batch of runs, on a workstation (several at
// once), across MPI ranks, or as one task of a Slurm job array.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace flywheel::app {

struct SweepOptions {
  std::string file;                    // the sweep file
  std::string output;                  // -o: replaces the sweep file's output directory
  std::size_t jobs = 0;                // runs at once in this process; 0: cores / threads per run (1 under MPI)
  std::optional<std::size_t> task;     // this task's index among `tasks` (Slurm array)
  std::optional<std::size_t> tasks;    // the number of tasks
  bool dry_run = false;                // write the index and list the runs, run nothing
  std::vector<std::string> overrides;  // --set key=value (and --ticks as ticks=N), for every run
};

/// Validates the whole sweep (every run's scenario), writes the index, then
/// runs this process's share, skipping runs already complete. Returns 0 when
/// all of them are complete, 128 + signal when stopped by SIGINT or SIGTERM
/// (runs under way are closed as interrupted), 1 when a run failed. Throws
/// ConfigError before any run for a bad sweep file or scenario.
int sweep_command(const SweepOptions& options);

}  // namespace flywheel::app
