#pragma once
// `flywheel attribute CONFIG`: what each loop of the flywheel causes. Runs
// the baseline and, for each chosen loop, the same scenario with that loop
// switched off (`loops.<name>: false`), over several seeds with common random
// numbers, through the sweep machinery, and writes the effects with their
// intervals across seeds (docs/attribution.md).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flywheel::app {

struct AttributeOptions {
  std::string config;
  std::string loops;                       // --loops a,b: the loops to knock out; empty: every loop
  std::uint32_t seeds = 5;                 // --seeds: replicates, each a seed shared by every variant
  std::optional<std::uint32_t> ticks;      // --ticks: overrides the scenario's
  std::optional<std::uint32_t> branch_at;  // --branch-at: knockouts branch from the baseline at this tick
  std::optional<std::uint32_t> since;      // --since: flows from this day to each horizon, not the year before it
  std::vector<std::string> overrides;      // --set
  std::string output;                      // -o: the output directory
  std::size_t jobs = 0;                    // runs at once; 0: cores / threads (1 under MPI)
  std::uint32_t threads = 1;               // per run
  bool pairs = false;                      // --pairs: also every pair of chosen loops off
  bool shapley = false;                    // --shapley: every subset of the chosen loops off (at most 5)
  std::optional<std::size_t> task;         // this task among `tasks` (Slurm array)
  std::optional<std::size_t> tasks;
};

/// Checks everything (loop names, --branch-at and --since within the run, the scenario of
/// every variant) before any run, runs this process's share (skipping runs
/// already complete), and, once every run of the design is complete, writes
/// DIR/attribution.csv, DIR/attribution.h5 and DIR/attribution_seeds.csv.
/// Returns the exit status as `flywheel sweep` does. Throws ConfigError for bad input.
int attribute_command(const AttributeOptions& options);

}  // namespace flywheel::app
