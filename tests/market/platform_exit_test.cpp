// A platform's exit in a whole market (agents::Platform::close_day decides
// it): from the next day nobody visits it, its offers close, its sellers
// sell on elsewhere or leave, and nobody lists there again.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::market {
namespace {

constexpr Tick exit_tick = 19;  // b is beyond its credit line from the first close: exits at the 20th

// Two platforms; b starts deep in debt, on no credit. Sellers multi-home and review often.
Scenario scenario(std::uint64_t seed) {
  return scenario_from_string("seed: " + std::to_string(seed) + R"(
market: {categories: 40, shards: 4, customer_block: 512}
customers: {count: 8000, initially_active: 0.2, awareness_rate: 0.001}
sellers: {initial_per_category: 2, entry_pool_rate: 0.3, platform_review_interval: 10}
platforms:
  - {name: a}
  - {name: b, initial_cash: -1e9, credit_line: 0, exit_after_days: 20, marketing_spend: 50}
)");
}

// Offers on platform p, and sellers with an offer on it, in every shard.
std::uint64_t offers_on(const Market& m, std::size_t p) {
  std::uint64_t n = 0;
  for (const Shard& s : m.shards())
    for (std::uint32_t o = 0; o < s.state.offers.size(); ++o) n += index(s.state.offers.platform[o]) == p ? 1 : 0;
  return n;
}

TEST(PlatformExit, AfterItsExitNobodyVisitsItsOffersCloseAndItsSellersMoveOrLeave) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    Market m(scenario(seed), Execution::serial);
    std::uint64_t visits_before = 0, exits_on_b = 0, dropped_on_b = 0;
    double cash_at_exit = 0.0;
    std::int64_t members_at_exit = 0;
    for (Tick t = 0; t < 60; ++t) {
      const MarketDay& day = m.step();
      const agents::PlatformDay& b = day.platforms[1];
      if (t < exit_tick) {
        EXPECT_EQ(b.books.exited, 0) << "tick " << t;
        visits_before += b.tally.visits;
        continue;
      }
      EXPECT_EQ(b.books.exited, 1) << "tick " << t;
      if (t == exit_tick) {
        cash_at_exit = b.books.cash;
        members_at_exit = b.books.members;
        EXPECT_GT(offers_on(m, 1), 0u) << "its offers close in the next day's price phase";
        continue;
      }
      EXPECT_EQ(b.tally.visits, 0u) << "tick " << t;
      EXPECT_EQ(b.tally.gmv, 0.0) << "tick " << t;
      EXPECT_EQ(b.tally.ad_starts, 0u) << "its ads reach nobody";
      EXPECT_EQ(b.books.cash, cash_at_exit) << "its books freeze";
      EXPECT_EQ(offers_on(m, 1), 0u) << "tick " << t;
      EXPECT_EQ(b.tally.listings_added + b.tally.entries, 0u) << "nobody lists there";
      exits_on_b += b.tally.exits;
      dropped_on_b += b.tally.listings_dropped;
    }
    EXPECT_GT(visits_before, 1000u) << "seed " << seed;
    EXPECT_GT(exits_on_b, 0u) << "sellers that sold only there leave";
    EXPECT_GT(dropped_on_b, 0u) << "sellers that also sold on a keep selling there";
    EXPECT_GT(m.today().platforms[0].tally.visits, 0u);
    if (members_at_exit > 0) {
      EXPECT_LT(m.platforms()[1].books().members, members_at_exit) << "memberships end";
    }
  }
}

TEST(PlatformExit, ACreditLineItStaysWithinChangesNothing) {
  Scenario generous = scenario(1);
  generous.platforms[1].initial_cash = 100000.0;
  Scenario unlimited = generous;
  generous.platforms[1].credit_line = 1e9;
  unlimited.platforms[1].credit_line = 1e15;
  Market a(generous, Execution::serial), b(unlimited, Execution::serial);
  for (int t = 0; t < 60; ++t) {
    const auto& da = a.step();
    const auto& db = b.step();
    ASSERT_EQ(da.platforms[1].books.cash, db.platforms[1].books.cash) << "tick " << t;
    ASSERT_EQ(da.platforms[1].tally.orders, db.platforms[1].tally.orders) << "tick " << t;
  }
}

}  // namespace
}  // namespace flywheel::market
