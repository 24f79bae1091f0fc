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
  EXPECT_DOUBLE_EQ(p.cash, d.operating_profit - d.payout);
}

TEST(Platform, InvestmentShortensDeliveryAndScaleLowersFulfilmentCost) {
  PlatformParams params;
  params.fulfilment.investment = 5000.0;
  Platform p(params, PlatformId{0});
  const double days = p.delivery_days;
  const double unit_cost = p.fulfilment_unit_cost;
  PlatformTally t;
  t.units_fulfilled = 100000;
  for (Tick day = 0; day < 100; ++day) p.close_day(t, 1, day);
  EXPECT_LT(p.delivery_days, days);
  EXPECT_GE(p.delivery_days, params.fulfilment.min_delivery_days);
  EXPECT_LT(p.fulfilment_unit_cost, unit_cost);
}

TEST(Platform, MetricsNeedData) {
  Platform p(PlatformParams{}, PlatformId{0});
  EXPECT_TRUE(std::isnan(p.metric(Platform::Metric::operating_margin, 0)));
}

}  // namespace
}  // namespace flywheel::agents
