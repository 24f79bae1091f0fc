#include "flywheel/market/matching.hpp"

#include <algorithm>
#include <array>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>

#include "flywheel/agents/customer_rules.hpp"
#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/logit.hpp"
#include "flywheel/agents/purposes.hpp"
#include "flywheel/engine/random.hpp"
#include "flywheel/market/ranking.hpp"

namespace flywheel::market {
namespace {

constexpr std::size_t max_shown = 64;

// Books one unit sold: stock, the seller's money, the platform's tally.
void book_sale(Shard& shard, std::uint32_t o, const PlatformTerms& terms, const TickContext& ctx, bool member,
               double level) {
  auto& offers = shard.offers;
  auto& sellers = shard.sellers;
  auto& tally = shard.tally[index(offers.platform[o])];
  const std::uint32_t s = offers.seller[o];
  const double price = offers.price[o];
  const bool first_party = sellers.owner[s] != no_platform;
  const bool fulfilled = platform_fulfils(shard, o);

  --offers.stock[o];
  ++offers.units_today[o];
  ++offers.units_since_review[o];
  if (offers.stock[o] == 0) offers.sold_out_since_review[o] = 1;

  ++tally.orders;
  tally.gmv += price;
  tally.price_index_sum += price / level;
  if (fulfilled) {
    ++tally.units_fulfilled;
    if (!member) tally.shipping_revenue += terms.shipping_fee;
  }
  if (first_party) {
    ++tally.units_1p;
    tally.first_party_sales += price;
    return;
  }
  ++tally.units_3p;
  tally.value_3p += price;
  const double fee = terms.take_rate * price;
  tally.fee_revenue += fee;
  double shipping = ctx.sellers->self_ship_cost * level;
  if (fulfilled) {
    shipping = terms.fulfilment_fee;
    tally.fulfilment_fee_revenue += terms.fulfilment_fee;
  }
  sellers.cash[s] += price - fee - shipping;
  shard.offers.profit_since_review[o] += static_cast<float>(price - fee - shipping - sellers.unit_cost[s]);
}

}  // namespace

void match_intents(Shard& shard, std::span<Intent> intents, const TickContext& ctx) {
  const auto& cp = *ctx.customers;
  const auto& sp = *ctx.sellers;
  const std::uint32_t k = ctx.consideration_set;
  const double review_precision = 1.0 / (sp.review_noise * sp.review_noise);
  std::array<double, max_shown> weight{};

  for (Intent& intent : intents) {
    const std::size_t p = index(intent.platform);
    const PlatformTerms& terms = ctx.terms[p];
    auto& tally = shard.tally[p];
    ++tally.visits;
    const std::uint32_t local = ctx.categories->local_index(intent.category);
    const std::size_t g = shard.group(local, p);
    const std::size_t n = shard.shown_count[g];
    intent.outcome = Outcome::no_purchase;
    intent.paid = 0.0f;
    intent.experience = static_cast<float>(cp.failed_search_experience);
    if (n == 0) {
      ++tally.failed_searches;
      continue;
    }

    const std::size_t c = index(intent.customer);
    const int m = intent.member;
    const double my_taste = agents::taste(ctx.seed, static_cast<std::uint32_t>(c), intent.category);
    const double price_sens = intent.price_sensitivity;
    const double delivery_sens = intent.delivery_sensitivity;
    const ShownOffer* shown = &shard.shown[g * k];
    for (std::size_t i = 0; i < n; ++i) {
      weight[i] = shown[i].base - price_sens * shown[i].log_price[m] - delivery_sens * shown[i].days[m] -
                  cp.taste_weight * agents::circular_distance(my_taste, shown[i].variant);
    }
    std::array<double, max_shown> utility;
    std::copy_n(weight.begin(), n, utility.begin());
    const double outside = agents::logit_weights({weight.data(), n}, cp.outside_utility, {weight.data(), n});

    auto urng =
        random::stream(ctx.seed, ctx.tick, static_cast<std::uint32_t>(c), agents::purpose(agents::Purpose::choose));
    boost::random::uniform_01<double> uniform;
    std::size_t pick = n;
    for (std::size_t attempt = 0; attempt <= n; ++attempt) {
      pick = agents::pick_by_weight({weight.data(), n}, outside, uniform(urng));
      if (pick == n || shard.offers.stock[shown[pick].offer] > 0) break;
      weight[pick] = 0.0;  // sold out since the ranking: on to the next choice
      pick = n;
    }
    if (pick == n) {
      ++tally.failed_searches;
      continue;
    }

    const std::uint32_t o = shown[pick].offer;
    const double level = ctx.categories->price_level(intent.category);
    book_sale(shard, o, terms, ctx, m != 0, level);
    const double quality = shard.sellers.quality[shard.offers.seller[o]];
    boost::random::normal_distribution<double> noise;
    intent.outcome = Outcome::bought;
    intent.paid = static_cast<float>(level * std::exp(shown[pick].log_price[m]));
    intent.experience = static_cast<float>(utility[pick] + cp.experience_noise * noise(urng) - cp.outside_utility);

    // What the platform learns: every sale's outcome signal, and a review if one is written.
    const double signal = quality + noise(urng) / std::sqrt(terms.ranker_signal_precision);
    shard.offers.evidence_sum[o] += static_cast<float>(signal * terms.ranker_signal_precision);
    shard.offers.evidence_precision[o] += static_cast<float>(terms.ranker_signal_precision);
    if (uniform(urng) < sp.review_probability) {
      const double review = quality + sp.review_noise * noise(urng);
      shard.offers.rating_sum[o] += static_cast<float>(review);
      shard.offers.rating_count[o] += 1.0f;
      shard.offers.evidence_sum[o] += static_cast<float>(review * review_precision);
      shard.offers.evidence_precision[o] += static_cast<float>(review_precision);
    }
  }
}

}  // namespace flywheel::market
