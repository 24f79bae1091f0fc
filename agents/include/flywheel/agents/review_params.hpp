#pragma once
// Reviews' parameters: how often buyers write them, how far a buyer's
// opinion strays from the offer's true quality, the star scale, and how
// platforms show the mean (agents/review_rules.hpp). They
// belong to neither side alone (customers write them, platforms display
// them, rankers and shoppers read them), so they have a section of their own.

#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

struct ReviewParams {
  double probability = 0.06;
  double extremity = 3.0;
  double noise = 1.0;
  double star_width = 1.0;
  double rating_prior_weight = 3.0;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("probability", probability, "Chance a buyer with a middling (3-star) opinion writes a review",
            between(0.0, 1.0));
    v.field("extremity", extremity,
            "How much more the delighted and the disappointed write: a buyer giving s stars writes with chance "
            "probability x (1 + extremity x ((s - 3) / 2)^2) (0: all alike)",
            between(0.0, 1000.0));
    v.field("noise", noise, "Sigma of a buyer's opinion around the offer's true quality", between(0.0, 100.0));
    v.field("star_width", star_width,
            "Quality one star stands for: an opinion of quality 0 gives 3 stars, one more per star_width (1 to 5)",
            between(0.01, 100.0));
    v.field("rating_prior_weight", rating_prior_weight, "Pseudo-reviews of 3 stars that a displayed rating starts from",
            between(0.0, 1e6));
  }
};

}  // namespace flywheel::agents
