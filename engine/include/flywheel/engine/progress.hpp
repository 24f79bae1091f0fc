#pragma once
// Progress on long runs: a bar with tick, ticks per second and time left on a
// terminal; a log line every few seconds when stderr is not a terminal.

#include <chrono>
#include <cstdint>

namespace flywheel {

class Progress {
 public:
  enum class Style { automatic, bar, lines, off };

  /// `total` ticks to run, starting after `first` (for resumed runs).
  Progress(std::uint64_t first, std::uint64_t total, Style style = Style::automatic);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  /// Reports that `done` ticks are complete; cheap when nothing is due.
  void update(std::uint64_t done);
  /// Clears the bar and ends the line.
  void finish();

 private:
  void draw(std::uint64_t done, bool final);
  std::uint64_t first_;
  std::uint64_t total_;
  Style style_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  bool finished_ = false;
};

}  // namespace flywheel
