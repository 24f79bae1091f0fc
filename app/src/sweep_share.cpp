#include "sweep_share.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/mpi.hpp"

namespace flywheel::app {
namespace {

std::optional<std::size_t> environment_number(const char* name) {
  const char* text = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): nothing sets the environment
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (*end != '\0') throw ConfigError({name, 0, 0}, "", fmt::format("expected a whole number, found '{}'", text));
  return static_cast<std::size_t>(value);
}

}  // namespace

Share share_of_process(const SweepOptions& o) {
  std::size_t task = 0;
  std::size_t tasks = 1;
  if (o.task || o.tasks) {
    if (!o.task || !o.tasks) throw ConfigError({"--task", 0, 0}, "", "--task and --tasks go together");
    task = *o.task;
    tasks = *o.tasks;
    if (tasks == 0 || task >= tasks)
      throw ConfigError({"--task", 0, 0}, "", fmt::format("expected --task in [0, {}), found {}", tasks, task));
  } else if (const auto count = environment_number("SLURM_ARRAY_TASK_COUNT")) {
    const auto id = environment_number("SLURM_ARRAY_TASK_ID").value_or(0);
    const auto first = environment_number("SLURM_ARRAY_TASK_MIN").value_or(0);
    const auto step = std::max<std::size_t>(1, environment_number("SLURM_ARRAY_TASK_STEP").value_or(1));
    tasks = *count;
    task = (id - first) / step;
    if (id < first || task >= tasks)
      throw ConfigError({"SLURM_ARRAY_TASK_ID", 0, 0}, "",
                        fmt::format("task {} is not among the array's {} tasks from {}", id, tasks, first));
  }
  const auto rank = static_cast<std::size_t>(mpi::rank());
  const auto ranks = static_cast<std::size_t>(mpi::size());
  return {task * ranks + rank, tasks * ranks};
}

}  // namespace flywheel::app
