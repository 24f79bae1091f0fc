#pragma once
// The platform's ranker. Each day, for each (category, platform) group that
// shoppers visit, it picks a pool of candidates: its best in-stock offers by
// what it estimates suits a typical shopper (estimated quality with an
// exploration bonus, price with shipping, delivery). Each shopper's list is
// the top k of that pool by the ranker's estimate for that shopper: the pool's
// score less the shopper's estimated misfit, taken from what the platform
// learnt of the shopper's taste (agents::TasteProfile). The ranker reads only
// the platform's own data; shoppers' true tastes and offers' true quality are
// kept beside it for the shopper's own judgement and for measurement.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "flywheel/agents/review_rules.hpp"
#include "flywheel/market/shard.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::market {

/// The ranker's current estimate of an offer's quality and its uncertainty:
/// a normal posterior from its prior (what the platform has learnt of its
/// offers as a whole: quality_prior) and the precision-weighted
/// signals (sales outcomes, reviews) it has observed of this offer.
struct QualityEstimate {
  double mean;
  double sd;
};
QualityEstimate estimate_quality(float evidence_sum, float evidence_precision, QualityPrior prior) noexcept;

/// The ranker's prior for an offer: of its own 1P offers or of 3P offers.
QualityPrior quality_prior(const Shard& shard, const PlatformTerms& terms, std::uint32_t offer) noexcept;

/// Adds what an offer's evidence says of the mean quality of new offers of its kind to its platform's tally,
/// while the offer is within its first ranker_prior_window days shown (offers that survive for years are better
/// than those that arrive). Its evidence mean x = sum / precision observes that mean with variance
/// prior_sd^2 + 1 / precision (the spread of offers about the mean, and the noise of its own signals): x at that
/// variance's inverse as precision.
void tally_offer_evidence(const Shard& shard, const PlatformTerms& terms, std::uint32_t offer, Tick tick,
                          agents::PlatformTally& tally) noexcept;

/// Whether an offer is its platform's own (1P).
inline bool is_first_party(const Shard& shard, std::uint32_t offer) noexcept {
  return shard.state.sellers.owner[shard.state.offers.seller[offer]] != no_platform;
}

/// Whether the platform's network delivers an offer (1P, or a 3P seller that uses its fulfilment).
inline bool platform_fulfils(const Shard& shard, std::uint32_t offer) noexcept {
  const std::uint32_t seller = shard.state.offers.seller[offer];
  return shard.state.sellers.owner[seller] != no_platform || shard.state.sellers.platform_fulfilled[seller] != 0;
}

/// The displayed rating, in stars: the mean of an offer's reviews, shrunk
/// towards 3 stars by `prior_weight` pseudo-reviews (3 with no review at all).
inline double displayed_stars(const OfferRows& offers, std::uint32_t o, double prior_weight) noexcept {
  const double weight = offers.rating_count[o] + prior_weight;
  return weight > 0.0 ? (offers.rating_sum[o] + agents::middle_stars * prior_weight) / weight : agents::middle_stars;
}

/// What a shopper expects of an offer's quality from its displayed rating.
inline double rating_promise(const OfferRows& offers, std::uint32_t o, const agents::ReviewParams& r) noexcept {
  return agents::quality_of_stars(displayed_stars(offers, o, r.rating_prior_weight), r.star_width);
}

/// Build one group's pool (`pool`, reused) from the shard's offers:
/// group g of category `category` on platform p. `scratch` is a reusable buffer.
void build_pool(const Shard& shard, std::size_t g, std::uint32_t category, std::size_t p, const TickContext& ctx,
                CandidatePool& pool, std::vector<std::pair<double, std::uint32_t>>& scratch);

/// The k best pool rows for a shopper by the ranker's estimate: score[row]
/// less taste_weight x the row's expected misfit, its variant's distance from
/// the estimated `style` beyond the ranker's `doubt` (ranking.cpp says why);
/// best first (ties: the lower row), into `list`; rows scored -infinity (sold
/// out) never. Returns how many (at most k, at most the pool's rows).
/// `scores` is scratch of the pool's size.
std::uint32_t personal_list(const CandidatePool& pool, float style, float doubt, float taste_weight, std::uint32_t k,
                            std::span<float> scores, std::span<std::uint8_t> list) noexcept;

/// The k largest of `values` (ties: the lower index), best first, into
/// `list`; -infinity never. Returns how many.
std::uint32_t top_k(std::span<const float> values, std::uint32_t k, std::span<std::uint8_t> list) noexcept;

}  // namespace flywheel::market
