#pragma once
// Running a batch of runs: the part of `flywheel sweep` that `flywheel
// attribute` shares. This process's share of a plan's runs (its Slurm task
// and MPI rank), several at once, each a simulation of its own, skipping
// runs already complete, and one summary line over every process.

#include <cstddef>
#include <functional>
#include <vector>

#include "flywheel/app/sweep_plan.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "signals.hpp"
#include "sweep_share.hpp"

namespace flywheel::app {

/// The runs of a plan this process takes, and how.
struct ShareOfRuns {
  const SweepPlan& plan;
  const std::vector<market::Scenario>& scenarios;  // every run's, in plan order
  Share share;
  std::vector<std::size_t> mine;  // indices into plan.runs
  std::size_t jobs = 0;           // runs at once; 0: cores / threads per run (1 under MPI)
  /// Per run of the plan, the checkpoint it branches from; empty: every run starts at tick 0.
  std::vector<const runtime::Checkpoint*> parents{};
};

/// Creates the output directories and writes the index (rank 0 under MPI),
/// locks this process's slot of the directory, then runs its runs that are
/// not complete yet. Returns 0 when all of them are complete, 128 + signal
/// when stopped by SIGINT or SIGTERM (runs under way are closed as
/// interrupted), 1 when a run failed. Throws RunError when the directory
/// holds another sweep's runs or is in use.
int run_share(const ShareOfRuns& runs, const StopSignals& stop);

/// Calls `job(k)` for k in [0, count), `jobs` at once, each in a task arena
/// of `threads` worker threads; stops taking new ones once `stop` has a
/// signal. Returns how many were started.
std::size_t for_each_job(std::size_t count, std::size_t jobs, std::size_t threads, const StopSignals& stop,
                         const std::function<void(std::size_t)>& job);

/// `jobs` as the user asked (0: cores / threads per run, 1 under MPI), at most `count`, at least 1.
std::size_t job_count(std::size_t asked, std::size_t threads, std::size_t count);

/// Every run of the plan has a complete file (under MPI, rank 0's answer, on every rank).
bool every_run_complete(const SweepPlan& plan);

}  // namespace flywheel::app
