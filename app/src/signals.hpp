#pragma once
// SIGINT and SIGTERM end a run cleanly: the handler only records the signal;
// the run loop checks it between ticks, finishes the file and exits non-zero.

namespace flywheel::app {

/// Catches SIGINT and SIGTERM while it lives and restores the previous handlers after.
class StopSignals {
 public:
  StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  ~StopSignals();

  /// The first signal received, or 0. Cheap: the run loop reads it every tick.
  [[nodiscard]] int received() const noexcept;
};

/// The conventional exit status of a process stopped by `signal`: 128 + its number.
constexpr int exit_status_for(int signal) noexcept { return 128 + signal; }

}  // namespace flywheel::app
