// The matching kernel's vector helpers: every length (whole vectors and the
// padded tail) gives what the scalar definition gives.

#include "flywheel/agents/vector_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

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

}  // namespace
}  // namespace flywheel::agents
