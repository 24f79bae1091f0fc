#include "flywheel/app/attribute_command.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <memory>

#include "attribution_design.hpp"
#include "attribution_metrics.hpp"
#include "attribution_results.hpp"
#include "flywheel/app/sweep_command.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/mpi.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "run_driver.hpp"
#include "sweep_files.hpp"
#include "sweep_runner.hpp"
#include "sweep_share.hpp"

namespace flywheel::app {
namespace {

/// Where replicate r's run to the branch tick keeps its output and its checkpoint.
std::string prefix_path(const SweepPlan& plan, std::uint32_t r, const char* suffix) {
  return (std::filesystem::path(plan.output) / "prefixes" / fmt::format("replicate-{}{}", r, suffix)).string();
}

/// The prefix's checkpoint when it is there, at the branch tick, of this very scenario.
std::unique_ptr<runtime::Checkpoint> finished_prefix(const std::string& path, const market::Scenario& scenario,
                                                     std::uint32_t tick) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return nullptr;
  try {
    auto checkpoint = std::make_unique<runtime::Checkpoint>(runtime::read_checkpoint(path));
    if (checkpoint->tick == tick && checkpoint->scenario_yaml == market::to_yaml(scenario)) return checkpoint;
  } catch (const runtime::CheckpointError& e) {
    spdlog::warn("{}; running its prefix again", e.what());
  }
  return nullptr;
}

/// With --branch-at: runs each of this process's replicates' baseline to the
/// branch tick, leaving a checkpoint (unless one is there), and reads them.
/// Returns one checkpoint per replicate (null for other processes' replicates).
std::vector<std::unique_ptr<runtime::Checkpoint>> run_prefixes(const SweepPlan& plan, const AttributionDesign& design,
                                                               const std::vector<market::Scenario>& scenarios,
                                                               const Share& share, std::size_t jobs_asked,
                                                               const StopSignals& stop) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(plan.output) / "prefixes", error);
  if (error) throw RunError(fmt::format("cannot create '{}/prefixes': {}", plan.output, error.message()));
  std::vector<std::unique_ptr<runtime::Checkpoint>> prefixes(design.seeds);
  std::vector<std::uint32_t> todo;
  const auto baseline = [&](std::uint32_t r) -> const market::Scenario& {
    return scenarios[r * design.variants.size()];
  };
  for (std::uint32_t r = 0; r < design.seeds; ++r) {
    if (r % share.slots != share.slot) continue;
    prefixes[r] = finished_prefix(prefix_path(plan, r, ".checkpoint.h5"), baseline(r), design.branch_at);
    if (!prefixes[r]) todo.push_back(r);
  }
  const exchange::ProcessLocal runs_stay_local;
  std::atomic<int> failed{0};
  for_each_job(todo.size(), job_count(jobs_asked, plan.threads, todo.size()), plan.threads, stop, [&](std::size_t k) {
    const std::uint32_t r = todo[k];
    try {
      drive_run({.scenario = baseline(r),
                 .config = plan.scenario,
                 .output = {.path = prefix_path(plan, r, ".h5")},
                 .checkpoints = {prefix_path(plan, r, ".checkpoint.h5"), 0},
                 .stop_after = design.branch_at},
                stop, Progress::Style::off);
    } catch (const std::exception& e) {
      ++failed;
      spdlog::error("the baseline of replicate {} to tick {} failed: {}", r, design.branch_at, e.what());
    }
  });
  if (stop.received() != 0 || failed > 0) return {};
  for (const std::uint32_t r : todo) {
    prefixes[r] = finished_prefix(prefix_path(plan, r, ".checkpoint.h5"), baseline(r), design.branch_at);
    if (!prefixes[r])
      throw RunError(fmt::format("the baseline of replicate {} left no checkpoint at tick {}", r, design.branch_at));
  }
  return prefixes;
}

/// The metric values of every run of the plan, read from their files.
std::vector<std::vector<double>> read_values(const SweepPlan& plan, const AttributionDesign& design,
                                             const std::vector<market::Scenario>& scenarios,
                                             const std::vector<std::uint32_t>& horizons) {
  std::vector<std::vector<double>> values;
  for (const SweepRun& run : plan.runs) {
    std::vector<std::string> files;
    if (design.branch_at > 0) files.push_back(prefix_path(plan, run.replicate, ".h5"));
    files.push_back(plan.run_path(run));
    values.push_back(
        RunTotals(files, design.ticks, scenarios[run.index].customers.count).metric_values(horizons, design.since));
  }
  return values;
}

