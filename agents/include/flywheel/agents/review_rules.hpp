#pragma once
// How buyers rate and who writes: a 1-5 star scale, and self-selection (the
// delighted and the disappointed write more than the lukewarm), so ratings
// come out J-shaped as real ones do. What a displayed rating says of quality
// is read back on the same scale.

#include <algorithm>
#include <cmath>

#include "flywheel/agents/review_params.hpp"

namespace flywheel::agents {

inline constexpr int min_stars = 1;
inline constexpr int max_stars = 5;
inline constexpr double middle_stars = 3.0;

/// The stars a buyer gives for its opinion of an offer's quality: 3 for
/// quality 0, one more (or fewer) per `star_width`, rounded, within 1..5.
inline int stars_for(double opinion, double star_width) noexcept {
  const double stars = std::round(middle_stars + opinion / star_width);
  return static_cast<int>(std::clamp(stars, double{min_stars}, double{max_stars}));
}

/// The chance a buyer who would give `stars` writes its review:
/// probability x (1 + extremity x ((stars - 3) / 2)^2), at most 1.
inline double write_probability(int stars, const ReviewParams& r) noexcept {
  const double reach = (stars - middle_stars) / (max_stars - middle_stars);
  return std::min(1.0, r.probability * (1.0 + r.extremity * reach * reach));
}

/// The most any buyer writes with (a 1- or 5-star opinion).
inline double most_write_probability(const ReviewParams& r) noexcept { return write_probability(max_stars, r); }

/// The quality a star rating stands for, on the buyers' own scale.
inline double quality_of_stars(double stars, double star_width) noexcept { return star_width * (stars - middle_stars); }

/// What a ranker learns of an offer's quality from one written review: the
/// increments of its evidence (precision-weighted signal) and precision.
struct ReviewEvidence {
  double sum;
  double precision;
};

/// One written review of `stars`, read by a ranker whose estimate of the
/// offer's quality is now `mean`. Stars are not an unbiased reading of
/// quality: opinions are rounded to whole stars and capped at 1 and 5, and
/// the delighted and the disappointed write more, so reviews read further
/// from the middle than the offer is (quality 1 reads as 1.3) until the cap
/// pulls them back (2.5 reads as 1.9), whatever their number (a bias that
/// froze the ranker's errors near 0.1: docs/model.md). The ranker knows how its
/// buyers review (these parameters, as a platform that fits them to its own
/// reviews would) and reads a review as an observation of
/// g(q) = E[quality_of_stars(stars) | q, written], linearised at `mean` (one
/// extended Kalman step): precision g'(mean)^2 / V and signal
/// mean + (value - g(mean)) / g'(mean), V being the variance of the value
/// of a written review at `mean`. A review of an offer whose estimate lies
/// where stars saturate says little, as it should.
ReviewEvidence review_evidence(int stars, double mean, const ReviewParams& r) noexcept;

}  // namespace flywheel::agents
