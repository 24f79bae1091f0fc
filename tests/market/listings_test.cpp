// Sellers move between platforms (market/src/listings.cpp): on its review day
// a 3P seller drops a listing that lost money or lists where the published
// sales promise a profit; loops.multi_homing off freezes its platforms.
// A platform that has exited loses its offers: its sellers keep their other
// platforms or leave, and nobody lists there.

#include "flywheel/market/listings.hpp"

#include <gtest/gtest.h>

#include "two_platforms.hpp"

namespace flywheel::market {
namespace {

using testing::expect_ordered_and_indexed;
using testing::TwoPlatforms;

constexpr std::uint32_t interval = 10;

// Shard 0 with sellers reviewing every 10 days; seller id 0 reviews on ticks 0, 10, 20, ...
struct Reviews : TwoPlatforms {
  Reviews() {
    scenario.sellers.platform_review_interval = interval;
    scenario.sellers.listing_cost = 50.0;
  }
  // The offer of seller `slot` on platform p, or the offers' size if none.
  [[nodiscard]] std::uint32_t offer_of(std::uint32_t slot, std::size_t p) const {
    const auto& o = shard.state.offers;
    for (std::uint32_t r = 0; r < o.size(); ++r)
      if (o.seller[r] == slot && index(o.platform[r]) == p) return r;
    return static_cast<std::uint32_t>(o.size());
  }
  // Sets the margin its offer on p made in the last price window, as a daily profit after the listing's cost.
  void set_daily_profit(std::uint32_t slot, std::size_t p, double per_day) {
    shard.state.offers.profit_last_window[offer_of(slot, p)] =
        static_cast<float>((per_day + scenario.sellers.fixed_cost) * scenario.sellers.reprice_interval);
  }
  // Platform p publishes strong sales of category 0 (local 0).
  void publish_strong_sales(std::size_t p) { shard.state.signals[shard.group(0, p)] = {10.0f, 20.0f, 1}; }
  void review(Tick tick) {
    for (auto& t : shard.state.tally) t = {};
    review_listings(shard, context(tick));
    shard.remove_closed();
  }
};

TEST(Listings, ASellerDropsAPlatformThatLostMoneyAndKeepsTheOther) {
  Reviews m;
  const auto s = m.add(0, 0b11, 1.0f);
  ASSERT_EQ(index(m.shard.state.sellers.id[s]), 0u);
  m.shard.reorder();
  m.set_daily_profit(s, 0, 1.0);
  m.set_daily_profit(s, 1, -0.2);
  m.review(2 * interval);
  EXPECT_LT(m.offer_of(s, 0), m.shard.state.offers.size());
  EXPECT_EQ(m.offer_of(s, 1), m.shard.state.offers.size());
  EXPECT_EQ(m.shard.state.tally[1].listings_dropped, 1u);
  EXPECT_EQ(m.shard.state.tally[1].exits, 0u);  // it still sells: not an exit
  expect_ordered_and_indexed(m);
}

TEST(Listings, NothingMovesOffItsReviewDayOrWithTheLoopOff) {
  for (const bool off_day : {true, false}) {
    Reviews m;
    if (!off_day) m.scenario.loops.multi_homing = false;
    const auto s = m.add(0, 0b11, 1.0f);
    m.shard.reorder();
    m.set_daily_profit(s, 0, 1.0);
    m.set_daily_profit(s, 1, -0.2);
    m.review(off_day ? 2 * interval + 1 : 2 * interval);
    EXPECT_EQ(m.shard.state.offers.size(), 2u) << (off_day ? "not its review day" : "loop off");
  }
}

TEST(Listings, ANewListingIsNotJudgedBeforeAWholeInterval) {
  Reviews m;
  const auto s = m.add(0, 0b11, 1.0f);
  m.shard.reorder();
  m.set_daily_profit(s, 0, 1.0);
  m.set_daily_profit(s, 1, -0.2);
  m.shard.state.offers.selling_from[m.offer_of(s, 1)] = 2 * interval - 5;
  m.review(2 * interval);
  EXPECT_EQ(m.shard.state.offers.size(), 2u);
}

TEST(Listings, ASellerListsWherePublishedSalesPromiseProfitAndPaysForIt) {
  Reviews m;
  const auto s = m.add(0, 0b01, 1.0f);
  m.add(2, 0b11, 2.0f);  // another seller, not reviewing today
  m.shard.reorder();
  m.publish_strong_sales(1);
  const double cash = m.shard.state.sellers.cash[s];
  m.review(2 * interval);
  const auto added = m.offer_of(s, 1);
  ASSERT_LT(added, m.shard.state.offers.size());
  EXPECT_EQ(m.shard.state.offers.selling_from[added], 2 * interval + m.scenario.sellers.onboarding_days);
  EXPECT_GT(m.shard.state.offers.stock[added], 0u);
  EXPECT_DOUBLE_EQ(m.shard.state.sellers.cash[s], cash - 50.0);
  EXPECT_EQ(m.shard.state.tally[1].listings_added, 1u);
  EXPECT_EQ(m.shard.state.tally[1].entries, 0u);  // not a new seller
  expect_ordered_and_indexed(m);
}

TEST(Listings, NoListingWithoutTheCashOrBeyondMaxPlatformsOrWithoutAPublishedSignal) {
  for (int variant = 0; variant < 3; ++variant) {
    Reviews m;
    const auto s = m.add(0, 0b01, 1.0f);
    m.shard.reorder();
    if (variant != 2) m.publish_strong_sales(1);
    if (variant == 0) m.shard.state.sellers.cash[s] = 49.0;
    if (variant == 1) m.scenario.sellers.max_platforms = 1;
    m.review(2 * interval);
    EXPECT_EQ(m.shard.state.offers.size(), 1u) << "variant " << variant;
  }
}

TEST(Listings, FirstPartySellersAndLeavingSellersDoNotReview) {
  Reviews m;
  const auto first_party = m.add(0, 0b01, 1.0f, PlatformId{0});
  m.shard.reorder();
  m.publish_strong_sales(1);
  m.review(2 * interval);
  EXPECT_EQ(m.offer_of(first_party, 1), m.shard.state.offers.size());

  Reviews leaving;
  const auto s = leaving.add(0, 0b01, 1.0f);
  leaving.shard.reorder();
  leaving.publish_strong_sales(1);
  leaving.shard.state.sellers.losing_days[s] = leaving.scenario.sellers.exit_patience + 1;
  leaving.review(2 * interval);
  EXPECT_EQ(leaving.shard.state.offers.size(), 1u);
}

TEST(Listings, AnExitedPlatformsOffersCloseItsSellersKeepTheirOtherPlatformOrLeave) {
  Reviews m;
  const auto both = m.add(0, 0b11, 1.0f);
  m.add(2, 0b10, 2.0f);                 // a 3P seller on the exited platform only
  m.add(4, 0b10, 3.0f, PlatformId{1});  // the exited platform's 1P retail
  const auto only_open = m.add(4, 0b01, 4.0f);
  m.shard.reorder();
  const SellerId kept_id = m.shard.state.sellers.id[both];
  const SellerId open_id = m.shard.state.sellers.id[only_open];
  m.terms[1].open = false;
  leave_exited_platforms(m.shard, m.context(7));
  m.shard.remove_closed();
  const auto& sellers = m.shard.state.sellers;
  ASSERT_EQ(sellers.size(), 2u) << "the seller left with no platform and the 1P seller leave";
  EXPECT_EQ(sellers.id[0], kept_id);
  EXPECT_EQ(sellers.id[1], open_id);
  for (std::uint32_t o = 0; o < m.shard.state.offers.size(); ++o)
    EXPECT_EQ(m.shard.state.offers.platform[o], PlatformId{0});
  EXPECT_EQ(m.shard.state.offers.size(), 2u);
  EXPECT_EQ(m.shard.state.tally[1].listings_dropped, 1u);  // the multi-homer sells on
  EXPECT_EQ(m.shard.state.tally[1].exits, 1u);             // the 3P seller that had only it (1P rows are not counted)
  EXPECT_EQ(m.shard.state.tally[0].exits + m.shard.state.tally[0].listings_dropped, 0u);
  expect_ordered_and_indexed(m);
}

TEST(Listings, WithEveryPlatformOpenNothingLeaves) {
  Reviews m;
  m.add(0, 0b11, 1.0f);
  m.add(2, 0b10, 2.0f);
  m.shard.reorder();
  leave_exited_platforms(m.shard, m.context(7));
  EXPECT_TRUE(m.shard.delistings.empty());
  EXPECT_TRUE(m.shard.exits.empty());
}

TEST(Listings, NobodyListsOnAnExitedPlatform) {
  Reviews m;
  const auto s = m.add(0, 0b01, 1.0f);
  m.shard.reorder();
  m.publish_strong_sales(1);
  m.terms[1].open = false;
  m.review(2 * interval);
  EXPECT_EQ(m.offer_of(s, 1), m.shard.state.offers.size());
  EXPECT_EQ(m.shard.state.tally[1].listings_added, 0u);
}

TEST(Entry, NoEntrantListsOnAnExitedPlatform) {
  for (const bool exited : {false, true}) {
    Reviews m;
    m.scenario.sellers.entry_pool_rate = 2.0;
    m.publish_strong_sales(0);
    m.publish_strong_sales(1);
    m.terms[1].open = !exited;
    std::size_t births = 0, on_exited = 0;
    for (Tick t = 0; t < 200; ++t) {
      consider_entry(m.shard, m.context(t));
      for (const Birth& b : m.shard.births) births += 1, on_exited += (b.platforms >> 1) & 1u;
      m.shard.births.clear();
    }
    ASSERT_GT(births, 30u);
    EXPECT_EQ(on_exited > 0, !exited) << (exited ? "exited" : "open");
  }
}

}  // namespace
}  // namespace flywheel::market
