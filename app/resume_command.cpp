// `flywheel resume` and `flywheel run --from`: runs that start from a checkpoint.

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <filesystem>

#include "commands.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "output.hpp"
#include "run_loop.hpp"
#include "signals.hpp"

namespace flywheel::app {
namespace {

std::size_t thread_count(std::size_t option) {
  return option > 0 ? option : static_cast<std::size_t>(tbb::info::default_concurrency());
}

std::string absolute(const std::string& path) { return std::filesystem::absolute(path).lexically_normal().string(); }

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
  check_checkpoints_supported(true);
  // The checkpoint is read and validated whole before the output file is touched.
  const runtime::Checkpoint checkpoint = runtime::read_checkpoint(options.checkpoint);
  const market::Scenario& scenario = checkpoint.scenario;
  const std::size_t threads = thread_count(options.threads);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  if (checkpoint.tick >= scenario.ticks) {
    fmt::print("flywheel: checkpoint '{}' is at tick {}, the end of the run: nothing to resume\n", options.checkpoint,
               checkpoint.tick);
    return 0;
  }
  std::optional<std::string> path;
  if (!checkpoint.run.output_path.empty()) {
    path = find_output(checkpoint);
    check_output_matches(*path, checkpoint);
  }
  const StopSignals stop;
  std::optional<RunOutput> output;
  if (path)
    output.emplace(*path, scenario, h5::ContinueAt({checkpoint.run.output_ticks, checkpoint.run.output_snapshots}));
  spdlog::info("resuming '{}' from {} at tick {} of {}, {} threads", scenario.name, options.checkpoint, checkpoint.tick,
               scenario.ticks, threads);
  const auto market = runtime::restore_market(checkpoint, scenario);
  const Checkpointing checkpoints{options.checkpoint,
                                  options.checkpoint_every.value_or(checkpoint.run.checkpoint_every)};
  RunOutput* out = output ? &*output : nullptr;
  return report_run(scenario, run_ticks(*market, out, checkpoints, options.stop_after, stop), out, checkpoints,
                    threads);
}

int branch_command(const RunOptions& options) {
  if (!options.config.empty())
    throw ConfigError({"command line"}, "CONFIG",
                      "give a scenario file or --from CHECKPOINT.h5, not both (a branch takes its scenario from the "
                      "checkpoint; change it with --set)");
  const runtime::Checkpoint checkpoint = runtime::read_checkpoint(options.from);
  const std::vector<std::string> overrides = all_overrides(options);
  market::Scenario scenario =
      market::scenario_from_string(checkpoint.scenario_yaml, options.from + " (scenario)", overrides);
  runtime::check_branch(checkpoint.scenario, scenario, options.from);
  if (scenario.ticks <= checkpoint.tick)
    throw ConfigError({options.from}, "ticks",
                      "a branch from tick " + std::to_string(checkpoint.tick) +
                          " needs ticks (the total, counted from "
                          "0) above " +
                          std::to_string(checkpoint.tick) + ", found " + std::to_string(scenario.ticks));
  const std::size_t threads = thread_count(options.threads);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const StopSignals stop;

  std::optional<std::string> path;
  if (options.output != "none") {
    path = options.output.empty() ? output_path("", scenario).value() : options.output;
    if (options.output.empty())  // not out/<name>.h5: that is likely the parent's own output
      path = path->substr(0, path->size() - 3) + "-branch-" + std::to_string(checkpoint.tick) + ".h5";
  }
  if (path && !checkpoint.run.output_path.empty() && absolute(*path) == absolute(checkpoint.run.output_path))
    throw RunError("a branch cannot write into its parent's output file '" + *path + "'; choose another with -o");
  std::string joined;
  for (const auto& o : overrides) joined += (joined.empty() ? "" : "\n") + o;
  const std::vector<h5::Attribute> parent{
      {"parent_checkpoint", absolute(options.from)},
      {"parent_output", checkpoint.run.output_path},
      {"branch_tick", static_cast<std::int64_t>(checkpoint.tick)},
      {"branch_overrides", joined},
  };
  std::optional<RunOutput> output;
  if (path) output.emplace(*path, scenario, parent);
  spdlog::info("branching '{}' from {} at tick {} to tick {}, {} threads", scenario.name, options.from, checkpoint.tick,
               scenario.ticks, threads);
  const auto market = runtime::restore_market(checkpoint, scenario);
  const Checkpointing checkpoints{checkpoint_path(options.checkpoint, path), options.checkpoint_every};
  RunOutput* out = output ? &*output : nullptr;
  return report_run(scenario, run_ticks(*market, out, checkpoints, options.stop_after, stop), out, checkpoints,
                    threads);
}

}  // namespace flywheel::app
