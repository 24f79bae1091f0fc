#pragma once
// A mechanism is a named feedback rule declared in YAML: every `every` ticks
// it observes a metric (as it was `delay` ticks ago), compares it with a
// target and moves a lever by gain x (target - metric), within bounds. It may
// be made to act only while the metric is above or below a trigger level.
// Platforms' policies and sellers' stock rules are built from mechanisms.

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>

#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

enum class ActWhen : std::uint8_t { always, above, below };
inline constexpr std::array<config::Choice<ActWhen>, 3> act_when_choices{
    {{"always", ActWhen::always}, {"above", ActWhen::above}, {"below", ActWhen::below}}};

/// The declared form of a mechanism acting on a Subject (a platform or a
/// seller), whose Subject::Metric and Subject::Lever enums name what it can
/// observe and move.
template <class Subject>
struct Mechanism {
  using Metric = typename Subject::Metric;
  using Lever = typename Subject::Lever;

  std::string name = "mechanism";
  Metric metric{};
  double target = 0.0;
  Lever lever{};
  double gain = 0.0;
  std::uint32_t every = 1;
  std::uint32_t delay = 0;
  ActWhen when = ActWhen::always;
  double trigger = std::numeric_limits<double>::quiet_NaN();  // NaN: the target
  double min = 0.0;
  double max = 1e12;

  template <class V>
  void visit(V& v) {
    v.field("name", name, "A name for the mechanism, used in logs and output");
    v.choice("metric", metric, Subject::metric_choices, "What the mechanism observes");
    v.field("target", target, "The level of the metric the mechanism aims for");
    v.choice("lever", lever, Subject::lever_choices, "What the mechanism moves");
    v.field("gain", gain,
            "Lever change per unit of (target - metric); negative when raising the lever lowers the metric");
    v.field("every", every, "Ticks between adjustments", config::between(1u, 3650u));
    v.field("delay", delay, "Ticks by which the observed metric lags (0: today's)",
            config::between(0u, Subject::max_delay));
    v.choice("when", when, act_when_choices, "Act always, or only while the metric is above or below the trigger");
    v.field("trigger", trigger, "Level that `when` compares the metric with (default: the target)");
    v.field("min", min, "Lowest value the lever may take");
    v.field("max", max, "Highest value the lever may take");
    v.require(min <= max, "max", "max must not be below min");
  }

  /// Whether the mechanism acts at this tick with this metric reading.
  [[nodiscard]] bool acts(std::uint64_t tick, double metric_value) const {
    if (tick % every != 0) return false;
    const double level = trigger != trigger ? target : trigger;  // NaN: use the target
    switch (when) {
      case ActWhen::above:
        return metric_value > level;
      case ActWhen::below:
        return metric_value < level;
      case ActWhen::always:
        break;
    }
    return true;
  }

  /// The lever's next value: lever + gain x (target - metric), within [min, max].
  [[nodiscard]] double next_lever(double lever_value, double metric_value) const {
    return std::clamp(lever_value + gain * (target - metric_value), min, max);
  }
};

/// Runs one mechanism on a subject that provides metric(Metric, delay),
/// lever(Lever) and set_lever(Lever, value). Returns whether it acted.
template <class Policy, class Subject>
bool apply(const Mechanism<Policy>& m, Subject& subject, std::uint64_t tick) {
  const double observed = subject.metric(m.metric, m.delay);
  if (observed != observed || !m.acts(tick, observed)) return false;
  subject.set_lever(m.lever, m.next_lever(subject.lever(m.lever), observed));
  return true;
}

}  // namespace flywheel::agents
