#include "flywheel/market/platform_terms.hpp"

#include <algorithm>

namespace flywheel::market {

void snapshot_terms(const std::vector<agents::Platform>& platforms, std::size_t customers,
                    std::vector<PlatformTerms>& terms) {
  terms.clear();
  for (const auto& p : platforms) {
    const auto& params = p.params();
    const double prior_sd = params.ranker.prior_sd;
    const double noise = params.ranker.signal_noise;
    const auto& l = p.levers();
    terms.push_back({p.open(),
                     params.third_party,
                     p.offers_membership(),
                     l.take_rate,
                     l.fulfilment_fee,
                     l.shipping_fee,
                     p.books().delivery_days,
                     params.membership.days_saved,
                     l.first_party_markup,
                     p.books().fulfilment_unit_cost,
                     l.membership_fee,
                     params.membership.consideration_rate,
                     std::min(1.0, p.impressions_per_day() / static_cast<double>(std::max<std::size_t>(1, customers))),
                     params.ad_response,
                     1.0 / (prior_sd * prior_sd),
                     p.books().ranker_prior_mean_1p,
                     p.books().ranker_prior_mean_3p,
                     params.ranker.prior_window,
                     1.0 / (noise * noise),
                     noise,
                     params.ranker.exploration,
                     params.ranker.candidates,
                     params.ranker.taste_doubt,
                     params.ranker.review_trust,
                     l.first_party_boost,
                     l.fulfilled_boost,
                     l.ad_slots,
                     params.ad_reserve});
  }
}

std::uint8_t open_platforms(std::span<const PlatformTerms> terms) noexcept {
  std::uint8_t mask = 0;
  for (std::size_t p = 0; p < terms.size(); ++p)
    if (terms[p].open) mask = static_cast<std::uint8_t>(mask | (1u << p));
  return mask;
}

std::size_t nth_open_platform(std::span<const PlatformTerms> terms, std::size_t n) noexcept {
  for (std::size_t p = 0; p < terms.size(); ++p)
    if (terms[p].open && n-- == 0) return p;
  return terms.size();
}

}  // namespace flywheel::market
