// A platform's books, network and metrics.

#include "flywheel/agents/platform.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace flywheel::agents {
namespace {

TEST(Platform, BooksRevenueCostsAndPayout) {
  PlatformParams params;
  params.fulfilment.fixed_cost = 10.0;
  params.membership.offered = false;
  params.policy.payout_share = 0.5;
  params.initial_cash = 0.0;
  Platform p(params, PlatformId{0});
  PlatformTally t;
  t.fee_revenue = 50.0;
  t.shipping_revenue = 10.0;
  t.units_fulfilled = 4;
  const auto d = p.close_day(t, 1, 0);
  EXPECT_DOUBLE_EQ(d.revenue, 60.0);
  EXPECT_DOUBLE_EQ(d.operating_profit, 60.0 - 10.0 - 4 * params.fulfilment.cost_per_unit);
  EXPECT_DOUBLE_EQ(d.payout, 0.5 * d.operating_profit);
  EXPECT_DOUBLE_EQ(p.books().cash, d.operating_profit - d.payout);
}

// A platform with no revenue and a fixed cost of 10 a day, starting with `cash`, on a credit line of 100 for 5 days.
PlatformParams losing_platform(double cash) {
  PlatformParams params;
  params.membership.offered = false;
  params.fulfilment.fixed_cost = 10.0;
  params.initial_cash = cash;
  params.credit_line = 100.0;
  params.exit_after_days = 5;
  return params;
}

TEST(Platform, ExitsAfterExactlyExitAfterDaysBeyondItsCreditLine) {
  const PlatformParams params = losing_platform(-95.0);  // -105 at the first close: beyond
  Platform p(params, PlatformId{0});
  for (Tick day = 0; day < 4; ++day) {
    p.close_day({}, 1, day);
    EXPECT_TRUE(p.open()) << "day " << day;
    EXPECT_EQ(p.books().days_beyond_credit, static_cast<std::int64_t>(day) + 1);
  }
  const auto exit_day = p.close_day({}, 1, 4);
  EXPECT_FALSE(p.open());
  EXPECT_EQ(exit_day.books.exited, 1);
  EXPECT_EQ(exit_day.books.days_beyond_credit, 5);
}

TEST(Platform, CashBackOnItsCreditLineResetsTheCount) {
  const PlatformParams params = losing_platform(-95.0);
  Platform p(params, PlatformId{0});
  for (Tick day = 0; day < 4; ++day) p.close_day({}, 1, day);
  PlatformTally windfall;
  windfall.fee_revenue = 45.0;  // cash -135 + 45 - 10: back on the line, not beyond it
  p.close_day(windfall, 1, 4);
  EXPECT_EQ(p.books().days_beyond_credit, 0);
  for (Tick day = 5; day < 9; ++day) p.close_day({}, 1, day);  // beyond again: 4 days
  EXPECT_TRUE(p.open());
  p.close_day({}, 1, 9);
  EXPECT_FALSE(p.open());
}

TEST(Platform, AnExitedPlatformsBooksFreezeButCustomersStillLeave) {
  PlatformParams params = losing_platform(-95.0);
  params.marketing_spend = 50.0;
  params.fulfilment.delivery_investment = 20.0;
  Platform p(params, PlatformId{0});
  for (Tick day = 0; day < 5; ++day) p.close_day({}, 1, day);
  ASSERT_FALSE(p.open());
  EXPECT_DOUBLE_EQ(p.impressions_per_day(), 0.0);  // its ads reach no one
  const PlatformBooks at_exit = p.books();
  PlatformTally leaving;
  leaving.active_delta = -3;
  leaving.member_delta = -2;
  leaving.exits = 4;
  const auto d = p.close_day(leaving, 10, 5);
  EXPECT_DOUBLE_EQ(d.books.cash, at_exit.cash);
  EXPECT_DOUBLE_EQ(d.books.capital, at_exit.capital);
  EXPECT_DOUBLE_EQ(d.fixed_cost + d.marketing_spend + d.delivery_investment + d.revenue + d.payout, 0.0);
  EXPECT_EQ(d.books.active_customers, at_exit.active_customers - 3);
  EXPECT_EQ(d.books.members, at_exit.members - 2);
  EXPECT_EQ(d.tally.exits, 4u);  // what happened to it is still recorded
  EXPECT_EQ(d.books.exited, 1);
}

TEST(Platform, MembersFasterDeliveryCostsItPerMemberOrder) {
  PlatformParams params;
  params.membership.offered = false;
  params.membership.cost_per_order = 1.5;
  Platform p(params, PlatformId{0});
  PlatformTally t;
  t.units_fulfilled = 10;
  t.member_orders = 4;
  const auto d = p.close_day(t, 1, 0);
  EXPECT_DOUBLE_EQ(d.member_cost, 6.0);
  EXPECT_DOUBLE_EQ(d.operating_profit, -d.fixed_cost - d.fulfilment_cost - 6.0);
}

TEST(Platform, InvestmentShortensDeliveryAndScaleLowersFulfilmentCost) {
  PlatformParams params;
  params.fulfilment.delivery_investment = 5000.0;
  Platform p(params, PlatformId{0});
  const double days = p.books().delivery_days;
  const double unit_cost = p.books().fulfilment_unit_cost;
  PlatformTally t;
  t.units_fulfilled = 900;  // within its capacity
  for (Tick day = 0; day < 100; ++day) p.close_day(t, 1, day);
  EXPECT_LT(p.books().delivery_days, days);
  EXPECT_GE(p.books().delivery_days, params.fulfilment.min_delivery_days);
  EXPECT_LT(p.books().fulfilment_unit_cost, unit_cost);
}

TEST(Platform, BeyondItsCapacityDeliverySlowsAndCapitalAddsCapacity) {
  PlatformParams params;
  params.fulfilment.initial_capital = 100000.0;
  params.fulfilment.depreciation = 0.0;
  Platform p(params, PlatformId{0});
  const double days = p.books().delivery_days;
  const double capacity = params.fulfilment.base_capacity + params.fulfilment.capacity_per_capital * 100000.0;
  PlatformTally t;
  t.units_fulfilled = static_cast<std::uint64_t>(capacity);
  auto d = p.close_day(t, 1, 0);
  EXPECT_DOUBLE_EQ(d.capacity, capacity);
  EXPECT_DOUBLE_EQ(d.capacity_use, 1.0);
  EXPECT_DOUBLE_EQ(p.books().delivery_days, days);  // at capacity, not beyond it
  t.units_fulfilled = static_cast<std::uint64_t>(2 * capacity);
  d = p.close_day(t, 1, 1);
  EXPECT_DOUBLE_EQ(d.capacity_use, 2.0);
  EXPECT_DOUBLE_EQ(p.books().delivery_days, days * (1.0 + params.fulfilment.congestion));
  t.units_fulfilled = static_cast<std::uint64_t>(capacity / 2);
  p.close_day(t, 1, 2);
  EXPECT_DOUBLE_EQ(p.books().delivery_days, days);  // the congestion clears with the load

  params.fulfilment.initial_capital = 300000.0;
  Platform richer(params, PlatformId{0});
  EXPECT_DOUBLE_EQ(richer.close_day(t, 1, 0).capacity, capacity + params.fulfilment.capacity_per_capital * 200000.0);
}

TEST(Platform, MetricsNeedData) {
  const PlatformParams params;  // a Platform keeps a pointer to its parameters
  Platform p(params, PlatformId{0});
  EXPECT_TRUE(std::isnan(p.metric(Platform::Metric::operating_margin, 0)));
}

TEST(Platform, MechanismsCannotRaiseTheTakeRateAboveItsCap) {
  PlatformParams params;
  params.policy.max_take_rate = 0.4;
  Platform p(params, PlatformId{0});
  p.set_lever(Platform::Lever::take_rate, 0.9);
  EXPECT_DOUBLE_EQ(p.levers().take_rate, 0.4);
  p.set_lever(Platform::Lever::take_rate, -1.0);
  EXPECT_DOUBLE_EQ(p.levers().take_rate, 0.0);
}

TEST(Platform, MetricsAverageOverTheMetricWindow) {
  PlatformParams params;
  params.policy.metric_window = 3;
  params.membership.offered = false;
  Platform p(params, PlatformId{0});
  EXPECT_EQ(Platform::history_days(params), PlatformPolicy::max_delay + 6);
  PlatformTally t;
  for (Tick day = 0; day < 5; ++day) {
    t.orders = day + 1;  // 1, 2, 3, 4, 5
    t.visits = 10;
    p.close_day(t, 10, day);
  }
  EXPECT_DOUBLE_EQ(p.metric(Platform::Metric::orders_per_day, 0), (3.0 + 4.0 + 5.0) / 3.0);
  EXPECT_DOUBLE_EQ(p.metric(Platform::Metric::conversion_rate, 0), 12.0 / 30.0);
  EXPECT_TRUE(std::isnan(p.metric(Platform::Metric::orders_growth, 0)));  // needs two windows: six days
  t.orders = 6;
  p.close_day(t, 10, 5);
  EXPECT_DOUBLE_EQ(p.metric(Platform::Metric::orders_growth, 0), (4.0 + 5.0 + 6.0) / (1.0 + 2.0 + 3.0) - 1.0);
}

}  // namespace
}  // namespace flywheel::agents
