#pragma once
// A sweep file read into the list of runs it stands for: the base scenario,
// the swept parameters (a grid of listed values or a Latin-hypercube sample
// of ranges) times replicate seeds, each run with a stable id and file.
// Everything here is deterministic: the same sweep file gives the same runs,
// ids, values and seeds on every machine and in every process of a batch.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "flywheel/engine/errors.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::app {

enum class Design { grid, lhs };
enum class Scale { linear, log };

/// One swept parameter: a `--set` key path and its values (grid) or range (lhs).
struct SweepParameter {
  std::string key;                  // e.g. platforms.0.take_rate
  std::vector<std::string> values;  // grid: the values as written
  std::vector<SourceLocation> value_locations;
  double min = 0;  // lhs: the range sampled, inclusive
  double max = 0;
  Scale scale = Scale::linear;
  bool integer = false;  // lhs: round each sample to an integer
  SourceLocation where;  // the parameter's key in the sweep file
};

/// One run of a sweep: a point of the design and a replicate.
struct SweepRun {
  std::size_t index = 0;  // position in the plan: the order of the index file
  std::string id;         // "run-0007": index, zero-padded
  std::size_t point = 0;  // which combination (grid) or sample (lhs)
  std::uint32_t replicate = 0;
  std::uint64_t seed = 0;           // the scenario's seed: the same for a replicate at every point
  std::vector<std::string> values;  // one per parameter, as passed to `--set`
};

/// A sweep file, validated and expanded. Immutable once loaded.
struct SweepPlan {
  std::string file;      // the sweep file, as given
  std::string scenario;  // the base scenario, resolved against the sweep file's folder
  std::string output;    // the output directory
  Design design = Design::grid;
  std::uint64_t seed = 1;
  std::uint32_t replicates = 1;
  std::uint32_t samples = 0;           // lhs only
  std::uint32_t threads = 1;           // per run
  std::vector<std::string> overrides;  // the fixed ones (`set:`, then the command line's), as key=value
  std::vector<SourceLocation> override_locations;
  std::vector<SweepParameter> parameters;
  std::vector<SweepRun> runs;

  /// <output>/runs/<id>.h5
  [[nodiscard]] std::string run_path(const SweepRun& run) const;
  /// The file as the index names it: runs/<id>.h5, relative to the output directory.
  [[nodiscard]] static std::string run_file(const SweepRun& run);
  /// The run's `--set` overrides: fixed ones, then its parameter values, then its seed
  /// (load_scenarios() places an error by its override's index in this order).
  [[nodiscard]] std::vector<std::string> overrides_for(const SweepRun& run) const;
};

/// Reads and expands a sweep file. Throws ConfigError (file:line, key, problem)
/// for anything wrong in it; does not read the base scenario (see load_scenarios).
/// `command_line`: `key=value` overrides for every run, after the file's `set:`
/// (replacing it where both name a parameter); a swept value still wins.
SweepPlan load_sweep_plan(const std::string& path, const std::vector<std::string>& command_line = {});
/// The same from YAML text (tests): `name` stands for the file, `folder` is
/// where a relative scenario path starts from.
SweepPlan sweep_plan_from_string(const std::string& yaml, const std::string& name, const std::string& folder = ".",
                                 const std::vector<std::string>& command_line = {});

/// Every run's scenario, in plan order: the base scenario with the run's
/// overrides, validated. Throws ConfigError; one raised by a sweep value is
/// located at that value (or parameter) in the sweep file and names the run.
std::vector<market::Scenario> load_scenarios(const SweepPlan& plan);

/// The seed of replicate `r`: a function of the sweep's seed and `r` only,
/// so every point of a replicate shares its random numbers. Below 2^53.
std::uint64_t replicate_seed(std::uint64_t sweep_seed, std::uint32_t replicate) noexcept;

/// `n` Latin-hypercube samples in [0, 1)^`dimensions`, seeded: in every
/// dimension each of the `n` equal strata holds exactly one sample.
/// Returned as samples[i][d].
std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t dimensions, std::uint64_t seed);

/// The index file's text (CSV): a header, then one line per run in plan order
/// with id, file, point, replicate, seed and each parameter's value.
std::string index_csv(const SweepPlan& plan);

/// The runs that process `slot` of `slots` takes: those whose index is `slot` modulo `slots`.
std::vector<std::size_t> share_of(const SweepPlan& plan, std::size_t slot, std::size_t slots);

}  // namespace flywheel::app
