// The market's kernels on a hand-built shard: matching (what the shopper
// sees and what a purchase reveals, attention down the list, stock-outs,
// returns, what the ranker learns), money moved by a sale, the candidate
// pool, and entry that follows the published signal. Random behaviour is
// checked over several seeds against its expectation.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "flywheel/agents/customer_rules.hpp"
#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/taste.hpp"
#include "flywheel/market/entry.hpp"
#include "flywheel/market/matching.hpp"
#include "flywheel/market/pricing.hpp"
#include "flywheel/market/ranking.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::market {
namespace {

constexpr std::uint64_t seeds[] = {1, 2, 3, 4};

// Expects `hits` of `n` trials to agree with chance p within z standard errors.
void expect_binomial(std::size_t hits, std::size_t n, double p, double z = 4.5) {
  const double expected = p * static_cast<double>(n);
  const double sd = std::sqrt(static_cast<double>(n) * p * (1.0 - p));
  EXPECT_NEAR(static_cast<double>(hits), expected, z * sd + 0.5) << hits << " of " << n << ", chance " << p;
}

struct OneCategory {
  Scenario scenario;
  Categories categories;
  std::vector<agents::Platform> platforms;
  std::vector<PlatformTerms> terms;
  Shard shard;
  agents::Customers customers;

