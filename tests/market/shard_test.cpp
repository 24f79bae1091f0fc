// A shard's bookkeeping (market/src/shard.cpp): offers kept in (category,
// platform, seller id) order with a group index over them, and exits that
// take a seller's offers with it.

#include "flywheel/market/shard.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "two_platforms.hpp"

namespace flywheel::market {
namespace {

using testing::expect_ordered_and_indexed;
using testing::TwoPlatforms;

// Offers as (seller id, platform) -> (category, price, seller's quality): what must survive a reordering.
std::map<std::pair<std::size_t, std::size_t>, std::tuple<std::uint32_t, float, float>> offer_table(const Shard& s) {
  std::map<std::pair<std::size_t, std::size_t>, std::tuple<std::uint32_t, float, float>> out;
  for (std::uint32_t o = 0; o < s.state.offers.size(); ++o) {
    const auto seller = s.state.offers.seller[o];
    out[{index(s.state.sellers.id[seller]), index(s.state.offers.platform[o])}] = {
        s.state.offers.category[o], s.state.offers.price[o], s.state.sellers.quality[seller]};
  }
  return out;
}

TEST(Shard, ReorderSortsOffersByCategoryPlatformAndSellerAndIndexesTheGroups) {
  TwoPlatforms m;
  m.add(4, 0b11, 1.0f);
  m.add(0, 0b10, 2.0f);
  m.add(2, 0b01, 3.0f);
  m.add(0, 0b11, 4.0f);
  m.add(0, 0b01, 5.0f, PlatformId{0});  // 1P
  m.add(4, 0b10, 6.0f);
  const auto before = offer_table(m.shard);
  ASSERT_EQ(m.shard.state.offers.size(), 8u);
  m.shard.reorder();
  expect_ordered_and_indexed(m);
  EXPECT_EQ(offer_table(m.shard), before);  // every column moved with its row
  // Group (category 0, platform 1): the sellers with ids in order.
  const std::size_t g = m.shard.group(0, 1);
  EXPECT_EQ(m.shard.group_end(g) - m.shard.group_begin(g), 2u);
  // Category 2 on platform 1: nobody.
  EXPECT_EQ(m.shard.group_begin(m.shard.group(1, 1)), m.shard.group_end(m.shard.group(1, 1)));
}

TEST(Shard, ReorderOfOrderedOffersChangesNothing) {
  TwoPlatforms m;
  for (std::uint32_t c : {0u, 2u, 4u}) m.add(c, 0b11, static_cast<float>(c));
  m.shard.reorder();
  const auto seller = m.shard.state.offers.seller;
  const auto price = m.shard.state.offers.price;
  m.shard.reorder();
  EXPECT_EQ(m.shard.state.offers.seller, seller);
  EXPECT_EQ(m.shard.state.offers.price, price);
  expect_ordered_and_indexed(m);
}

TEST(Shard, AnExitRemovesTheSellerWithAllItsOffersAndCountsOnlyThirdParty) {
  TwoPlatforms m;
  m.add(0, 0b11, 1.0f);
  const auto leaving = m.add(2, 0b11, 2.0f);  // multi-homing 3P: two offers
  m.add(4, 0b01, 3.0f);
  const auto first_party = m.add(2, 0b10, 4.0f, PlatformId{1});
  m.add(2, 0b01, 5.0f);
  m.shard.reorder();
  const auto gone = {index(m.shard.state.sellers.id[leaving]), index(m.shard.state.sellers.id[first_party])};
  auto expected = offer_table(m.shard);
  std::erase_if(expected,
                [&](const auto& kv) { return std::find(gone.begin(), gone.end(), kv.first.first) != gone.end(); });
  std::vector<std::size_t> surviving_ids;
  for (std::size_t s = 0; s < m.shard.state.sellers.size(); ++s)
    if (s != leaving && s != first_party) surviving_ids.push_back(index(m.shard.state.sellers.id[s]));
  for (auto& t : m.shard.state.tally) t = {};

  m.shard.exits = {first_party, leaving};
  m.shard.remove_closed();

  EXPECT_TRUE(m.shard.exits.empty());
  ASSERT_EQ(m.shard.state.sellers.size(), 3u);
  std::vector<std::size_t> ids;
  for (auto id : m.shard.state.sellers.id) ids.push_back(index(id));
  EXPECT_EQ(ids, surviving_ids);  // survivors keep their order
  EXPECT_EQ(m.shard.state.offers.size(), 4u);
  EXPECT_EQ(offer_table(m.shard), expected);  // the survivors' offers point at their own (moved) rows
  for (std::uint32_t o = 0; o < m.shard.state.offers.size(); ++o)
    EXPECT_EQ(m.shard.state.offers.category[o], m.shard.state.sellers.category[m.shard.state.offers.seller[o]]);
  expect_ordered_and_indexed(m);
  EXPECT_EQ(m.shard.state.tally[0].exits, 1u);  // the 3P seller's two offers; the 1P seller is not counted
  EXPECT_EQ(m.shard.state.tally[1].exits, 1u);
}

TEST(Shard, NoExitsLeavesTheShardAlone) {
  TwoPlatforms m;
  m.add(0, 0b11, 1.0f);
  m.shard.reorder();
  const auto before = offer_table(m.shard);
  m.shard.remove_closed();
  EXPECT_EQ(offer_table(m.shard), before);
  EXPECT_EQ(m.shard.state.tally[0].exits + m.shard.state.tally[1].exits, 0u);
}

TEST(Shard, SellerIdsAreUniqueAcrossShards) {
  TwoPlatforms m;
  Shard other(ShardId{1}, m.categories, 2, 4);
  std::vector<std::size_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(index(m.shard.next_seller_id()));
    ids.push_back(index(other.next_seller_id()));
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

}  // namespace
}  // namespace flywheel::market
