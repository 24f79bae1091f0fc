#pragma once
// The tick loop every way of running shares (`run`, `run --from`, `resume`,
// each run of `sweep`): step the market, hand each tick to the output, take
// checkpoints, and stop cleanly on SIGINT or SIGTERM (or after --stop-after),
// leaving a checkpoint. run_driver.hpp wraps it with the rest of a run.

#include <cstdint>
#include <optional>
#include <string>

#include "flywheel/engine/progress.hpp"
#include "flywheel/market/market.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace flywheel::app {

/// Where and how often a run saves its state.
struct Checkpointing {
  std::string path;         // empty: no checkpoints
  std::uint32_t every = 0;  // ticks between checkpoints; 0: only when stopped early
};

/// The checkpoint file: `option` (--checkpoint) when given, else the output
/// path with `.h5` replaced by `.checkpoint.h5`, else none (empty).
std::string checkpoint_path(const std::string& option, const std::optional<std::string>& output);

/// Refuses --checkpoint-every or --stop-after (`stop_after`) with nowhere to
/// save (-o none without --checkpoint), instead of ignoring them. Throws ConfigError.
void check_checkpoint_file(const Checkpointing& checkpoints, bool stop_after);

/// How a run of ticks ended.
struct RunResult {
  int signal = 0;       // the signal that stopped it early (on any rank), or 0
  Tick first = 0;       // the tick it started from
  Tick reached = 0;     // the tick it got to
  double seconds = 0;   // wall time of those ticks
  std::string summary;  // the closing table (runtime::summary), when it ran to the end
  std::string traffic;  // under MPI, what the ranks sent each other; else empty
};

/// Runs `market` on to its scenario's ticks, or until a signal arrives (on
/// any rank) or `stop_after` ticks are done (counted from 0, like `tick`).
/// A run stopped early leaves its output `interrupted`, then writes a
/// checkpoint (when it has a path); a finished one leaves it `complete`.
/// Under MPI every rank calls it and all stop at the same tick; a stopped
/// run's ranks return together, once rank 0 has closed its files. Throws
/// RunError if the output or a checkpoint cannot be written. Without
/// checkpoints it is thread-safe: `flywheel sweep` runs several at once.
RunResult run_ticks(market::Market& market, RunOutput* output, const Checkpointing& checkpoints,
                    std::optional<std::uint32_t> stop_after, const StopSignals& stop,
                    Progress::Style style = Progress::Style::automatic);

}  // namespace flywheel::app