  explicit OneCategory(std::uint64_t seed = 1)
      : scenario(scenario_from_string("seed: " + std::to_string(seed) + R"(
market: {categories: 1, shards: 1, consideration_set: 4, price_level_spread: 0}
customers: {count: 4000, outside_utility: -5, experience_noise: 0}
sellers: {initial_stock_days: 1, initial_sales_rate: 1}
platforms: [{name: p, first_party: {category_share: 0}}]
)")),
        categories(scenario.market, 1),
        platforms{agents::Platform(scenario.platforms[0], PlatformId{0})},
        shard(ShardId{0}, categories, 1, scenario.platforms[0].ranker.candidates),
        customers(scenario.customers, 1, seed, Execution::serial) {
    snapshot_terms(platforms, 500, terms);
  }

  TickContext context(Tick tick = 0) {
    return {scenario.seed,
            tick,
            &categories,
            &scenario.customers,
            &scenario.sellers,
            &scenario.reviews,
            scenario.platforms,
            terms,
            scenario.market.consideration_set,
            0.1,
            &scenario.loops};
  }
  // A 3P seller and its offer (offer o is seller o: they are added in id order).
  std::uint32_t add(float quality, std::uint32_t stock, float variant = 0.5f) {
    const auto slot = add_seller(shard, context(), {0, 1, quality, variant, 10.0f}, no_platform);
    shard.state.offers.stock.back() = stock;
    shard.reorder();
    return slot;
  }
  // Reviews whose stars say `mean` of quality (before the prior's shrinkage) on `count` reviews.
  void rate(std::uint32_t o, float mean, float count) {
    shard.state.offers.rating_count[o] = count;
    shard.state.offers.rating_sum[o] =
        count * static_cast<float>(agents::middle_stars + mean / scenario.reviews.star_width);
  }
  // What the ranker has learnt of offer o: an estimate `mean` worth `precision`.
  void know(std::uint32_t o, float mean, float precision) {
    shard.state.offers.evidence_precision[o] = precision;
    shard.state.offers.evidence_sum[o] = mean * (precision + static_cast<float>(terms[0].ranker_prior_precision));
  }
  // n intents, customers first..first + n - 1, each with its own style and an empty taste profile.
  std::vector<Intent> intents(std::size_t n, std::size_t first = 0) const {
    std::vector<Intent> out(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t c = first + i;
      out[i] = {make_id<CustomerId>(c),
                0,
                0.0f,
                0.0f,
                PlatformId{0},
                0,
                Outcome::pending,
                customers.price_sensitivity[c],
                customers.delivery_sensitivity[c],
                static_cast<float>(agents::style_of(scenario.seed, static_cast<std::uint32_t>(c))),
                0};
    }
    return out;
  }
  // The shopper's true taste in category 0, as the kernel draws it.
  [[nodiscard]] double taste(const Intent& intent) const {
    const auto customer = static_cast<std::uint32_t>(index(intent.customer));
    const auto draw = random::Philox()(agents::taste_counter(customer, intent.category), random::key(scenario.seed));
    return static_cast<float>(
        agents::taste_in(intent.style, scenario.customers.taste_spread, agents::taste_draw(draw)));
  }
  // What the shopper pays for offer o and waits for it.
  [[nodiscard]] double paid(std::uint32_t o, bool member) const {
    return shard.state.offers.price[o] + (platform_fulfils(shard, o) && !member ? terms[0].shipping_fee : 0.0);
  }
  [[nodiscard]] double days(std::uint32_t o, bool member) const {
    if (!platform_fulfils(shard, o)) return scenario.sellers.self_ship_days;
    return member ? std::max(0.0, terms[0].delivery_days - terms[0].member_days_saved) : terms[0].delivery_days;
  }
  // offer_utility with quality `quality` and fit `distance`, for this shopper.
  [[nodiscard]] double utility(const Intent& intent, std::uint32_t o, double quality, double distance) const {
    const auto& cp = scenario.customers;
    const bool member = intent.member != 0;
    return agents::offer_utility(
        {quality, paid(o, member), categories.price_level(0), days(o, member), distance},
        {cp.quality_weight, intent.price_sensitivity, intent.delivery_sensitivity, cp.taste_weight});
  }
  // What the shopper expects of offer o before buying, with no fit noise: the displayed rating, its true fit.
  [[nodiscard]] double perceived(const Intent& intent, std::uint32_t o) const {
    const double rating = rating_promise(shard.state.offers, o, scenario.reviews);
    const double variant = shard.state.sellers.variant[shard.state.offers.seller[o]];
    return utility(intent, o, rating, agents::circular_distance(taste(intent), variant));
  }
};

// Matches the intents one kernel call each and returns the offer each bought
// (kept or returned), or -1: the one whose 3P seller's cash moved (it pays
// its shipping on every sale, returned or not).
std::vector<int> match_one_by_one(OneCategory& m, std::vector<Intent>& intents, Tick tick = 0) {
  std::vector<int> bought;
  const auto& cash = m.shard.state.sellers.cash;
  for (Intent& intent : intents) {
    const std::vector<double> before = cash;
    match_intents(m.shard, {&intent, 1}, m.context(tick));
    int which = -1;
    for (std::uint32_t o = 0; o < m.shard.state.offers.size(); ++o)
      if (cash[m.shard.state.offers.seller[o]] != before[m.shard.state.offers.seller[o]]) which = static_cast<int>(o);
    EXPECT_EQ(which >= 0, intent.outcome != Outcome::no_purchase);
    bought.push_back(which);
  }
  return bought;
}

std::uint64_t purchases(const agents::PlatformTally& t) { return t.orders + t.returns; }

TEST(Matching, ASoldOutOfferLeavesLaterShoppersLists) {
  for (const std::uint64_t seed : seeds) {
    OneCategory m(seed);
    m.scenario.customers.attention = 0.0;  // every shopper examines the first offer of its list only
    m.add(0.0f, 1);                        // everyone's favourite by its rating, one unit
    m.add(0.0f, 100);                      // the next best
    m.rate(0, 4.0f, 100.0f);
    auto intents = m.intents(50);
    match_intents(m.shard, intents, m.context());
    std::size_t bought = 0;
    for (const auto& i : intents) bought += i.outcome == Outcome::bought;
    const auto& t = m.shard.state.tally[0];
    EXPECT_EQ(t.returns, 0u);
    EXPECT_EQ(m.shard.state.offers.units_today[0] + m.shard.state.offers.units_today[1], bought);
    EXPECT_EQ(m.shard.state.offers.units_today[0], 1u);
    EXPECT_EQ(m.shard.state.offers.stock[0], 0u);
    // Looking at one position only, they could buy offer 1 only once offer 0 had left their lists.
    EXPECT_GT(m.shard.state.offers.units_today[1], 20u);
    EXPECT_EQ(t.position_sum, bought);
    EXPECT_EQ(t.visits, 50u);
    EXPECT_EQ(t.listed_visits, 50u);
    EXPECT_EQ(t.orders, bought);
    EXPECT_EQ(t.failed_searches, 50u - bought);
  }
}

TEST(Matching, ASaleMovesMoneyToTheSellerAndFeesToThePlatform) {
  OneCategory m;
  m.scenario.customers.outside_utility = -30.0;  // the shopper buys
  const auto s = m.add(2.0f, 5);
  const double cash = m.shard.state.sellers.cash[s];
  auto intents = m.intents(1);
  match_intents(m.shard, intents, m.context());
  ASSERT_EQ(intents[0].outcome, Outcome::bought);
  const double price = m.shard.state.offers.price[0];
  const auto& t = m.shard.state.tally[0];
  EXPECT_NEAR(t.fee_revenue, m.terms[0].take_rate * price, 1e-4);
  EXPECT_NEAR(t.gmv, price, 1e-4);
  EXPECT_NEAR(intents[0].paid, m.paid(0, false), 1e-4);
  const double shipping = platform_fulfils(m.shard, 0)
                              ? m.terms[0].fulfilment_fee
                              : m.scenario.sellers.self_ship_cost * m.categories.price_level(0);
  EXPECT_NEAR(m.shard.state.sellers.cash[s] - cash, price * (1 - m.terms[0].take_rate) - shipping, 1e-4);
  EXPECT_EQ(m.shard.state.offers.stock[0], 4u);
  EXPECT_EQ(m.shard.state.offers.evidence_precision[0] > 0.0f, true);  // the ranker saw the sale
}

// The serial twin of the purchase's experience: agents::offer_utility in
// double, on what the purchase reveals of the one offer listed (its TRUE
// quality, the price the shopper pays with any shipping fee, its delivery
// days, the TRUE distance to the shopper's taste), must give what the
// matching kernel computed in float, whatever the displayed rating promised.
// With no experience noise, the experience is that utility less the outside
// option's.
TEST(Matching, APurchasesExperienceIsOfferUtilityWithTheTruth) {
  auto urng = random::stream(11, 0, 0, 0xC0FFEEu);
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int trial = 0; trial < 40; ++trial) {
    OneCategory m(static_cast<std::uint64_t>(trial % 4) + 1);
    m.scenario.customers.outside_utility = -30.0;  // everyone buys and keeps it: the experience reveals the utility
    m.scenario.customers.taste_spread = uniform(urng);
    m.terms[0].shipping_fee = 8.0 * uniform(urng);
    m.terms[0].delivery_days = 1.0 + 5.0 * uniform(urng);
    m.terms[0].member_days_saved = 2.0 * uniform(urng);
    m.terms[0].fulfilment_fee = trial % 2 == 0 ? 0.0 : 1e6;  // fulfilled by the platform, or shipped by the seller
    const auto s = m.add(static_cast<float>(normal(urng)), 1000, static_cast<float>(uniform(urng)));
    m.shard.state.offers.price[0] = static_cast<float>(5.0 + 45.0 * uniform(urng));
    m.rate(0, static_cast<float>(3.0 * normal(urng)), static_cast<float>(std::floor(20.0 * uniform(urng))));
    auto intents = m.intents(60);
    for (std::size_t i = 0; i < intents.size(); ++i) intents[i].member = static_cast<std::uint8_t>(i % 2);
    match_intents(m.shard, intents, m.context());

    const double quality = m.shard.state.sellers.quality[s];
    const double variant = m.shard.state.sellers.variant[s];
    for (const Intent& intent : intents) {
      ASSERT_EQ(intent.outcome, Outcome::bought);
      const double expected = m.utility(intent, 0, quality, agents::circular_distance(m.taste(intent), variant));
      const double kernel = static_cast<double>(intent.experience) + m.scenario.customers.outside_utility;
      EXPECT_NEAR(kernel, expected, 1e-4 * (1.0 + std::abs(expected))) << "trial " << trial;
    }
    const auto& t = m.shard.state.tally[0];
    EXPECT_EQ(t.orders, intents.size());
    EXPECT_EQ(t.position_sum, intents.size());
  }
}

// Choices follow what the shopper sees: for a shopper who examines the whole
// list, each offer's sales match the logit over the perceived utilities (the
// displayed rating, the price paid, delivery, its impression of the fit),
// summed over shoppers. An impression of fit is the true distance plus
// fit_noise x a triangular error in (-1, 1), at least 0: with fit_noise the
// expectation is taken over those errors (by simulation), and differs from
// the exact fit's. The true qualities are set against the ratings, so
// choosing by them would miss by far.
TEST(Matching, ChoicesFollowThePerceivedUtility) {
  for (const std::uint64_t seed : seeds) {
    for (const double fit_noise : {0.0, 0.5}) {
      OneCategory m(seed);
      auto& cp = m.scenario.customers;
      cp.fit_noise = fit_noise;
      cp.taste_weight = 8.0;  // fit matters, and so do the impressions' errors
      cp.attention = 1.0;
      cp.outside_utility = -1.0;
      cp.return_cost = 20.0;  // nothing comes back: sales count choices
      m.scenario.reviews.probability = 0.0;
      m.scenario.loops.data = false;  // the pool is the same for every shopper
      const std::vector<float> quality{3.0f, 0.0f, -3.0f};
      const std::vector<float> rating{-1.0f, 0.5f, 2.0f};
      const std::vector<float> variant{0.2f, 0.5f, 0.8f};
      for (std::uint32_t o = 0; o < 3; ++o) {
        m.add(quality[o], 1u << 20, variant[o]);
        m.rate(o, rating[o], 10.0f);
      }
      m.shard.state.offers.price[1] *= 1.3f;
      cp.taste_spread = 0.0;  // a shopper's taste is its style: half of them right on offer 1's variant
      auto intents = m.intents(3000);
      for (std::size_t i = 0; i < intents.size(); ++i) {
        intents[i].member = static_cast<std::uint8_t>(i % 3 == 0);
        if (i % 2 == 0) intents[i].style = variant[1];
      }

      // Expected sales of each offer and of nothing: by the perceived utilities
      // (with the impressions' errors), with exact impressions, by the true utilities.
      auto urng = random::stream(seed, 0, 0, 0xF17u);
      boost::random::uniform_real_distribution<double> uniform(0.0, 1.0);
      const int draws = fit_noise > 0.0 ? 256 : 1;
      std::vector<double> mean(4, 0.0), variance(4, 0.0), exact(4, 0.0), by_truth(4, 0.0);
      const auto add_logit = [&](std::vector<double>& to, const std::vector<double>& u, double scale) {
        double total = std::exp(cp.outside_utility);
        for (const double x : u) total += std::exp(x);
        for (std::size_t j = 0; j < 3; ++j) to[j] += scale * std::exp(u[j]) / total;
        to[3] += scale * std::exp(cp.outside_utility) / total;
      };
      for (const Intent& intent : intents) {
        std::vector<double> distance(3), seen(3), truth(3), noisy(3), p(4, 0.0);
        for (std::uint32_t o = 0; o < 3; ++o) {
          distance[o] = agents::circular_distance(m.taste(intent), static_cast<double>(variant[o]));
          seen[o] = m.perceived(intent, o);
          truth[o] = m.utility(intent, o, quality[o], distance[o]);
        }
        for (int d = 0; d < draws; ++d) {
          for (std::uint32_t o = 0; o < 3; ++o) {
            const double error = uniform(urng) + uniform(urng) - 1.0;
            noisy[o] = seen[o] + cp.taste_weight * (distance[o] - std::max(0.0, distance[o] + fit_noise * error));
          }
          add_logit(p, noisy, 1.0 / draws);
        }
        for (std::size_t j = 0; j < 4; ++j) {
          mean[j] += p[j];
          variance[j] += p[j] * (1.0 - p[j]);
        }
        add_logit(exact, seen, 1.0);
        add_logit(by_truth, truth, 1.0);
      }
      match_intents(m.shard, intents, m.context());
      const auto& t = m.shard.state.tally[0];
      ASSERT_EQ(t.returns, 0u);
      std::vector<double> got(4);
      for (std::uint32_t o = 0; o < 3; ++o) got[o] = m.shard.state.offers.units_today[o];
      got[3] = static_cast<double>(t.failed_searches);
      double noise_shows = 0.0;
      for (std::size_t j = 0; j < 4; ++j) {
        EXPECT_NEAR(got[j], mean[j], 4.5 * std::sqrt(variance[j]) + 0.5)
            << "seed " << seed << ", fit noise " << fit_noise << ", choice " << j;
        noise_shows = std::max(noise_shows, std::abs(exact[j] - mean[j]) / std::sqrt(variance[j]));
      }
      for (const std::size_t j : {0u, 2u})
        EXPECT_GT(std::abs(by_truth[j] - mean[j]), 10.0 * std::sqrt(variance[j])) << "the test could not tell";
      if (fit_noise > 0.0) {
        EXPECT_GT(noise_shows, 8.0) << "the test could not tell the impressions' errors";
      }
    }
  }
}

// Two markets that differ only in the offers' true quality (ratings, prices,
// the ranker's evidence all equal) give every shopper the same list and the
// same choice: true quality is read only once bought, in the experience.
TEST(Matching, TheShopperNeverReadsTrueQualityBeforeBuying) {
  for (const std::uint64_t seed : seeds) {
    std::vector<std::vector<int>> choices;
    std::vector<std::vector<Intent>> outcomes;
    std::vector<agents::PlatformTally> tallies;
    for (const float sign : {1.0f, -1.0f}) {
      OneCategory m(seed);
      m.scenario.customers.experience_noise = 0.5;
      m.scenario.reviews.probability = 0.0;  // no new review changes what later shoppers see
      m.scenario.loops.data = false;         // nor what the ranker estimates
      for (std::uint32_t o = 0; o < 6; ++o) {
        m.add(sign * (static_cast<float>(o) - 2.5f) * 4.0f, 1u << 20, 0.15f * static_cast<float>(o));
        m.rate(o, 0.3f * static_cast<float>(o % 3), 5.0f);
        m.know(o, 0.1f * static_cast<float>(o), 4.0f);
      }
      auto intents = m.intents(600);
      for (std::size_t i = 0; i < intents.size(); ++i) {
        intents[i].member = static_cast<std::uint8_t>(i % 2);
        intents[i].taste_profile = agents::TasteProfile().learnt(0.1 * static_cast<double>(i % 10)).bits();
      }
      choices.push_back(match_one_by_one(m, intents));
      outcomes.push_back(intents);
      tallies.push_back(m.shard.state.tally[0]);
    }
    EXPECT_EQ(choices[0], choices[1]) << "seed " << seed;
    EXPECT_EQ(purchases(tallies[0]), purchases(tallies[1]));
    EXPECT_EQ(tallies[0].position_sum, tallies[1].position_sum);
    EXPECT_GT(purchases(tallies[0]), 100u);
    // The truth shows after the purchase: experiences and returns differ.
    std::size_t differ = 0;
    for (std::size_t i = 0; i < outcomes[0].size(); ++i)
      differ += choices[0][i] >= 0 && outcomes[0][i].experience != outcomes[1][i].experience;
    EXPECT_GT(differ, purchases(tallies[0]) / 2);
    EXPECT_NE(tallies[0].returns, tallies[1].returns);
  }
}

TEST(Matching, NoOfferIsAFailedSearch) {
  OneCategory m;
  auto intents = m.intents(3);
  match_intents(m.shard, intents, m.context());
  EXPECT_EQ(m.shard.state.tally[0].failed_searches, 3u);
  EXPECT_EQ(m.shard.state.tally[0].listed_visits, 0u);
  EXPECT_EQ(intents[2].outcome, Outcome::no_purchase);
  EXPECT_FLOAT_EQ(intents[2].experience, static_cast<float>(m.scenario.customers.failed_search_experience));
}

// Four offers a shopper cannot tell apart, ranked by the ranker's evidence.
OneCategory equal_offers(std::uint64_t seed, double attention) {
  OneCategory m(seed);
  m.scenario.customers.attention = attention;
  m.scenario.customers.outside_utility = -30.0;  // a shopper buys one of what it examines
  m.scenario.loops.data = false;
  for (std::uint32_t o = 0; o < 4; ++o) {
    m.add(0.0f, 1u << 20);
    m.know(o, 0.5f * static_cast<float>(o), 10.0f);  // listed 3, 2, 1, 0
  }
  return m;
}

// Where the purchase of one of n equal offers falls under the cascade: the
// shopper examines d positions with P(d) from attention, and buys each of
// them alike. Returns the mean position (from 1) and its variance.
std::pair<double, double> cascade_position(double attention, std::uint32_t n) {
  std::vector<double> depth(n + 1, 0.0);  // P(examines exactly d)
  double reach = 1.0;
  for (std::uint32_t d = 1; d <= n; ++d) {
    depth[d] = d < n ? reach * (1.0 - attention) : reach;
    reach *= attention;
  }
  double mean = 0.0, square = 0.0;
  for (std::uint32_t j = 1; j <= n; ++j) {
    double p = 0.0;  // P(buys at position j)
    for (std::uint32_t d = j; d <= n; ++d) p += depth[d] / d;
    mean += p * j;
    square += p * j * j;
  }
  return {mean, square - mean * mean};
}

TEST(Matching, WithLittleAttentionPurchasesConcentrateOnTheFirstPosition) {
  constexpr std::size_t n = 2000;
  for (const std::uint64_t seed : seeds) {
    for (const double attention : {0.05, 0.5, 1.0}) {
      OneCategory m = equal_offers(seed, attention);
      auto intents = m.intents(n);
      match_intents(m.shard, intents, m.context());
      const auto& t = m.shard.state.tally[0];
      ASSERT_EQ(purchases(t), n);
      const double mean = static_cast<double>(t.position_sum) / static_cast<double>(n);
      const auto [expected, variance] = cascade_position(attention, 4);
      EXPECT_NEAR(mean, expected, 4.5 * std::sqrt(variance / n) + 1e-9)
          << "seed " << seed << ", attention " << attention;
      if (attention < 0.1) {
        EXPECT_LT(mean, 1.06);
      }
    }
  }
}

// Of two offers a shopper cannot tell apart, the one the ranker lists first
// sells 1 - attention / 2 of their units (everyone sees it, a share
// `attention` sees both and splits evenly), whichever offer it is.
TEST(Matching, WhatIsRankedFirstSellsMore) {
  for (const std::uint64_t seed : seeds) {
    for (const double attention : {0.3, 0.6}) {
      for (const std::uint32_t first : {0u, 1u}) {
        OneCategory m(seed);
        m.scenario.customers.attention = attention;
        m.scenario.customers.outside_utility = -30.0;
        m.scenario.loops.data = false;
        m.add(0.0f, 1u << 20);
        m.add(0.0f, 1u << 20);
        m.know(first, 1.0f, 10.0f);
        auto intents = m.intents(3000);
        match_intents(m.shard, intents, m.context());
        const auto& units = m.shard.state.offers.units_today;
        ASSERT_EQ(units[0] + units[1], intents.size());
        expect_binomial(units[first], intents.size(), 1.0 - attention / 2.0);
      }
    }
  }
}

// Buyers of offers of every quality: the stars written are J-shaped with
// self-selection (more 1s and 5s than a normal curve with their mean and
// spread gives), and every buyer writes with the same chance without it.
TEST(Matching, StarsWrittenAreSkewedBySelfSelection) {
  const std::array<double, 6> cut{-1e9, 1.5, 2.5, 3.5, 4.5, 1e9};
  for (const std::uint64_t seed : seeds) {
    for (const double extremity : {3.0, 0.0}) {
      OneCategory m(seed);
      m.scenario.reviews.extremity = extremity;
      m.scenario.reviews.probability = 0.1;
      m.scenario.customers.outside_utility = -30.0;  // everyone buys
      m.scenario.customers.return_cost = 100.0;      // and keeps it
      m.add(1.0f, 1u << 20);
      auto intents = m.intents(4000);
      match_intents(m.shard, intents, m.context());
      auto& t = m.shard.state.tally[0];
      std::array<double, 5> h{};
      double n = 0.0;
      for (int s = 1; s <= 5; ++s) n += h[s - 1] = static_cast<double>(t.reviews_of(s));
      ASSERT_EQ(purchases(t), intents.size());
      if (extremity == 0.0) {
        expect_binomial(static_cast<std::uint64_t>(n), intents.size(), 0.1);
        continue;
      }
      double mean = 0.0, var = 0.0;
      for (int s = 1; s <= 5; ++s) mean += s * h[s - 1] / n;
      for (int s = 1; s <= 5; ++s) var += (s - mean) * (s - mean) * h[s - 1] / n;
      const auto normal_share = [&](int s) {
        const auto cdf = [&](double x) { return 0.5 * std::erfc(-(x - mean) / std::sqrt(2.0 * var)); };
        return cdf(cut[s]) - cdf(cut[s - 1]);
      };
      EXPECT_GT(h[0] / n, normal_share(1)) << "seed " << seed;
      EXPECT_GT(h[4] / n, normal_share(5)) << "seed " << seed;
      EXPECT_LT(h[2] / n, normal_share(3)) << "seed " << seed;  // the lukewarm keep quiet
    }
  }
}

// A glowing rating on a terrible product: it sells, disappoints, comes back.
TEST(Matching, ABadPurchaseIsReturnedAndRefunded) {
  for (const std::uint64_t seed : seeds) {
    OneCategory m(seed);
    const auto s = m.add(-20.0f, 1000);
    m.rate(0, 4.0f, 50.0f);
    const double cash = m.shard.state.sellers.cash[s];
    auto intents = m.intents(200);
    for (std::size_t i = 0; i < intents.size(); ++i)
      intents[i].taste_profile = agents::TasteProfile().learnt(0.01 * static_cast<double>(i)).bits();
    const auto before = intents;
    match_intents(m.shard, intents, m.context());

    const auto& cp = m.scenario.customers;
    const auto& t = m.shard.state.tally[0];
    std::size_t returned = 0;
    for (std::size_t i = 0; i < intents.size(); ++i) {
      const Intent& intent = intents[i];
      if (intent.outcome == Outcome::no_purchase) continue;
      ASSERT_EQ(intent.outcome, Outcome::returned);
      ++returned;
      // The price comes back; a shipping fee, which the seller's own shipping never charges, would stay paid.
      const double shipping_fee = platform_fulfils(m.shard, 0) && intent.member == 0 ? m.terms[0].shipping_fee : 0.0;
      EXPECT_NEAR(intent.paid, shipping_fee, 1e-4);
      EXPECT_FLOAT_EQ(intent.experience, static_cast<float>(cp.failed_search_experience - cp.return_cost));
      EXPECT_EQ(intent.taste_profile, before[i].taste_profile) << "a returned purchase teaches no taste";
    }
    EXPECT_GT(returned, 150u) << "the rating sells it";
    EXPECT_EQ(t.returns, returned);
    EXPECT_EQ(t.orders, 0u);
    EXPECT_EQ(t.units_3p, 0u);
    EXPECT_NEAR(t.gmv, 0.0, 1e-6);
    EXPECT_NEAR(t.fee_revenue, 0.0, 1e-6);
    EXPECT_NEAR(t.value_3p, 0.0, 1e-6);
    EXPECT_LT(t.experience_sum, static_cast<double>(returned) * (cp.failed_search_experience - cp.return_cost));
    EXPECT_EQ(m.shard.state.offers.stock[0], 1000u);
    EXPECT_EQ(m.shard.state.offers.units_today[0], 0u);
    EXPECT_EQ(m.shard.state.offers.units_since_review[0], 0u);
    EXPECT_EQ(m.shard.state.offers.sold_out_since_review[0], 0u) << "no stock-out happened";
    // The seller refunds the price net of the fee and has paid the shipping of each.
    const double shipping = platform_fulfils(m.shard, 0)
                                ? m.terms[0].fulfilment_fee
                                : m.scenario.sellers.self_ship_cost * m.categories.price_level(0);
    EXPECT_NEAR(m.shard.state.sellers.cash[s] - cash, -static_cast<double>(returned) * shipping, 1e-3);
    // The ranker learns from returns too: the offer's estimate falls.
    const auto est = estimate_quality(m.shard.state.offers.evidence_sum[0], m.shard.state.offers.evidence_precision[0],
                                      quality_prior(m.shard, m.terms[0], 0));
    EXPECT_LT(est.mean, -5.0);
  }
}

// With no surprise in the experience, a purchase comes back exactly when its
// true utility, against the outside option, is worse than a failed search
// less the hassle of returning it.
TEST(Matching, APurchaseIsReturnedExactlyWhenItDisappointsBeyondTheReturnCost) {
  for (const std::uint64_t seed : seeds) {
    OneCategory m(seed);
    m.scenario.loops.data = false;  // the ranker keeps listing the bad offers
    const auto& cp = m.scenario.customers;
    for (std::uint32_t o = 0; o < 8; ++o) {
      m.add(-7.0f + static_cast<float>(o), 1u << 20, 0.125f * static_cast<float>(o));
      m.rate(o, 2.0f, 10.0f);
    }
    auto intents = m.intents(1000);
    const auto bought = match_one_by_one(m, intents);
    const double below = cp.failed_search_experience - cp.return_cost;
    std::size_t returned = 0, kept = 0;
    for (std::size_t i = 0; i < intents.size(); ++i) {
      if (bought[i] < 0) continue;
      const auto o = static_cast<std::uint32_t>(bought[i]);
      const auto s = m.shard.state.offers.seller[o];
      const double realised =
          m.utility(
              intents[i], o, m.shard.state.sellers.quality[s],
              agents::circular_distance(m.taste(intents[i]), static_cast<double>(m.shard.state.sellers.variant[s]))) -
          cp.outside_utility;
      if (std::abs(realised - below) < 1e-3) continue;
      EXPECT_EQ(intents[i].outcome, realised < below ? Outcome::returned : Outcome::bought) << "shopper " << i;
      if (realised >= below) {
        EXPECT_NEAR(intents[i].experience, realised, 1e-3 * (1.0 + std::abs(realised)));
      }
      (realised < below ? returned : kept) += 1;
    }
    EXPECT_GT(returned, 50u);
    EXPECT_GT(kept, 50u);
  }
}

// A ranker that does not trust reviews learns from its sales signals alone:
// each purchase adds exactly one signal's precision, reviews or not.
// The ranker's prior is what the platform learnt of its recent offers as a
// whole: 3P offers of true mean quality 0.7 (spread 0.8), known from 0 to 40
// sales each, teach it a prior mean within a few of its standard errors of
// 0.7 at the day's close, while they are within the window; an offer it
// knows nothing of is then estimated at that mean. Its own 1P prior learns
// nothing from 3P offers, and with the data loop off nothing is learnt.
TEST(RankerPrior, ThePlatformLearnsTheMeanQualityOfItsOffersFromTheirEvidence) {
  constexpr double mean = 0.7, spread = 0.8, signal_sd = 2.0;
  for (const std::uint64_t seed : seeds) {
    OneCategory m(seed);
    auto urng = random::stream(seed, 0, 0, 0x9121u);
    boost::random::normal_distribution<double> normal;
    const double precision = 1.0 / (signal_sd * signal_sd);
    for (std::uint32_t i = 0; i < 400; ++i) {
      const double quality = mean + spread * normal(urng);
      const std::uint32_t o = m.add(static_cast<float>(quality), 5);
      for (std::uint32_t n = 0; n < i % 41; ++n) {
        m.shard.state.offers.evidence_sum[o] += static_cast<float>((quality + signal_sd * normal(urng)) * precision);
        m.shard.state.offers.evidence_precision[o] += static_cast<float>(precision);
      }
    }
    // Every offer was first shown on the same day; past the window none counts.
    const Tick first_shown = m.shard.state.offers.selling_from[0];
    agents::PlatformTally tally, too_old;
    for (std::uint32_t o = 0; o < m.shard.state.offers.size(); ++o) {
      tally_offer_evidence(m.shard, m.terms[0], o, first_shown + m.terms[0].ranker_prior_window - 1, tally);
      tally_offer_evidence(m.shard, m.terms[0], o, first_shown + m.terms[0].ranker_prior_window, too_old);
    }
    EXPECT_EQ(too_old.population_precision_3p, 0.0);
    const double se = 1.0 / std::sqrt(m.terms[0].ranker_prior_precision + tally.population_precision_3p);
    EXPECT_LT(se, 0.06);

    agents::Platform learning(m.scenario.platforms[0], PlatformId{0});
    learning.close_day(tally, 1, 0);
    EXPECT_NEAR(learning.books().ranker_prior_mean_3p, mean, 4.0 * se) << "seed " << seed;
    EXPECT_EQ(learning.books().ranker_prior_mean_1p, 0.0);
    const double learnt = learning.books().ranker_prior_mean_3p;
    learning.close_day(too_old, 1, 1);  // no recent offer: it keeps what it learnt
    EXPECT_EQ(learning.books().ranker_prior_mean_3p, learnt);
    m.platforms = {learning};
    snapshot_terms(m.platforms, 500, m.terms);
    const std::uint32_t unknown = m.add(0.0f, 5);
    EXPECT_DOUBLE_EQ(estimate_quality(0.0f, 0.0f, quality_prior(m.shard, m.terms[0], unknown)).mean,
                     learning.books().ranker_prior_mean_3p);

    agents::Loops no_data;
    no_data.data = false;
    agents::Platform frozen(m.scenario.platforms[0], PlatformId{0}, no_data);
    frozen.close_day(tally, 1, 0);
    EXPECT_EQ(frozen.books().ranker_prior_mean_3p, 0.0);
  }
}

TEST(Matching, ARankerThatDistrustsReviewsLearnsFromSalesAlone) {
  OneCategory m;
  m.scenario.customers.outside_utility = -30.0;  // everyone buys
  m.scenario.customers.return_cost = 100.0;      // and keeps it
  m.scenario.reviews.probability = 0.2;
  m.terms[0].ranker_review_trust = 0.0;
  m.add(1.0f, 1u << 20);
  auto intents = m.intents(500);
  match_intents(m.shard, intents, m.context());
  const auto& t = m.shard.state.tally[0];
  ASSERT_GT(t.stars_1 + t.stars_2 + t.stars_3 + t.stars_4 + t.stars_5, 50u);  // reviews were written and shown
  EXPECT_GT(m.shard.state.offers.rating_count[0], 50.0f);
  EXPECT_NEAR(m.shard.state.offers.evidence_precision[0],
              static_cast<double>(purchases(t)) * m.terms[0].ranker_signal_precision, 1e-3);
}

TEST(Matching, WithTheDataLoopOffTasteProfilesAndEvidenceNeverChange) {
  for (const std::uint64_t seed : seeds) {
    for (const bool data : {false, true}) {
      OneCategory m(seed);
      m.scenario.loops.data = data;
      m.scenario.reviews.probability = 1.0;
      for (std::uint32_t o = 0; o < 6; ++o) {
        m.add(static_cast<float>(o % 3), 1u << 20, 0.17f * static_cast<float>(o));
        m.know(o, 0.2f * static_cast<float>(o), 3.0f);
      }
      auto intents = m.intents(1000);
      for (std::size_t i = 0; i < intents.size(); ++i)
        intents[i].taste_profile = static_cast<std::uint16_t>(i * 40503u);  // all kinds, new shoppers included
      const auto before = intents;
      const OfferRows offers = m.shard.state.offers;
      match_intents(m.shard, intents, m.context());
      const auto& now = m.shard.state.offers;
      std::size_t profiles_changed = 0;
      for (std::size_t i = 0; i < intents.size(); ++i)
        profiles_changed += intents[i].taste_profile != before[i].taste_profile;
      ASSERT_GT(m.shard.state.tally[0].orders, 200u);
      EXPECT_GT(std::accumulate(now.rating_count.begin(), now.rating_count.end(), 0.0f),
                std::accumulate(offers.rating_count.begin(), offers.rating_count.end(), 0.0f))
          << "reviews are still written and shown";
      if (data) {
        EXPECT_GT(profiles_changed, 200u);
        EXPECT_NE(now.evidence_sum, offers.evidence_sum);
        EXPECT_NE(now.evidence_precision, offers.evidence_precision);
      } else {
        EXPECT_EQ(profiles_changed, 0u);
        EXPECT_EQ(now.evidence_sum, offers.evidence_sum);
        EXPECT_EQ(now.evidence_precision, offers.evidence_precision);
      }
    }
  }
}

// After a purchase it keeps, the shopper's profile is what it was, learnt
// from the bought offer's variant; after none or a return it is unchanged.
TEST(Matching, TheRankerLearnsTheTasteOfWhatABuyerKeeps) {
  for (const std::uint64_t seed : seeds) {
    OneCategory m(seed);
    m.scenario.customers.experience_noise = 3.0;  // some purchases come back
    for (std::uint32_t o = 0; o < 5; ++o) m.add(static_cast<float>(o) - 2.0f, 1u << 20, 0.2f * static_cast<float>(o));
    auto intents = m.intents(800);
    for (std::size_t i = 0; i < intents.size(); ++i) intents[i].taste_profile = static_cast<std::uint16_t>(i * 40503u);
    const auto before = intents;
    const auto bought = match_one_by_one(m, intents);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < intents.size(); ++i) {
      agents::TasteProfile expected(before[i].taste_profile);
      if (intents[i].outcome == Outcome::bought) {
        ++kept;
        const auto o = static_cast<std::uint32_t>(bought[i]);
        expected = expected.learnt(m.shard.state.sellers.variant[m.shard.state.offers.seller[o]]);
      }
      EXPECT_EQ(intents[i].taste_profile, expected.bits()) << "shopper " << i;
    }
    EXPECT_GT(kept, 200u);
    EXPECT_GT(m.shard.state.tally[0].returns, 0u);
  }
}

