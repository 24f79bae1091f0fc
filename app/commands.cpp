#include "commands.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include "flywheel/engine/config.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/market/market.hpp"
#include "flywheel/runtime/summary.hpp"
#include "output.hpp"
#include "preflight.hpp"
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
  check_checkpoints_supported(!options.from.empty() || options.checkpoint_every > 0 || !options.checkpoint.empty() ||
                              options.stop_after.has_value());
  if (!options.from.empty()) return branch_command(options);
  if (options.config.empty())
    throw ConfigError({"command line"}, "CONFIG",
                      "`flywheel run` needs a scenario file (CONFIG), or --from CHECKPOINT.h5");
  const market::Scenario scenario = market::load_scenario(options.config, all_overrides(options));
  if (!options.force) check_memory(scenario, options.config, options.output != "none");
  const std::size_t threads =
      options.threads > 0 ? options.threads : static_cast<std::size_t>(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const StopSignals stop;
  // The output file first: a path that cannot be written stops the run before any work.
  const std::optional<std::string> path = output_path(options.output, scenario);
  std::optional<RunOutput> output;
  if (path) output.emplace(*path, scenario);
  spdlog::info("scenario '{}' from {}: {} customers, {} categories, {} platforms, {} ticks, seed {}, {} threads{}",
               scenario.name, options.config, scenario.customers.count, scenario.market.categories,
               scenario.platforms.size(), scenario.ticks, scenario.seed, threads,
               exchange::ranks() > 1 ? fmt::format(" on each of {} MPI ranks", exchange::ranks()) : "");

  market::Market market(scenario);
  const Checkpointing checkpoints{checkpoint_path(options.checkpoint, path), options.checkpoint_every};
  RunOutput* out = output ? &*output : nullptr;
  const RunResult run = run_ticks(market, out, checkpoints, options.stop_after, stop,
                                  exchange::rank() == 0 ? Progress::Style::automatic : Progress::Style::off);
  return report_run(scenario, run, out, checkpoints, threads);
}

int validate_command(const RunOptions& options) {
  const market::Scenario scenario = market::load_scenario(options.config, all_overrides(options));
  fmt::print("{}: valid\n{}", options.config, runtime::allocation_report(scenario));
  return 0;
}

int params_command() {
  fmt::print("| key | default | allowed | meaning |\n|---|---|---|---|\n");
  for (const auto& row : config::Lister::list_all(market::Scenario{}))
    fmt::print("| `{}` | {} | {} | {} |\n", row.path, row.default_value, row.bounds, row.meaning);
  return 0;
}

}  // namespace flywheel::app
