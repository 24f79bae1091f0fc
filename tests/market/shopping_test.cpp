// The customer phase and what follows matching (market/src/shopping.cpp):
// waking, shopping trips, membership, the experience update, referrals and
// their take-up. Random behaviour is checked over several seeds against its
// binomial expectation.

#include "flywheel/market/shopping.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

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

  explicit Population(std::uint64_t seed, std::uint32_t count = 20000)
      : scenario(scenario_from_string("seed: " + std::to_string(seed) + R"(
market: {categories: 50, shards: 4}
customers: {count: )" + std::to_string(count) +
                                      "}\nplatforms: [{name: a}, {name: b}]\n")),
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
      t.member_consideration = 1.0;  // every non-member weighs the offer on every trip
    }
  }

  TickContext context(Tick tick = 0) const {
    return {
        scenario.seed, tick, &categories, &scenario.customers, &scenario.sellers, &scenario.reviews, scenario.platforms,
        terms,         8,    0.1,         &scenario.loops};
  }
  agents::CustomerParams& params() { return scenario.customers; }

  void activate(std::size_t c, std::size_t p) {
    customers.active[c] = 1;
    customers.learn_of(c, p, 0.0f);
    customers.last_platform[c] = make_id<PlatformId>(p);
  }
  // Runs the customer phase for everyone (one block) and returns the intents, shard by shard.
  std::vector<Intent> shop(Tick tick) {
    const std::size_t n = customers.size();
    Router<Intent> router(1, n, categories.shards());
    router.clear();
    const auto ctx = context(tick);
    customers_shop(0, 0, 0, n, customers, router, tally, ctx);
    router.route(Execution::serial, [&](const Intent& i) { return categories.shard_of(i.category); });
    std::vector<Intent> out;
    for (std::size_t s = 0; s < categories.shards(); ++s)
      for (const Intent& i : router.shard_items(s)) out.push_back(i);
    return out;
  }
  std::size_t active() const {
    std::size_t n = 0;
    for (auto a : customers.active) n += a == agents::Customers::shopping ? 1 : 0;
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
  EXPECT_EQ(pop.customers.known_platforms[3], 3u);
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

TEST(CustomersShop, InactiveCustomersStartAtTheAwarenessRateOnAnyPlatformAndShopTheNextDay) {
  for (const std::uint64_t seed : seeds) {
    Population pop(seed);
    pop.params().awareness_rate = 0.05;
    const auto intents = pop.shop(3);
    EXPECT_TRUE(intents.empty());  // a customer who starts today shops from tomorrow
    const std::size_t started = pop.active();
    expect_binomial(started, pop.customers.size(), 0.05);
    std::size_t on[2] = {0, 0};
    for (std::size_t c = 0; c < pop.customers.size(); ++c) {
      if (pop.customers.active[c] == 0) continue;
      const std::size_t p = index(pop.customers.last_platform[c]);
      ASSERT_LT(p, 2u);
      EXPECT_EQ(pop.customers.known_platforms[c], 1u << p);  // knows the platform it started on, only
      ++on[p];
    }
    expect_binomial(on[1], started, 0.5);
    EXPECT_EQ(pop.tally[0].active_delta, static_cast<std::int64_t>(on[0]));
    EXPECT_EQ(pop.tally[1].active_delta, static_cast<std::int64_t>(on[1]));
  }
}

TEST(CustomersShop, AnAdvertisementStartsCustomersOnItsOwnPlatform) {
  for (const std::uint64_t seed : seeds) {
    Population pop(seed);
    pop.params().awareness_rate = 0.0;
    pop.terms[1].ad_reach = 0.1;
    pop.terms[1].ad_response = 0.5;
    pop.shop(3);
    const std::size_t started = pop.active();
    expect_binomial(started, pop.customers.size(), 0.05);
    EXPECT_EQ(pop.tally[1].active_delta, static_cast<std::int64_t>(started));
    EXPECT_EQ(pop.tally[0].active_delta, 0);
  }
}

TEST(CustomersShop, ActiveCustomersShopAtTheirOwnRateWhereTheyKnow) {
  for (const std::uint64_t seed : seeds) {
    Population pop(seed);
    double expected = 0.0, variance = 0.0;
    for (std::size_t c = 0; c < pop.customers.size(); ++c) {
      pop.activate(c, 0);
      pop.customers.taste_profile(c, 0) = static_cast<std::uint16_t>(c * 40503u);  // what platform 0 knows of it
      const double r = pop.customers.shopping_rate[c];
      expected += r;
      variance += r * (1.0 - r);
    }
    const auto intents = pop.shop(11);
    EXPECT_NEAR(static_cast<double>(intents.size()), expected, 4.5 * std::sqrt(variance));
    std::vector<int> trips(pop.customers.size(), 0);
    for (const Intent& i : intents) {
      const std::size_t c = index(i.customer);
      ASSERT_LT(c, pop.customers.size());
      EXPECT_EQ(++trips[c], 1);              // at most one trip a day
      EXPECT_EQ(i.platform, PlatformId{0});  // the only platform it knows
      EXPECT_LT(i.category, pop.categories.size());
      EXPECT_EQ(i.outcome, Outcome::pending);
      EXPECT_EQ(i.member, 0u);
      EXPECT_EQ(i.price_sensitivity, pop.customers.price_sensitivity[c]);
      EXPECT_EQ(i.delivery_sensitivity, pop.customers.delivery_sensitivity[c]);
      EXPECT_EQ(i.style, static_cast<float>(agents::style_of(seed, static_cast<std::uint32_t>(c))));
      EXPECT_EQ(i.taste_profile, pop.customers.taste_profile(c, 0));
    }
  }
}

TEST(CustomersShop, WithFavouriteShareOneEveryTripIsToAFavourite) {
  Population pop(2);
  pop.params().favourite_share = 1.0;
  for (std::size_t c = 0; c < pop.customers.size(); ++c) pop.activate(c, 0);
  const auto intents = pop.shop(4);
  ASSERT_GT(intents.size(), 100u);
  const auto sample = [&](auto& urng) { return pop.categories.sample(urng); };
  for (const Intent& i : intents) {
    const auto id = static_cast<std::uint32_t>(index(i.customer));
    bool favourite = false;
    for (std::uint32_t k = 0; k < pop.params().favourite_categories; ++k)
      favourite = favourite || agents::favourite_category(pop.scenario.seed, id, k, sample) == i.category;
    EXPECT_TRUE(favourite) << "customer " << id;
  }
}

TEST(CustomersShop, ShoppersGoMostlyToThePlatformTheyRememberBest) {
  Population pop(3);
  for (std::size_t c = 0; c < pop.customers.size(); ++c) {
    pop.activate(c, 0);
    pop.activate(c, 1);  // last used
    pop.customers.satisfaction(c, 0) = -2.0f;
    pop.customers.satisfaction(c, 1) = 2.0f;
  }
  const auto intents = pop.shop(4);
  std::size_t on1 = 0;
  for (const Intent& i : intents) on1 += i.platform == PlatformId{1} ? 1 : 0;
  // A logit over sharpness x satisfaction, plus inertia for platform 1 (used last).
  const auto& cp = pop.params();
  const double p1 = 1.0 / (1.0 + std::exp(cp.choice_sharpness * (-2.0 - 2.0) - cp.inertia));
  expect_binomial(on1, intents.size(), p1);
}

TEST(CustomersShop, AShopperJoinsMembershipWhenItPaysAndLeavesWhenItNoLongerDoes) {
  Population pop(1);
  pop.terms[0].membership_offered = true;
  pop.terms[0].membership_fee = 1.0;  // far below what anyone saves on shipping in a year
  for (std::size_t c = 0; c < pop.customers.size(); ++c) {
    pop.activate(c, 0);
    pop.customers.conversion[c] = 1.0f;
  }
  const auto joined = pop.shop(1);
  ASSERT_GT(joined.size(), 100u);
  for (const Intent& i : joined) {
    EXPECT_EQ(i.member, 1u);
    EXPECT_EQ(pop.customers.member_of[index(i.customer)], PlatformId{0});
  }
  std::size_t members = 0;
  for (auto m : pop.customers.member_of) members += m == PlatformId{0} ? 1 : 0;
  EXPECT_EQ(members, joined.size());  // only those who shopped decided
  EXPECT_EQ(pop.tally[0].member_delta, static_cast<std::int64_t>(joined.size()));

  pop.tally = {{}, {}};
  pop.terms[0].membership_fee = 1e9;
  const auto next = pop.shop(2);
  std::int64_t left = 0;
  for (const Intent& i : next) {
    EXPECT_EQ(i.member, 0u);
    EXPECT_EQ(pop.customers.member_of[index(i.customer)], no_platform);
    for (const Intent& j : joined) left += j.customer == i.customer ? 1 : 0;
  }
  EXPECT_GT(left, 0);
  EXPECT_EQ(pop.tally[0].member_delta, -left);
}

TEST(CustomersShop, ANonMemberWeighsTheMembershipOnlyOnSomeTrips) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    Population pop(seed);
    pop.terms[0].membership_offered = true;
    pop.terms[0].membership_fee = 1.0;  // everyone would join
    pop.terms[0].member_consideration = 0.25;
    for (std::size_t c = 0; c < pop.customers.size(); ++c) {
      pop.activate(c, 0);
      pop.customers.conversion[c] = 1.0f;
    }
    const auto trips = pop.shop(1);
    ASSERT_GT(trips.size(), 400u);
    std::size_t joined = 0;
    for (const Intent& i : trips) joined += i.member;
    expect_binomial(joined, trips.size(), 0.25);
    pop.terms[0].member_consideration = 0.0;
    for (const Intent& i : pop.shop(2)) {
      const bool was_member = std::any_of(trips.begin(), trips.end(),
                                          [&](const Intent& t) { return t.customer == i.customer && t.member != 0; });
      EXPECT_EQ(i.member != 0, was_member);  // nobody new joins; members stay
    }
  }
}

