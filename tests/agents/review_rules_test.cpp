// How buyers rate and who writes (agents/review_rules.hpp).

#include "flywheel/agents/review_rules.hpp"

#include <gtest/gtest.h>

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

TEST(Stars, AReviewIsWorthLessThanItsOpinionForTheRounding) {
  ReviewParams r;
  r.noise = 1.0;
  r.star_width = 1.0;
  EXPECT_NEAR(review_precision(r), 1.0 / (1.0 + 1.0 / 12.0), 1e-12);
}

}  // namespace
}  // namespace flywheel::agents
