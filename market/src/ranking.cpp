#include "flywheel/market/ranking.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::market {

QualityEstimate estimate_quality(float evidence_sum, float evidence_precision, double prior_precision) noexcept {
  const double precision = prior_precision + evidence_precision;
  return {evidence_sum / precision, 1.0 / std::sqrt(precision)};
}

void rank_offers(Shard& shard, const TickContext& ctx) {
  const auto& cp = *ctx.customers;
  const auto& sp = *ctx.sellers;
  const std::uint32_t k = ctx.consideration_set;
  const std::uint32_t shard_index = static_cast<std::uint32_t>(index(shard.id()));
  auto& offers = shard.state.offers;
  auto& candidates = shard.candidates;

  for (std::uint32_t local = 0; local < shard.local_categories(); ++local) {
    const std::uint32_t category = ctx.categories->global(shard_index, local);
    const double level = ctx.categories->price_level(category);
    for (std::size_t p = 0; p < shard.platforms(); ++p) {
      const PlatformTerms& terms = ctx.terms[p];
      const std::size_t g = shard.group(local, p);
      candidates.clear();
      for (std::uint32_t o = shard.group_begin(g); o < shard.group_end(g); ++o) {
        if (offers.stock[o] == 0) continue;
        const auto est =
            estimate_quality(offers.evidence_sum[o], offers.evidence_precision[o], terms.ranker_prior_precision);
        const double rating = offers.rating_sum[o] / (offers.rating_count[o] + ctx.reviews->rating_prior_weight);
        const bool fulfilled = platform_fulfils(shard, o);
        const double paid = offers.price[o] + (fulfilled ? terms.shipping_fee : 0.0);
        const double days = fulfilled ? terms.delivery_days : sp.self_ship_days;
        const double score = cp.quality_weight * (est.mean + terms.ranker_exploration * est.sd) +
                             cp.rating_weight * rating - cp.price_sensitivity * std::log(paid / level) -
                             cp.delivery_sensitivity * days;
        candidates.emplace_back(score, o);
      }
      const std::size_t shown = std::min<std::size_t>(k, candidates.size());
      // The top `shown`; ties go to the lower offer index, so the order is canonical.
      std::partial_sort(
          candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(shown), candidates.end(),
          [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
      shard.shown_count[g] = static_cast<std::uint8_t>(shown);
      for (std::size_t i = 0; i < shown; ++i) {
        const std::uint32_t o = candidates[i].second;
        const bool fulfilled = platform_fulfils(shard, o);
        const double price = offers.price[o];
        const double rating = offers.rating_sum[o] / (offers.rating_count[o] + ctx.reviews->rating_prior_weight);
        const std::size_t row = g * k + i;
        ShownOffers& s = shard.shown;
        s.offer[row] = o;
        s.base[row] = static_cast<float>(cp.quality_weight * shard.state.sellers.quality[offers.seller[o]] +
                                         cp.rating_weight * rating);
        s.log_price[0][row] = static_cast<float>(std::log((price + (fulfilled ? terms.shipping_fee : 0.0)) / level));
        s.log_price[1][row] = static_cast<float>(std::log(price / level));
        s.days[0][row] = static_cast<float>(fulfilled ? terms.delivery_days : sp.self_ship_days);
        s.days[1][row] = static_cast<float>(fulfilled ? std::max(0.0, terms.delivery_days - terms.member_days_saved)
                                                      : sp.self_ship_days);
        s.variant[row] = shard.state.sellers.variant[offers.seller[o]];
      }
    }
  }
}

}  // namespace flywheel::market
