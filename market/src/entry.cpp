#include "flywheel/market/entry.hpp"

#include <algorithm>
#include <array>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>

#include "flywheel/agents/purposes.hpp"
#include "flywheel/agents/review_rules.hpp"
#include "flywheel/agents/seller_rules.hpp"
#include "flywheel/engine/random.hpp"
#include "flywheel/market/pricing.hpp"

namespace flywheel::market {

double quality_edge(const TickContext& ctx, double quality, const CategorySignal& signal) noexcept {
  const double rated = agents::quality_of_stars(signal.average_rating, ctx.reviews->star_width);
  return ctx.sellers->quality_foresight * ctx.customers->quality_weight * (quality - rated);
}

void consider_entry(Shard& shard, const TickContext& ctx) {
  const auto& sp = *ctx.sellers;
  if (sp.entry_pool_rate <= 0.0 || !ctx.loops->third_party_entry) return;
  const auto shard_index = static_cast<std::uint32_t>(index(shard.id()));
  boost::random::poisson_distribution<std::uint32_t, double> arrivals(sp.entry_pool_rate);
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> uniform;

  for (std::uint32_t local = 0; local < shard.local_categories(); ++local) {
    const std::uint32_t category = ctx.categories->global(shard_index, local);
    auto urng = random::stream(ctx.seed, ctx.tick, category, agents::purpose(agents::Purpose::entry));
    const std::uint32_t candidates = arrivals(urng);
    const double level = ctx.categories->price_level(category);
    for (std::uint32_t i = 0; i < candidates; ++i) {
      Birth b{category,
              0,
              static_cast<float>(sp.quality_sd * normal(urng)),
              static_cast<float>(uniform(urng)),
              static_cast<float>(level * sp.cost_ratio * std::exp(sp.cost_spread * normal(urng))),
              ctx.tick + sp.onboarding_days};
      std::array<double, 8> profit_on{};  // expected profit per platform; 0 where none
      for (std::size_t p = 0; p < shard.platforms(); ++p) {
        const PlatformTerms& terms = ctx.terms[p];
        if (!terms.open || !terms.third_party) continue;
        const CategorySignal& signal = shard.state.signals[shard.group(local, p)];
        if (signal.units_per_day <= 0.0f) continue;  // nothing published: nothing to go on
        const double profit = agents::expected_entry_profit(
            {signal.units_per_day, signal.average_price, signal.offers, terms.take_rate,
             std::min(terms.fulfilment_fee, sp.self_ship_cost * level), b.unit_cost, sp.fixed_cost, sp.entry_horizon,
             sp.entry_cost, quality_edge(ctx, b.quality, signal)});
        profit_on[p] = std::max(0.0, profit);
      }
      // The most profitable platforms first (ties: the lower index), as many as the seller can manage.
      for (std::uint32_t listed = 0; listed < sp.max_platforms; ++listed) {
        std::size_t best = shard.platforms();
        for (std::size_t p = 0; p < shard.platforms(); ++p)
          if (profit_on[p] > 0.0 && (best == shard.platforms() || profit_on[p] > profit_on[best])) best = p;
        if (best == shard.platforms()) break;
        b.platforms = static_cast<std::uint8_t>(b.platforms | (1u << best));
        profit_on[best] = 0.0;
      }
      if (b.platforms != 0) shard.births.push_back(b);
    }
  }
}

std::uint32_t add_seller(Shard& shard, const TickContext& ctx, const Birth& b, PlatformId owner) {
  const auto& sp = *ctx.sellers;
  auto& s = shard.state.sellers;
  const auto slot = static_cast<std::uint32_t>(s.size());
  const bool first_party = owner != no_platform;
  // A new 3P seller ships itself unless the platform's fee is the cheaper way.
  bool use_platform = first_party;
  for (std::size_t p = 0; p < shard.platforms() && !first_party; ++p)
    if ((b.platforms >> p & 1u) != 0 &&
        ctx.terms[p].fulfilment_fee < sp.self_ship_cost * ctx.categories->price_level(b.category))
      use_platform = true;

  agents::append_row(s);
  s.id[slot] = shard.next_seller_id();
  s.category[slot] = b.category;
  s.owner[slot] = owner;
  s.quality[slot] = b.quality;
  s.variant[slot] = b.variant;
  s.base_cost[slot] = b.unit_cost;
  s.unit_cost[slot] = b.unit_cost;
  s.cash[slot] = first_party ? 0.0 : sp.initial_cash;
  s.cash_at_day_start[slot] = s.cash[slot];
  s.platform_fulfilled[slot] = use_platform ? 1 : 0;
  s.born[slot] = ctx.tick;

  for (std::size_t p = 0; p < shard.platforms(); ++p) {
    if ((b.platforms >> p & 1u) == 0) continue;
    list_offer(shard, ctx, slot, p, b.selling_from);
    if (!first_party) ++shard.state.tally[p].entries;
  }
  return slot;
}

void list_offer(Shard& shard, const TickContext& ctx, std::uint32_t slot, std::size_t p, Tick selling_from) {
  const auto& sp = *ctx.sellers;
  const auto& s = shard.state.sellers;
  const PlatformTerms& terms = ctx.terms[p];
  double price = 0.0;
  if (s.owner[slot] != no_platform) {
    price = s.unit_cost[slot] * terms.first_party_markup;
  } else {
    const double level = ctx.categories->price_level(s.category[slot]);
    const double fulfilment = third_party_fulfilment_cost(shard, slot, terms, sp, level);
    price = sp.initial_markup * (s.unit_cost[slot] + fulfilment) / (1.0 - terms.take_rate);
  }
  auto& o = shard.state.offers;
  const std::size_t offer = agents::append_row(o);
  o.seller[offer] = slot;
  o.category[offer] = s.category[slot];
  o.platform[offer] = make_id<PlatformId>(p);
  o.price[offer] = static_cast<float>(price);
  o.bid[offer] = s.owner[slot] != no_platform ? 0.0f : static_cast<float>(sp.initial_bid);
  o.stock[offer] = static_cast<std::uint32_t>(std::ceil(sp.initial_stock_days * sp.initial_sales_rate));
  o.sales_rate[offer] = static_cast<float>(sp.initial_sales_rate);
  o.selling_from[offer] = selling_from;
}

void admit_births(Shard& shard, const TickContext& ctx) {
  if (shard.births.empty()) return;
  for (const Birth& b : shard.births) add_seller(shard, ctx, b, no_platform);
  shard.births.clear();
  shard.reorder();
}

}  // namespace flywheel::market
