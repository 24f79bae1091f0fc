// A seller's decision rules.

#include "flywheel/agents/seller_rules.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace flywheel::agents {
namespace {

PriceReview review() { return {10.0, false, 5, 20.0, 15.0, 1, 0.0, 5.0, 0.05, 0.1}; }

TEST(Pricing, ASellerWhoseStockSellsOutRaisesItsPrice) {
  auto r = review();
  r.sold_out = true;
  r.direction = -1;
  r.profit = 0.0;  // even when profit fell
  const auto d = reviewed_price(r);
  EXPECT_GT(d.price, r.price);
  EXPECT_EQ(d.direction, 1);
}

TEST(Pricing, NothingSoldMeansACut) {
  auto r = review();
  r.units_sold = 0;
  EXPECT_LT(reviewed_price(r).price, r.price);
}

TEST(Pricing, PricedAboveTheCompetitorsBandMeansACut) {
  auto r = review();
  r.competitor_mean = 8.0;  // 10 > 8 x 1.1
  EXPECT_LT(reviewed_price(r).price, r.price);
  r.competitor_mean = 9.5;  // within the band: hill-climb on
  EXPECT_GT(reviewed_price(r).price, r.price);
}

TEST(Pricing, HillClimbKeepsAWinningDirectionAndTurnsBackOnALosingOne) {
  auto r = review();  // went up last time and profit rose: up again
  EXPECT_DOUBLE_EQ(reviewed_price(r).price, 10.5);
  r.profit = 10.0;  // profit fell: turn back
  const auto d = reviewed_price(r);
  EXPECT_DOUBLE_EQ(d.price, 9.5);
  EXPECT_EQ(d.direction, -1);
}

TEST(Pricing, NeverBelowTheFloor) {
  auto r = review();
  r.units_sold = 0;
  r.price = 5.1;
  EXPECT_DOUBLE_EQ(reviewed_price(r).price, 5.0);
}

TEST(Pricing, FloorCoversCostsFeeAndMargin) {
  const double floor = price_floor(6.0, 2.0, 0.2, 0.05);
  EXPECT_NEAR(floor * (1 - 0.2), (6.0 + 2.0) * 1.05, 1e-12);
}

TEST(LearningCurve, CostFallsWithCumulativeSales) {
  EXPECT_DOUBLE_EQ(learning_curve_cost(10.0, 0.0, 100.0, 0.2), 10.0);
  EXPECT_LT(learning_curve_cost(10.0, 1000.0, 100.0, 0.2), learning_curve_cost(10.0, 100.0, 100.0, 0.2));
  EXPECT_NEAR(learning_curve_cost(10.0, 300.0, 100.0, 0.5), 5.0, 1e-12);
}

EntryOutlook outlook(double units) { return {units, 20.0, 3, 0.15, 2.0, 10.0, 0.5, 365.0, 100.0, 0.0}; }

TEST(Entry, ExpectedProfitRisesWithThePublishedSignal) {
  double last = expected_entry_profit(outlook(0.0));
  EXPECT_LT(last, 0.0);
  for (double units : {1.0, 2.0, 5.0, 10.0, 40.0}) {
    const double profit = expected_entry_profit(outlook(units));
    EXPECT_GT(profit, last);
    last = profit;
  }
  EXPECT_GT(last, 0.0);
}

TEST(Entry, MoreIncumbentsAndHigherFeesDeter) {
  auto o = outlook(10.0);
  const double base = expected_entry_profit(o);
  o.offers = 9;
  EXPECT_LT(expected_entry_profit(o), base);
  o = outlook(10.0);
  o.take_rate = 0.3;
  EXPECT_LT(expected_entry_profit(o), base);
}

TEST(Entry, AnEntrantWeighsItsOwnQualityAgainstTheCompetitorsRatings) {
  auto o = outlook(10.0);
  const double equal = expected_entry_profit(o);
  // As good as the ratings show: an equal share, 10 / (3 + 1) units a day.
  EXPECT_NEAR(equal, 365.0 * (2.5 * (20.0 * 0.85 - 10.0 - 2.0) - 0.5) - 100.0, 1e-9);
  o.quality_edge = 1.0;
  const double better = expected_entry_profit(o);
  o.quality_edge = -1.0;
  const double worse = expected_entry_profit(o);
  EXPECT_GT(better, equal);
  EXPECT_LT(worse, equal);
  // Its expected share is exp(edge) / (offers + exp(edge)): never more than the whole category.
  o.quality_edge = 50.0;
  EXPECT_NEAR(expected_entry_profit(o), 365.0 * (10.0 * 5.0 - 0.5) - 100.0, 1e-6);
}

TEST(Exit, LosingDaysCountOnlyWithoutCashAndWithLosses) {
  EXPECT_EQ(next_losing_days(3, -1.0, -0.1), 4u);
  EXPECT_EQ(next_losing_days(3, 5.0, -0.1), 0u);
  EXPECT_EQ(next_losing_days(3, -1.0, 0.1), 0u);
}

TEST(Fulfilment, PicksTheMoreProfitableOptionOrExplores) {
  EXPECT_TRUE(choose_platform_fulfilment(false, 1.0, 2.0, 0.9, 0.1));
  EXPECT_FALSE(choose_platform_fulfilment(true, 2.0, 1.0, 0.9, 0.1));
  EXPECT_TRUE(choose_platform_fulfilment(true, 1.0, 1.0, 0.9, 0.1));
  EXPECT_FALSE(choose_platform_fulfilment(true, 1.0, 2.0, 0.05, 0.1));  // exploring
}

// What a seller weighs per platform: listed (and judged) with its daily profit, or not listed with the profit it
// expects from adding it.
PlatformOutlook listed(double profit_per_day, bool judged = true) { return {true, judged, profit_per_day, 0.0}; }
PlatformOutlook unlisted(double expected) { return {false, false, 0.0, expected}; }

TEST(Listings, DropsTheWorstLosingPlatformWhileItListsElsewhere) {
  const std::vector<PlatformOutlook> p{listed(2.0), listed(-0.5), listed(-1.0)};
  const auto move = review_listings(p, 8, 100.0, 50.0);
  EXPECT_EQ(move.drop, 2);
  EXPECT_EQ(move.add, -1);  // one move a review
}

TEST(Listings, NeverDropsItsLastPlatformOrOneNotYetJudged) {
  EXPECT_EQ(review_listings(std::vector{listed(-1.0)}, 8, 100.0, 50.0).drop, -1);  // exit decides instead
  EXPECT_EQ(review_listings(std::vector{listed(1.0), listed(-1.0, false)}, 8, 100.0, 50.0).drop, -1);
}

TEST(Listings, AddsTheMostPromisingPlatformItCanAffordAndManage) {
  const std::vector<PlatformOutlook> p{listed(1.0), unlisted(30.0), unlisted(80.0), unlisted(-5.0)};
  EXPECT_EQ(review_listings(p, 8, 100.0, 50.0).add, 2);
  EXPECT_EQ(review_listings(p, 1, 100.0, 50.0).add, -1);  // single-homing
  EXPECT_EQ(review_listings(p, 8, 49.0, 50.0).add, -1);   // cannot pay the listing cost
  EXPECT_EQ(review_listings(std::vector{listed(1.0), unlisted(0.0)}, 8, 100.0, 50.0).add, -1);  // no profit promised
}

TEST(Listings, TiesGoToTheLowerPlatform) {
  EXPECT_EQ(review_listings(std::vector{listed(1.0), unlisted(10.0), unlisted(10.0)}, 8, 100.0, 0.0).add, 1);
  EXPECT_EQ(review_listings(std::vector{listed(-1.0), listed(-1.0), listed(1.0)}, 8, 100.0, 0.0).drop, 0);
}

}  // namespace
}  // namespace flywheel::agents
