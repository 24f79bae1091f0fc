#include "run_loop.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
#include <filesystem>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "flywheel/runtime/summary.hpp"

namespace flywheel::app {
namespace {

/// Saves the state (collective under MPI: rank 0 writes). The output file
/// must already hold every tick recorded: the checkpoint says it does.
void save(const market::Market& market, const RunOutput* output, const Checkpointing& checkpoints) {
  runtime::RunPosition position;
  position.checkpoint_every = checkpoints.every;
  if (output) {
    position.output_path = std::filesystem::absolute(output->path()).string();
    position.output_ticks = output->position().ticks;
    position.output_snapshots = output->position().snapshots;
  }
  runtime::save_checkpoint(market, position, checkpoints.path);
  spdlog::debug("checkpoint at tick {} in {}", market.tick(), checkpoints.path);
}

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

std::string checkpoint_path(const std::string& option, const std::optional<std::string>& output) {
  if (!option.empty()) return option;
  if (!output) return {};
  const std::string& o = *output;
  if (o.size() > 3 && o.ends_with(".h5")) return o.substr(0, o.size() - 3) + ".checkpoint.h5";
  return o + ".checkpoint.h5";
}

void check_checkpoint_file(const Checkpointing& checkpoints, bool stop_after) {
  if (!checkpoints.path.empty() || (checkpoints.every == 0 && !stop_after)) return;
  throw ConfigError({"command line"}, checkpoints.every > 0 ? "--checkpoint-every" : "--stop-after",
                    "it saves a checkpoint, and a run with -o none has no checkpoint file: name one with "
                    "--checkpoint PATH");
}

RunResult run_ticks(market::Market& market, RunOutput* output, const Checkpointing& checkpoints,
                    std::optional<std::uint32_t> stop_after, const StopSignals& stop, Progress::Style style) {
  const market::Scenario& scenario = market.scenario();
  RunResult result;
  result.first = market.tick();
  const Tick last = stop_after ? std::min(*stop_after, scenario.ticks) : scenario.ticks;
  Progress progress(result.first, scenario.ticks, style);
  const auto start = std::chrono::steady_clock::now();
  bool stopped = false;  // on any rank of a distributed run: all stop at the same tick
  while (market.tick() < last && !(stopped = exchange::any(stop.received() != 0))) {
    const auto& day = market.step();
    if (output) output->record(market);
    if (spdlog::should_log(spdlog::level::debug) && market.tick() % 30 == 0)
      spdlog::debug("{}", runtime::day_line(day, scenario));
    progress.update(market.tick());
    if (checkpoints.every > 0 && !checkpoints.path.empty() && market.tick() % checkpoints.every == 0 &&
        market.tick() < scenario.ticks) {
      if (output) output->sync();
      save(market, output, checkpoints);
    }
  }
  progress.finish();
  if (!stopped) stopped = exchange::any(stop.received() != 0);
  result.reached = market.tick();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (market.tick() < scenario.ticks) {
    // The file first: it is quick, and a stop that is killed part-way (mpirun
    // sends SIGKILL a second after SIGTERM) must not leave it `running`.
    if (output) output->finish(h5::Status::interrupted);
    if (!checkpoints.path.empty()) save(market, output, checkpoints);
    // A rank that exits non-zero first makes mpirun kill the others: wait for rank 0's files.
    exchange::barrier();
    if (stopped) result.signal = stop.received() != 0 ? stop.received() : SIGTERM;
    return result;
  }
  if (output) output->finish(h5::Status::complete);
  result.summary = runtime::summary(market);
  result.traffic = exchange_line(market);
  return result;
}

}  // namespace flywheel::app