TEST(CustomersShop, NobodyShopsOnAnExitedPlatformAndItsMembershipsEnd) {
  for (const std::uint64_t seed : seeds) {
    Population pop(seed);
    pop.terms[1].open = false;
    const std::size_t n = pop.customers.size();
    for (std::size_t c = 0; c < n; ++c) {
      if (c % 2 == 0) pop.activate(c, 0);  // even customers know both platforms, odd ones the exited one only
      pop.activate(c, 1);
      pop.customers.satisfaction(c, 1) = 3.0f;  // and liked it best
      pop.customers.member_of[c] = make_id<PlatformId>(1);
    }
    const auto intents = pop.shop(5);
    ASSERT_GT(intents.size(), 100u);
    std::int64_t shoppers = 0;
    for (const Intent& i : intents) {
      EXPECT_EQ(i.platform, PlatformId{0});
      EXPECT_EQ(index(i.customer) % 2, 0u) << "knows no open platform: does not shop";
      EXPECT_EQ(i.member, 0u);
      ++shoppers;
    }
    // Every customer who woke to shop, odd ones too, ended its membership; the others are still members.
    std::int64_t ended = 0;
    for (std::size_t c = 0; c < n; ++c) ended += pop.customers.member_of[c] == no_platform ? 1 : 0;
    EXPECT_GT(ended, shoppers);
    EXPECT_EQ(pop.tally[1].member_delta, -ended);
    EXPECT_EQ(pop.tally[1].active_delta, 0);
  }
}

