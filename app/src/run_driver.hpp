#pragma once
// The one way a run goes, whichever command asked for it (`run`, `run
// --from`, `resume`, each run of `sweep`): lock its files, build or restore
// its market, open its output, run the ticks (run_ticks), and, for a command of its own,
// bound the threads, catch stop signals and report how it ended. The
// commands decide and check what to run; nothing here decides.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flywheel/engine/h5/writer.hpp"
#include "flywheel/engine/progress.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "run_loop.hpp"
#include "signals.hpp"

namespace flywheel::app {

/// The worker threads a run gets: `option` (--threads), or every core for 0.
std::size_t thread_count(std::size_t option);

/// "N threads", and under MPI " on each of R MPI ranks", for a run's banner.
std::string workers(std::size_t threads);

/// A run's output file: none, a new file, or the file of a checkpointed run, continued.
struct OutputTarget {
  std::optional<std::string> path{};            // none: the run writes no file
  std::vector<h5::Attribute> attributes{};      // a new file's extra root attributes (a branch's parent)
  std::optional<h5::ContinueAt> continue_at{};  // continue the file from here instead of creating it
};

/// One run, as its command chose and checked it. Refers to the scenario and
/// checkpoint, which must outlive the run. (The `{}` initializers let a
/// designated initializer leave fields out under -Wmissing-field-initializers.)
struct RunRequest {
  const market::Scenario& scenario;
  std::string config{};                       // the scenario file it was read from, never to be written; empty: none
  const runtime::Checkpoint* from = nullptr;  // the state to restore; none: a new market at tick 0
  OutputTarget output{};
  Checkpointing checkpoints{};                // none by default (a sweep's runs)
  std::optional<std::uint32_t> stop_after{};  // --stop-after
  std::string banner{};                       // logged (info) once the output is open; empty: nothing
};

/// Checks the run's files (check_run_files: the config, a branch's
/// checkpoint, the output and the checkpoint path) and locks those it writes
/// (FileLock: a second run aimed at one is refused), builds or restores the
/// market, then opens the output (so a run that cannot build its market
/// leaves the old output as it was) and runs until its last tick, a signal
/// `stop` saw, or `stop_after`. Throws RunError if the output or a checkpoint
/// cannot be written or is locked, ConfigError if two of its files are one.
/// Without checkpoints it is thread-safe: a sweep drives several runs at once.
RunResult drive_run(const RunRequest& run, const StopSignals& stop, Progress::Style progress);

/// A command's run, alone in this process: at most `threads` worker threads,
/// SIGINT and SIGTERM caught while it runs, drive_run(), then report_run().
/// Returns the exit status: 0, or 128 + the signal that stopped it. Throws as drive_run().
int run_and_report(const RunRequest& run, std::size_t threads);

}  // namespace flywheel::app
