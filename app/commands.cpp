#include "commands.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <chrono>

#include "flywheel/engine/config.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/market/market.hpp"
#include "flywheel/market/summary.hpp"
#include "output.hpp"
#include "run_loop.hpp"
#include "signals.hpp"

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
  const std::size_t threads =
      options.threads > 0 ? options.threads : static_cast<std::size_t>(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const StopSignals stop;
  // The output file first: a path that cannot be written stops the run before any work.
  const std::optional<std::string> path = output_path(options.output, scenario);
  std::optional<RunOutput> output;
  if (path) output.emplace(*path, scenario);
  spdlog::info("scenario '{}' from {}: {} customers, {} categories, {} platforms, {} ticks, seed {}, {} threads",
               scenario.name, options.config, scenario.customers.count, scenario.market.categories,
               scenario.platforms.size(), scenario.ticks, scenario.seed, threads);

  const auto start = std::chrono::steady_clock::now();
  market::Market market(scenario);
  const double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  spdlog::debug("set up in {:.2f} s", setup);
  const Checkpointing checkpoints{checkpoint_path(options.checkpoint, path), options.checkpoint_every};
  return run_ticks(market, output, checkpoints, options.stop_after, threads, stop);
}

int validate_command(const RunOptions& options) {
  const market::Scenario scenario = market::load_scenario(options.config, all_overrides(options));
  fmt::print("{}: valid\n{}", options.config, market::allocation_report(scenario));
  return 0;
}

int params_command() {
  fmt::print("| key | default | allowed | meaning |\n|---|---|---|---|\n");
  for (const auto& row : config::Lister::list_all(market::Scenario{}))
    fmt::print("| `{}` | {} | {} | {} |\n", row.path, row.default_value, row.bounds, row.meaning);
  return 0;
}

}  // namespace flywheel::app
