#include "flywheel/agents/review_rules.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace flywheel::agents {
namespace {

double normal_cdf(double x) noexcept { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double normal_pdf(double x) noexcept { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }

}  // namespace

ReviewEvidence review_evidence(int stars, double mean, const ReviewParams& r) noexcept {
  // With no opinion noise, stars are a step function of quality and a
  // linearised reading is meaningless; read them as if opinions strayed by a
  // twentieth of a star.
  const double sd = std::max(r.noise, 0.05 * r.star_width);
  // The normal's cdf and density at the cuts between whole stars (opinions
  // within half a star's width of s round to s): index s holds the upper
  // edge of s stars, 0 and 5 the open ends (-infinity, +infinity).
  std::array<double, max_stars + 1> cdf{};
  std::array<double, max_stars + 1> pdf{};
  cdf[max_stars] = 1.0;
  for (int s = min_stars; s < max_stars; ++s) {
    const double cut = (quality_of_stars(s, r.star_width) + 0.5 * r.star_width - mean) / sd;
    cdf[s] = normal_cdf(cut);
    pdf[s] = normal_pdf(cut);
  }
  // Moments over the stars a buyer at quality `mean` would write: weight
  // P(stars = s) x P(writes | s), and their derivatives in `mean`.
  double m0 = 0, m1 = 0, m2 = 0, d0 = 0, d1 = 0;
  for (int s = min_stars; s <= max_stars; ++s) {
    const double value = quality_of_stars(s, r.star_width);
    const double w = write_probability(s, r);
    const double p = (cdf[s] - cdf[s - 1]) * w;
    const double dp = (pdf[s - 1] - pdf[s]) / sd * w;  // d/dmean of P(stars = s) x P(writes | s)
    m0 += p;
    m1 += p * value;
    m2 += p * value * value;
    d0 += dp;
    d1 += dp * value;
  }
  if (!(m0 > 0)) return {0.0, 0.0};
  const double g = m1 / m0;
  const double slope = (d1 * m0 - m1 * d0) / (m0 * m0);
  const double variance = m2 / m0 - g * g;
  if (!(slope > 0) || !(variance > 0)) return {0.0, 0.0};
  const double precision = slope * slope / variance;
  const double signal = mean + (quality_of_stars(stars, r.star_width) - g) / slope;
  return {signal * precision, precision};
}

}  // namespace flywheel::agents
