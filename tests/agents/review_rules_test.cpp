// How buyers rate and who writes (agents/review_rules.hpp).

#include "flywheel/agents/review_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

namespace flywheel::agents {
namespace {

TEST(Stars, ThreeForQualityZeroOneMorePerStarWidthWithinOneToFive) {
  EXPECT_EQ(stars_for(0.0, 1.0), 3);
  EXPECT_EQ(stars_for(0.6, 1.0), 4);
  EXPECT_EQ(stars_for(-0.6, 1.0), 2);
  EXPECT_EQ(stars_for(1.2, 0.5), 5);
  EXPECT_EQ(stars_for(40.0, 1.0), 5);
  EXPECT_EQ(stars_for(-40.0, 1.0), 1);
  for (int s = 1; s <= 5; ++s) EXPECT_EQ(stars_for(quality_of_stars(s, 0.8), 0.8), s);  // read back on one scale
}

TEST(Stars, TheDelightedAndTheDisappointedWriteMore) {
  ReviewParams r;
  r.probability = 0.1;
  r.extremity = 3.0;
  EXPECT_DOUBLE_EQ(write_probability(3, r), 0.1);
  EXPECT_DOUBLE_EQ(write_probability(4, r), write_probability(2, r));
  EXPECT_DOUBLE_EQ(write_probability(5, r), write_probability(1, r));
  EXPECT_GT(write_probability(4, r), write_probability(3, r));
  EXPECT_DOUBLE_EQ(write_probability(5, r), 0.4);
  EXPECT_DOUBLE_EQ(most_write_probability(r), 0.4);
  r.extremity = 0.0;
  for (int s = 1; s <= 5; ++s) EXPECT_DOUBLE_EQ(write_probability(s, r), 0.1);  // no self-selection
  r.probability = 0.5;
  r.extremity = 10.0;
  EXPECT_DOUBLE_EQ(write_probability(5, r), 1.0);  // a chance, at most 1
}

struct Posterior {
  double mean;
  double sd;
};

/// The ranker's posterior after `n` written reviews of an offer of quality
/// `quality`, written as matching writes them, read by review_evidence
/// (`corrected`) or at face value with the rounding's precision (not).
Posterior after_reviews(double quality, int n, std::uint64_t seed, bool corrected, const ReviewParams& r) {
  std::mt19937_64 urng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> unit;
  double sum = 0;
  double precision = 1.0;  // the prior: N(0, 1)
  for (int written = 0; written < n;) {
    const int stars = stars_for(quality + r.noise * normal(urng), r.star_width);
    if (!(unit(urng) < write_probability(stars, r))) continue;
    ++written;
    if (corrected) {
      const ReviewEvidence read = review_evidence(stars, sum / precision, r);
      sum += read.sum;
      precision += read.precision;
    } else {
      const double face = 1.0 / (r.noise * r.noise + r.star_width * r.star_width / 12.0);
      sum += quality_of_stars(stars, r.star_width) * face;
      precision += face;
    }
  }
  return {sum / precision, 1.0 / std::sqrt(precision)};
}

TEST(ReviewEvidence, ReviewsReadAsBuyersWriteThemConvergeToTheTruthWhereFaceValueStaysBiased) {
  ReviewParams r;  // the defaults: J-shaped, capped stars
  r.probability = 0.06;
  double worst_face_bias = 0;
  for (const double quality : {-1.5, -0.6, 0.0, 0.4, 1.0, 1.8})
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      // 4,000 reviews: the posterior's sd is 0.013-0.024; within 4 of them of the truth.
      const Posterior read = after_reviews(quality, 4000, seed, true, r);
      EXPECT_NEAR(read.mean, quality, 4 * read.sd) << quality << " seed " << seed;
      worst_face_bias =
          std::max(worst_face_bias, std::fabs(after_reviews(quality, 4000, seed, false, r).mean - quality));
    }
  EXPECT_GT(worst_face_bias, 0.25);  // at face value quality 1 reads as about 1.3
}

TEST(ReviewEvidence, AReviewSaysLittleWhereStarsSaturateAndNothingOfItsOwnAccord) {
  ReviewParams r;
  const ReviewEvidence middle = review_evidence(4, 0.0, r);
  const ReviewEvidence far = review_evidence(5, 4.0, r);
  EXPECT_GT(middle.precision, 0.3);
  EXPECT_LT(far.precision, 0.1 * middle.precision);  // at quality 4 nearly every opinion is 5 stars
  // A review of the stars expected at the estimate leaves the estimate where it is.
  for (const double mean : {-1.0, 0.0, 1.0}) {
    const ReviewEvidence up = review_evidence(5, mean, r);
    const ReviewEvidence down = review_evidence(1, mean, r);
    EXPECT_GT(up.sum / up.precision, mean);
    EXPECT_LT(down.sum / down.precision, mean);
  }
  r.noise = 0.0;  // opinions without noise: still a finite reading
  const ReviewEvidence exact = review_evidence(3, 0.2, r);
  EXPECT_TRUE(std::isfinite(exact.sum) && std::isfinite(exact.precision));
}

}  // namespace
}  // namespace flywheel::agents
