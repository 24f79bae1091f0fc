#include "signals.hpp"

#include <csignal>

namespace flywheel::app {
namespace {

volatile std::sig_atomic_t stop_signal = 0;
struct sigaction previous_int {};
struct sigaction previous_term {};

extern "C" void record_signal(int signal) {
  if (stop_signal == 0) stop_signal = signal;
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

int StopSignals::received() const noexcept { return stop_signal; }

}  // namespace flywheel::app
