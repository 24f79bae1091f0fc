#pragma once
// Reviews' parameters: how often buyers write them, how far a review strays
// from the offer's true quality, and how platforms show their mean. They
// belong to neither side alone (customers write them, platforms display
// them, rankers and shoppers read them), so they have a section of their own.

#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

struct ReviewParams {
  double probability = 0.15;
  double noise = 1.0;
  double rating_prior_weight = 3.0;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("probability", probability, "Chance a buyer writes a review", between(0.0, 1.0));
    v.field("noise", noise, "Sigma of a review around the offer's true quality", between(0.0, 100.0));
    v.field("rating_prior_weight", rating_prior_weight,
            "Pseudo-reviews at the mean that a displayed rating starts from", between(0.0, 1e6));
  }
};

}  // namespace flywheel::agents