// Offers alike but for their variants: a shopper the ranker knows (a profile
// of many purchases) gets the offer nearest its estimated style first; one
// it does not know gets the pool's order (ties: the lower offer). With
// attention 0 each buys what it is shown first.
TEST(Matching, TheTasteProfilePersonalisesEachShoppersList) {
  for (const std::uint64_t seed : seeds) {
    OneCategory m(seed);
    m.scenario.customers.attention = 0.0;
    m.scenario.customers.outside_utility = -30.0;
    m.scenario.loops.data = false;
    const std::vector<double> variant{0.1, 0.35, 0.6, 0.85};
    for (const double v : variant) m.add(0.0f, 1u << 20, static_cast<float>(v));
    auto intents = m.intents(400);
    for (std::size_t i = 0; i < intents.size(); ++i) {
      if (i % 5 == 4) continue;  // a new shopper
      agents::TasteProfile p;
      for (int n = 0; n < 40; ++n) p = p.learnt(variant[i % 5] + 0.02);
      intents[i].taste_profile = p.bits();
    }
    const auto bought = match_one_by_one(m, intents);
    double known_error = 0.0;
    std::size_t known = 0;
    for (std::size_t i = 0; i < intents.size(); ++i) {
      EXPECT_EQ(intents[i].outcome, Outcome::bought);
      EXPECT_EQ(bought[i], i % 5 == 4 ? 0 : static_cast<int>(i % 5)) << "shopper " << i;
      if (i % 5 != 4) {
        known_error +=
            agents::circular_distance(agents::TasteProfile(intents[i].taste_profile).style(), m.taste(intents[i]));
        ++known;
      }
    }
    // The ranker's error: a quarter of the circle for the unknown, its estimate's distance for the known.
    const auto& t = m.shard.state.tally[0];
    const double expected = 0.25 * static_cast<double>(intents.size() - known) + known_error;
    EXPECT_NEAR(t.taste_error_sum, expected, 1e-3 * expected);
  }
}

