#include "run_loop.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

#include "flywheel/engine/progress.hpp"
#include "flywheel/market/checkpoint.hpp"
#include "flywheel/market/summary.hpp"

namespace flywheel::app {
namespace {

void save(const market::Market& market, std::optional<RunOutput>& output, const Checkpointing& checkpoints) {
  market::RunPosition position;
  position.checkpoint_every = checkpoints.every;
  if (output) {
    output->sync();  // the file on disk must hold every tick the checkpoint says it does
    position.output_path = std::filesystem::absolute(output->path()).string();
    position.output_ticks = output->position().ticks;
    position.output_snapshots = output->position().snapshots;
  }
  market::save_checkpoint(market, position, checkpoints.path);
  spdlog::debug("checkpoint at tick {} in {}", market.tick(), checkpoints.path);
}

}  // namespace

std::string checkpoint_path(const std::string& option, const std::optional<std::string>& output) {
  if (!option.empty()) return option;
  if (!output) return {};
  const std::string& o = *output;
  if (o.size() > 3 && o.ends_with(".h5")) return o.substr(0, o.size() - 3) + ".checkpoint.h5";
  return o + ".checkpoint.h5";
}

int run_ticks(market::Market& market, std::optional<RunOutput>& output, const Checkpointing& checkpoints,
              std::optional<std::uint32_t> stop_after, std::size_t threads, const StopSignals& stop) {
  const market::Scenario& scenario = market.scenario();
  const Tick first = market.tick();
  const Tick last = stop_after ? std::min(*stop_after, scenario.ticks) : scenario.ticks;
  Progress progress(first, scenario.ticks);
  const auto run_start = std::chrono::steady_clock::now();
  while (market.tick() < last && stop.received() == 0) {
    const auto& day = market.step();
    if (output) output->record(market);
    if (spdlog::should_log(spdlog::level::debug) && market.tick() % 30 == 0) spdlog::debug("{}", market::day_line(day));
    progress.update(market.tick());
    if (checkpoints.every > 0 && !checkpoints.path.empty() && market.tick() % checkpoints.every == 0 &&
        market.tick() < scenario.ticks)
      save(market, output, checkpoints);
  }
  progress.finish();
  const int signal = stop.received();
  if (market.tick() < scenario.ticks) {
    if (!checkpoints.path.empty()) save(market, output, checkpoints);
    if (output) output->finish(h5::Status::interrupted);
    const std::string where = checkpoints.path.empty() ? "" : "; resume with: flywheel resume " + checkpoints.path;
    const std::string file = output ? "; output (status interrupted) in " + output->path() : "";
    if (signal != 0) {
      fmt::print("flywheel: stopped by signal {} after {} of {} ticks{}{}\n", signal, market.tick(), scenario.ticks,
                 file, where);
      return exit_status_for(signal);
    }
    fmt::print("flywheel: stopped after {} of {} ticks, as asked{}{}\n", market.tick(), scenario.ticks, file, where);
    return 0;
  }
  if (output) output->finish(h5::Status::complete);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
  const double customer_days = static_cast<double>(scenario.customers.count) * (scenario.ticks - first);
  fmt::print("flywheel: ran '{}' for {} ticks in {:.2f} s ({:.1f} million customer-days/s, {} threads)\n",
             scenario.name, scenario.ticks - first, seconds, seconds > 0 ? customer_days / seconds / 1e6 : 0.0,
             threads);
  fmt::print("{}", market::summary(market));
  fmt::print("output: {}\n", output ? output->path() : "none");
  return 0;
}

}  // namespace flywheel::app
