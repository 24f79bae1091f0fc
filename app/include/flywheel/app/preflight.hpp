#pragma once
// Checks made after a scenario is validated and before any work or any file
// is touched: here, whether the run fits in the memory there is.

#include <string>

#include "flywheel/market/scenario.hpp"

namespace flywheel::app {

/// Exit status of a run refused for lack of memory (see docs/reliability.md).
inline constexpr int exit_insufficient_memory = 3;

/// Throws memory::InsufficientMemory, naming the estimate and what is
/// available, when the run would need more memory than the machine (or its
/// cgroup, or FLYWHEEL_MEMORY_AVAILABLE) offers. `writes_output`: count the
/// writer's buffers. Does nothing when the available memory is unknown.
void check_memory(const market::Scenario& scenario, const std::string& config, bool writes_output);

}  // namespace flywheel::app