// Regret is measured for the panel (customer ids divisible by 8) on each
// listed visit; an oracle's list is never worse, and with one offer no list can be.
TEST(Matching, RegretIsMeasuredOnThePanelAndNeverNegative) {
  for (const std::uint64_t seed : seeds) {
    for (const std::uint32_t offers : {1u, 8u}) {
      OneCategory m(seed);
      for (std::uint32_t o = 0; o < offers; ++o) {
        m.add(static_cast<float>(o % 4) - 1.5f, 1u << 20, 0.125f * static_cast<float>(o));
        m.rate(o, static_cast<float>(3 - o % 4), 5.0f);
      }
      auto intents = m.intents(800);
      const auto& t = m.shard.state.tally[0];
      for (Intent& intent : intents) {
        const double before = t.regret_sum;
        const std::uint64_t visits = t.regret_visits;
        match_intents(m.shard, {&intent, 1}, m.context());
        const bool panel = index(intent.customer) % 8 == 0;
        EXPECT_EQ(t.regret_visits, visits + (panel ? 1 : 0));
        if (!panel) {
          EXPECT_EQ(t.regret_sum, before);
        }
        EXPECT_GE(t.regret_sum - before, -1e-5) << "customer " << index(intent.customer);
      }
      EXPECT_EQ(t.regret_visits, 100u);
      if (offers == 1) {
        EXPECT_NEAR(t.regret_sum, 0.0, 1e-4);
      } else {
        EXPECT_GT(t.regret_sum, 1.0);  // the ranker knows nothing yet: its lists miss the best offers
      }
    }
  }
}

