// Random streams keyed by (seed, tick, entity, purpose).

#include "flywheel/engine/random.hpp"

#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

namespace flywheel::random {
namespace {

TEST(Random, SameKeyGivesTheSameDraws) {
  auto a = stream(1, 2, 3, 4), b = stream(1, 2, 3, 4);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a(), b());
}

TEST(Random, EachKeyPartGivesADifferentStream) {
  const auto first = [](Stream s) { return s(); };
  const auto base = first(stream(1, 2, 3, 4));
  EXPECT_NE(first(stream(2, 2, 3, 4)), base);
  EXPECT_NE(first(stream(1, 3, 3, 4)), base);
  EXPECT_NE(first(stream(1, 2, 4, 4)), base);
  EXPECT_NE(first(stream(1, 2, 3, 5)), base);
  EXPECT_NE(first(stream(1ull << 40, 2, 3, 4)), first(stream(0, 2, 3, 4)));  // the seed's high bits count
}

TEST(Random, BoostDistributionsRunOnTheStream) {
  auto s = stream(7, 0, 0, 1);
  boost::random::normal_distribution<double> normal;
  double sum = 0, sq = 0;
  constexpr int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double x = normal(s);
    sum += x;
    sq += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.02);
  EXPECT_NEAR(sq / n, 1.0, 0.02);
}

TEST(Random, UniformSequenceIsTheStreamUnderBoostsUniform01) {
  auto s = stream(3, 4, 5, 6);
  boost::random::uniform_01<double> uniform;
  UniformSequence fast(3, 4, 5, 6);
  for (int i = 0; i < 1001; ++i) ASSERT_EQ(fast.next(), uniform(s)) << "draw " << i;
}

TEST(Random, Open01NeverReachesTheEnds) {
  EXPECT_GT(open01(0), 0.0);
  EXPECT_LT(open01(0xFFFFFFFFu), 1.0);
}

}  // namespace
}  // namespace flywheel::random