TEST(CustomersShop, InactiveCustomersFindOnlyOpenPlatformsOnTheirOwn) {
  for (const std::uint64_t seed : seeds) {
    Population pop(seed);
    pop.params().awareness_rate = 0.05;
    pop.terms[0].open = false;
    pop.shop(3);
    expect_binomial(pop.active(), pop.customers.size(), 0.05);  // as many as with both open
    for (std::size_t c = 0; c < pop.customers.size(); ++c)
      EXPECT_TRUE(pop.customers.active[c] == 0 || pop.customers.last_platform[c] == PlatformId{1}) << c;
    EXPECT_EQ(pop.tally[0].active_delta, 0);
  }
}

Intent outcome(std::uint32_t customer, std::size_t platform, Outcome what, float experience, float paid) {
  return {.customer = make_id<CustomerId>(customer),
          .category = 0,
          .experience = experience,
          .paid = paid,
          .platform = make_id<PlatformId>(platform),
          .member = 0,
          .outcome = what,
          .price_sensitivity = 1.0f,
          .delivery_sensitivity = 0.1f,
          .style = 0.5f,
          .taste_profile = 0};
}

TEST(ApplyExperiences, SatisfactionConversionAndSpendMoveTowardsWhatHappened) {
  Population pop(1, 10);
  pop.params().referral_threshold = 100.0;  // nobody refers
  const auto& cp = pop.params();
  pop.activate(2, 0);
  pop.customers.satisfaction(2, 0) = 0.5f;
  const auto ctx = pop.context();
  std::vector<Referral> referrals;
  auto apply = [&](const Intent& i) { apply_experiences({&i, 1}, pop.customers, referrals, pop.tally, 10, ctx); };

  apply(outcome(2, 0, Outcome::bought, 1.5f, 30.0f));
  EXPECT_FLOAT_EQ(pop.customers.satisfaction(2, 0), agents::updated_satisfaction(0.5f, 1.5, cp.satisfaction_memory));
  EXPECT_FLOAT_EQ(pop.customers.conversion[2],
                  static_cast<float>(0.5 * (1 - cp.conversion_memory) + cp.conversion_memory));
  EXPECT_FLOAT_EQ(pop.customers.spend_per_order[2], 30.0f);  // the first order sets it

  apply(outcome(2, 0, Outcome::bought, 1.5f, 20.0f));
  EXPECT_FLOAT_EQ(pop.customers.spend_per_order[2], 0.8f * 30.0f + 0.2f * 20.0f);

  const float satisfaction = pop.customers.satisfaction(2, 0);
  const float conversion = pop.customers.conversion[2];
  apply(outcome(2, 0, Outcome::no_purchase, -1.0f, 0.0f));
  EXPECT_FLOAT_EQ(pop.customers.satisfaction(2, 0),
                  agents::updated_satisfaction(satisfaction, -1.0, cp.satisfaction_memory));
  EXPECT_FLOAT_EQ(pop.customers.conversion[2], static_cast<float>((1 - cp.conversion_memory) * conversion));
  EXPECT_FLOAT_EQ(pop.customers.spend_per_order[2], 28.0f);  // unchanged without an order
  EXPECT_TRUE(referrals.empty());
  EXPECT_EQ(pop.tally[0].active_delta, 0);
}

