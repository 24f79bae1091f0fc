#pragma once
// What a command prints once its run ends: how far it got and why, or the
// closing summary.

#include <cstddef>
#include <optional>
#include <string>

#include "flywheel/market/scenario.hpp"
#include "run_loop.hpp"

namespace flywheel::app {

/// Prints how the run ended (rank 0 only) and returns the exit status: 0, or
/// 128 + the signal that stopped it. `output`: the run's output file, if any.
int report_run(const market::Scenario& scenario, const RunResult& run, const std::optional<std::string>& output,
               const Checkpointing& checkpoints, std::size_t threads);

}  // namespace flywheel::app
