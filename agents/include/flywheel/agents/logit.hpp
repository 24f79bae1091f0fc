#pragma once
// Multinomial-logit choice among offers against an outside option, in float
// (the matching kernel: utilities need no more, and vector_math.hpp goes
// four lanes at a time) or double.

#include <cmath>
#include <cstddef>
#include <span>

#include "flywheel/agents/vector_math.hpp"

namespace flywheel::agents {

/// Turns utilities into unnormalised logit weights (stable: shifted by the
/// largest utility, the outside option included) and returns the weight of
/// the outside option. weights may alias utilities.
template <class Real>
Real logit_weights(std::span<const Real> utilities, Real outside_utility, std::span<Real> weights) {
  const Real top = max_of(utilities, outside_utility);
  exp_shifted(utilities, top, weights);
  return std::exp(outside_utility - top);
}

/// Closed-form choice probabilities: P(i) = exp(u_i) / (exp(u_0) + sum_j exp(u_j)).
/// Writes one probability per offer; returns the outside option's.
template <class Real>
Real logit_probabilities(std::span<const Real> utilities, Real outside_utility, std::span<Real> probabilities) {
  const Real outside = logit_weights(utilities, outside_utility, probabilities);
  Real total = outside;
  for (std::size_t i = 0; i < utilities.size(); ++i) total += probabilities[i];
  for (std::size_t i = 0; i < utilities.size(); ++i) probabilities[i] /= total;
  return outside / total;
}

/// Picks by weight with one uniform u in [0, 1): an index into weights, or
/// weights.size() for the outside option. Zero weights are never picked.
template <class Real>
std::size_t pick_by_weight(std::span<const Real> weights, Real outside_weight, double u) {
  const Real total = outside_weight + sum_of(weights);
  return first_cumulative_above(weights, static_cast<Real>(u * total));
}

}  // namespace flywheel::agents