/// The closing lines: each knockout's effect on a few headline metrics at the last horizon.
void print_summary(const AttributionDesign& design, const std::vector<AttributionRow>& rows,
                   const std::string& directory) {
  const std::uint32_t last = design.ticks;
  fmt::print("flywheel: attribution of {} loop{} over {} seed{} ({} runs): {}/attribution.csv\n", design.loops.size(),
             design.loops.size() == 1 ? "" : "s", design.seeds, design.seeds == 1 ? "" : "s",
             design.variants.size() * design.seeds, directory);
  fmt::print(
      "what each loop adds by day {}: baseline less knockout, and as a share of the knockout (geometric "
      "mean), over seeds [95% interval]\n",
      last);
  const std::string gmv = design.since ? fmt::format("gmv from day {}", *design.since) : "gmv over the last year";
  fmt::print("{:<24} {:>44} {:>44} {:>32}\n", "loop", "active customers", gmv, "day half the customers active");
  const auto knockout = [&](const std::string& loops, const char* metric) -> const AttributionRow* {
    for (const auto& r : rows)
      if (r.kind == "knockout" && r.loops == loops && r.metric == metric && r.horizon == last) return &r;
    return nullptr;
  };
  const auto cell = [&](const std::string& loops, const char* metric) {
    const AttributionRow* r = knockout(loops, metric);
    if (r == nullptr) return std::string("?");
    return std::isnan(r->loop_effect_low)
               ? fmt::format("{:.4g} ({:+.1f}%)", r->loop_effect, 100 * r->relative_effect)
               : fmt::format("{:.4g} ({:+.1f}% [{:+.1f}%, {:+.1f}%])", r->loop_effect, 100 * r->relative_effect,
                             100 * r->relative_effect_low, 100 * r->relative_effect_high);
  };
  // In days: negative when the loop brings the middle of the S-curve forward.
  const auto days = [&](const std::string& loops) {
    const AttributionRow* r = knockout(loops, "half_adoption_day");
    if (r == nullptr || std::isnan(r->loop_effect)) return std::string("not reached in every run");
    return std::isnan(r->loop_effect_low) ? fmt::format("{:+.0f} days", r->loop_effect)
                                          : fmt::format("{:+.0f} days [{:+.0f}, {:+.0f}]", r->loop_effect,
                                                        r->loop_effect_low, r->loop_effect_high);
  };
  for (const std::string& loop : design.loops)
    fmt::print("{:<24} {:>44} {:>44} {:>32}\n", loop, cell(loop, "active_customers"), cell(loop, "gmv"), days(loop));
}

}  // namespace

int attribute_command(const AttributeOptions& options) {
  const StopSignals stop;
  std::vector<std::string> overrides = options.overrides;
  if (options.ticks) overrides.push_back("ticks=" + std::to_string(*options.ticks));
  // The base scenario first: a bad --set is the command line's error, not a run's.
  const market::Scenario base = market::load_scenario(options.config, overrides);
  const AttributionDesign design = design_attribution(options, base.ticks);
  const SweepPlan plan = attribution_plan(design, options, base.seed);
  const std::vector<market::Scenario> scenarios = load_scenarios(plan);
  SweepOptions sharing;
  sharing.task = options.task;
  sharing.tasks = options.tasks;
  const Share share = share_of_process(sharing);

  std::vector<std::size_t> mine;
  std::vector<std::unique_ptr<runtime::Checkpoint>> prefixes;
  std::vector<const runtime::Checkpoint*> parents;
  if (design.branch_at > 0) {
    // A replicate's knockouts branch from its baseline's checkpoint: one process runs them all.
    for (const SweepRun& run : plan.runs)
      if (run.replicate % share.slots == share.slot) mine.push_back(run.index);
    for (const SweepRun& run : plan.runs)
      if (run.index % design.variants.size() != 0)
        runtime::check_branch(scenarios[run.index - run.point], scenarios[run.index], "the baseline");
    make_directories(plan);
    prefixes = run_prefixes(plan, design, scenarios, share, options.jobs, stop);
    if (prefixes.empty()) return stop.received() != 0 ? exit_status_for(stop.received()) : 1;
    parents.resize(plan.runs.size(), nullptr);
    for (const std::size_t i : mine) parents[i] = prefixes[plan.runs[i].replicate].get();
  } else {
    mine = share_of(plan, share.slot, share.slots);
  }
  const int status = run_share(
      {.plan = plan, .scenarios = scenarios, .share = share, .mine = mine, .jobs = options.jobs, .parents = parents},
      stop);
  if (status != 0) return status;
  if (!every_run_complete(plan)) {
    if (mpi::rank() == 0)
      fmt::print(
          "flywheel: this task's runs are complete; the results are written when the last task ends (or run "
          "the same command again once all have)\n");
    return 0;
  }
  if (mpi::rank() != 0) return 0;
  const std::vector<std::uint32_t> horizons = attribution_horizons(design.ticks, design.since);
  const std::vector<std::vector<double>> values = read_values(plan, design, scenarios, horizons);
  const std::vector<AttributionRow> rows = attribution_rows(design, horizons, values);
  write_attribution(plan.output, plan, design, horizons, values, rows);
  print_summary(design, rows, plan.output);
  return 0;
}

}  // namespace flywheel::app
