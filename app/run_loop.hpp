#pragma once
// The tick loop every way of running shares (`run`, `run --from`, `resume`):
// step the market, hand each tick to the output, take checkpoints, and stop
// cleanly on SIGINT or SIGTERM (or after --stop-after), leaving a checkpoint.

#include <cstdint>
#include <optional>
#include <string>

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

/// Runs `market` on to its scenario's ticks, or until a signal arrives or
/// `stop_after` ticks are done (counted from 0, like `tick`). A run stopped
/// early writes a checkpoint (when it has a path) and leaves its output
/// `interrupted`. Prints the summary. Returns the exit status: 0, or 128 + the
/// signal. Throws RunError if the output or a checkpoint cannot be written.
int run_ticks(market::Market& market, std::optional<RunOutput>& output, const Checkpointing& checkpoints,
              std::optional<std::uint32_t> stop_after, std::size_t threads, const StopSignals& stop);

}  // namespace flywheel::app
