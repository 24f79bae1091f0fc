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

/// The precision of one review as a signal of quality: its opinion's noise
/// and the rounding to whole stars (a uniform error of one star's width).
inline double review_precision(const ReviewParams& r) noexcept {
  return 1.0 / (r.noise * r.noise + r.star_width * r.star_width / 12.0);
}

}  // namespace flywheel::agents