// The platform's profile of the shopper goes out with the intent and comes
// back with its outcome, to that platform's column only.
TEST(ApplyExperiences, ThePlatformsTasteProfileComesBackWithTheOutcome) {
  Population pop(1, 10);
  pop.activate(5, 0);
  pop.customers.taste_profile(5, 0) = 77;
  const auto ctx = pop.context();
  std::vector<Referral> referrals;
  Intent bought = outcome(5, 1, Outcome::bought, 0.0f, 10.0f);
  bought.taste_profile = 0x1234;
  apply_experiences({&bought, 1}, pop.customers, referrals, pop.tally, 10, ctx);
  EXPECT_EQ(pop.customers.taste_profile(5, 1), 0x1234u);
  EXPECT_EQ(pop.customers.taste_profile(5, 0), 77u);
  Intent nothing = outcome(5, 0, Outcome::no_purchase, -1.0f, 0.0f);
  nothing.taste_profile = 77;  // matching leaves it as it was
  apply_experiences({&nothing, 1}, pop.customers, referrals, pop.tally, 10, ctx);
  EXPECT_EQ(pop.customers.taste_profile(5, 0), 77u);
}

// A returned purchase is no order: conversion falls, the spend per order and
// the platform used last stay, and it refers no one.
TEST(ApplyExperiences, AReturnedPurchaseIsNoOrder) {
  Population pop(1, 10);
  pop.params().referral_threshold = -100.0;  // any order would refer
  pop.params().referral_probability = 1.0;
  const auto& cp = pop.params();
  pop.activate(6, 0);
  pop.customers.learn_of(6, 1, 0.0f);
  pop.customers.spend_per_order[6] = 25.0f;
  const float conversion = pop.customers.conversion[6];
  const auto ctx = pop.context();
  std::vector<Referral> referrals;
  const float experience = static_cast<float>(cp.failed_search_experience - cp.return_cost);
  const Intent returned = outcome(6, 1, Outcome::returned, experience, 0.0f);
  apply_experiences({&returned, 1}, pop.customers, referrals, pop.tally, 10, ctx);
  EXPECT_FLOAT_EQ(pop.customers.conversion[6], static_cast<float>((1 - cp.conversion_memory) * conversion));
  EXPECT_FLOAT_EQ(pop.customers.spend_per_order[6], 25.0f);
  EXPECT_EQ(pop.customers.last_platform[6], PlatformId{0});
  EXPECT_FLOAT_EQ(pop.customers.satisfaction(6, 1),
                  agents::updated_satisfaction(0.0f, experience, cp.satisfaction_memory));
  EXPECT_TRUE(referrals.empty());
}

