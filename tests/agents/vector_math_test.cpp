// The matching kernel's vector helpers: every length (whole vectors and the
// padded tail) gives what the scalar definition gives.

#include "flywheel/agents/vector_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "flywheel/engine/random.hpp"

namespace flywheel::agents {
namespace {

std::vector<float> ramp(std::size_t n) {
  std::vector<float> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = -3.0f + 0.7f * static_cast<float>(i) * (i % 2 ? 1.0f : -1.0f);
  return values;
}

TEST(VectorMath, ExpShiftedMatchesExpWithinAnUlpAtEveryLength) {
  for (std::size_t n = 0; n <= 13; ++n) {
    const auto values = ramp(n);
    std::vector<float> out(n, -1.0f);
    exp_shifted(values, 0.5f, out);
    for (std::size_t i = 0; i < n; ++i) {
      const float expected = std::exp(values[i] - 0.5f);
      const float ulp = std::nextafter(expected, INFINITY) - expected;
      EXPECT_NEAR(out[i], expected, ulp) << "n=" << n << " i=" << i;
    }
  }
}

TEST(VectorMath, ExpShiftedMayWriteOverItsInput) {
  auto values = ramp(7);
  const auto copy = values;
  exp_shifted(values, 1.0f, values);
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_FLOAT_EQ(values[i], std::exp(copy[i] - 1.0f));
}

TEST(VectorMath, MaxOfFindsTheLargestAtEveryLengthAndPosition) {
  for (std::size_t n = 0; n <= 13; ++n) {
    EXPECT_EQ(max_of(ramp(n), 100.0f), 100.0f) << "the floor wins, n=" << n;
    for (std::size_t at = 0; at < n; ++at) {
      auto values = ramp(n);
      values[at] = 50.0f;
      EXPECT_EQ(max_of(values, -100.0f), 50.0f) << "n=" << n << " at=" << at;
    }
  }
}

TEST(VectorMath, SumOfAddsEveryValueAtEveryLength) {
  for (std::size_t n = 0; n <= 13; ++n) {
    std::vector<float> values(n);
    for (std::size_t i = 0; i < n; ++i) values[i] = 0.25f * static_cast<float>(i + 1);
    EXPECT_FLOAT_EQ(sum_of(std::span<const float>(values)), 0.125f * static_cast<float>(n * (n + 1))) << "n=" << n;
  }
}

TEST(VectorMath, FirstCumulativeAboveIsTheWeightedDraw) {
  // Against the definition (running sums in double), at every length, with
  // zero weights (sold out) among them, for bounds across the whole total.
  auto urng = random::stream(17, 0, 0, 3);
  for (std::size_t n = 0; n <= 13; ++n) {
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<float> weights(n);
      for (float& w : weights) w = urng() % 3 == 0 ? 0.0f : static_cast<float>(random::unit(urng()));
      double total = 0;
      for (float w : weights) total += w;
      const auto x = static_cast<float>(random::unit(urng()) * (total + 0.5));
      const std::size_t got = first_cumulative_above(weights, x);
      if (got < n) {
        EXPECT_GT(weights[got], 0.0f) << "a zero weight was drawn";
        double before = 0;
        for (std::size_t i = 0; i < got; ++i) before += weights[i];
        EXPECT_LE(before, x * (1 + 1e-6)) << "n=" << n;
        EXPECT_LT(x, (before + weights[got]) * (1 + 1e-6)) << "n=" << n;
      } else {
        EXPECT_GE(x, total * (1 - 1e-6)) << "n=" << n;
      }
    }
  }
}

TEST(VectorMath, FirstCumulativeAboveSkipsLeadingZeros) {
  const std::vector<float> weights{0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f};
  EXPECT_EQ(first_cumulative_above(weights, 0.0f), 5u);
  EXPECT_EQ(first_cumulative_above(weights, 0.999f), 5u);
  EXPECT_EQ(first_cumulative_above(weights, 1.0f), 6u);
}

}  // namespace
}  // namespace flywheel::agents
