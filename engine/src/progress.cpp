#include "flywheel/engine/progress.hpp"

#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <string>

namespace flywheel {
namespace {

// The rate behind "time left" forgets what is older than about this many seconds.
constexpr double rate_window = 20.0;

std::atomic<Progress::Style> default_style{Progress::Style::automatic};

/// Columns of the terminal on stderr (80 when it is not one).
std::size_t terminal_columns() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace

std::string clock_text(double seconds) {
  const long long s = std::llround(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

std::string progress_line(std::uint64_t done, std::uint64_t total, double rate, double seconds_left,
                          std::size_t columns) {
  char text[128];
  std::snprintf(text, sizeof text, " tick %llu/%llu  %.1f ticks/s  %s left", static_cast<unsigned long long>(done),
                static_cast<unsigned long long>(total), rate, clock_text(seconds_left).c_str());
  // Never as wide as the terminal: a wrapped line is not overwritten by '\r' and the pane fills with copies.
  std::string line(text);
  const std::size_t room = columns > line.size() + 1 ? columns - line.size() - 1 : 0;
  if (room >= 12) {
    const std::size_t width = std::min<std::size_t>(room - 2, 30);
    const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(width));
    std::string bar(filled, '=');
    if (filled < width) bar += '>';
    bar.resize(width, ' ');
    line = "[" + bar + "]" + line;
  }
  if (columns > 1 && line.size() > columns - 1) line.resize(columns - 1);
  return line;
}

void Progress::set_default(Style style) noexcept { default_style = style; }

Progress::Style Progress::style_named(const std::string& name) {
  if (name == "bar") return Style::bar;
  if (name == "lines") return Style::lines;
  if (name == "off") return Style::off;
  return Style::automatic;
}

Progress::Progress(std::uint64_t first, std::uint64_t total, Style style)
    : total_(total),
      style_(style == Style::automatic ? default_style.load() : style),
      last_draw_(Clock::now()),
      last_sample_(last_draw_),
      sampled_ticks_(first) {
  if (style_ == Style::automatic) style_ = isatty(STDERR_FILENO) != 0 ? Style::bar : Style::lines;
}

Progress::~Progress() { finish(); }

void Progress::update(std::uint64_t done) {
  if (style_ == Style::off) return;
  const auto now = Clock::now();
  const double due = style_ == Style::bar ? 0.2 : 5.0;
  if (std::chrono::duration<double>(now - last_draw_).count() < due) return;
  last_draw_ = now;
  measure(done, now);
  draw(done);
}

void Progress::measure(std::uint64_t done, Clock::time_point now) {
  const double seconds = std::chrono::duration<double>(now - last_sample_).count();
  if (seconds <= 0.0 || done < sampled_ticks_) return;
  const double rate = static_cast<double>(done - sampled_ticks_) / seconds;
  // An exponential average over time: the first sample sets it, later ones weigh by how long they cover.
  const double weight = recent_rate_ > 0.0 ? 1.0 - std::exp(-seconds / rate_window) : 1.0;
  recent_rate_ += weight * (rate - recent_rate_);
  last_sample_ = now;
  sampled_ticks_ = done;
}

void Progress::draw(std::uint64_t done) {
  const double left = recent_rate_ > 0 ? static_cast<double>(total_ - done) / recent_rate_ : 0.0;
  if (style_ == Style::lines) {
    const double fraction = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
    spdlog::info("tick {}/{} ({:.0f}%), {:.1f} ticks/s, {} left", done, total_, 100.0 * fraction, recent_rate_,
                 clock_text(left));
    return;
  }
  const std::string line = progress_line(done, total_, recent_rate_, left, terminal_columns());
  std::fprintf(stderr, "\r%s\033[K", line.c_str());
  std::fflush(stderr);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (style_ == Style::bar) std::fprintf(stderr, "\r\033[K"), std::fflush(stderr);
}

}  // namespace flywheel