TEST(ApplyExperiences, APurchaseElsewhereMovesTheCustomerToThatPlatform) {
  Population pop(1, 10);
  pop.activate(4, 0);
  pop.customers.learn_of(4, 1, 0.0f);
  const auto ctx = pop.context();
  std::vector<Referral> referrals;
  const Intent failed = outcome(4, 1, Outcome::no_purchase, -1.0f, 0.0f);
  apply_experiences({&failed, 1}, pop.customers, referrals, pop.tally, 10, ctx);
  EXPECT_EQ(pop.customers.last_platform[4], PlatformId{0});  // a failed search is no switch
  const Intent bought = outcome(4, 1, Outcome::bought, 0.0f, 10.0f);
  apply_experiences({&bought, 1}, pop.customers, referrals, pop.tally, 10, ctx);
  EXPECT_EQ(pop.customers.last_platform[4], PlatformId{1});
  EXPECT_EQ(pop.tally[0].active_delta, -1);
  EXPECT_EQ(pop.tally[1].active_delta, 1);
}

TEST(ApplyExperiences, SatisfiedBuyersReferOneOfTheirContactsWithTheReferralProbability) {
  const std::uint32_t n = 20000;
  for (const std::uint64_t seed : seeds) {
    Population pop(seed, n);
    pop.params().referral_probability = 0.3;
    const auto& cp = pop.params();
    std::vector<Intent> intents;
    for (std::uint32_t c = 0; c < n; ++c) {
      pop.activate(c, 1);
      // A third delighted buyers, a third lukewarm ones, a third failed searches that felt good.
      const float above = static_cast<float>(cp.referral_threshold) + 0.5f;
      if (c % 3 == 0) intents.push_back(outcome(c, 1, Outcome::bought, above, 10.0f));
      if (c % 3 == 1)
        intents.push_back(outcome(c, 1, Outcome::bought, static_cast<float>(cp.referral_threshold) - 0.1f, 10.0f));
      if (c % 3 == 2) intents.push_back(outcome(c, 1, Outcome::no_purchase, above, 0.0f));
    }
    std::vector<Referral> referrals;
    apply_experiences(intents, pop.customers, referrals, pop.tally, n, pop.context(8));
    expect_binomial(referrals.size(), (n + 2) / 3, 0.3);
    for (const Referral& r : referrals) {
      ASSERT_EQ(r.referrer % 3, 0u);
      EXPECT_EQ(r.platform, PlatformId{1});
      EXPECT_FLOAT_EQ(r.experience, static_cast<float>(cp.referral_threshold) + 0.5f);
      bool a_contact = false;
      for (std::uint32_t k = 0; k < cp.contacts; ++k)
        a_contact = a_contact || agents::contact(pop.scenario.seed, r.referrer, k, n) == r.contact;
      EXPECT_TRUE(a_contact) << r.referrer << " -> " << r.contact;
    }
  }
}