TEST(Ranking, ThePoolHoldsTheBestCandidatesInStockOnly) {
  OneCategory m;
  m.terms[0].ranker_candidates = 4;
  for (std::uint32_t o = 0; o < 7; ++o) {
    m.add(static_cast<float>(o), o == 2 ? 0u : 10u, 0.1f * static_cast<float>(o));
    m.know(o, 0.3f * static_cast<float>(o % 4), 2.0f);
    m.rate(o, static_cast<float>(o) - 3.0f, 4.0f);
  }
  CandidatePool& pool = m.shard.pool;
  build_pool(m.shard, 0, 0, 0, m.context(), pool, m.shard.candidates);
  ASSERT_EQ(pool.size, 4u);
  // By estimated quality: offers 3 (0.9), 6 (0.6), then 1 and 5 (0.3); offer 2 is sold out.
  const std::vector<std::uint32_t> expected{3, 6, 1, 5};
  const auto& cp = m.scenario.customers;
  for (std::uint32_t r = 0; r < pool.size; ++r) {
    const std::uint32_t o = pool.offer[r];
    EXPECT_EQ(o, expected[r]) << "row " << r;
    if (r > 0) {
      EXPECT_GE(pool.score[r - 1], pool.score[r]);
    }
    EXPECT_FLOAT_EQ(pool.variant[r], m.shard.state.sellers.variant[o]);
    EXPECT_FLOAT_EQ(pool.promise[r], static_cast<float>(cp.quality_weight *
                                                        rating_promise(m.shard.state.offers, o, m.scenario.reviews)));
    EXPECT_FLOAT_EQ(pool.quality[r], static_cast<float>(cp.quality_weight * m.shard.state.sellers.quality[o]));
    for (int member = 0; member < 2; ++member) {
      EXPECT_NEAR(pool.log_price[member][r], std::log(m.paid(o, member != 0) / m.categories.price_level(0)), 1e-6);
      EXPECT_NEAR(pool.days[member][r], m.days(o, member != 0), 1e-6);
    }
  }
  m.terms[0].ranker_candidates = 64;
  build_pool(m.shard, 0, 0, 0, m.context(), pool, m.shard.candidates);
  EXPECT_EQ(pool.size, 6u);  // every offer in stock
}

