#include "flywheel/app/sweep_command.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

#include "flywheel/app/sweep_plan.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/file_lock.hpp"
#include "flywheel/engine/mpi.hpp"
#include "run_driver.hpp"
#include "sweep_files.hpp"
#include "sweep_share.hpp"

namespace flywheel::app {
namespace {

std::string describe(const SweepPlan& plan, const SweepRun& run) {
  std::string text;
  for (std::size_t i = 0; i < plan.parameters.size(); ++i)
    text += fmt::format("{}={} ", plan.parameters[i].key, run.values[i]);
  return text + fmt::format("replicate {} seed {}", run.replicate, run.seed);
}

/// The sum of `counts` over every MPI rank (the counts themselves without MPI).
template <std::size_t N>
std::array<long long, N> sum_over_ranks(std::array<long long, N> counts) {
#if FLYWHEEL_WITH_MPI
  if (mpi::active())
    MPI_Allreduce(MPI_IN_PLACE, counts.data(), static_cast<int>(N), MPI_LONG_LONG, MPI_SUM, mpi::world());
#endif
  return counts;
}

/// Whether rank 0's `ok` holds, on every rank (a broadcast, so also a barrier).
bool agreed(bool ok) {
  int flag = ok ? 1 : 0;
#if FLYWHEEL_WITH_MPI
  if (mpi::active()) MPI_Bcast(&flag, 1, MPI_INT, 0, mpi::world());
#endif
  return flag != 0;
}

}  // namespace

int sweep_command(const SweepOptions& options) {
  const StopSignals stop;  // from the start: a signal while validating still stops the sweep cleanly
  SweepPlan plan = load_sweep_plan(options.file);
  if (!options.output.empty()) plan.output = options.output;
  const std::vector<market::Scenario> scenarios = load_scenarios(plan);
  const Share share = share_of_process(options);
  const std::vector<std::size_t> mine = share_of(plan, share.slot, share.slots);

  if (options.dry_run) {
    if (share.slot == 0) fmt::print("{}", index_csv(plan));
    return 0;
  }

  // One index, written before any run: by rank 0 under MPI, by every task of
  // a job array (the same text each time, renamed into place atomically).
  std::exception_ptr index_error;
  try {
    make_directories(plan);
    if (mpi::rank() == 0) write_index(plan);
  } catch (const RunError&) {
    index_error = std::current_exception();
  }
  if (!agreed(mpi::rank() != 0 || !index_error)) {
    if (index_error) std::rethrow_exception(index_error);
  // The same sweep started twice on one directory would run every run twice.
  const FileLock slot_lock(fmt::format("{}/sweep-slot-{}-of-{}", plan.output, share.slot, share.slots),
                           fmt::format("the sweep directory '{}' (slot {} of {})", plan.output, share.slot, share.slots));
    return 1;
  }
  if (index_error) std::rethrow_exception(index_error);
  // The same sweep started twice on one directory would run every run twice.
  const FileLock slot_lock(fmt::format("{}/sweep-slot-{}-of-{}", plan.output, share.slot, share.slots),
                           fmt::format("the sweep directory '{}' (slot {} of {})", plan.output, share.slot, share.slots));

  // A complete file is kept only if it ran this very scenario: a changed base
  // scenario or `set:` leaves the index alone but makes old results stale.
  std::vector<std::size_t> todo;
  std::size_t skipped = 0;
  long long stale = 0;
  for (const std::size_t i : mine) {
    const RunFile file = read_run_file(plan.run_path(plan.runs[i]));
    if (file.status != "complete") {
      todo.push_back(i);
    } else if (file.config != market::to_yaml(scenarios[i])) {
      ++stale;
      spdlog::error("{} is complete but ran another scenario than the sweep now gives it", plan.run_path(plan.runs[i]));
    } else {
      ++skipped;
    }
  }
  if (sum_over_ranks<1>({stale})[0] > 0) {
    if (mpi::rank() != 0) return 1;
    throw RunError(
        fmt::format("{} holds runs of an earlier version of {} (its scenario or set: changed); use "
                    "another output directory (-o) or remove the old one",
                    plan.output, plan.file));
  }
  // Each run is a simulation of its own, inside this process, whatever the MPI world.
  const exchange::ProcessLocal runs_stay_local;
  const std::size_t cores = static_cast<std::size_t>(tbb::info::default_concurrency());
  std::size_t jobs =
      options.jobs > 0 ? options.jobs : (mpi::active() ? 1 : std::max<std::size_t>(1, cores / plan.threads));
  jobs = std::max<std::size_t>(1, std::min(jobs, todo.size()));
  spdlog::info(
      "sweep {}: {} runs in {}; this process (slot {} of {}) has {}, {} already complete; {} at once, {} "
      "threads each",
      plan.file, plan.runs.size(), plan.output, share.slot, share.slots, mine.size(), skipped, jobs, plan.threads);

  std::atomic<std::size_t> next{0};
  std::atomic<long long> complete{0};
  std::atomic<long long> interrupted{0};
  std::atomic<long long> failed{0};
  auto worker = [&] {
    tbb::task_arena arena(static_cast<int>(plan.threads));
    while (stop.received() == 0) {
      const std::size_t k = next.fetch_add(1);
      if (k >= todo.size()) return;
      const SweepRun& run = plan.runs[todo[k]];
      try {
        RunResult result;
        arena.execute([&] {
          result = drive_run(
              {.scenario = scenarios[run.index], .config = plan.scenario, .output = {.path = plan.run_path(run)}}, stop,
              Progress::Style::off);
        });
        if (result.signal != 0) {
          ++interrupted;
          spdlog::warn("{} interrupted after {} ticks ({})", run.id, result.reached, describe(plan, run));
        } else {
          ++complete;
          spdlog::info("{} complete in {:.2f} s ({})", run.id, result.seconds, describe(plan, run));
        }
      } catch (const std::exception& e) {
        ++failed;
        spdlog::error("{} failed ({}): {}", run.id, describe(plan, run), e.what());
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  const auto done = static_cast<long long>(todo.size());
  const auto [all_complete, all_interrupted, all_failed, all_skipped, all_not_started] =
      sum_over_ranks<5>({complete.load(), interrupted.load(), failed.load(), static_cast<long long>(skipped),
                         done - complete.load() - interrupted.load() - failed.load()});
  const int signal = stop.received();
  if (mpi::rank() == 0)
    fmt::print(
        "flywheel: sweep {}: {} of {} runs ran to completion, {} were already complete, {} interrupted, {} "
        "failed, {} not started{}; index {}/index.csv\n",
        plan.file, all_complete, all_complete + all_interrupted + all_failed + all_not_started, all_skipped,
        all_interrupted, all_failed, all_not_started, signal != 0 ? fmt::format(" (signal {})", signal) : "",
        plan.output);
  if (signal != 0) return exit_status_for(signal);
  return all_failed > 0 || all_interrupted > 0 || all_not_started > 0 ? 1 : 0;
}

}  // namespace flywheel::app
