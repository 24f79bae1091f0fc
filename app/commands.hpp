#pragma once
// The subcommands of `flywheel`. Each returns the process exit status and
// lets ConfigError and RunError escape to main, which reports them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flywheel/engine/progress.hpp"
#include "flywheel/market/scenario.hpp"
#include "signals.hpp"

namespace flywheel::app {

struct RunOptions {
  std::string config;
  std::optional<std::uint32_t> ticks;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> overrides;
  std::size_t threads = 0;  // 0: all cores
  std::string output;       // -o: empty for out/<scenario name>.h5, "none" for no file
  bool force = false;       // --force: run even when the memory estimate exceeds what is available
};

/// The overrides a run applies: --set ones, then --ticks and --seed.
std::vector<std::string> all_overrides(const RunOptions& options);

/// How run_scenario ended.
struct RunResult {
  int signal = 0;           // the signal that stopped it early, or 0 when it ran every tick
  std::uint32_t ticks = 0;  // ticks run
  double seconds = 0;       // wall time of those ticks
  std::string summary;      // the closing table (market::summary)
  std::string traffic;      // under MPI, what the ranks sent each other; else empty
};

class RunOutput;

/// Runs `scenario` in the calling thread's task arena, recording each tick
/// into `output` (if any) and closing it as complete, or as interrupted once
/// `stop` has seen a signal. Throws RunError (a failing writer). Thread-safe:
/// `flywheel sweep` runs several at once, each with its own output.
RunResult run_scenario(const market::Scenario& scenario, RunOutput* output, const StopSignals& stop,
                       Progress::Style progress = Progress::Style::automatic);

int run_command(const RunOptions& options);
int validate_command(const RunOptions& options);
int params_command();
/// Prints what an output file holds. Throws RunError if it cannot be read.
int info_command(const std::string& path);

}  // namespace flywheel::app
