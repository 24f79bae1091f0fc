#include "flywheel/market/matching.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "flywheel/agents/customer_rules.hpp"
#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/logit.hpp"
#include "flywheel/agents/purposes.hpp"
#include "flywheel/engine/philox_pair.hpp"
#include "flywheel/engine/random.hpp"
#include "flywheel/market/ranking.hpp"

namespace flywheel::market {
namespace {

constexpr std::size_t max_shown = 64;

// Books one unit sold: stock, the seller's money, the platform's tally.
// Returns what the customer paid: the price, plus shipping unless a member.
double book_sale(Shard& shard, std::uint32_t o, const PlatformTerms& terms, const TickContext& ctx, bool member,
                 double level) {
  auto& offers = shard.state.offers;
  auto& sellers = shard.state.sellers;
  auto& tally = shard.state.tally[index(offers.platform[o])];
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
  const double shipping_paid = fulfilled && !member ? terms.shipping_fee : 0.0;
  if (fulfilled) {
    ++tally.units_fulfilled;
    tally.shipping_revenue += shipping_paid;
  }
  if (first_party) {
    ++tally.units_1p;
    tally.first_party_sales += price;
    return price + shipping_paid;
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
  shard.state.offers.profit_since_review[o] += static_cast<float>(price - fee - shipping - sellers.unit_cost[s]);
  return price + shipping_paid;
}

}  // namespace

void match_intents(Shard& shard, std::span<Intent> intents, const TickContext& ctx) {
  const auto& cp = *ctx.customers;
  const auto& reviews = *ctx.reviews;
  const std::uint32_t k = ctx.consideration_set;
  const double review_precision = 1.0 / (reviews.noise * reviews.noise);
  // The choice is made in float: utilities are O(1) and their noise far
  // larger than float's rounding, and expf costs a third of exp.
  const auto taste_weight = static_cast<float>(cp.taste_weight);
  const auto outside_utility = static_cast<float>(cp.outside_utility);
  std::array<float, max_shown> utility{};
  std::array<float, max_shown> weight{};
  const random::PhiloxPair philox_pair(random::key(ctx.seed));
  const bool ranker_learns = ctx.loops->data;

  for (Intent& intent : intents) {
    const std::size_t p = index(intent.platform);
    const PlatformTerms& terms = ctx.terms[p];
    auto& tally = shard.state.tally[p];
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

    // Two Philox blocks, side by side: the shopper's taste in the category,
    // and this visit's usual draws (the pick, two noises, the review's coin).
    // Rarer draws (a second pick, a review's noise) take later blocks.
    const auto entity = static_cast<std::uint32_t>(index(intent.customer));
    const std::uint32_t choose = agents::purpose(agents::Purpose::choose);
    const auto [taste_draw, draws] =
        philox_pair(agents::taste_counter(entity, intent.category), random::counter(ctx.tick, entity, choose));
    const auto my_taste = static_cast<float>(agents::taste_in(taste_draw));
    const int m = intent.member;
    const float price_sens = intent.price_sensitivity;
    const float delivery_sens = intent.delivery_sensitivity;
    const std::size_t first = g * k;
    const float* base = &shard.shown.base[first];
    const float* log_price = &shard.shown.log_price[m][first];
    const float* days = &shard.shown.days[m][first];
    const float* variant = &shard.shown.variant[first];
    const std::uint32_t* shown_offer = &shard.shown.offer[first];
    for (std::size_t i = 0; i < n; ++i) {
      utility[i] = base[i] - price_sens * log_price[i] - delivery_sens * days[i] -
                   taste_weight * agents::circular_distance(my_taste, variant[i]);
    }
    const float outside = agents::logit_weights<float>({utility.data(), n}, outside_utility, {weight.data(), n});

    std::size_t pick = n;
    for (std::uint32_t attempt = 0; attempt <= n; ++attempt) {
      const std::uint32_t bits =
          attempt == 0 ? draws[0] : random::block(ctx.seed, ctx.tick, entity, choose, 1 + attempt)[0];
      pick = agents::pick_by_weight<float>({weight.data(), n}, outside, random::unit(bits));
      if (pick == n || shard.state.offers.stock[shown_offer[pick]] > 0) break;
      weight[pick] = 0.0f;  // sold out since the ranking: on to the next choice
      pick = n;
    }
    if (pick == n) {
      ++tally.failed_searches;
      continue;
    }

    const std::uint32_t o = shown_offer[pick];
    const double level = ctx.categories->price_level(intent.category);
    intent.outcome = Outcome::bought;
    intent.paid = static_cast<float>(book_sale(shard, o, terms, ctx, m != 0, level));
    const auto noise = random::normal_pair(draws[1], draws[2]);
    intent.experience = utility[pick] + static_cast<float>(cp.experience_noise) * noise.x - outside_utility;

    // What the platform learns: every sale's outcome signal, and a review if one is written (shown to
    // shoppers whether or not the ranker learns from it).
    const double quality = shard.state.sellers.quality[shard.state.offers.seller[o]];
    if (ranker_learns) {
      const double signal = quality + noise.y * terms.ranker_signal_sd;
      shard.state.offers.evidence_sum[o] += static_cast<float>(signal * terms.ranker_signal_precision);
      shard.state.offers.evidence_precision[o] += static_cast<float>(terms.ranker_signal_precision);
    }
    if (random::unit(draws[3]) < reviews.probability) {
      const auto review_draws = random::block(ctx.seed, ctx.tick, entity, choose, 1);
      const double review = quality + reviews.noise * random::normal_pair(review_draws[0], review_draws[1]).x;
      shard.state.offers.rating_sum[o] += static_cast<float>(review);
      shard.state.offers.rating_count[o] += 1.0f;
      if (ranker_learns) {
        shard.state.offers.evidence_sum[o] += static_cast<float>(review * review_precision);
        shard.state.offers.evidence_precision[o] += static_cast<float>(review_precision);
      }
    }
  }
}

}  // namespace flywheel::market
