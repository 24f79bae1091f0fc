// The market's kernels on a hand-built shard: matching with stock-outs,
// money moved by a sale, and entry that follows the published signal.

#include <gtest/gtest.h>

#include "flywheel/agents/customers.hpp"
#include "flywheel/market/entry.hpp"
#include "flywheel/market/matching.hpp"
#include "flywheel/market/pricing.hpp"
#include "flywheel/market/ranking.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::market {
namespace {

struct OneCategory {
  Scenario scenario;
  Categories categories;
  std::vector<agents::Platform> platforms;
  std::vector<PlatformTerms> terms;
  Shard shard;
  agents::Customers customers;

  OneCategory()
      : scenario(scenario_from_string(R"(
market: {categories: 1, shards: 1, consideration_set: 4, price_level_spread: 0}
customers: {count: 500, outside_utility: -5, experience_noise: 0}
sellers: {initial_stock_days: 1, initial_sales_rate: 1}
platforms: [{name: p, first_party: {category_share: 0}}]
)")),
        categories(scenario.market, 1),
        platforms{agents::Platform(scenario.platforms[0], PlatformId{0})},
        terms(),
        shard(ShardId{0}, categories, 1, 4),
        customers(scenario.customers, 1, 1, Execution::serial) {
    snapshot_terms(platforms, 500, terms);
  }

  TickContext context(Tick tick = 0) {
    return {
        scenario.seed, tick, &categories, &scenario.customers, &scenario.sellers, &scenario.reviews, scenario.platforms,
        terms,         4,    0.1};
  }
  std::uint32_t add(float quality, std::uint32_t stock) {
    const auto slot = add_seller(shard, context(), {0, 1, quality, 0.5f, 10.0f}, no_platform);
    shard.offers.stock.back() = stock;
    shard.reorder();
    return slot;
  }
  std::vector<Intent> intents(std::size_t n) {
    std::vector<Intent> out(n);
    for (std::size_t i = 0; i < n; ++i)
      out[i] = {make_id<CustomerId>(i),
                0,
                0.0f,
                0.0f,
                PlatformId{0},
                0,
                Outcome::pending,
                customers.price_sensitivity[i],
                customers.delivery_sensitivity[i]};
    return out;
  }
};

TEST(Matching, AStockOutSendsShoppersToTheirNextChoice) {
  OneCategory m;
  m.add(4.0f, 1);    // everyone's favourite, one unit
  m.add(0.0f, 100);  // the next best
  rank_offers(m.shard, m.context());
  auto intents = m.intents(50);
  match_intents(m.shard, intents, m.context());
  std::size_t bought = 0;
  for (const auto& i : intents) bought += i.outcome == Outcome::bought;
  EXPECT_EQ(m.shard.offers.units_today[0] + m.shard.offers.units_today[1], bought);
  EXPECT_EQ(m.shard.offers.units_today[0], 1u);
  EXPECT_EQ(m.shard.offers.stock[0], 0u);
  EXPECT_GT(m.shard.offers.units_today[1], 20u);
  EXPECT_EQ(m.shard.tally[0].visits, 50u);
  EXPECT_EQ(m.shard.tally[0].orders, bought);
}

TEST(Matching, ASaleMovesMoneyToTheSellerAndFeesToThePlatform) {
  OneCategory m;
  const auto s = m.add(2.0f, 5);
  const double cash = m.shard.sellers.cash[s];
  rank_offers(m.shard, m.context());
  auto intents = m.intents(1);
  match_intents(m.shard, intents, m.context());
  ASSERT_EQ(intents[0].outcome, Outcome::bought);
  const double price = m.shard.offers.price[0];
  const auto& t = m.shard.tally[0];
  EXPECT_NEAR(t.fee_revenue, m.terms[0].take_rate * price, 1e-4);
  EXPECT_NEAR(t.gmv, price, 1e-4);
  const double shipping = platform_fulfils(m.shard, 0)
                              ? m.terms[0].fulfilment_fee
                              : m.scenario.sellers.self_ship_cost * m.categories.price_level(0);
  EXPECT_NEAR(m.shard.sellers.cash[s] - cash, price * (1 - m.terms[0].take_rate) - shipping, 1e-4);
  EXPECT_EQ(m.shard.offers.evidence_precision[0] > 0.0f, true);  // the ranker saw the sale
}

TEST(Matching, NoOfferIsAFailedSearch) {
  OneCategory m;
  rank_offers(m.shard, m.context());
  auto intents = m.intents(3);
  match_intents(m.shard, intents, m.context());
  EXPECT_EQ(m.shard.tally[0].failed_searches, 3u);
  EXPECT_EQ(intents[2].outcome, Outcome::no_purchase);
  EXPECT_FLOAT_EQ(intents[2].experience, static_cast<float>(m.scenario.customers.failed_search_experience));
}

TEST(Ranking, ShowsTheTopKInStockOffersOnly) {
  OneCategory m;
  for (int i = 0; i < 6; ++i) m.add(0.0f, i == 2 ? 0u : 10u);
  rank_offers(m.shard, m.context());
  ASSERT_EQ(m.shard.shown_count[0], 4u);
  for (int i = 0; i < 4; ++i) EXPECT_NE(m.shard.shown.offer[static_cast<std::size_t>(i)], 2u);
}

TEST(Entry, EntryRisesWithThePublishedSignal) {
  std::vector<std::size_t> births;
  for (float units : {0.5f, 3.0f, 30.0f}) {
    OneCategory m;
    m.scenario.sellers.entry_pool_rate = 1.0;
    m.add(0.0f, 10);
    std::size_t n = 0;
    for (Tick t = 0; t < 400; ++t) {
      m.shard.signals[0] = {units, 20.0f, 1};
      consider_entry(m.shard, m.context(t));
      n += m.shard.births.size();
      m.shard.births.clear();
    }
    births.push_back(n);
  }
  EXPECT_LT(births[0], births[1]);
  EXPECT_LT(births[1], births[2]);
  EXPECT_GT(births[2], 100u);
}

TEST(Pricing, ASellerWhoseStockSoldOutRaisesItsPriceAtItsReview) {
  OneCategory m;
  const auto s = m.add(0.0f, 0);
  m.shard.offers.sold_out_since_review[0] = 1;
  m.shard.offers.units_since_review[0] = 3;
  const float before = m.shard.offers.price[0];
  const auto interval = m.scenario.sellers.reprice_interval;
  const Tick review_day = static_cast<Tick>(index(m.shard.sellers.id[s]) % interval);
  price_and_restock(m.shard, m.context(review_day));
  EXPECT_GT(m.shard.offers.price[0], before);
  EXPECT_GT(m.shard.offers.stock[0], 0u);  // and its stock mechanism reordered
}

TEST(Pricing, FirstPartyRetailLearnsOnItsOwnCurve) {
  OneCategory m;
  m.scenario.sellers.learning_exponent = 0.0;  // 3P sellers' costs stay put
  m.scenario.platforms[0].first_party.learning_exponent = 0.5;
  m.scenario.platforms[0].first_party.learning_scale = 10.0;
  m.add(0.0f, 10);
  add_seller(m.shard, m.context(), {0, 1, 0.0f, 0.5f, 10.0f}, PlatformId{0});
  m.shard.reorder();
  for (std::uint32_t s = 0; s < m.shard.sellers.size(); ++s) m.shard.sellers.cumulative_units[s] = 30.0f;
  price_and_restock(m.shard, m.context(1));
  for (std::uint32_t s = 0; s < m.shard.sellers.size(); ++s) {
    const bool is_first = m.shard.sellers.owner[s] != no_platform;
    EXPECT_FLOAT_EQ(m.shard.sellers.unit_cost[s], is_first ? 10.0f * 0.5f : 10.0f) << "seller " << s;
  }
}

}  // namespace
}  // namespace flywheel::market
