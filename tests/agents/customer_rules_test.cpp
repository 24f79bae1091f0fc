// A customer's decision rules.

#include "flywheel/agents/customer_rules.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <vector>

#include "flywheel/agents/customers.hpp"
#include "flywheel/engine/random.hpp"

namespace flywheel::agents {
namespace {

TEST(ChoosePlatform, OnlyKnownPlatformsAreChosen) {
  const std::array<float, 3> s{5.0f, -1.0f, 0.0f};
  for (double u : {0.0, 0.4, 0.99}) {
    EXPECT_EQ(choose_platform(s, 0b010, no_platform, no_platform, {1, 0, 0}, u), PlatformId{1});
  }
  EXPECT_EQ(choose_platform(s, 0, no_platform, no_platform, {1, 0, 0}, 0.5), no_platform);
}

TEST(ChoosePlatform, SharesFollowSatisfactionHabitAndMembership) {
  const std::array<float, 2> s{1.0f, 0.5f};
  const PlatformPreference pref{2.0, 0.7, 0.4};
  // Last used platform 1, member of platform 0.
  const double w0 = std::exp(2.0 * 1.0 + 0.4), w1 = std::exp(2.0 * 0.5 + 0.7);
  auto urng = random::stream(5, 0, 0, 1);
  boost::random::uniform_01<double> uniform;
  constexpr int n = 100000;
  int zero = 0;
  for (int i = 0; i < n; ++i)
    zero += choose_platform(s, 0b11, PlatformId{1}, PlatformId{0}, pref, uniform(urng)) == PlatformId{0};
  const double p = w0 / (w0 + w1);
  EXPECT_NEAR(zero / double(n), p, 4 * std::sqrt(p * (1 - p) / n));
}

TEST(OfferUtility, EachTermPullsTheRightWay) {
  const Tastes t{1.0, 2.0, 0.2, 3.0};
  const OfferView base{0.0, 10.0, 10.0, 2.0, 0.1};
  const double u = offer_utility(base, t);
  auto better = base;
  better.quality = 1.0;
  EXPECT_GT(offer_utility(better, t), u);
  auto cheaper = base;
  cheaper.price_paid = 8.0;
  EXPECT_NEAR(offer_utility(cheaper, t) - u, -2.0 * std::log(0.8), 1e-12);
  auto slower = base;
  slower.delivery_days = 5.0;
  EXPECT_NEAR(offer_utility(slower, t) - u, -0.6, 1e-12);
  auto misfit = base;
  misfit.variant_distance = 0.4;
  EXPECT_NEAR(offer_utility(misfit, t) - u, -0.9, 1e-12);
}

TEST(CircularDistance, WrapsAroundTheCircle) {
  EXPECT_NEAR(circular_distance(0.05, 0.95), 0.1, 1e-12);
  EXPECT_NEAR(circular_distance(0.2, 0.7), 0.5, 1e-12);
  EXPECT_NEAR(circular_distance(0.3, 0.3), 0.0, 1e-12);
}

TEST(CascadeDepth, LooksAtEverythingWithFullAttentionAndAtLeastOnce) {
  for (const double u : {1e-12, 0.3, 0.999999}) {
    EXPECT_EQ(cascade_depth(7, 0.0, u), 7u);
    EXPECT_EQ(cascade_depth(1, std::log(0.5), u), 1u);
    EXPECT_GE(cascade_depth(7, std::log(1e-300), u), 1u);
  }
  EXPECT_EQ(cascade_depth(7, std::log(0.5), 0.999999), 1u);  // u near 1: the first position only
  EXPECT_EQ(cascade_depth(7, std::log(0.5), 1e-12), 7u);     // u near 0: the whole list
  EXPECT_EQ(cascade_depth(7, std::log(0.5), 0.3), 2u);       // 0.5^1 > 0.3 > 0.5^2
}

// Over many shoppers, the share that examines position i (from 0) is
// attention^i for every i < n, and none looks past the list.
TEST(CascadeDepth, PositionIIsExaminedWithChanceAttentionToTheI) {
  auto urng = random::stream(7, 0, 0, 2);
  boost::random::uniform_01<double> uniform;
  constexpr int draws = 200000;
  for (const double attention : {0.2, 0.7, 0.95}) {
    for (const std::uint32_t n : {1u, 3u, 8u, 64u}) {
      std::vector<int> examined(n + 1, 0);  // examined[i]: shoppers who looked at position i
      for (int k = 0; k < draws; ++k) {
        double u = uniform(urng);
        while (u == 0.0) u = uniform(urng);
        const std::uint32_t d = cascade_depth(n, std::log(attention), u);
        ASSERT_GE(d, 1u);
        ASSERT_LE(d, n);
        for (std::uint32_t i = 0; i < d; ++i) ++examined[i];
      }
      for (std::uint32_t i = 0; i < n; ++i) {
        const double p = std::pow(attention, i);
        EXPECT_NEAR(examined[i], draws * p, 4.5 * std::sqrt(draws * p * (1 - p)) + 0.5)
            << "attention " << attention << ", n " << n << ", position " << i;
      }
    }
  }
}

TEST(Satisfaction, MovesTowardsExperienceByTheMemoryWeight) {
  EXPECT_FLOAT_EQ(updated_satisfaction(0.0f, 1.0, 0.25), 0.25f);
  EXPECT_FLOAT_EQ(updated_satisfaction(1.0f, -1.0, 0.5), 0.0f);
  EXPECT_FLOAT_EQ(updated_satisfaction(0.7f, 3.0, 0.0), 0.7f);
}

TEST(Membership, JoinWhenSavingsExceedTheFeeAndLeaveWithHysteresis) {
  MembershipView v{20, 5.0, 1.0, 1.0, 100.0};  // saves 20 x (5 + 1) = 120 a year
  EXPECT_TRUE(wants_membership(v, false, 0.8));
  v.yearly_orders = 15;  // 90: not worth joining, but a member keeps it above 80
  EXPECT_FALSE(wants_membership(v, false, 0.8));
  EXPECT_TRUE(wants_membership(v, true, 0.8));
  v.yearly_orders = 12;  // 72: a member leaves
  EXPECT_FALSE(wants_membership(v, true, 0.8));
}

TEST(Customers, TraitsAreDrawnFromTheSeedAlone) {
  CustomerParams p;
  p.count = 1000;
  const Customers a(p, 3, 9, Execution::serial), b(p, 3, 9, Execution::parallel);
  EXPECT_EQ(a.shopping_rate, b.shopping_rate);
  EXPECT_EQ(a.price_sensitivity, b.price_sensitivity);
  const Customers c(p, 3, 10, Execution::serial);
  EXPECT_NE(a.shopping_rate, c.shopping_rate);
}

TEST(Customers, MedianTraitsMatchTheParameters) {
  CustomerParams p;
  p.count = 20001;
  const Customers c(p, 1, 4, Execution::parallel);
  auto median = [](std::vector<float> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  EXPECT_NEAR(median(c.price_sensitivity), p.price_sensitivity, 0.03 * p.price_sensitivity);
  EXPECT_NEAR(median(c.delivery_sensitivity), p.delivery_sensitivity, 0.05 * p.delivery_sensitivity);
}

// 48 bytes with the default scenario's three platforms (issue #15's bound:
// 300 million customers in 14 GiB); each platform adds its satisfaction and
// its taste profile of the customer, 6 bytes, up to the most a scenario may have.
TEST(Customers, StateStaysWithin48BytesPerCustomerWithThreePlatforms) {
  EXPECT_LE(row_bytes<Customers>(3), 48u);
  EXPECT_EQ(row_bytes<Customers>(8) - row_bytes<Customers>(3), 5 * (sizeof(float) + sizeof(std::uint16_t)));
}

TEST(Contacts, AreOtherCustomersAndSpreadOut) {
  std::vector<int> hits(100, 0);
  for (std::uint32_t c = 0; c < 1000; ++c)
    for (std::uint32_t k = 0; k < 6; ++k) {
      const auto other = contact(3, c, k, 1000);
      ASSERT_LT(other, 1000u);
      EXPECT_NE(other, c);
      ++hits[other / 10];
    }
  for (int h : hits) EXPECT_GT(h, 20);  // about 60 each
}

TEST(ShoppingIntensity, RisesWithSatisfactionFromOneAtTheReferenceUpToItsCap) {
  const DemandResponse d{0.5, 0.2, 3.0};
  EXPECT_DOUBLE_EQ(shopping_intensity(0.2, d), 1.0);
  EXPECT_DOUBLE_EQ(shopping_intensity(1.2, d), std::exp(0.5));
  EXPECT_DOUBLE_EQ(shopping_intensity(-0.8, d), std::exp(-0.5));
  EXPECT_DOUBLE_EQ(shopping_intensity(50.0, d), 3.0);
  EXPECT_DOUBLE_EQ(shopping_intensity(-7.0, {0.0, 0.2, 3.0}), 1.0);  // no response
}

TEST(BestSatisfaction, IsTheBestAmongKnownPlatformsOnly) {
  const std::array<float, 3> s{5.0f, -1.0f, 0.5f};
  EXPECT_EQ(best_satisfaction(s, 0b110), 0.5f);
  EXPECT_EQ(best_satisfaction(s, 0b010), -1.0f);
  EXPECT_EQ(best_satisfaction(s, 0b111), 5.0f);
}

TEST(Lapse, AfterABadEnoughMemoryOrALongEnoughAbsence) {
  const Lapse lapse{-0.8, 365};
  EXPECT_TRUE(lapses_after_trip(-0.81f, lapse));
  EXPECT_FALSE(lapses_after_trip(-0.79f, lapse));
  EXPECT_TRUE(lapses_absent(400, 35, lapse));
  EXPECT_FALSE(lapses_absent(400, 36, lapse));
  EXPECT_TRUE(lapses_absent(300, static_cast<std::uint16_t>(300 - 365), lapse));  // across the wrap
  EXPECT_FALSE(lapses_absent(300, static_cast<std::uint16_t>(300 - 364), lapse));
}

}  // namespace
}  // namespace flywheel::agents