// Self-preferencing: the 1P boost adds to the platform's own offers' scores
// only, the fulfilled boost to every offer it delivers (its own included);
// a large enough boost ranks its own offer first.
TEST(Ranking, BoostsRaiseTheScoresOfOwnAndFulfilledOffersOnly) {
  OneCategory m;
  const auto self_shipped = m.add(0.0f, 10);
  const auto fulfilled = m.add(0.0f, 10);
  add_seller(m.shard, m.context(), {0, 1, 0.0f, 0.5f, 10.0f}, PlatformId{0});
  m.shard.reorder();
  auto& sellers = m.shard.state.sellers;
  sellers.platform_fulfilled[self_shipped] = 0;
  sellers.platform_fulfilled[fulfilled] = 1;
  for (std::uint32_t o = 0; o < 3; ++o)
    m.know(o, sellers.owner[m.shard.state.offers.seller[o]] != no_platform ? -2.0f : 1.0f, 50.0f);
  const auto scores = [&](double own, double delivered) {
    m.terms[0].first_party_boost = own;
    m.terms[0].fulfilled_boost = delivered;
    CandidatePool& pool = m.shard.pool;
    build_pool(m.shard, 0, 0, 0, m.context(), pool, m.shard.candidates);
    std::vector<float> by_offer(3);
    for (std::uint32_t r = 0; r < pool.size; ++r) by_offer[pool.offer[r]] = pool.score[r];
    return std::pair{by_offer, pool.offer[0]};
  };
  const auto [plain, first_plain] = scores(0.0, 0.0);
  const auto [own, first_own] = scores(30.0, 0.0);
  const auto [delivered, first_delivered] = scores(0.0, 1.5);
  for (std::uint32_t o = 0; o < 3; ++o) {
    const auto s = m.shard.state.offers.seller[o];
    const bool is_own = sellers.owner[s] != no_platform;
    EXPECT_NEAR(own[o] - plain[o], is_own ? 30.0 : 0.0, 1e-4) << "offer " << o;
    EXPECT_NEAR(delivered[o] - plain[o], sellers.platform_fulfilled[s] != 0 ? 1.5 : 0.0, 1e-4) << "offer " << o;
  }
  EXPECT_EQ(sellers.owner[m.shard.state.offers.seller[first_plain]], no_platform);  // its data rank it last
  EXPECT_NE(sellers.owner[m.shard.state.offers.seller[first_own]], no_platform);    // the boost puts it first
}

TEST(Ranking, AnOfferStillOnboardingIsNeverShown) {
  OneCategory m;
  m.add(0.0f, 10);
  m.add(0.0f, 10);
  m.shard.state.offers.selling_from[1] = 5;
  CandidatePool& pool = m.shard.pool;
  for (Tick t : {Tick{0}, Tick{4}, Tick{5}}) {
    build_pool(m.shard, 0, 0, 0, m.context(t), pool, m.shard.candidates);
    EXPECT_EQ(pool.size, t < 5 ? 1u : 2u) << "tick " << t;
    EXPECT_EQ(pool.offer[0], 0u);
  }
}

TEST(Entry, AnEntrantSellsOnlyAfterItsOnboarding) {
  OneCategory m;
  m.scenario.sellers.entry_pool_rate = 5.0;
  m.scenario.sellers.onboarding_days = 9;
  m.add(0.0f, 10);
  m.shard.state.signals[0] = {30.0f, 20.0f, 1};
  consider_entry(m.shard, m.context(40));
  ASSERT_FALSE(m.shard.births.empty());
  admit_births(m.shard, m.context(40));
  for (std::uint32_t o = 1; o < m.shard.state.offers.size(); ++o) EXPECT_EQ(m.shard.state.offers.selling_from[o], 49u);
  EXPECT_EQ(m.shard.state.offers.selling_from[0], 0u);  // the scenario's own sellers sell at once
}

