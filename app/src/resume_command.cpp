// `flywheel resume CHECKPOINT`: an interrupted run continued, appending to its output file.

#include <fmt/core.h>

#include <filesystem>

#include "flywheel/app/commands.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "run_driver.hpp"

namespace flywheel::app {
namespace {

/// The output file a checkpoint continues: where it was, else beside the checkpoint.
std::string find_output(const runtime::Checkpoint& c) {
  std::error_code error;
  if (std::filesystem::is_regular_file(c.run.output_path, error)) return c.run.output_path;
  const auto beside = std::filesystem::path(c.path).parent_path() / std::filesystem::path(c.run.output_path).filename();
  if (std::filesystem::is_regular_file(beside, error)) return beside.string();
  throw RunError("the output file '" + c.run.output_path + "' that checkpoint '" + c.path + "' continues is missing");
}

/// Refuses to continue an output file another run wrote: its config must be the checkpoint's.
void check_output_matches(const std::string& output, const runtime::Checkpoint& c) {
  std::string config;
  {
    const h5::File file = h5::File::open_read(output);
    if (h5::has_attribute(file.id(), "config")) config = h5::read_text(file.id(), "config");
  }
  if (config != c.scenario_yaml)
    throw RunError("the output file '" + output + "' was not written by the run that checkpoint '" + c.path +
                   "' comes from (their scenarios differ)");
}

}  // namespace

int resume_command(const ResumeOptions& options) {
  // The checkpoint is read and validated whole before the output file is
  // touched. Under MPI every rank reads it and takes its part (restore_market).
  const runtime::Checkpoint checkpoint = runtime::read_checkpoint(options.checkpoint);
  const market::Scenario& scenario = checkpoint.scenario;
  if (checkpoint.tick >= scenario.ticks) {
    if (exchange::rank() == 0)
      fmt::print("flywheel: checkpoint '{}' is at tick {}, the end of the run: nothing to resume\n", options.checkpoint,
                 checkpoint.tick);
    return 0;
  }
  std::optional<std::string> path;
  if (!checkpoint.run.output_path.empty()) {
    path = find_output(checkpoint);
    // Rank 0 alone opens the file it writes: another rank reading it then would hold HDF5's lock.
    if (exchange::rank() == 0) check_output_matches(*path, checkpoint);
  }
  const std::size_t threads = thread_count(options.threads);
  return run_and_report(
      {
          .scenario = scenario,
          .from = &checkpoint,
          .output = {.path = path,
                     .continue_at = h5::ContinueAt({checkpoint.run.output_ticks, checkpoint.run.output_snapshots})},
          .checkpoints = {options.checkpoint, options.checkpoint_every.value_or(checkpoint.run.checkpoint_every)},
          .stop_after = options.stop_after,
          .banner = fmt::format("resuming '{}' from {} at tick {} of {}, {}", scenario.name, options.checkpoint,
                                checkpoint.tick, scenario.ticks, workers(threads)),
      },
      threads);
}

}  // namespace flywheel::app
