// The customer phase and what follows matching (market/src/shopping.cpp):
// waking, shopping trips, membership, the experience update, referrals and
// their take-up. Random behaviour is checked over several seeds against its
// binomial expectation.

#include "flywheel/market/shopping.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "flywheel/agents/customer_rules.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::market {
namespace {

constexpr std::uint64_t seeds[] = {1, 2, 3};

// Expects `hits` of `n` trials to agree with chance p within z standard errors.
void expect_binomial(std::size_t hits, std::size_t n, double p, double z = 4.5) {
  const double expected = p * static_cast<double>(n);
  const double sd = std::sqrt(static_cast<double>(n) * p * (1.0 - p));
  EXPECT_NEAR(static_cast<double>(hits), expected, z * sd + 0.5) << hits << " of " << n << ", chance " << p;
}

// Customers on two platforms, with terms set by hand (no platform agents).
struct Population {
  Scenario scenario;
  Categories categories;
  agents::Customers customers;
  std::vector<PlatformTerms> terms;
  std::vector<agents::PlatformTally> tally;

  explicit Population(std::uint64_t seed, std::uint32_t count = 20000, const std::string& extra = "")
      : scenario(scenario_from_string("seed: " + std::to_string(seed) + R"(
market: {categories: 50, shards: 4}
customers: {count: )" + std::to_string(count) +
                                      "}\nplatforms: [{name: a}, {name: b}]\n" + extra)),
        categories(scenario.market, seed),
        customers(scenario.customers, 2, seed, Execution::serial),
        terms(2),
        tally(2) {
    for (auto& t : terms) {
      t.third_party = true;
      t.delivery_days = 3.0;
      t.shipping_fee = 5.0;
      t.member_days_saved = 1.0;
      t.membership_fee = 100.0;
    }
  }

  TickContext context(Tick tick = 0) const {
    return {scenario.seed, tick, &categories, &scenario.customers, &scenario.sellers, terms, 8, 0.1};
  }
  agents::CustomerParams& params() { return scenario.customers; }

  void activate(std::size_t c, std::size_t p) {
    customers.active[c] = 1;
    customers.learn_of(c, p, 0.0f);
    customers.last_platform[c] = make_id<PlatformId>(p);
  }
  std::size_t active() const {
    std::size_t n = 0;
    for (auto a : customers.active) n += a;
    return n;
  }
};

TEST(TakeUpReferral, AnActiveContactLearnsOfThePlatformAndWeighsTheFriendsExperience) {
  Population pop(1, 10);
  pop.activate(3, 0);
  pop.customers.satisfaction(3, 0) = 0.4f;
  const auto ctx = pop.context();
  take_up_referral({.contact = 3, .referrer = 7, .experience = 2.0f, .platform = PlatformId{1}}, pop.customers,
                   pop.tally, ctx);
  EXPECT_EQ(pop.customers.known[3], 3u);
  const auto& cp = pop.params();
  EXPECT_FLOAT_EQ(pop.customers.satisfaction(3, 1),
                  agents::updated_satisfaction(static_cast<float>(cp.initial_satisfaction), 2.0,
                                               cp.satisfaction_memory * cp.word_of_mouth_weight));
  EXPECT_FLOAT_EQ(pop.customers.satisfaction(3, 0), 0.4f);   // its own platform is untouched
  EXPECT_EQ(pop.customers.last_platform[3], PlatformId{0});  // still shops where it did
  EXPECT_EQ(pop.tally[0].active_delta + pop.tally[1].active_delta, 0);
}

// Each of k referrals on one day is its own chance, so an inactive contact
// starts shopping with 1 - (1 - p)^k. (It used to take one draw per contact
// and day, so k referrals counted as one.)
TEST(TakeUpReferral, KReferralsOnOneDayActivateWithOneMinusTheChanceThatAllFail) {
  const std::uint32_t n = 4000;
  for (const std::uint64_t seed : seeds) {
    for (const std::uint32_t k : {1u, 2u, 4u}) {
      Population pop(seed, n);
      const double p = pop.params().referral_activation;
      const auto ctx = pop.context(5);
      for (std::uint32_t c = 0; c < n; ++c)
        for (std::uint32_t r = 0; r < k; ++r)
          take_up_referral(
              {.contact = c, .referrer = (c + 1 + r * 97) % n, .experience = 1.0f, .platform = PlatformId{1}},
              pop.customers, pop.tally, ctx);
      const std::size_t started = pop.active();
      expect_binomial(started, n, 1.0 - std::pow(1.0 - p, k));
      EXPECT_EQ(pop.tally[1].active_delta, static_cast<std::int64_t>(started));
      for (std::uint32_t c = 0; c < n; ++c) {
        if (pop.customers.active[c] != 0) {
          EXPECT_EQ(pop.customers.last_platform[c], PlatformId{1});
        }
      }
    }
  }
}

TEST(TakeUpReferral, TheDrawDependsOnTheReferrerNotOnTheOrderOfDelivery) {
  const std::uint32_t n = 2000;
  auto started = [&](bool reversed) {
    Population pop(4, n);
    const auto ctx = pop.context(9);
    for (std::uint32_t c = 0; c < n; ++c)
      for (std::uint32_t r = 0; r < 3; ++r) {
        const std::uint32_t referrer = (c + 1 + (reversed ? 2 - r : r) * 31) % n;
        take_up_referral({.contact = c, .referrer = referrer, .experience = 1.0f, .platform = PlatformId{0}},
                         pop.customers, pop.tally, ctx);
      }
    return pop.customers.active;
  };
  EXPECT_EQ(started(false), started(true));
}

}  // namespace
}  // namespace flywheel::market
