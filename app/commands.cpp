#include "commands.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <chrono>
#include <csignal>

#include "flywheel/engine/config.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/mpi.hpp"
#include "flywheel/engine/progress.hpp"
#include "flywheel/market/market.hpp"
#include "flywheel/market/summary.hpp"
#include "output.hpp"
#include "preflight.hpp"
#include "signals.hpp"

namespace flywheel::app {

std::vector<std::string> all_overrides(const RunOptions& o) {
  std::vector<std::string> all = o.overrides;
  if (o.ticks) all.push_back("ticks=" + std::to_string(*o.ticks));
  if (o.seed) all.push_back("seed=" + std::to_string(*o.seed));
  return all;
}

namespace {

/// Under MPI, what the ranks sent each other (collective): bytes per intent matched.
std::string exchange_line(const market::Market& market) {
  if (exchange::ranks() <= 1) return {};
  const std::uint64_t mine[2] = {exchange::bytes_sent(), market.intents_matched()};
  std::vector<std::uint64_t> all;
  std::vector<std::size_t> counts;
  exchange::allgatherv(std::span<const std::uint64_t>(mine), all, counts);
  std::uint64_t bytes = 0, intents = 0;
  for (std::size_t i = 0; i + 1 < all.size(); i += 2) bytes += all[i], intents += all[i + 1];
  return fmt::format("exchange: {} ranks sent each other {:.1f} MB, {:.1f} bytes per intent ({} intents)",
                     exchange::ranks(), static_cast<double>(bytes) / 1e6,
                     intents > 0 ? static_cast<double>(bytes) / static_cast<double>(intents) : 0.0, intents);
}

}  // namespace

RunResult run_scenario(const market::Scenario& scenario, RunOutput* output, const StopSignals& stop,
                       Progress::Style progress_style) {
  const auto start = std::chrono::steady_clock::now();
  market::Market market(scenario);
  const double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  spdlog::debug("set up in {:.2f} s", setup);

  Progress progress(0, scenario.ticks, progress_style);
  const auto run_start = std::chrono::steady_clock::now();
  std::uint32_t ticks = 0;
  bool stopped = false;  // on any rank of a distributed run: all stop at the same tick
  for (; ticks < scenario.ticks && !(stopped = exchange::any(stop.received() != 0)); ++ticks) {
    const auto& day = market.step();
    if (output) output->record(market);
    if (spdlog::should_log(spdlog::level::debug) && (ticks + 1) % 30 == 0) spdlog::debug("{}", market::day_line(day));
    progress.update(ticks + 1);
  }
  progress.finish();
  if (!stopped) stopped = exchange::any(stop.received() != 0);
  if (output) output->finish(stopped ? h5::Status::interrupted : h5::Status::complete);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
  if (stopped) return {stop.received() != 0 ? stop.received() : SIGTERM, ticks, seconds, {}, {}};
  return {0, ticks, seconds, market::summary(market), exchange_line(market)};
}

int run_command(const RunOptions& options) {
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
  const bool root = exchange::rank() == 0;  // prints; under MPI, the others only compute
  spdlog::info("scenario '{}' from {}: {} customers, {} categories, {} platforms, {} ticks, seed {}, {} threads{}",
               scenario.name, options.config, scenario.customers.count, scenario.market.categories,
               scenario.platforms.size(), scenario.ticks, scenario.seed, threads,
               exchange::ranks() > 1 ? fmt::format(" on each of {} MPI ranks", exchange::ranks()) : "");

  const RunResult run = run_scenario(scenario, output ? &*output : nullptr, stop,
                                     root ? Progress::Style::automatic : Progress::Style::off);
  if (run.signal != 0) {
    if (root)
      fmt::print("flywheel: stopped by signal {} after {} of {} ticks{}\n", run.signal, run.ticks, scenario.ticks,
                 output ? "; output (status interrupted) in " + output->path() : "");
    return exit_status_for(run.signal);
  }
  if (!root) return 0;
  const double customer_days = static_cast<double>(scenario.customers.count) * scenario.ticks;
  fmt::print("flywheel: ran '{}' for {} ticks in {:.2f} s ({:.1f} million customer-days/s, {} threads)\n",
             scenario.name, scenario.ticks, run.seconds, run.seconds > 0 ? customer_days / run.seconds / 1e6 : 0.0,
             threads);
  if (!run.traffic.empty()) fmt::print("{}\n", run.traffic);
  fmt::print("{}", run.summary);
  fmt::print("output: {}\n", output ? output->path() : "none");
  return 0;
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
