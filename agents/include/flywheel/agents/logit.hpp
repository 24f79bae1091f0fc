#pragma once
// Multinomial-logit choice among offers against an outside option.

#include <cmath>
#include <cstddef>
#include <span>

namespace flywheel::agents {

/// Turns utilities into unnormalised logit weights (stable: shifted by the
/// largest utility, the outside option included) and returns the weight of
/// the outside option. weights may alias utilities.
inline double logit_weights(std::span<const double> utilities, double outside_utility, std::span<double> weights) {
  double top = outside_utility;
  for (double u : utilities) top = u > top ? u : top;
  for (std::size_t i = 0; i < utilities.size(); ++i) weights[i] = std::exp(utilities[i] - top);
  return std::exp(outside_utility - top);
}

/// Closed-form choice probabilities: P(i) = exp(u_i) / (exp(u_0) + sum_j exp(u_j)).
/// Writes one probability per offer; returns the outside option's.
inline double logit_probabilities(std::span<const double> utilities, double outside_utility,
                                  std::span<double> probabilities) {
  const double outside = logit_weights(utilities, outside_utility, probabilities);
  double total = outside;
  for (std::size_t i = 0; i < utilities.size(); ++i) total += probabilities[i];
  for (std::size_t i = 0; i < utilities.size(); ++i) probabilities[i] /= total;
  return outside / total;
}

/// Picks by weight with one uniform u in [0, 1): an index into weights, or
/// weights.size() for the outside option. Zero weights are never picked.
inline std::size_t pick_by_weight(std::span<const double> weights, double outside_weight, double u) {
  double total = outside_weight;
  for (double w : weights) total += w;
  double x = u * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0.0) continue;
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return weights.size();
}

}  // namespace flywheel::agents
