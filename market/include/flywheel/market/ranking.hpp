#pragma once
#include "flywheel/market/shard.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::market {

/// The ranker's current estimate of an offer's quality and its uncertainty:
/// a normal posterior from a prior at 0 and the precision-weighted signals
/// (sales outcomes, reviews) the platform has observed.
struct QualityEstimate {
  double mean;
  double sd;
};
QualityEstimate estimate_quality(float evidence_sum, float evidence_precision, double prior_precision) noexcept;

/// Whether the platform's network delivers an offer (1P, or a 3P seller that uses its fulfilment).
inline bool platform_fulfils(const Shard& shard, std::uint32_t offer) noexcept {
  const std::uint32_t seller = shard.state.offers.seller[offer];
  return shard.state.sellers.owner[seller] != no_platform || shard.state.sellers.platform_fulfilled[seller] != 0;
}

/// For every (category, platform) of the shard, picks the top k in-stock
/// offers by the platform's own estimate of what suits a typical shopper
/// (estimated quality plus an exploration bonus, rating, price, delivery) and
/// precomputes their shopper-independent utility terms.
void rank_offers(Shard& shard, const TickContext& ctx);

}  // namespace flywheel::market
