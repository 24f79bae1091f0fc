// Tastes on the circle of variants and the ranker's profile of a customer
// (agents/taste.hpp): how a taste strays from a style, how the packed
// profile learns a style from purchases, how fast, and what its caps cost.

#include "flywheel/agents/taste.hpp"

#include <gtest/gtest.h>

#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "../least_squares.hpp"
#include "flywheel/agents/customer_rules.hpp"
#include "flywheel/agents/customers.hpp"
#include "flywheel/engine/random.hpp"

namespace flywheel::agents {
namespace {

TEST(Circle, WrapsAndStepsTheShortWay) {
  EXPECT_DOUBLE_EQ(wrap_circle(1.25), 0.25);
  EXPECT_DOUBLE_EQ(wrap_circle(-0.25), 0.75);
  EXPECT_DOUBLE_EQ(wrap_circle(0.0), 0.0);
  EXPECT_NEAR(circular_step(0.9, 0.1), 0.2, 1e-12);
  EXPECT_NEAR(circular_step(0.1, 0.9), -0.2, 1e-12);
  EXPECT_NEAR(circular_step(0.3, 0.4), 0.1, 1e-12);
  EXPECT_NEAR(circular_step(0.0, 0.5), -0.5, 1e-12);  // in [-0.5, 0.5)
  for (const double a : {0.0, 0.2, 0.7})
    for (const double b : {0.05, 0.45, 0.95})
      EXPECT_NEAR(std::abs(circular_step(a, b)), circular_distance(a, b), 1e-12);
}

TEST(TasteIn, StaysWithinHalfTheSpreadOfTheStyle) {
  EXPECT_DOUBLE_EQ(taste_in(0.3, 0.0, 0.9), 0.3);  // spread 0: the style itself in every category
  EXPECT_NEAR(taste_in(0.95, 0.2, 1.0), 0.05, 1e-12);
  auto urng = random::stream(1, 0, 0, 0x7A57u);
  boost::random::uniform_01<double> uniform;
  for (const double spread : {0.1, 0.3, 1.0}) {
    std::vector<int> bins(10, 0);
    constexpr int n = 100000;
    for (int i = 0; i < n; ++i) {
      const double style = uniform(urng);
      const double taste = taste_in(style, spread, uniform(urng));
      ASSERT_GE(taste, 0.0);
      ASSERT_LT(taste, 1.0);
      EXPECT_LE(circular_distance(style, taste), spread / 2 + 1e-12);
      if (spread == 1.0) ++bins[static_cast<std::size_t>(circular_step(style, taste) * 10.0 + 5.0)];
    }
    if (spread < 1.0) continue;
    for (const int b : bins) EXPECT_NEAR(b, n / 10.0, 4.5 * std::sqrt(n * 0.09));  // spread 1: unrelated to the style
  }
}

TEST(StyleOf, IsFixedPerCustomerAndSpreadOut) {
  EXPECT_EQ(style_of(5, 17), style_of(5, 17));
  EXPECT_NE(style_of(5, 17), style_of(5, 18));
  EXPECT_NE(style_of(5, 17), style_of(6, 17));
  std::vector<int> bins(10, 0);
  constexpr std::uint32_t n = 50000;
  for (std::uint32_t c = 0; c < n; ++c) {
    const double s = style_of(9, c);
    ASSERT_GT(s, 0.0);
    ASSERT_LT(s, 1.0);
    ++bins[static_cast<std::size_t>(s * 10.0)];
  }
  for (const int b : bins) EXPECT_NEAR(b, n / 10.0, 4.5 * std::sqrt(n * 0.09));
}

TEST(TasteProfile, PacksTheStyleAndThePurchases) {
  const TasteProfile none;
  EXPECT_EQ(none.bits(), 0u);
  EXPECT_EQ(none.purchases(), 0u);
  EXPECT_EQ(none.doubt(0.4), 0.5);
  const TasteProfile p(static_cast<std::uint16_t>(512u << 6 | 6u));
  EXPECT_EQ(p.purchases(), 6u);
  EXPECT_DOUBLE_EQ(p.style(), 512.5 / 1024.0);
  EXPECT_DOUBLE_EQ(p.doubt(0.4), 0.4 / std::sqrt(6.0));
  EXPECT_DOUBLE_EQ(p.doubt(2.0), 0.5);  // never more than knowing nothing
  EXPECT_DOUBLE_EQ(p.doubt(0.0), 0.0);
  EXPECT_EQ(TasteProfile(p.bits()).bits(), p.bits());
}

TEST(TasteProfile, TheFirstPurchaseSetsTheStyleAndLaterOnesAverage) {
  const auto one = TasteProfile().learnt(0.3);
  EXPECT_EQ(one.purchases(), 1u);
  EXPECT_NEAR(one.style(), 0.3, 0.5 / 1024.0);
  const auto two = one.learnt(0.4);
  EXPECT_EQ(two.purchases(), 2u);
  EXPECT_NEAR(two.style(), 0.35, 1.0 / 1024.0);
  // The average is taken around the circle: 0.95 and 0.05 average to 0, not 0.5.
  const auto across = TasteProfile().learnt(0.95).learnt(0.05);
  EXPECT_LT(circular_distance(across.style(), 0.0), 1.0 / 1024.0);
  // Every bin, a variant just inside either of its ends included, lands where it belongs.
  for (std::uint32_t bin = 0; bin < 1024; ++bin)
    for (const double at : {0.001, 0.5, 0.999}) {
      const double v = (bin + at) / 1024.0;
      EXPECT_EQ(TasteProfile().learnt(v).bits() >> 6, bin) << v;
    }
}

TEST(TasteProfile, CountsPurchasesUpToItsCap) {
  TasteProfile p;
  for (std::uint32_t n = 1; n <= 100; ++n) {
    p = p.learnt(0.6);
    EXPECT_EQ(p.purchases(), std::min(n, TasteProfile::max_purchases));
  }
  EXPECT_NEAR(p.style(), 0.6, 1.0 / 1024.0);
}

// Purchases of variants around a true style (style +- 0.15, uniform): the
// estimate is their running mean, whose error falls as 1 / sqrt(n); the
// 10-bit estimate follows an exact running mean to within its rounding.
TEST(TasteProfile, ItsErrorFallsAsOneOverRootN) {
  constexpr std::size_t customers = 4000;
  constexpr std::uint32_t most = 60;
  auto urng = random::stream(2, 0, 0, 0x7A58u);
  boost::random::uniform_01<double> uniform;
  std::vector<double> error(most + 1, 0.0), exact_error(most + 1, 0.0);
  for (std::size_t c = 0; c < customers; ++c) {
    const double style = uniform(urng);
    TasteProfile p;
    double exact = 0.0;  // the running mean of the steps from the style, unrounded
    for (std::uint32_t n = 1; n <= most; ++n) {
      const double step = 0.3 * (uniform(urng) - 0.5);
      p = p.learnt(wrap_circle(style + step));
      exact += (step - exact) / n;
      error[n] += circular_distance(p.style(), style) / customers;
      exact_error[n] += std::abs(exact) / customers;
    }
  }
  std::vector<double> log_n, log_error;
  for (std::uint32_t n = 1; n <= most; ++n) {
    EXPECT_NEAR(error[n], exact_error[n], 0.05 * exact_error[n] + 0.5 / 1024.0) << n << " purchases";
    log_n.push_back(std::log(static_cast<double>(n)));
    log_error.push_back(std::log(error[n]));
  }
  const double slope = testing::least_squares_slope(log_n, log_error);
  EXPECT_GE(slope, -0.6);
  EXPECT_LE(slope, -0.4);
  EXPECT_LT(error[most], 0.012);  // sqrt(2 / pi) x 0.3 / sqrt(12 x 60) is 0.009
  EXPECT_GT(error[1], 0.07);      // one purchase: off by 0.075 on average
}

// Past its cap the profile is a running mean with weight 1/64: a customer
// whose style moves is followed.
TEST(TasteProfile, PastItsCapItFollowsAStyleThatMoves) {
  auto urng = random::stream(3, 0, 0, 0x7A59u);
  boost::random::uniform_01<double> uniform;
  double error = 0.0;
  constexpr int customers = 500;
  for (int c = 0; c < customers; ++c) {
    const double style = uniform(urng);
    TasteProfile p;
    for (int n = 0; n < 100; ++n) p = p.learnt(wrap_circle(style + 0.3 * (uniform(urng) - 0.5)));
    ASSERT_EQ(p.purchases(), TasteProfile::max_purchases);
    const double moved = wrap_circle(style + 0.3);
    for (int n = 0; n < 400; ++n) p = p.learnt(wrap_circle(moved + 0.3 * (uniform(urng) - 0.5)));
    error += circular_distance(p.style(), moved) / customers;
  }
  EXPECT_LT(error, 0.03);
}

}  // namespace
}  // namespace flywheel::agents
