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
  std::size_t threads = 0;  // 0: all cores
  std::string output;       // -o: empty for out/<scenario name>.h5, "none" for no file
  bool force = false;       // --force: run even when the memory estimate exceeds what is available
};

/// The overrides a run applies: --set ones, then --ticks and --seed.
std::vector<std::string> all_overrides(const RunOptions& options);

int run_command(const RunOptions& options);
int validate_command(const RunOptions& options);
int params_command();
/// Prints what an output file holds. Throws RunError if it cannot be read.
int info_command(const std::string& path);

}  // namespace flywheel::app
