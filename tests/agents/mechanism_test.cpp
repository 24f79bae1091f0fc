// Mechanisms: feedback rules declared in YAML.

#include "flywheel/agents/mechanism.hpp"

#include <gtest/gtest.h>

#include "flywheel/agents/platform.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::agents {
namespace {

struct Thermostat {
  enum class Metric : std::uint8_t { temperature };
  enum class Lever : std::uint8_t { heating };
  // The subject interface MechanismParams<Subject> reads; unused by these tests.
  [[maybe_unused]] static constexpr std::uint32_t max_delay = 0;
  [[maybe_unused]] static constexpr std::array<config::Choice<Metric>, 1> metric_choices{
      {{"temperature", Metric::temperature}}};
  [[maybe_unused]] static constexpr std::array<config::Choice<Lever>, 1> lever_choices{{{"heating", Lever::heating}}};
  double temperature = 15.0;
  double heating = 0.0;
  [[nodiscard]] double metric(Metric, std::uint32_t) const { return temperature; }
  [[nodiscard]] double lever(Lever) const { return heating; }
  void set_lever(Lever, double v) { heating = v; }
};

Mechanism<Thermostat> thermostat() {
  Mechanism<Thermostat> m;
  m.target = 20.0;
  m.gain = 0.5;
  m.min = 0.0;
  m.max = 4.0;
  return m;
}

TEST(Mechanism, MovesTheLeverByGainTimesTheGap) {
  Thermostat room;
  EXPECT_TRUE(apply(thermostat(), room, 0));
  EXPECT_DOUBLE_EQ(room.heating, 2.5);
  EXPECT_TRUE(apply(thermostat(), room, 1));
  EXPECT_DOUBLE_EQ(room.heating, 4.0);  // clamped at max
}

TEST(Mechanism, ActsOnlyEveryNTicks) {
  auto m = thermostat();
  m.every = 7;
  Thermostat room;
  EXPECT_FALSE(apply(m, room, 3));
  EXPECT_TRUE(apply(m, room, 14));
}

TEST(Mechanism, WhenAboveOrBelowUsesTheTrigger) {
  auto m = thermostat();
  m.when = ActWhen::below;
  m.trigger = 10.0;
  Thermostat room;
  EXPECT_FALSE(apply(m, room, 0));  // 15 is not below 10
  room.temperature = 9.0;
  EXPECT_TRUE(apply(m, room, 0));
  EXPECT_DOUBLE_EQ(room.heating, 4.0);  // 0.5 x (20 - 9), clamped
  m.when = ActWhen::above;
  m.trigger = std::numeric_limits<double>::quiet_NaN();  // the target
  EXPECT_FALSE(apply(m, room, 0));
}

TEST(Mechanism, PlatformPolicyLowersTheTakeRateWhileMarginExceedsTarget) {
  const auto s = market::scenario_from_string(R"(
platforms:
  - name: p
    take_rate: 0.2
    fulfilment: {fixed_cost: 0}
    policy:
      mechanisms:
        - {name: fees, metric: operating_margin, target: 0.05, when: above, lever: take_rate, gain: 0.1, min: 0.05, max: 0.3}
)");
  Platform p(s.platforms[0], PlatformId{0});
  PlatformTally t;
  t.fee_revenue = 100.0;  // all margin
  // No reading, so no action, before a whole window (policy.metric_window, 30 days) is booked.
  for (Tick day = 0; day < 29; ++day) p.close_day(t, 1, day);
  EXPECT_EQ(p.levers().take_rate, 0.2);
  for (Tick day = 29; day < 40; ++day) p.close_day(t, 1, day);
  EXPECT_LT(p.levers().take_rate, 0.2);
  EXPECT_GE(p.levers().take_rate, 0.05);
}

TEST(Mechanism, YamlNamesAnUnknownMetricWithASuggestion) {
  try {
    market::scenario_from_string(R"(
platforms:
  - name: p
    policy:
      mechanisms:
        - {name: x, metric: operating_margn, target: 0.05, lever: take_rate, gain: 0.1}
)");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'operating_margin'"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().line, 6);
  }
}

TEST(Mechanism, DelayLooksAtAnEarlierReading) {
  PlatformParams params;
  params.fulfilment.fixed_cost = 0.0;
  Platform p(params, PlatformId{0});
  PlatformTally t;
  t.visits = 10;
  for (Tick day = 0; day < 40; ++day) {
    t.orders = day < 35 ? 1 : 9;
    p.close_day(t, 10, day);
  }
  EXPECT_GT(p.metric(Platform::Metric::conversion_rate, 0), p.metric(Platform::Metric::conversion_rate, 10));
  EXPECT_NEAR(p.metric(Platform::Metric::conversion_rate, 10), 0.1, 1e-12);
}

}  // namespace
}  // namespace flywheel::agents
