// The market's kernels on a hand-built shard: matching with stock-outs,
// money moved by a sale, and entry that follows the published signal.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

#include "flywheel/agents/customer_rules.hpp"
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
        shard(ShardId{0}, categories, 1, 4),
        customers(scenario.customers, 1, 1, Execution::serial) {
    snapshot_terms(platforms, 500, terms);
  }

  TickContext context(Tick tick = 0) {
    return {
        scenario.seed, tick, &categories, &scenario.customers, &scenario.sellers, &scenario.reviews, scenario.platforms,
        terms,         4,    0.1,         &scenario.loops};
  }
  std::uint32_t add(float quality, std::uint32_t stock) {
    const auto slot = add_seller(shard, context(), {0, 1, quality, 0.5f, 10.0f}, no_platform);
    shard.state.offers.stock.back() = stock;
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
  EXPECT_EQ(m.shard.state.offers.units_today[0] + m.shard.state.offers.units_today[1], bought);
  EXPECT_EQ(m.shard.state.offers.units_today[0], 1u);
  EXPECT_EQ(m.shard.state.offers.stock[0], 0u);
  EXPECT_GT(m.shard.state.offers.units_today[1], 20u);
  EXPECT_EQ(m.shard.state.tally[0].visits, 50u);
  EXPECT_EQ(m.shard.state.tally[0].orders, bought);
}

TEST(Matching, ASaleMovesMoneyToTheSellerAndFeesToThePlatform) {
  OneCategory m;
  const auto s = m.add(2.0f, 5);
  const double cash = m.shard.state.sellers.cash[s];
  rank_offers(m.shard, m.context());
  auto intents = m.intents(1);
  match_intents(m.shard, intents, m.context());
  ASSERT_EQ(intents[0].outcome, Outcome::bought);
  const double price = m.shard.state.offers.price[0];
  const auto& t = m.shard.state.tally[0];
  EXPECT_NEAR(t.fee_revenue, m.terms[0].take_rate * price, 1e-4);
  EXPECT_NEAR(t.gmv, price, 1e-4);
  const double shipping = platform_fulfils(m.shard, 0)
                              ? m.terms[0].fulfilment_fee
                              : m.scenario.sellers.self_ship_cost * m.categories.price_level(0);
  EXPECT_NEAR(m.shard.state.sellers.cash[s] - cash, price * (1 - m.terms[0].take_rate) - shipping, 1e-4);
  EXPECT_EQ(m.shard.state.offers.evidence_precision[0] > 0.0f, true);  // the ranker saw the sale
}

