// `flywheel run --from CHECKPOINT`: a new run from a saved state, with changed
// policy parameters, into a new output file.

#include <fmt/core.h>

#include <filesystem>

#include "flywheel/app/commands.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "output.hpp"
#include "run_driver.hpp"

namespace flywheel::app {
namespace {

std::string absolute(const std::string& path) { return std::filesystem::absolute(path).lexically_normal().string(); }

/// The branch's output file: -o, else out/<name>-branch-<tick>.h5 (not
/// out/<name>.h5: that is likely the parent's own output), else none.
std::optional<std::string> branch_output_path(const RunOptions& options, const market::Scenario& scenario,
                                              Tick branch_tick) {
  if (options.output == "none") return std::nullopt;
  if (!options.output.empty()) return options.output;
  const std::string path = output_path("", scenario).value();
  return path.substr(0, path.size() - 3) + "-branch-" + std::to_string(branch_tick) + ".h5";
}

}  // namespace

int branch_command(const RunOptions& options) {
  if (!options.config.empty())
    throw ConfigError({"command line"}, "CONFIG",
                      "give a scenario file or --from CHECKPOINT.h5, not both (a branch takes its scenario from the "
                      "checkpoint; change it with --set)");
  const runtime::Checkpoint checkpoint = runtime::read_checkpoint(options.from);
  const std::vector<std::string> overrides = all_overrides(options);
  const market::Scenario scenario =
      market::scenario_from_string(checkpoint.scenario_yaml, options.from + " (scenario)", overrides);
  runtime::check_branch(checkpoint.scenario, scenario, options.from);
  if (scenario.ticks <= checkpoint.tick)
    throw ConfigError({options.from}, "ticks",
                      "a branch from tick " + std::to_string(checkpoint.tick) +
                          " needs ticks (the total, counted from "
                          "0) above " +
                          std::to_string(checkpoint.tick) + ", found " + std::to_string(scenario.ticks));
  const std::size_t threads = thread_count(options.threads);
  const std::optional<std::string> path = branch_output_path(options, scenario, checkpoint.tick);
  if (path && !checkpoint.run.output_path.empty() && absolute(*path) == absolute(checkpoint.run.output_path))
    throw RunError("a branch cannot write into its parent's output file '" + *path + "'; choose another with -o");
  refuse_to_replace_a_complete_run(path, options.overwrite);
  std::string joined;
  for (const auto& o : overrides) joined += (joined.empty() ? "" : "\n") + o;
  const Checkpointing checkpoints{checkpoint_path(options.checkpoint, path), options.checkpoint_every};
  check_checkpoint_file(checkpoints, options.stop_after.has_value());
  return run_and_report(
      {
          .scenario = scenario,
          .from = &checkpoint,
          .output = {.path = path,
                     .attributes = {{"parent_checkpoint", absolute(options.from)},
                                    {"parent_output", checkpoint.run.output_path},
                                    {"branch_tick", static_cast<std::int64_t>(checkpoint.tick)},
                                    {"branch_overrides", joined}}},
          .checkpoints = checkpoints,
          .stop_after = options.stop_after,
          .banner = fmt::format("branching '{}' from {} at tick {} to tick {}, {}", scenario.name, options.from,
                                checkpoint.tick, scenario.ticks, workers(threads)),
      },
      threads);
}

}  // namespace flywheel::app
