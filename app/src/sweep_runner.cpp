#include "sweep_runner.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/file_lock.hpp"
#include "flywheel/engine/mpi.hpp"
#include "run_driver.hpp"
#include "sweep_files.hpp"

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

/// The directories and the index: by rank 0 under MPI, by every task of a
/// job array (the same text each time, renamed into place atomically).
/// Throws on the rank that failed; false on the others (rank 0 reports it).
bool prepare_directory(const SweepPlan& plan) {
  std::exception_ptr index_error;
  try {
    make_directories(plan);
    if (mpi::rank() == 0) write_index(plan);
  } catch (const RunError&) {
    index_error = std::current_exception();
  }
  if (!agreed(mpi::rank() != 0 || !index_error)) {
    if (index_error) std::rethrow_exception(index_error);
    return false;
  }
  if (index_error) std::rethrow_exception(index_error);
  return true;
}

}  // namespace

std::size_t job_count(std::size_t asked, std::size_t threads, std::size_t count) {
  const auto cores = static_cast<std::size_t>(tbb::info::default_concurrency());
  const std::size_t jobs = asked > 0 ? asked : (mpi::active() ? 1 : std::max<std::size_t>(1, cores / threads));
  return std::max<std::size_t>(1, std::min(jobs, count));
}

std::size_t for_each_job(std::size_t count, std::size_t jobs, std::size_t threads, const StopSignals& stop,
                         const std::function<void(std::size_t)>& job) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    tbb::task_arena arena(static_cast<int>(threads));
    while (stop.received() == 0) {
      const std::size_t k = next.fetch_add(1);
      if (k >= count) return;
      arena.execute([&] { job(k); });
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return std::min(next.load(), count);
}

int run_share(const ShareOfRuns& runs, const StopSignals& stop) {
  const SweepPlan& plan = runs.plan;
  if (!prepare_directory(plan)) return 1;
  // The same sweep started twice on one directory would run every run twice.
  const FileLock slot_lock(
      fmt::format("{}/sweep-slot-{}-of-{}", plan.output, runs.share.slot, runs.share.slots),
      fmt::format("the sweep directory '{}' (slot {} of {})", plan.output, runs.share.slot, runs.share.slots));

  // A complete file is kept only if it ran this very scenario: a changed base
  // scenario or `set:` leaves the index alone but makes old results stale.
  std::vector<std::size_t> todo;
  std::size_t skipped = 0;
  long long stale = 0;
  for (const std::size_t i : runs.mine) {
    const RunFile file = read_run_file(plan.run_path(plan.runs[i]));
    if (file.status != "complete") {
      todo.push_back(i);
    } else if (file.config != market::to_yaml(runs.scenarios[i])) {
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
  const std::size_t jobs = job_count(runs.jobs, plan.threads, todo.size());
  spdlog::info(
      "sweep {}: {} runs in {}; this process (slot {} of {}) has {}, {} already complete; {} at once, {} "
      "threads each",
      plan.file, plan.runs.size(), plan.output, runs.share.slot, runs.share.slots, runs.mine.size(), skipped, jobs,
      plan.threads);

  std::atomic<long long> complete{0};
  std::atomic<long long> interrupted{0};
  std::atomic<long long> failed{0};
  std::atomic<long long> ended{0};
  const auto started = std::chrono::steady_clock::now();
  // "[k/N]" and the time left at the average pace so far (a sweep's runs are much alike).
  const auto counter = [&] {
    const long long k = ++ended;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto left = static_cast<double>(static_cast<long long>(todo.size()) - k) * elapsed / static_cast<double>(k);
    return fmt::format("[{}/{}, {} left]", k, todo.size(), clock_text(left));
  };
  const auto run_one = [&](std::size_t k) {
    const SweepRun& run = plan.runs[todo[k]];
    try {
      const RunResult result = drive_run({.scenario = runs.scenarios[run.index],
                                          .config = plan.scenario,
                                          .from = runs.parents.empty() ? nullptr : runs.parents[run.index],
                                          .output = {.path = plan.run_path(run)}},
                                         stop, Progress::Style::off);
      if (result.signal != 0) {
        ++interrupted;
        spdlog::warn("{} {} interrupted after {} ticks ({})", counter(), run.id, result.reached, describe(plan, run));
      } else {
        ++complete;
        spdlog::info("{} {} complete in {:.2f} s ({})", counter(), run.id, result.seconds, describe(plan, run));
      }
    } catch (const std::exception& e) {
      ++failed;
      spdlog::error("{} {} failed ({}): {}", counter(), run.id, describe(plan, run), e.what());
    }
  };
  for_each_job(todo.size(), jobs, plan.threads, stop, run_one);

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

bool every_run_complete(const SweepPlan& plan) {
  bool complete = true;
  if (mpi::rank() == 0)
    for (const SweepRun& run : plan.runs) complete = complete && read_run_file(plan.run_path(run)).status == "complete";
  return agreed(complete);
}

}  // namespace flywheel::app
