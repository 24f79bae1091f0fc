#pragma once
// Progress on long runs: a bar with tick, ticks per second and time left on a
// terminal, fitted to its width; a log line every few seconds when stderr is
// not a terminal. Time left is from the recent rate (runs slow down as they
// grow), not the average since the start.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace flywheel {

/// Seconds as H:MM:SS.
std::string clock_text(double seconds);

/// The bar's line for a terminal `columns` wide: the bar where it fits, never
/// longer than columns - 1 characters.
std::string progress_line(std::uint64_t done, std::uint64_t total, double rate, double seconds_left,
                          std::size_t columns);

class Progress {
 public:
  enum class Style { automatic, bar, lines, off };

  /// What Style::automatic means in this process (`--progress`, `--quiet`);
  /// left automatic, a bar on a terminal and log lines otherwise.
  static void set_default(Style style) noexcept;
  /// Style::automatic, bar, lines or off from "auto", "bar", "lines", "off".
  static Style style_named(const std::string& name);

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
  using Clock = std::chrono::steady_clock;
  void measure(std::uint64_t done, Clock::time_point now);
  void draw(std::uint64_t done);
  std::uint64_t total_;
  Style style_;
  Clock::time_point last_draw_;
  Clock::time_point last_sample_;
  std::uint64_t sampled_ticks_;
  double recent_rate_ = 0.0;  // ticks per second, smoothed over about the last rate_window seconds
  bool finished_ = false;
};

}  // namespace flywheel