TEST(TakeUpReferral, AnInactiveContactStartsWithTheActivationChance) {
  const std::uint32_t n = 10000;
  for (const std::uint64_t seed : seeds) {
    Population pop(seed, n);
    const auto ctx = pop.context(2);
    for (std::uint32_t c = 0; c < n; ++c)
      take_up_referral({.contact = c, .referrer = n - 1 - c, .experience = 1.0f, .platform = PlatformId{0}},
                       pop.customers, pop.tally, ctx);
    expect_binomial(pop.active(), n, pop.params().referral_activation);
  }
}

// Demand responds to experience (loops.demand_response): intensity, lapsing
// and winning lapsed customers back.

TEST(DemandResponse, TripsADayFollowTheBestRememberedSatisfaction) {
  for (const std::uint64_t seed : seeds) {
    Population pop(seed);
    const auto& cp = pop.params();
    std::vector<Referral> referrals;
    const auto ctx = pop.context(1);
    // Half had good trips, half poor ones (above the lapse line): expected trips and variance of each half.
    std::array<double, 2> expected{}, variance{};
    for (std::uint32_t c = 0; c < pop.customers.size(); ++c) {
      pop.activate(c, 0);
      const float experience = c % 2 == 0 ? 3.0f : -0.5f;
      pop.customers.satisfaction(c, 0) = experience;
      const Intent trip = outcome(c, 0, Outcome::no_purchase, experience, 0.0f);
      apply_experiences({&trip, 1}, pop.customers, referrals, pop.tally, pop.customers.size(), ctx);
      const double base = agents::base_shopping_rate(cp, seed, c);
      const double intensity = agents::shopping_intensity(
          pop.customers.satisfaction(c, 0), {cp.intensity_response, cp.intensity_reference, cp.max_intensity});
      const double rate = pop.customers.shopping_rate[c];
      ASSERT_FLOAT_EQ(static_cast<float>(rate), static_cast<float>(std::min(1.0, base * intensity)));
      expected[c % 2] += rate;
      variance[c % 2] += rate * (1.0 - rate);
    }
    std::array<double, 2> trips{};
    for (const Intent& i : pop.shop(2)) trips[index(i.customer) % 2] += 1.0;
    for (std::size_t half : {0u, 1u}) EXPECT_NEAR(trips[half], expected[half], 4.5 * std::sqrt(variance[half]));
    // exp(intensity_response x 3.5) times the trips.
    EXPECT_GT(trips[0], 1.8 * trips[1]);
  }
}

TEST(DemandResponse, ACustomerWhoseBestPlatformDisappointsLapsesAndStopsShopping) {
  Population pop(1, 10);
  const auto& cp = pop.params();
  pop.activate(4, 1);
  pop.customers.member_of[4] = PlatformId{1};
  pop.customers.satisfaction(4, 1) = static_cast<float>(cp.lapse_satisfaction) + 0.01f;
  pop.customers.shopping_rate[4] = 1.0f;
  std::vector<Referral> referrals;
  const Intent failed = outcome(4, 1, Outcome::no_purchase, static_cast<float>(cp.failed_search_experience), 0.0f);
  apply_experiences({&failed, 1}, pop.customers, referrals, pop.tally, 10, pop.context(3));
  EXPECT_EQ(pop.customers.active[4], agents::Customers::lapsed);
  EXPECT_EQ(pop.customers.member_of[4], no_platform);  // a lapsed customer ends its membership
  EXPECT_EQ(pop.tally[1].lapses, 1u);
  EXPECT_EQ(pop.tally[1].active_delta, -1);
  EXPECT_EQ(pop.tally[1].member_delta, -1);
  EXPECT_EQ(pop.tally[1].intensity_sum, 0u);
  pop.params().awareness_rate = 0.0;  // nothing wins it back
  for (Tick t = 4; t < 30; ++t)
    for (const Intent& i : pop.shop(t)) EXPECT_NE(index(i.customer), 4u);
}

