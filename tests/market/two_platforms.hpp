#pragma once
// A test shard: shard 0 of two over six categories, on two platforms that
// both take 3P sellers, with helpers to add sellers and check the offers'
// order and group index.

#include <gtest/gtest.h>

#include <cstdint>
#include <tuple>
#include <vector>

#include "flywheel/market/entry.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/market/shard.hpp"

namespace flywheel::market::testing {

// Shard 0 of two holds categories 0, 2 and 4 (local 0, 1, 2), on two platforms.
struct TwoPlatforms {
  Scenario scenario;
  Categories categories;
  std::vector<PlatformTerms> terms;
  Shard shard;

  TwoPlatforms()
      : scenario(scenario_from_string(R"(
market: {categories: 6, shards: 2, price_level_spread: 0}
customers: {count: 10}
platforms: [{name: a}, {name: b}]
)")),
        categories(scenario.market, 1),
        terms(2),
        shard(ShardId{0}, categories, 2, 4) {
    for (auto& t : terms) {
      t.third_party = true;
      t.take_rate = 0.15;
      t.fulfilment_fee = 3.0;
      t.first_party_markup = 1.3;
    }
  }

  TickContext context(Tick tick = 0) const {
    return {
        scenario.seed, tick, &categories, &scenario.customers, &scenario.sellers, &scenario.reviews, scenario.platforms,
        terms,         4,    0.1,         &scenario.loops};
  }
  // Adds a seller listing on the platforms in `mask`; its quality tags it.
  std::uint32_t add(std::uint32_t category, std::uint8_t mask, float tag, PlatformId owner = no_platform) {
    return add_seller(shard, context(), {category, mask, tag, 0.5f, 10.0f}, owner);
  }
  auto key(std::uint32_t o) const {
    const auto& s = shard;
    return std::tuple(s.state.offers.category[o], index(s.state.offers.platform[o]),
                      index(s.state.sellers.id[s.state.offers.seller[o]]));
  }
};

// Checks the order of offers and that the group index covers exactly them.
inline void expect_ordered_and_indexed(const TwoPlatforms& m) {
  const Shard& s = m.shard;
  for (std::uint32_t o = 1; o < s.state.offers.size(); ++o) EXPECT_LT(m.key(o - 1), m.key(o)) << "offer " << o;
  std::size_t covered = 0;
  for (std::uint32_t local = 0; local < s.local_categories(); ++local)
    for (std::size_t p = 0; p < s.platforms(); ++p) {
      const std::size_t g = s.group(local, p);
      EXPECT_EQ(s.group_begin(g), covered);
      for (std::uint32_t o = s.group_begin(g); o < s.group_end(g); ++o) {
        EXPECT_EQ(s.state.offers.category[o], m.categories.global(0, local));
        EXPECT_EQ(index(s.state.offers.platform[o]), p);
      }
      covered = s.group_end(g);
    }
  EXPECT_EQ(covered, s.state.offers.size());
}

}  // namespace flywheel::market::testing
