#include "signals.hpp"

#include <atomic>
#include <csignal>

namespace flywheel::app {
namespace {

// The handler may run on any thread (a TBB worker, the writer); a lock-free
// atomic is async-signal-safe and, unlike a plain volatile flag, race-free.
std::atomic<std::sig_atomic_t> stop_signal{0};
static_assert(std::atomic<std::sig_atomic_t>::is_always_lock_free);
struct sigaction previous_int {};
struct sigaction previous_term {};

extern "C" void record_signal(int signal) {
  std::sig_atomic_t none = 0;
  stop_signal.compare_exchange_strong(none, signal);
}

}  // namespace

StopSignals::StopSignals() {
  stop_signal = 0;
  struct sigaction action {};
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // file writes in flight carry on
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
}

// A member, not static: the flag means something only while this object holds the handlers.
int StopSignals::received() const noexcept {  // NOLINT(readability-convert-member-functions-to-static)
  return stop_signal.load(std::memory_order_relaxed);
}

}  // namespace flywheel::app
