// `flywheel run CONFIG`: a new run of a scenario (`run --from` is a branch: branch_command.cpp).

#include <fmt/core.h>

#include "flywheel/app/commands.hpp"
#include "flywheel/app/preflight.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/market/scenario.hpp"
#include "output.hpp"
#include "run_driver.hpp"

namespace flywheel::app {

std::vector<std::string> all_overrides(const RunOptions& o) {
  std::vector<std::string> all = o.overrides;
  if (o.ticks) all.push_back("ticks=" + std::to_string(*o.ticks));
  if (o.seed) all.push_back("seed=" + std::to_string(*o.seed));
  return all;
}

int run_command(const RunOptions& options) {
  if (!options.from.empty()) return branch_command(options);
  if (options.config.empty())
    throw ConfigError({"command line"}, "CONFIG",
                      "`flywheel run` needs a scenario file (CONFIG), or --from CHECKPOINT.h5");
  const market::Scenario scenario = market::load_scenario(options.config, all_overrides(options));
  if (!options.force) check_memory(scenario, options.config, options.output != "none");
  const std::size_t threads = thread_count(options.threads);
  const std::optional<std::string> path = output_path(options.output, scenario);
  refuse_to_replace_a_complete_run(path, options.overwrite);
  const Checkpointing checkpoints{checkpoint_path(options.checkpoint, path), options.checkpoint_every};
  check_checkpoint_file(checkpoints, options.stop_after.has_value());
  return run_and_report(
      {
          .scenario = scenario,
          .config = options.config,
          .output = {.path = path},
          .checkpoints = checkpoints,
          .stop_after = options.stop_after,
          .banner =
              fmt::format("scenario '{}' from {}: {} customers, {} categories, {} platforms, {} ticks, seed {}, {}",
                          scenario.name, options.config, scenario.customers.count, scenario.market.categories,
                          scenario.platforms.size(), scenario.ticks, scenario.seed, workers(threads)),
      },
      threads);
}

}  // namespace flywheel::app