TEST(Entry, BetterEntrantsEnterMoreOftenThanWorseOnes) {
  // Among potential entrants the better ones expect more of the category, so entrants are better on average than
  // the pool they come from (mean 0), and more so when the incumbents' ratings are low.
  std::vector<double> mean_quality;
  for (float stars : {4.5f, 1.5f}) {
    OneCategory m;
    m.scenario.sellers.entry_pool_rate = 2.0;
    m.add(0.0f, 10);
    double sum = 0.0;
    std::size_t n = 0;
    for (Tick t = 0; t < 400; ++t) {
      m.shard.state.signals[0] = {2.0f, 20.0f, 3, stars};
      consider_entry(m.shard, m.context(t));
      for (const Birth& b : m.shard.births) sum += b.quality, ++n;
      m.shard.births.clear();
    }
    ASSERT_GT(n, 30u);
    mean_quality.push_back(sum / static_cast<double>(n));
  }
  EXPECT_GT(mean_quality[0], 0.3);  // facing good ratings, only good entrants expect a profit
  EXPECT_LT(mean_quality[1], mean_quality[0]);
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

TEST(Pricing, AnOfferIsNotRepricedBeforeItsFirstDayOnSale) {
  OneCategory m;
  const auto s = m.add(0.0f, 10);  // nothing sold: a review would cut its price
  const auto interval = m.scenario.sellers.reprice_interval;
  const Tick review_day = static_cast<Tick>(index(m.shard.state.sellers.id[s]) % interval) + interval;
  m.shard.state.offers.selling_from[0] = review_day + 1;
  const float before = m.shard.state.offers.price[0];
  price_and_restock(m.shard, m.context(review_day));
  EXPECT_EQ(m.shard.state.offers.price[0], before);
  m.shard.state.offers.selling_from[0] = review_day;
  price_and_restock(m.shard, m.context(review_day));
  EXPECT_LT(m.shard.state.offers.price[0], before);
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

// Consumer surplus of a known list is the closed form: per shopper, its
// price level over its price sensitivity times the log-sum of exp(perceived
// utility) over the outside option, plus the expected gap between true and
// perceived utility under its choice probabilities (ratings here promise
// other than the truth, so the gap is not zero).
TEST(Matching, ConsumerSurplusOfAKnownListIsTheClosedForm) {
  for (const std::uint64_t seed : seeds) {
    OneCategory m(seed);
    auto& cp = m.scenario.customers;
    cp.fit_noise = 0.0;
    cp.attention = 1.0;  // every shopper examines the whole list
    cp.outside_utility = -1.0;
    cp.taste_weight = 4.0;
    m.scenario.reviews.probability = 0.0;
    m.scenario.loops.data = false;
    const std::vector<float> quality{2.0f, 0.0f, -1.0f};
    const std::vector<float> rating{-0.5f, 1.0f, 0.0f};
    for (std::uint32_t o = 0; o < 3; ++o) {
      m.add(quality[o], 1u << 20, 0.25f * static_cast<float>(o + 1));
      m.rate(o, rating[o], 1000.0f);
    }
    auto intents = m.intents(400);
    double expected = 0.0;
    for (const Intent& intent : intents) {
      double total = std::exp(cp.outside_utility), gap = 0.0;
      for (std::uint32_t o = 0; o < 3; ++o) {
        const double seen = m.perceived(intent, o);
        const double distance = agents::circular_distance(m.taste(intent), double{m.shard.state.sellers.variant[o]});
        total += std::exp(seen);
        gap += std::exp(seen) * (m.utility(intent, o, quality[o], distance) - seen);
      }
      expected +=
          m.categories.price_level(0) / intent.price_sensitivity * (std::log(total) - cp.outside_utility + gap / total);
    }
    match_intents(m.shard, intents, m.context());
    EXPECT_NEAR(m.shard.state.tally[0].consumer_surplus, expected, 1e-3 * std::abs(expected)) << "seed " << seed;
    EXPECT_GT(expected, 0.0);
  }
}

// Sponsored positions: with one slot, the winning bidder goes first even
// when the ranker would list it last; each shopper who examines it is a
// click its seller pays the second price for, and the platform books it.
TEST(Matching, ASponsoredPositionGoesFirstAndEveryClickIsPaid) {
  for (const std::uint64_t seed : seeds) {
    OneCategory m(seed);
    m.scenario.customers.attention = 0.5;
    m.scenario.reviews.probability = 0.0;
    m.scenario.loops.data = false;
    for (std::uint32_t o = 0; o < 3; ++o) {
      m.add(0.0f, 1u << 20, 0.3f * static_cast<float>(o));
      m.know(o, 1.0f - static_cast<float>(o), 100.0f);  // the ranker puts offer 2 last
      m.shard.state.offers.bid[o] = o == 2 ? 50.0f : 0.0f;
    }
    m.shard.state.offers.bid[1] = 0.5f;  // the runner-up: its ad rank prices the winner's click
    m.terms[0].ad_slots = 1.0;
    m.terms[0].ad_reserve = 0.1;
    auto intents = m.intents(500);
    match_intents(m.shard, intents, m.context());
    const auto& t = m.shard.state.tally[0];
    EXPECT_EQ(t.sponsored_clicks, t.listed_visits);  // position 0 is always examined
    EXPECT_GT(t.sponsored_sales, 0u);
    const double spent = m.shard.state.offers.ad_spend_since_review[2];
    EXPECT_GT(spent, 0.0);
    EXPECT_NEAR(t.ad_revenue, spent, 1e-5 * spent);                  // spend per offer is summed in float
    EXPECT_EQ(m.shard.state.offers.ad_spend_since_review[1], 0.0f);  // it lost every auction
    // Every click cost the same second price: between the reserve and the bid.
    const double per_click = spent / static_cast<double>(t.sponsored_clicks);
    EXPECT_GE(per_click, 0.1 - 1e-6);
    EXPECT_LE(per_click, 50.0 + 1e-6);
  }
}

// A seller pays its clicks from its cash and credit line: one that has spent
// both takes no part in the auction, and the runner-up wins.
TEST(Matching, ASellerWhoseCashAndCreditAreSpentBidsForNothing) {
  OneCategory m;
  m.scenario.reviews.probability = 0.0;
  for (std::uint32_t o = 0; o < 2; ++o) {
    m.add(0.0f, 1u << 20);
    m.shard.state.offers.bid[o] = o == 0 ? 5.0f : 1.0f;
  }
  m.shard.state.sellers.cash[m.shard.state.offers.seller[0]] = -m.scenario.sellers.credit_line - 1.0;
  m.terms[0].ad_slots = 1.0;
  auto intents = m.intents(200);
  match_intents(m.shard, intents, m.context());
  EXPECT_GT(m.shard.state.tally[0].sponsored_clicks, 0u);
  EXPECT_EQ(m.shard.state.offers.ad_spend_since_review[0], 0.0f);
  EXPECT_GT(m.shard.state.offers.ad_spend_since_review[1], 0.0f);
}

// Without slots, or with the loop off, nothing is sold and no one pays.
TEST(Matching, NoSlotsOrTheLoopOffSellNoPosition) {
  for (const bool loop_on : {true, false}) {
    OneCategory m;
    m.scenario.loops.sponsored = loop_on;
    m.add(0.0f, 1000);
    m.shard.state.offers.bid[0] = 5.0f;
    m.terms[0].ad_slots = loop_on ? 0.0 : 2.0;
    auto intents = m.intents(200);
    match_intents(m.shard, intents, m.context());
    EXPECT_EQ(m.shard.state.tally[0].sponsored_clicks, 0u);
    EXPECT_EQ(m.shard.state.tally[0].ad_revenue, 0.0);
  }
}

// A seller's bid mechanism holds its ad cost of sales at its target: clicks
// that cost half its sales cut the bid; clicks that cost nothing raise it.
// While the offer is still onboarding (it could win no position) the bid stays.
TEST(Pricing, ASellersBidFollowsItsAdCostOfSales) {
  for (const float spend : {5.0f, 0.0f}) {
    for (const bool onboarding : {false, true}) {
      OneCategory m;
      m.terms[0].ad_slots = 1.0;
      m.add(0.0f, 10);
      auto& offers = m.shard.state.offers;
      offers.price[0] = 10.0f;
      offers.units_since_review[0] = 1;
      offers.ad_spend_since_review[0] = spend;
      const auto& bidding = m.scenario.sellers.bid_policy.front();
      const Tick due = bidding.every * 1000;  // long on sale
      offers.selling_from[0] = onboarding ? due + 1 : 0;
      const float before = offers.bid[0];
      price_and_restock(m.shard, m.context(due));
      const double expected =
          onboarding ? before
                     : std::clamp(before + bidding.gain * (bidding.target - spend / 10.0), bidding.min, bidding.max);
      EXPECT_NEAR(offers.bid[0], expected, 1e-6) << "spend " << spend << ", onboarding " << onboarding;
    }
  }
}

// Out of stock since its last review, with no sale and no click, an offer could win no position: it keeps
// its bid (its ad cost of sales, 0, says nothing). Sold out today after a sale, it is judged as usual.
TEST(Pricing, AnOfferOutOfStockAllWindowKeepsItsBid) {
  for (const std::uint32_t units : {0u, 1u}) {
    OneCategory m;
    m.terms[0].ad_slots = 1.0;
    m.add(0.0f, 0);
    auto& offers = m.shard.state.offers;
    offers.price[0] = 10.0f;
    offers.units_since_review[0] = units;
    const auto& bidding = m.scenario.sellers.bid_policy.front();
    const float before = offers.bid[0];
    price_and_restock(m.shard, m.context(bidding.every * 1000));
    const double expected =
        units == 0 ? before : std::clamp(before + bidding.gain * bidding.target, bidding.min, bidding.max);
    EXPECT_NEAR(offers.bid[0], expected, 1e-6) << "units since review " << units;
  }
}

// The platform's 1P retail reprices like a seller (its own sales, stock and
// competitors), within its margin policy: never above the markup lever over
// its unit cost, never below break-even on its unit and fulfilment costs.
TEST(Pricing, FirstPartyRetailRepricesLikeASellerWithinItsMarginPolicy) {
  struct Case {
    bool sold_out;
    float price;  // before the review, in units of its unit cost
    double markup;
    double expected;  // after, in units of its unit cost
  };
  OneCategory probe;
  const double step = probe.scenario.sellers.price_step;
  const double fulfilment = probe.terms[0].fulfilment_unit_cost;
  const double floor = (10.0 + fulfilment) * (1.0 + probe.scenario.sellers.min_margin) / 10.0;
  for (const Case c : {Case{true, 1.3f, 1.6, 1.3 * (1.0 + step)},  // sold out: up a step
                       Case{true, 1.3f, 1.3, 1.3},                 // ... but not above its policy's markup
                       Case{false, 1.3f, 1.6, std::max(1.3 * (1.0 - step), floor)},  // unsold: down, to break-even
                       Case{false, 1.3f, 1.0, 1.0}}) {  // a policy below break-even: the policy's price
    OneCategory m;
    m.scenario.sellers.learning_exponent = 0.0;
    m.scenario.platforms[0].first_party.learning_exponent = 0.0;
    m.add(0.0f, 10);
    m.shard.state.offers.price[0] = 2.0f;  // a 3P competitor, well below
    add_seller(m.shard, m.context(), {0, 1, 0.0f, 0.5f, 10.0f}, PlatformId{0});
    m.shard.reorder();
    const std::uint32_t o = m.shard.state.sellers.owner[m.shard.state.offers.seller[0]] != no_platform ? 0 : 1;
    const auto s = m.shard.state.offers.seller[o];
    m.terms[0].first_party_markup = c.markup;
    m.shard.state.offers.price[o] = 10.0f * c.price;
    m.shard.state.offers.sold_out_since_review[o] = c.sold_out ? 1 : 0;
    const auto interval = m.scenario.sellers.reprice_interval;
    price_and_restock(m.shard, m.context(static_cast<Tick>(index(m.shard.state.sellers.id[s]) % interval)));
    EXPECT_NEAR(m.shard.state.offers.price[o], 10.0 * c.expected, 1e-3)
        << "sold out " << c.sold_out << ", markup " << c.markup;
  }
}

// A 1P sale books its profit for the retail arm's next review: the price
// less its unit cost and the platform's cost of fulfilling it.
TEST(Matching, AFirstPartySaleBooksItsProfitNetOfFulfilment) {
  OneCategory m;
  m.scenario.customers.outside_utility = -30.0;  // the shopper buys
  add_seller(m.shard, m.context(), {0, 1, 0.0f, 0.5f, 10.0f}, PlatformId{0});
  m.shard.state.offers.stock.back() = 5;
  m.shard.reorder();
  auto intents = m.intents(1);
  match_intents(m.shard, intents, m.context());
  ASSERT_EQ(intents[0].outcome, Outcome::bought);
  EXPECT_NEAR(m.shard.state.offers.profit_since_review[0],
              m.shard.state.offers.price[0] - 10.0 - m.terms[0].fulfilment_unit_cost, 1e-4);
}

// Stock mechanisms act in turn on the stock with today's orders: a second
// mechanism that asks for the same cover as the first orders nothing more.
TEST(Pricing, ASecondStockMechanismCountsTheFirstOnesOrder) {
  OneCategory m;
  auto always = agents::default_reorder();
  always.when = agents::ActWhen::always;
  m.scenario.sellers.stock_policy = {agents::default_reorder(), always};
  m.add(0.0f, 0);
  m.shard.state.offers.sales_rate[0] = 1.0f;  // 30 days of cover: 30 units
  m.shard.state.sellers.cash[0] = 1.0e6;
  price_and_restock(m.shard, m.context(1));
  // The estimate moved with the day's (no) sales before the order: 30 days of it, once.
  const double rate = m.shard.state.offers.sales_rate[0];
  EXPECT_EQ(m.shard.state.offers.stock[0], static_cast<std::uint32_t>(std::floor(30.0 * rate)));
}

// A 3P seller orders no more stock than its cash and credit line pay for;
// one with room orders what its stock mechanism asks.
TEST(Pricing, ASellerOrdersOnlyWhatItsCashAndCreditPayFor) {
  for (const double cash : {-500.0, -470.0, 1000.0}) {  // with the default credit line of 500
    OneCategory m;
    const auto s = m.add(0.0f, 0);
    m.shard.state.offers.sales_rate[0] = 5.0f;  // it wants weeks of cover: far more than 3 units
    m.shard.state.sellers.cash[s] = cash;
    price_and_restock(m.shard, m.context(1));
    const auto& sp = m.scenario.sellers;
    const double affordable = std::max(0.0, std::floor((cash + sp.credit_line - sp.fixed_cost) / 10.0));
    const auto stock = m.shard.state.offers.stock[0];
    if (cash < 0.0) {
      EXPECT_EQ(stock, static_cast<std::uint32_t>(affordable)) << "cash " << cash;
      EXPECT_EQ(m.shard.state.tally[0].short_restocks, 1u);
      EXPECT_GE(m.shard.state.sellers.cash[s], std::min(cash, -sp.credit_line) - sp.fixed_cost);  // stock: no more debt
    } else {
      EXPECT_GT(stock, 3u);
      EXPECT_EQ(m.shard.state.tally[0].short_restocks, 0u);
    }
  }
}

}  // namespace
}  // namespace flywheel::market
