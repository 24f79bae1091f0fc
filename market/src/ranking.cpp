#include "flywheel/market/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "flywheel/agents/customer_rules.hpp"
#include "flywheel/engine/errors.hpp"

namespace flywheel::market {

QualityEstimate estimate_quality(float evidence_sum, float evidence_precision, QualityPrior prior) noexcept {
  const double precision = prior.precision + evidence_precision;
  return {(prior.mean * prior.precision + evidence_sum) / precision, 1.0 / std::sqrt(precision)};
}

QualityPrior quality_prior(const Shard& shard, const PlatformTerms& terms, std::uint32_t offer) noexcept {
  return {is_first_party(shard, offer) ? terms.ranker_prior_mean_1p : terms.ranker_prior_mean_3p,
          terms.ranker_prior_precision};
}

void tally_offer_evidence(const Shard& shard, const PlatformTerms& terms, std::uint32_t offer, Tick tick,
                          agents::PlatformTally& tally) noexcept {
  const Tick first_shown = shard.state.offers.selling_from[offer];
  if (tick < first_shown || tick - first_shown >= terms.ranker_prior_window) return;
  const double precision = shard.state.offers.evidence_precision[offer];
  // 1 / (prior_sd^2 + 1 / precision), and x times it, written without dividing by a precision of 0.
  const double shrink = 1.0 / (1.0 + precision / terms.ranker_prior_precision);
  const bool own = is_first_party(shard, offer);
  (own ? tally.population_evidence_1p : tally.population_evidence_3p) +=
      shrink * shard.state.offers.evidence_sum[offer];
  (own ? tally.population_precision_1p : tally.population_precision_3p) += shrink * precision;
}

void build_pool(const Shard& shard, std::size_t g, std::uint32_t category, std::size_t p, const TickContext& ctx,
                CandidatePool& pool, std::vector<std::pair<double, std::uint32_t>>& scratch) {
  const auto& cp = *ctx.customers;
  const auto& sp = *ctx.sellers;
  const PlatformTerms& terms = ctx.terms[p];
  const double level = ctx.categories->price_level(category);
  const auto& offers = shard.state.offers;
  const auto& sellers = shard.state.sellers;

  scratch.clear();
  for (std::uint32_t o = shard.group_begin(g); o < shard.group_end(g); ++o) {
    if (offers.stock[o] == 0 || ctx.tick < offers.selling_from[o]) continue;  // sold out, or still onboarding
    const auto est =
        estimate_quality(offers.evidence_sum[o], offers.evidence_precision[o], quality_prior(shard, terms, o));
    const bool fulfilled = platform_fulfils(shard, o);
    const double paid = offers.price[o] + (fulfilled ? terms.shipping_fee : 0.0);
    const double days = fulfilled ? terms.delivery_days : sp.self_ship_days;
    const bool own = is_first_party(shard, o);
    const double score = cp.quality_weight * (est.mean + terms.ranker_exploration * est.sd) -
                         cp.price_sensitivity * std::log(paid / level) - cp.delivery_sensitivity * days +
                         (own ? terms.first_party_boost : 0.0) + (fulfilled ? terms.fulfilled_boost : 0.0);
    scratch.emplace_back(score, o);
  }
  const std::size_t rows = std::min<std::size_t>(terms.ranker_candidates, scratch.size());
  FLYWHEEL_ASSERT(rows <= pool.offer.size());  // the shard's pool holds the largest platform's candidates
  // The best `rows`; ties go to the lower offer index, so the order is canonical.
  std::partial_sort(
      scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(rows), scratch.end(),
      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  pool.size = static_cast<std::uint32_t>(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::uint32_t o = scratch[i].second;
    const bool fulfilled = platform_fulfils(shard, o);
    const double price = offers.price[o];
    pool.offer[i] = o;
    pool.score[i] = static_cast<float>(scratch[i].first);
    pool.error[i] = static_cast<float>(std::fabs(
        estimate_quality(offers.evidence_sum[o], offers.evidence_precision[o], quality_prior(shard, terms, o)).mean -
        sellers.quality[offers.seller[o]]));
    pool.variant[i] = sellers.variant[offers.seller[o]];
    // A seller's clicks are paid from its cash and credit line: one that has
    // spent both bids for nothing today (checked once a day, so a day's
    // clicks may overrun it).
    pool.bid[i] = sellers.cash[offers.seller[o]] + sp.credit_line > 0.0 ? offers.bid[o] : 0.0f;
    pool.promise[i] = static_cast<float>(cp.quality_weight * rating_promise(offers, o, *ctx.reviews));
    pool.quality[i] = static_cast<float>(cp.quality_weight * sellers.quality[offers.seller[o]]);
    pool.log_price[0][i] = static_cast<float>(std::log((price + (fulfilled ? terms.shipping_fee : 0.0)) / level));
    pool.log_price[1][i] = static_cast<float>(std::log(price / level));
    pool.days[0][i] = static_cast<float>(fulfilled ? terms.delivery_days : sp.self_ship_days);
    pool.days[1][i] = static_cast<float>(fulfilled ? std::max(0.0, terms.delivery_days - terms.member_days_saved)
                                                   : sp.self_ship_days);
  }
}

std::uint32_t top_k(std::span<const float> values, std::uint32_t k, std::span<std::uint8_t> list) noexcept {
  if (k == 0) return 0;
  std::uint32_t n = 0;  // rows held in `list`, best first
  float worst_held = -std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < values.size(); ++j) {
    const float v = values[j];
    if (n == k ? !(v > worst_held) : !(v > -std::numeric_limits<float>::infinity())) continue;
    // Insert after every held row at least as good (ties keep the lower row first).
    std::uint32_t at = n < k ? n : k - 1;
    while (at > 0 && values[list[at - 1]] < v) {
      list[at] = list[at - 1];
      --at;
    }
    list[at] = static_cast<std::uint8_t>(j);
    if (n < k) ++n;
    worst_held = values[list[n - 1]];
  }
  return n;
}

// Misfit counts only beyond the ranker's doubt: a list it narrowed to its
// point estimate would show variants on one side of a wrong estimate only,
// the shopper's purchase would confirm the estimate, and it would never learn
// (measured: docs/model.md). Within its doubt it ranks as for anyone.
std::uint32_t personal_list(const CandidatePool& pool, float style, float doubt, float taste_weight, std::uint32_t k,
                            std::span<float> scores, std::span<std::uint8_t> list) noexcept {
  const std::uint32_t rows = pool.size;
  const float* score = pool.score.data();
  if (doubt >= 0.5f) {  // it knows nothing of the shopper: the pool's first k in stock, the pool being best first
    std::uint32_t n = 0;
    for (std::uint32_t j = 0; j < rows && n < k; ++j)
      if (score[j] > -std::numeric_limits<float>::infinity()) list[n++] = static_cast<std::uint8_t>(j);
    return n;
  }
  const float* variant = pool.variant.data();
  for (std::uint32_t j = 0; j < rows; ++j)
    scores[j] = score[j] - taste_weight * std::max(0.0f, agents::circular_distance(style, variant[j]) - doubt);
  return top_k(scores.first(rows), k, list);
}

}  // namespace flywheel::market
