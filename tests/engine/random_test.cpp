// Random streams keyed by (seed, tick, entity, purpose).

#include "flywheel/engine/random.hpp"

#include "flywheel/engine/philox_pair.hpp"

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

TEST(Random, PhiloxPairIsTwoCallsOfTheLibrarysPhilox) {
  // Counters and keys from a stream of their own, with every bit pattern's
  // high words exercised (the side-by-side form keeps garbage in lane tops).
  auto s = stream(11, 0, 0, 0);
  for (int i = 0; i < 20000; ++i) {
    const Philox::ctr_type a = {{s(), s(), s(), s()}}, b = {{s(), s(), s(), s()}};
    const Philox::key_type k = {{s(), s()}};
    const auto [first, second] = PhiloxPair(k)(a, b);
    ASSERT_EQ(first, Philox()(a, k)) << "case " << i;
    ASSERT_EQ(second, Philox()(b, k)) << "case " << i;
  }
  const Philox::ctr_type top = {{0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}};
  const Philox::key_type top_key = {{0xFFFFFFFFu, 0xFFFFFFFFu}};
  EXPECT_EQ(PhiloxPair(top_key)(top, {})[0], Philox()(top, top_key));
}

TEST(Random, NormalPairsAreStandardNormal) {
  // Box-Muller on consecutive words of one stream: mean 0, variance 1, the
  // two halves uncorrelated, for several seeds.
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    auto s = stream(seed, 0, 0, 2);
    double sum = 0, sq = 0, cross = 0;
    constexpr int n = 100000;
    for (int i = 0; i < n; ++i) {
      const auto pair = normal_pair(s(), s());
      sum += pair.x + pair.y;
      sq += pair.x * pair.x + pair.y * pair.y;
      cross += pair.x * pair.y;
    }
    EXPECT_NEAR(sum / (2 * n), 0.0, 0.015) << "seed " << seed;
    EXPECT_NEAR(sq / (2 * n), 1.0, 0.015) << "seed " << seed;
    EXPECT_NEAR(cross / n, 0.0, 0.015) << "seed " << seed;
  }
}

TEST(Random, UnitIsUniform01sDraw) {
  auto s = stream(5, 6, 7, 8), t = stream(5, 6, 7, 8);
  boost::random::uniform_01<double> uniform;
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(unit(s()), uniform(t));
}

TEST(Random, Open01NeverReachesTheEnds) {
  EXPECT_GT(open01(0), 0.0);
  EXPECT_LT(open01(0xFFFFFFFFu), 1.0);
}

}  // namespace
}  // namespace flywheel::random
