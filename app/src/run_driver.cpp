#include "run_driver.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <memory>

#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/file_lock.hpp"
#include "flywheel/market/market.hpp"
#include "output.hpp"
#include "paths.hpp"
#include "run_report.hpp"

namespace flywheel::app {

std::size_t thread_count(std::size_t option) {
  return option > 0 ? option : static_cast<std::size_t>(tbb::info::default_concurrency());
}

std::string workers(std::size_t threads) {
  const int ranks = exchange::ranks();
  return fmt::format("{} threads{}", threads, ranks > 1 ? fmt::format(" on each of {} MPI ranks", ranks) : "");
}

namespace {

/// The files a run names. A branch must not write its parent checkpoint; resume replaces its own.
std::vector<RunFile> run_files(const RunRequest& run) {
  std::vector<RunFile> files;
  if (!run.config.empty()) files.push_back({"config", run.config, Access::read});
  if (run.from != nullptr && !run.output.continue_at)
    files.push_back({"parent checkpoint", run.from->path, Access::read});
  if (run.output.path)
    files.push_back({"output", *run.output.path, run.output.continue_at ? Access::update : Access::replace});
  if (!run.checkpoints.path.empty()) files.push_back({"checkpoint", run.checkpoints.path, Access::replace});
  return files;
}

/// Locks every file the run writes (on the rank that writes them), so a second run aimed at one is refused.
std::vector<FileLock> lock_written_files(const std::vector<RunFile>& files) {
  std::vector<FileLock> locks;
  if (exchange::rank() != 0) return locks;
  for (const RunFile& file : files)
    if (file.access != Access::read) locks.emplace_back(file.path, "the " + file.role + " file '" + file.path + "'");
  return locks;
}

}  // namespace

RunResult drive_run(const RunRequest& run, const StopSignals& stop, Progress::Style progress) {
  if (run.output.path) check_output_layout(run.scenario, run.config);
  const std::vector<RunFile> files = run_files(run);
  check_run_files(files);
  const std::vector<FileLock> locks = lock_written_files(files);
  // The market first: a run that runs out of memory building it leaves the old output as it was.
  const std::unique_ptr<market::Market> market = run.from != nullptr ? runtime::restore_market(*run.from, run.scenario)
                                                                     : std::make_unique<market::Market>(run.scenario);
  std::optional<RunOutput> output;
  if (run.output.path && run.output.continue_at)
    output.emplace(*run.output.path, run.scenario, *run.output.continue_at);
  else if (run.output.path)
    output.emplace(*run.output.path, run.scenario, run.output.attributes);
  if (!run.banner.empty()) spdlog::info("{}", run.banner);
  return run_ticks(*market, output ? &*output : nullptr, run.checkpoints, run.stop_after, stop, progress);
}

int run_and_report(const RunRequest& run, std::size_t threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const StopSignals stop;
  const RunResult result =
      drive_run(run, stop, exchange::rank() == 0 ? Progress::Style::automatic : Progress::Style::off);
  return report_run(run.scenario, result, run.output.path, run.checkpoints, threads);
}

}  // namespace flywheel::app
