// Multinomial-logit choice: observed shares match the closed form.

#include "flywheel/agents/logit.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/random/uniform_01.hpp>

#include "flywheel/engine/random.hpp"

namespace flywheel::agents {
namespace {

TEST(Logit, ProbabilitiesSumToOneWithTheOutsideOption) {
  const std::array<double, 3> u{0.5, -1.0, 2.0};
  std::array<double, 3> p{};
  const double outside = logit_probabilities<double>(u, 0.0, p);
  EXPECT_NEAR(p[0] + p[1] + p[2] + outside, 1.0, 1e-12);
  EXPECT_NEAR(p[2] / p[0], std::exp(1.5), 1e-9);
  EXPECT_NEAR(outside / p[0], std::exp(-0.5), 1e-9);
}

TEST(Logit, StableForLargeUtilities) {
  const std::array<double, 2> u{800.0, 799.0};
  std::array<double, 2> p{};
  const double outside = logit_probabilities<double>(u, 0.0, p);
  EXPECT_NEAR(p[0] / p[1], std::exp(1.0), 1e-9);
  EXPECT_EQ(outside, 0.0);
}

TEST(Logit, ObservedSharesMatchTheClosedFormAcrossSeeds) {
  const std::array<double, 4> u{0.3, -0.2, 1.1, 0.0};
  const double outside_u = 0.4;
  std::array<double, 4> expected{};
  const double expected_outside = logit_probabilities<double>(u, outside_u, expected);
  constexpr int draws = 200000;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    std::array<double, 4> w{};
    const double w0 = logit_weights<double>(u, outside_u, w);
    auto urng = random::stream(seed, 0, 0, 99);
    boost::random::uniform_01<double> uniform;
    std::array<int, 5> counts{};
    for (int i = 0; i < draws; ++i) ++counts[pick_by_weight<double>(w, w0, uniform(urng))];
    for (std::size_t k = 0; k < 4; ++k) {
      const double se = std::sqrt(expected[k] * (1 - expected[k]) / draws);
      EXPECT_NEAR(counts[k] / double(draws), expected[k], 4 * se) << "offer " << k << " seed " << seed;
    }
    const double se0 = std::sqrt(expected_outside * (1 - expected_outside) / draws);
    EXPECT_NEAR(counts[4] / double(draws), expected_outside, 4 * se0);
  }
}

TEST(Logit, SinglePrecisionSharesMatchTheClosedForm) {
  // The matching kernel's float version against the double closed form.
  const std::array<double, 4> u{0.3, -0.2, 1.1, 0.0};
  const std::array<float, 4> uf{0.3f, -0.2f, 1.1f, 0.0f};
  std::array<double, 4> expected{};
  const double expected_outside = logit_probabilities<double>(u, 0.4, expected);
  constexpr int draws = 200000;
  for (std::uint64_t seed : {4u, 5u}) {
    std::array<float, 4> w{};
    const float w0 = logit_weights<float>(uf, 0.4f, w);
    auto urng = random::stream(seed, 0, 0, 99);
    boost::random::uniform_01<double> uniform;
    std::array<int, 5> counts{};
    for (int i = 0; i < draws; ++i) ++counts[pick_by_weight<float>(w, w0, uniform(urng))];
    for (std::size_t k = 0; k < 5; ++k) {
      const double pk = k < 4 ? expected[k] : expected_outside;
      EXPECT_NEAR(counts[k] / double(draws), pk, 4 * std::sqrt(pk * (1 - pk) / draws)) << "option " << k;
    }
  }
}

TEST(Logit, ZeroWeightsAreNeverPicked) {
  const std::array<double, 3> w{0.0, 1.0, 0.0};
  for (double u : {0.0, 0.3, 0.49, 0.5 - 1e-12}) EXPECT_EQ(pick_by_weight<double>(w, 1.0, u), 1u);
  for (double u : {0.5, 0.7, 0.999}) EXPECT_EQ(pick_by_weight<double>(w, 1.0, u), 3u);
}

}  // namespace
}  // namespace flywheel::agents
