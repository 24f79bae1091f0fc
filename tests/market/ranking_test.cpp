// The ranker's pure parts (market/src/ranking.cpp): its quality estimate and
// how it converges, and the top-k selections that make a shopper's list.
// The pool it builds from a shard is tested with the matching kernel
// (kernels_test.cpp).

#include "flywheel/market/ranking.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <numeric>
#include <span>
#include <vector>

#include "../least_squares.hpp"
#include "flywheel/agents/customer_rules.hpp"
#include "flywheel/engine/random.hpp"

namespace flywheel::market {
namespace {

constexpr float minus_infinity = -std::numeric_limits<float>::infinity();

std::vector<std::uint8_t> listed(std::span<const float> values, std::uint32_t k) {
  std::vector<std::uint8_t> list(std::max<std::uint32_t>(k, 1), 0xFF);
  const std::uint32_t n = top_k(values, k, list);
  list.resize(n);
  return list;
}

// The reference: indices of finite values, stably sorted by value, best first, the first k.
std::vector<std::uint8_t> reference_top_k(std::span<const float> values, std::uint32_t k) {
  std::vector<std::uint8_t> rows;
  for (std::size_t j = 0; j < values.size(); ++j)
    if (values[j] != minus_infinity) rows.push_back(static_cast<std::uint8_t>(j));
  std::stable_sort(rows.begin(), rows.end(), [&](auto a, auto b) { return values[a] > values[b]; });
  if (rows.size() > k) rows.resize(k);
  return rows;
}

TEST(TopK, PicksTheLargestBestFirstWithTiesToTheLowerRow) {
  const std::vector<float> v{1.0f, 5.0f, 3.0f, 5.0f, minus_infinity, 2.0f};
  EXPECT_EQ(listed(v, 3), (std::vector<std::uint8_t>{1, 3, 2}));
  EXPECT_EQ(listed(v, 1), (std::vector<std::uint8_t>{1}));
  EXPECT_EQ(listed(v, 6), (std::vector<std::uint8_t>{1, 3, 2, 5, 0}));  // never the -infinity row
  const std::vector<float> ties(7, 0.5f);
  EXPECT_EQ(listed(ties, 4), (std::vector<std::uint8_t>{0, 1, 2, 3}));
}

TEST(TopK, NeverListsMinusInfinity) {
  const std::vector<float> v{minus_infinity, 2.0f, minus_infinity};
  EXPECT_EQ(listed(v, 3), (std::vector<std::uint8_t>{1}));
  const std::vector<float> none(5, minus_infinity);
  EXPECT_TRUE(listed(none, 3).empty());
  EXPECT_TRUE(listed({}, 3).empty());
}

TEST(TopK, EqualsAStableSortOnRandomValues) {
  auto urng = random::stream(3, 0, 0, 0x70C0u);
  boost::random::uniform_01<double> uniform;
  for (int trial = 0; trial < 2000; ++trial) {
    const auto size = static_cast<std::size_t>(uniform(urng) * 80);
    const auto k = 1 + static_cast<std::uint32_t>(uniform(urng) * 12);
    std::vector<float> v(size);
    for (auto& x : v) {
      const double u = uniform(urng);
      // Few distinct values, so ties are common; some sold out; some negative.
      x = u < 0.2 ? minus_infinity : static_cast<float>(std::floor(uniform(urng) * 8.0) - 4.0);
    }
    EXPECT_EQ(listed(v, k), reference_top_k(v, k)) << "trial " << trial;
  }
}

CandidatePool pool_of(const std::vector<float>& score, const std::vector<float>& variant) {
  CandidatePool pool;
  pool.reserve(score.size());
  pool.size = static_cast<std::uint32_t>(score.size());
  for (std::size_t j = 0; j < score.size(); ++j) {
    pool.offer[j] = static_cast<std::uint32_t>(100 + j);
    pool.score[j] = score[j];
    pool.variant[j] = variant[j];
  }
  return pool;
}

// A shopper's list with the misfit weighed by `penalty` from the estimated
// style (doubt 0: every bit of distance counts).
std::vector<std::uint8_t> personal(const CandidatePool& pool, float style, float penalty, std::uint32_t k,
                                   float doubt = 0.0f) {
  std::vector<float> scores(pool.size);
  std::vector<std::uint8_t> list(k, 0xFF);
  list.resize(personal_list(pool, style, doubt, penalty, k, scores, list));
  return list;
}

TEST(PersonalList, WithoutPenaltyItIsThePoolsOrder) {
  const auto pool = pool_of({2.0f, 1.5f, 1.5f, 0.0f, -1.0f, -3.0f}, {0.9f, 0.1f, 0.5f, 0.3f, 0.7f, 0.2f});
  for (const float style : {0.0f, 0.33f, 0.9f})
    EXPECT_EQ(personal(pool, style, 0.0f, 4), (std::vector<std::uint8_t>{0, 1, 2, 3}));
  EXPECT_EQ(personal(pool, 0.5f, 0.0f, 10), (std::vector<std::uint8_t>{0, 1, 2, 3, 4, 5}));
}

TEST(PersonalList, AProfileNearAVariantPullsThatOfferUp) {
  const auto pool = pool_of({1.0f, 0.9f, 0.8f, 0.7f}, {0.1f, 0.3f, 0.5f, 0.7f});
  // Scores less 2 x distance from 0.7: 0.2, 0.1, 0.4, 0.7.
  EXPECT_EQ(personal(pool, 0.7f, 2.0f, 4), (std::vector<std::uint8_t>{3, 2, 0, 1}));
  EXPECT_EQ(personal(pool, 0.7f, 2.0f, 1), (std::vector<std::uint8_t>{3}));
  // Around the circle: 0.95 is 0.15 from 0.1 and 0.25 from 0.7.
  EXPECT_EQ(personal(pool, 0.95f, 2.0f, 2), (std::vector<std::uint8_t>{0, 3}));
  // A weak penalty moves nothing past a clearly better offer.
  EXPECT_EQ(personal(pool, 0.7f, 0.1f, 4), (std::vector<std::uint8_t>{0, 1, 2, 3}));
}

// Within its doubt the ranker ranks as for anyone; beyond it, the distance
// past the doubt counts.
TEST(PersonalList, MisfitCountsOnlyBeyondTheRankersDoubt) {
  const auto pool = pool_of({1.0f, 0.9f, 0.8f, 0.75f}, {0.1f, 0.3f, 0.5f, 0.7f});
  // From 0.7 with doubt 0.25: distances 0.4, 0.4, 0.2, 0, misfits 0.15, 0.15, 0, 0: scores 0.7, 0.6, 0.8, 0.75
  // (without the doubt: 0.2, 0.1, 0.4, 0.75).
  EXPECT_EQ(personal(pool, 0.7f, 2.0f, 4, 0.25f), (std::vector<std::uint8_t>{2, 3, 0, 1}));
  // A doubt of half the circle is no personalisation at all.
  EXPECT_EQ(personal(pool, 0.7f, 2.0f, 4, 0.5f), (std::vector<std::uint8_t>{0, 1, 2, 3}));
}

TEST(PersonalList, ASoldOutOfferIsNeverListed) {
  auto pool = pool_of({1.0f, minus_infinity, 0.8f, 0.7f}, {0.1f, 0.3f, 0.5f, 0.7f});
  for (const float penalty : {0.0f, 5.0f})
    for (const float style : {0.1f, 0.3f, 0.6f}) {
      const auto list = personal(pool, style, penalty, 4);
      EXPECT_EQ(list.size(), 3u);
      EXPECT_EQ(std::count(list.begin(), list.end(), 1), 0);
    }
  pool.score.assign(pool.score.size(), minus_infinity);
  EXPECT_TRUE(personal(pool, 0.5f, 1.0f, 4).empty());
}

TEST(PersonalList, EqualsTheReferenceOnRandomPools) {
  auto urng = random::stream(4, 0, 0, 0x70C1u);
  boost::random::uniform_01<double> uniform;
  for (int trial = 0; trial < 500; ++trial) {
    const auto rows = 1 + static_cast<std::size_t>(uniform(urng) * 200);
    std::vector<float> score(rows), variant(rows);
    for (std::size_t j = 0; j < rows; ++j) {
      score[j] = uniform(urng) < 0.1 ? minus_infinity : static_cast<float>(3.0 * uniform(urng));
      variant[j] = static_cast<float>(uniform(urng));
    }
    std::sort(score.begin(), score.end(), std::greater<>());  // a pool is best first
    const auto pool = pool_of(score, variant);
    const auto style = static_cast<float>(uniform(urng));
    const auto penalty = static_cast<float>(4.0 * uniform(urng));
    std::vector<float> expected(rows);
    for (std::size_t j = 0; j < rows; ++j)
      expected[j] = score[j] - penalty * agents::circular_distance(style, variant[j]);
    EXPECT_EQ(personal(pool, style, penalty, 8), reference_top_k(expected, 8)) << "trial " << trial;
  }
}

TEST(EstimateQuality, IsThePriorWithoutEvidence) {
  const auto e = estimate_quality(0.0f, 0.0f, {0.0, 4.0});
  EXPECT_EQ(e.mean, 0.0);
  EXPECT_DOUBLE_EQ(e.sd, 0.5);
  EXPECT_DOUBLE_EQ(estimate_quality(0.0f, 0.0f, {0.7, 4.0}).mean, 0.7);
  const auto f = estimate_quality(6.0f, 2.0f, {0.0, 1.0});  // precision 3
  EXPECT_DOUBLE_EQ(f.mean, 2.0);
  EXPECT_DOUBLE_EQ(f.sd, 1.0 / std::sqrt(3.0));
  EXPECT_DOUBLE_EQ(estimate_quality(6.0f, 2.0f, {3.0, 1.0}).mean, 3.0);  // (3 x 1 + 6) / 3
}

// The ranker's evidence as the kernel keeps it (float sums of signal x
// precision), for offers whose quality is drawn from the ranker's prior:
// after n signals of sd sigma the posterior mean misses by sd 1 / sqrt(prior
// + n / sigma^2), the sd the estimate reports: a 1 / sqrt(n) fall once the
// data outweigh the prior (diminishing returns to data).
TEST(EstimateQuality, ItsErrorFallsAsOneOverRootNAndItsSdIsHonest) {
  constexpr std::size_t offers = 4000;
  constexpr double prior_sd = 1.0, signal_sd = 2.0;
  constexpr double prior = 1.0 / (prior_sd * prior_sd), precision = 1.0 / (signal_sd * signal_sd);
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    auto urng = random::stream(seed, 0, 0, 0xE57u);
    boost::random::normal_distribution<double> normal;
    std::vector<double> quality(offers);
    for (auto& q : quality) q = prior_sd * normal(urng);
    std::vector<float> sum(offers, 0.0f), total(offers, 0.0f);
    std::vector<double> log_n, log_error;
    std::size_t n = 0;
    for (std::size_t checkpoint = 4; checkpoint <= 1024; checkpoint *= 2) {
      for (; n < checkpoint; ++n)
        for (std::size_t o = 0; o < offers; ++o) {
          const double signal = quality[o] + signal_sd * normal(urng);
          sum[o] += static_cast<float>(signal * precision);
          total[o] += static_cast<float>(precision);
        }
      double error = 0.0, reported = 0.0;
      for (std::size_t o = 0; o < offers; ++o) {
        const auto e = estimate_quality(sum[o], total[o], {0.0, prior});
        error += std::abs(e.mean - quality[o]);
        reported += e.sd;
      }
      error /= offers, reported /= offers;
      const double sd = 1.0 / std::sqrt(prior + static_cast<double>(n) * precision);
      EXPECT_NEAR(reported, sd, 1e-4 * sd) << n << " signals";
      EXPECT_NEAR(error, std::sqrt(2.0 / std::numbers::pi) * sd, 0.06 * sd) << n << " signals, seed " << seed;
      log_n.push_back(std::log(static_cast<double>(n)));
      log_error.push_back(std::log(error));
    }
    // The least-squares slope of log error on log n (about -0.45 here: the prior's pull flattens the start).
    const double slope = testing::least_squares_slope(log_n, log_error);
    EXPECT_GE(slope, -0.6) << "seed " << seed;
    EXPECT_LE(slope, -0.4) << "seed " << seed;
  }
}

}  // namespace
}  // namespace flywheel::market