TEST(DemandResponse, OneBadTripAfterGoodOnesDoesNotMakeACustomerLapse) {
  Population pop(1, 10);
  pop.activate(4, 0);
  pop.customers.satisfaction(4, 0) = 1.0f;
  std::vector<Referral> referrals;
  const Intent returned = outcome(4, 0, Outcome::returned, -5.0f, 0.0f);
  apply_experiences({&returned, 1}, pop.customers, referrals, pop.tally, 10, pop.context(3));
  EXPECT_EQ(pop.customers.active[4], agents::Customers::shopping);
}

TEST(DemandResponse, ACustomerAwayForLapseDaysLapses) {
  Population pop(1, 10);
  const auto& cp = pop.params();
  pop.params().awareness_rate = 0.0;
  const Tick today = 70000;  // days wrap modulo 65536
  for (std::size_t c : {1u, 2u}) {
    pop.activate(c, 0);
    pop.customers.shopping_rate[c] = 0.0f;  // it makes no trip
  }
  pop.customers.last_trip[1] = static_cast<std::uint16_t>(today - cp.lapse_days);
  pop.customers.last_trip[2] = static_cast<std::uint16_t>(today - cp.lapse_days + 1);
  pop.shop(today);
  EXPECT_EQ(pop.customers.active[1], agents::Customers::lapsed);
  EXPECT_EQ(pop.customers.active[2], agents::Customers::shopping);
  EXPECT_EQ(pop.tally[0].lapses, 1u);
}

TEST(DemandResponse, ALapsedCustomerIsWonBackByAReferralAndExpectsWhatANewcomerWould) {
  Population pop(1, 10);
  const auto& cp = pop.params();
  pop.params().referral_activation = 1.0;
  pop.activate(5, 0);
  pop.customers.active[5] = agents::Customers::lapsed;
  pop.customers.satisfaction(5, 0) = -2.0f;
  take_up_referral({.contact = 5, .referrer = 1, .experience = 1.0f, .platform = PlatformId{0}}, pop.customers,
                   pop.tally, pop.context(9));
  EXPECT_EQ(pop.customers.active[5], agents::Customers::shopping);
  EXPECT_FLOAT_EQ(pop.customers.satisfaction(5, 0), static_cast<float>(cp.initial_satisfaction));
  EXPECT_EQ(pop.customers.last_trip[5], 9u);
  EXPECT_EQ(pop.tally[0].won_back, 1u);
  EXPECT_EQ(pop.tally[0].active_delta, 1);
}

TEST(DemandResponse, LapsedCustomersComeBackThroughAdvertisements) {
  for (const std::uint64_t seed : seeds) {
    Population pop(seed);
    pop.params().awareness_rate = 0.0;
    pop.terms[1].ad_reach = 0.05;
    pop.terms[1].ad_response = 1.0;
    for (std::size_t c = 0; c < pop.customers.size(); ++c) {
      pop.activate(c, 0);
      pop.customers.active[c] = agents::Customers::lapsed;
    }
    pop.shop(3);
    expect_binomial(pop.tally[1].won_back, pop.customers.size(), 0.05);
    EXPECT_EQ(pop.tally[1].won_back, pop.tally[1].ad_starts);
  }
}

TEST(DemandResponse, WithTheLoopOffRatesStayAtBaseAndNobodyLapses) {
  Population pop(1, 10);
  pop.scenario.loops.demand_response = false;
  pop.activate(4, 0);
  const float base = pop.customers.shopping_rate[4];
  pop.customers.satisfaction(4, 0) = -5.0f;
  pop.customers.last_trip[4] = 0;
  std::vector<Referral> referrals;
  const Intent failed = outcome(4, 0, Outcome::no_purchase, -5.0f, 0.0f);
  apply_experiences({&failed, 1}, pop.customers, referrals, pop.tally, 10, pop.context(3));
  EXPECT_EQ(pop.customers.active[4], agents::Customers::shopping);
  EXPECT_EQ(pop.customers.shopping_rate[4], base);
  EXPECT_EQ(pop.tally[0].intensity_sum, 65536u);
  pop.shop(5000);
  EXPECT_EQ(pop.customers.active[4], agents::Customers::shopping);
}

}  // namespace
}  // namespace flywheel::market
