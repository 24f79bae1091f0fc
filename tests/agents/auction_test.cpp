// The sponsored positions' auction: winners and prices by the GSP rule on
// hand-made cases, and its properties on random ones against a brute-force
// sort.

#include "flywheel/agents/auction.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/random/uniform_real_distribution.hpp>
#include <numeric>
#include <vector>

#include "flywheel/engine/random.hpp"

namespace flywheel::agents {
namespace {

std::vector<SponsoredWin> run(const std::vector<float>& bids, const std::vector<float>& relevance, std::uint32_t slots,
                              double reserve) {
  std::vector<SponsoredWin> wins(max_sponsored_slots);
  wins.resize(sponsored_auction(bids, relevance, slots, reserve, wins));
  return wins;
}

TEST(SponsoredAuction, EqualRelevanceIsASecondPriceLadder) {
  const auto wins = run({1.0f, 2.0f, 3.0f}, {1.0f, 1.0f, 1.0f}, 2, 0.1);
  ASSERT_EQ(wins.size(), 2u);
  EXPECT_EQ(wins[0].bidder, 2u);
  EXPECT_DOUBLE_EQ(wins[0].price_per_click, 2.0);  // the next bid
  EXPECT_EQ(wins[1].bidder, 1u);
  EXPECT_DOUBLE_EQ(wins[1].price_per_click, 1.0);  // the best loser's bid
}

TEST(SponsoredAuction, RelevanceWeighsTheBidAndDiscountsThePrice) {
  // Ad ranks 4 x 0.25 = 1 and 2 x 1 = 2: the lower bid wins the top slot.
  const auto wins = run({4.0f, 2.0f}, {0.25f, 1.0f}, 2, 0.1);
  ASSERT_EQ(wins.size(), 2u);
  EXPECT_EQ(wins[0].bidder, 1u);
  EXPECT_DOUBLE_EQ(wins[0].price_per_click, 1.0);  // rank 1 below it, over its relevance 1
  EXPECT_EQ(wins[1].bidder, 0u);
  EXPECT_DOUBLE_EQ(wins[1].price_per_click, 0.1);  // no one below: the reserve
}

TEST(SponsoredAuction, TheReserveKeepsLowBidsOutAndPricesTheLast) {
  const auto wins = run({0.05f, 1.0f, 0.5f}, {1.0f, 0.5f, 0.0f}, 3, 0.1);
  ASSERT_EQ(wins.size(), 1u);  // 0.05 is below the reserve; relevance 0 never shows
  EXPECT_EQ(wins[0].bidder, 1u);
  EXPECT_DOUBLE_EQ(wins[0].price_per_click, 0.1);
  EXPECT_TRUE(run({1.0f}, {1.0f}, 0, 0.1).empty());
}

TEST(SponsoredAuction, TiesGoToTheLowerIndexAtTheSharedBid) {
  const auto wins = run({1.0f, 1.0f, 1.0f}, {1.0f, 1.0f, 1.0f}, 1, 0.1);
  ASSERT_EQ(wins.size(), 1u);
  EXPECT_EQ(wins[0].bidder, 0u);
  EXPECT_DOUBLE_EQ(wins[0].price_per_click, 1.0);
}

// On random auctions: the winners are the highest ad ranks in order, each
// pays between the reserve and its bid, and exactly the next ad rank over
// its relevance when that is above the reserve.
TEST(SponsoredAuction, RandomAuctionsFollowTheRule) {
  auto urng = random::stream(5, 0, 0, 0xAD5u);
  boost::random::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  for (int trial = 0; trial < 500; ++trial) {
    const std::uint32_t n = 1 + static_cast<std::uint32_t>(uniform(urng) * 40.0f);
    const std::uint32_t slots = static_cast<std::uint32_t>(uniform(urng) * 6.0f);
    const double reserve = 0.2 * uniform(urng);
    std::vector<float> bids(n), relevance(n);
    for (std::uint32_t j = 0; j < n; ++j) bids[j] = uniform(urng), relevance[j] = uniform(urng);
    std::vector<std::uint32_t> order;
    for (std::uint32_t j = 0; j < n; ++j)
      if (bids[j] >= reserve && relevance[j] > 0.0f) order.push_back(j);
    const auto rank = [&](std::uint32_t j) { return static_cast<double>(bids[j]) * relevance[j]; };
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return rank(a) > rank(b); });
    const auto wins = run(bids, relevance, slots, reserve);
    ASSERT_EQ(wins.size(), std::min<std::size_t>(slots, order.size())) << "trial " << trial;
    for (std::size_t i = 0; i < wins.size(); ++i) {
      const auto b = wins[i].bidder;
      EXPECT_EQ(b, order[i]) << "trial " << trial << " slot " << i;
      EXPECT_GE(wins[i].price_per_click, reserve);
      EXPECT_LE(wins[i].price_per_click, bids[b]);
      const double next = i + 1 < order.size() ? rank(order[i + 1]) / relevance[b] : reserve;
      EXPECT_NEAR(wins[i].price_per_click, std::max(reserve, next), 1e-12);
    }
  }
}

}  // namespace
}  // namespace flywheel::agents
