#include "flywheel/engine/progress.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace flywheel {
namespace {

std::string clock_text(double seconds) {
  const long long s = std::llround(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

}  // namespace

Progress::Progress(std::uint64_t first, std::uint64_t total, Style style)
    : first_(first), total_(total), style_(style), start_(std::chrono::steady_clock::now()), last_draw_(start_) {
  if (style_ == Style::automatic) style_ = isatty(STDERR_FILENO) != 0 ? Style::bar : Style::lines;
}

Progress::~Progress() { finish(); }

void Progress::update(std::uint64_t done) {
  if (style_ == Style::off) return;
  const auto now = std::chrono::steady_clock::now();
  const double due = style_ == Style::bar ? 0.2 : 5.0;
  if (std::chrono::duration<double>(now - last_draw_).count() < due) return;
  last_draw_ = now;
  draw(done, false);
}

void Progress::draw(std::uint64_t done, bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done - first_) / elapsed : 0.0;
  const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  const double fraction = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  if (style_ == Style::lines) {
    spdlog::info("tick {}/{} ({:.0f}%), {:.1f} ticks/s, {} left", done, total_, 100.0 * fraction, rate,
                 clock_text(left));
    return;
  }
  constexpr int width = 30;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '=');
  if (filled < width) bar += '>';
  bar.resize(width, ' ');
  std::fprintf(stderr, "\r[%s] tick %llu/%llu  %.1f ticks/s  %s left \033[K", bar.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_), rate,
               clock_text(left).c_str());
  if (final) std::fputc('\n', stderr);
  std::fflush(stderr);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (style_ == Style::bar) std::fprintf(stderr, "\r\033[K"), std::fflush(stderr);
}

}  // namespace flywheel
