#pragma once
// The tick scheduler: a fixed sequence of named phases run once per tick,
// each timed so benchmarks can report where a tick's time goes.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "flywheel/engine/ids.hpp"

namespace flywheel {

class Scheduler {
 public:
  using PhaseFn = std::function<void(Tick)>;

  /// Appends a phase; phases run in the order they were added.
  void add_phase(std::string name, PhaseFn run) { phases_.push_back({std::move(name), std::move(run), 0.0}); }

  /// Runs every phase of one tick, in order.
  void run_tick(Tick tick) {
    for (auto& p : phases_) {
      const auto start = std::chrono::steady_clock::now();
      p.run(tick);
      p.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  }

  struct PhaseTime {
    std::string name;
    double seconds;
  };
  /// Wall seconds spent in each phase so far.
  [[nodiscard]] std::vector<PhaseTime> phase_times() const {
    std::vector<PhaseTime> out;
    for (const auto& p : phases_) out.push_back({p.name, p.seconds});
    return out;
  }

 private:
  struct Phase {
    std::string name;
    PhaseFn run;
    double seconds;
  };
  std::vector<Phase> phases_;
};

}  // namespace flywheel
