#pragma once
// The subcommands of `flywheel`. Each returns the process exit status and
// lets ConfigError and RunError escape to main, which reports them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flywheel::app {

struct RunOptions {
  std::string config;
  std::optional<std::uint32_t> ticks;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> overrides;
  std::size_t threads = 0;                  // 0: all cores
  std::string output;                       // -o: empty for out/<scenario name>.h5, "none" for no file
  bool force = false;                       // --force: run even when the memory estimate exceeds what is available
  bool overwrite = false;                   // --overwrite: replace an output file that holds a complete run
  std::uint32_t checkpoint_every = 0;       // --checkpoint-every: ticks; 0 for checkpoints only on a signal
  std::string checkpoint;                   // --checkpoint: empty for the output path's .checkpoint.h5
  std::optional<std::uint32_t> stop_after;  // --stop-after: stop (with a checkpoint) once this tick is done
  std::string from;                         // --from: a checkpoint to branch from, instead of CONFIG
};

struct ResumeOptions {
  std::string checkpoint;
  std::size_t threads = 0;
  std::optional<std::uint32_t> checkpoint_every;  // default: the interrupted run's
  std::optional<std::uint32_t> stop_after;
};

/// The overrides a run applies: --set ones, then --ticks and --seed.
std::vector<std::string> all_overrides(const RunOptions& options);

int run_command(const RunOptions& options);
/// `run --from CHECKPOINT`: a new run from a saved state, with changed policy
/// parameters, into a new output file. Throws ConfigError for a structural change.
int branch_command(const RunOptions& options);
/// `resume CHECKPOINT`: continues an interrupted run and its output file.
/// Throws RunError (CheckpointError) for an unusable checkpoint, before touching the output.
int resume_command(const ResumeOptions& options);
int validate_command(const RunOptions& options);
/// What `flywheel params` prints: every parameter, or those whose key contains one of `filters`.
struct ParamsOptions {
  std::string format = "markdown";  // markdown, json or yaml
  std::vector<std::string> filters;
};
int params_command(const ParamsOptions& options);
/// Prints every column of agent state (customers, sellers, offers) as a Markdown table.
int state_command();
/// Prints what an output file holds. Throws RunError if it cannot be read.
int info_command(const std::string& path, bool json);

}  // namespace flywheel::app