// The serial twin of the kernel's utility: agents::offer_utility in double,
// on what the shopper sees of the one offer shown (true quality, the shrunk
// rating, the price it pays with any shipping fee, its delivery days, the
// distance to its own taste), must give what the matching kernel computed in
// float. With no experience noise, a purchase's experience is the kernel's
// utility less the outside option's.
TEST(Matching, TheKernelsUtilityIsOfferUtility) {
  auto urng = random::stream(11, 0, 0, 0xC0FFEEu);
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int trial = 0; trial < 40; ++trial) {
    OneCategory m;
    m.scenario.customers.outside_utility = -30.0;  // everyone buys: the experience reveals the utility
    m.terms[0].shipping_fee = 8.0 * uniform(urng);
    m.terms[0].delivery_days = 1.0 + 5.0 * uniform(urng);
    m.terms[0].member_days_saved = 2.0 * uniform(urng);
    m.terms[0].fulfilment_fee = trial % 2 == 0 ? 0.0 : 1e6;  // fulfilled by the platform, or shipped by the seller
    const auto s = m.add(static_cast<float>(normal(urng)), 1000);
    m.shard.state.sellers.variant[s] = static_cast<float>(uniform(urng));
    m.shard.state.offers.price[0] = static_cast<float>(5.0 + 45.0 * uniform(urng));
    m.shard.state.offers.rating_count[0] = static_cast<float>(std::floor(20.0 * uniform(urng)));
    m.shard.state.offers.rating_sum[0] = static_cast<float>(m.shard.state.offers.rating_count[0] * normal(urng));
    rank_offers(m.shard, m.context());
    ASSERT_EQ(m.shard.shown_count[0], 1u);
    // What the shoppers see, before their own reviews change the rating.
    const double price = m.shard.state.offers.price[0];
    const double rating = m.shard.state.offers.rating_sum[0] /
                          (m.shard.state.offers.rating_count[0] + m.scenario.reviews.rating_prior_weight);
    auto intents = m.intents(60);
    for (std::size_t i = 0; i < intents.size(); ++i) intents[i].member = static_cast<std::uint8_t>(i % 2);
    match_intents(m.shard, intents, m.context());

    const auto& cp = m.scenario.customers;
    const auto& sp = m.scenario.sellers;
    const auto& terms = m.terms[0];
    const bool fulfilled = platform_fulfils(m.shard, 0);
    for (const Intent& intent : intents) {
      ASSERT_EQ(intent.outcome, Outcome::bought);
      const bool member = intent.member != 0;
      const auto customer = static_cast<std::uint32_t>(index(intent.customer));
      const double taste = agents::taste_in(
          random::Philox()(agents::taste_counter(customer, intent.category), random::key(m.scenario.seed)));
      const agents::OfferView view{
          m.shard.state.sellers.quality[s],
          rating,
          price + (fulfilled && !member ? terms.shipping_fee : 0.0),
          m.categories.price_level(0),
          fulfilled ? (member ? std::max(0.0, terms.delivery_days - terms.member_days_saved) : terms.delivery_days)
                    : sp.self_ship_days,
          agents::circular_distance(taste, static_cast<double>(m.shard.state.sellers.variant[s]))};
      const agents::Tastes tastes{cp.quality_weight, cp.rating_weight, intent.price_sensitivity,
                                  intent.delivery_sensitivity, cp.taste_weight};
      const double expected = agents::offer_utility(view, tastes);
      const double kernel = static_cast<double>(intent.experience) + cp.outside_utility;
      EXPECT_NEAR(kernel, expected, 1e-4 * (1.0 + std::abs(expected))) << "trial " << trial;
    }
  }
}

TEST(Matching, NoOfferIsAFailedSearch) {
  OneCategory m;
  rank_offers(m.shard, m.context());
  auto intents = m.intents(3);
  match_intents(m.shard, intents, m.context());
  EXPECT_EQ(m.shard.state.tally[0].failed_searches, 3u);
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
      m.shard.state.signals[0] = {units, 20.0f, 1};
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
  m.shard.state.offers.sold_out_since_review[0] = 1;
  m.shard.state.offers.units_since_review[0] = 3;
  const float before = m.shard.state.offers.price[0];
  const auto interval = m.scenario.sellers.reprice_interval;
  const Tick review_day = static_cast<Tick>(index(m.shard.state.sellers.id[s]) % interval);
  price_and_restock(m.shard, m.context(review_day));
  EXPECT_GT(m.shard.state.offers.price[0], before);
  EXPECT_GT(m.shard.state.offers.stock[0], 0u);  // and its stock mechanism reordered
}

TEST(Pricing, FirstPartyRetailLearnsOnItsOwnCurve) {
  OneCategory m;
  m.scenario.sellers.learning_exponent = 0.0;  // 3P sellers' costs stay put
  m.scenario.platforms[0].first_party.learning_exponent = 0.5;
  m.scenario.platforms[0].first_party.learning_scale = 10.0;
  m.add(0.0f, 10);
  add_seller(m.shard, m.context(), {0, 1, 0.0f, 0.5f, 10.0f}, PlatformId{0});
  m.shard.reorder();
  for (std::uint32_t s = 0; s < m.shard.state.sellers.size(); ++s) m.shard.state.sellers.cumulative_units[s] = 30.0f;
  price_and_restock(m.shard, m.context(1));
  for (std::uint32_t s = 0; s < m.shard.state.sellers.size(); ++s) {
    const bool is_first = m.shard.state.sellers.owner[s] != no_platform;
    EXPECT_FLOAT_EQ(m.shard.state.sellers.unit_cost[s], is_first ? 10.0f * 0.5f : 10.0f) << "seller " << s;
  }
}

}  // namespace
}  // namespace flywheel::market
