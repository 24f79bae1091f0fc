// Categories (market/src/categories.cpp): dealt to shards in turn, and price
// levels drawn from a stream of their own.

#include "flywheel/market/categories.hpp"

#include <gtest/gtest.h>

#include <boost/random/lognormal_distribution.hpp>
#include <cmath>

#include "flywheel/agents/purposes.hpp"
#include "flywheel/engine/random.hpp"

namespace flywheel::market {
namespace {

TEST(Categories, DealtToShardsInTurn) {
  MarketParams params;
  params.categories = 10;
  params.shards = 3;
  const Categories c(params, 1);
  std::uint32_t held = 0;
  for (std::uint32_t s = 0; s < 3; ++s) {
    held += c.in_shard(s);
    for (std::uint32_t local = 0; local < c.in_shard(s); ++local) {
      const std::uint32_t g = c.global(s, local);
      EXPECT_EQ(c.shard_of(g), s);
      EXPECT_EQ(c.local_index(g), local);
    }
  }
  EXPECT_EQ(held, 10u);
}

// Category c's price level used to come from purpose initial_state at
// entity c: the very Philox block whose words decide whether customer c
// starts active and where (Market::populate). It has a stream of its own now.
TEST(Categories, PriceLevelsDrawFromAStreamOfTheirOwnNotTheInitialCustomers) {
  MarketParams params;
  params.categories = 100;
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    const Categories c(params, seed);
    for (std::uint32_t i = 0; i < params.categories; ++i) {
      auto urng = random::stream(seed, random::static_tick, i, agents::purpose(agents::Purpose::category_traits));
      boost::random::lognormal_distribution<double> level(std::log(params.price_level), params.price_level_spread);
      EXPECT_EQ(c.price_level(i), level(urng)) << "category " << i;
    }
  }
  EXPECT_NE(agents::purpose(agents::Purpose::category_traits), agents::purpose(agents::Purpose::initial_state));
}

}  // namespace
}  // namespace flywheel::market
