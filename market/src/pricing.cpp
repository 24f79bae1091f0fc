#include "flywheel/market/pricing.hpp"

#include <algorithm>
#include <cmath>

#include "flywheel/agents/mechanism.hpp"
#include "flywheel/agents/purposes.hpp"
#include "flywheel/agents/seller_rules.hpp"
#include "flywheel/engine/random.hpp"
#include "flywheel/market/ranking.hpp"

namespace flywheel::market {
namespace {

/// One offer's stock as the subject of the seller's stock mechanisms.
class OfferStock {
 public:
  using Metric = agents::StockPolicy::Metric;
  using Lever = agents::StockPolicy::Lever;
  OfferStock(Shard& shard, std::uint32_t offer) : shard_(shard), offer_(offer) {}

  [[nodiscard]] double metric(Metric m, std::uint32_t /*delay*/) const { return value(m); }
  [[nodiscard]] double lever(Lever l) const {
    return value(l == Lever::stock_units ? Metric::stock_units : Metric::stock_cover_days);
  }
  void set_lever(Lever l, double target) {
    const double units = l == Lever::stock_units ? target : target * rate();
    const double order = std::floor(units - shard_.state.offers.stock[offer_]);
    if (order > 0.0) ordered_ += order;
  }
  /// Units ordered by the mechanisms this tick.
  [[nodiscard]] double ordered() const { return ordered_; }

 private:
  [[nodiscard]] double rate() const {
    return std::max(1e-3, static_cast<double>(shard_.state.offers.sales_rate[offer_]));
  }
  [[nodiscard]] double value(Metric m) const {
    const double stock = static_cast<double>(shard_.state.offers.stock[offer_]) + ordered_;
    return m == Metric::stock_units ? stock : stock / rate();
  }
  Shard& shard_;
  std::uint32_t offer_;
  double ordered_ = 0.0;
};

struct GroupPrices {
  double sum = 0.0;
  std::uint32_t count = 0;
};

// Updates the signal the platform publishes for group g from today's sales.
void publish_signal(Shard& shard, std::size_t g, double memory) {
  const auto& offers = shard.state.offers;
  CategorySignal& signal = shard.state.signals[g];
  double units = 0.0, value = 0.0;
  for (std::uint32_t o = shard.group_begin(g); o < shard.group_end(g); ++o) {
    units += offers.units_today[o];
    value += offers.units_today[o] * static_cast<double>(offers.price[o]);
  }
  signal.units_per_day = static_cast<float>((1.0 - memory) * signal.units_per_day + memory * units);
  if (units > 0.0)
    signal.average_price = static_cast<float>(
        signal.average_price > 0.0f ? (1.0 - memory) * signal.average_price + memory * value / units : value / units);
  signal.offers = shard.group_end(g) - shard.group_begin(g);
}

}  // namespace

void price_and_restock(Shard& shard, const TickContext& ctx) {
  const auto& sp = *ctx.sellers;
  auto& offers = shard.state.offers;
  auto& sellers = shard.state.sellers;

  for (std::uint32_t local = 0; local < shard.local_categories(); ++local) {
    const std::uint32_t category = ctx.categories->global(static_cast<std::uint32_t>(index(shard.id())), local);
    const double level = ctx.categories->price_level(category);
    for (std::size_t p = 0; p < shard.platforms(); ++p) {
      const PlatformTerms& terms = ctx.terms[p];
      auto& tally = shard.state.tally[p];
      const std::size_t g = shard.group(local, p);
      // What the platform publishes about the group, and the competitors' prices, before anyone reprices.
      publish_signal(shard, g, ctx.signal_memory);
      GroupPrices group;
      for (std::uint32_t o = shard.group_begin(g); o < shard.group_end(g); ++o) {
        group.sum += offers.price[o];
        ++group.count;
      }
      for (std::uint32_t o = shard.group_begin(g); o < shard.group_end(g); ++o) {
        const std::uint32_t s = offers.seller[o];
        const bool first_party = sellers.owner[s] != no_platform;
        const auto units = offers.units_today[o];
        offers.sales_rate[o] =
            static_cast<float>((1.0 - sp.sales_memory) * offers.sales_rate[o] + sp.sales_memory * units);
        sellers.cumulative_units[s] += static_cast<float>(units);
        offers.units_today[o] = 0;

        const double unit_cost = sellers.unit_cost[s];
        const double holding = sp.holding_cost * unit_cost * offers.stock[o];
        if (index(sellers.id[s]) % sp.reprice_interval == ctx.tick % sp.reprice_interval) {
          if (first_party) {
            offers.price[o] = static_cast<float>(unit_cost * terms.first_party_markup);
          } else {
            const bool fulfilled = sellers.platform_fulfilled[s] != 0;
            const double fulfilment = fulfilled ? terms.fulfilment_fee : sp.self_ship_cost * level;
            const double others = group.count > 1 ? (group.sum - offers.price[o]) / (group.count - 1) : 0.0;
            const auto decision = agents::reviewed_price(
                {offers.price[o], offers.sold_out_since_review[o] != 0, offers.units_since_review[o],
                 offers.profit_since_review[o], offers.profit_last_window[o], offers.price_direction[o], others,
                 agents::price_floor(unit_cost, fulfilment, terms.take_rate, sp.min_margin), sp.price_step,
                 sp.competitor_band});
            offers.price[o] = static_cast<float>(decision.price);
            offers.price_direction[o] = static_cast<std::int8_t>(decision.direction);
          }
          offers.profit_last_window[o] = offers.profit_since_review[o];
          offers.profit_since_review[o] = 0.0f;
          offers.units_since_review[o] = 0;
          offers.sold_out_since_review[o] = 0;
        }

        OfferStock stock(shard, o);
        for (const auto& m : sp.stock_policy) agents::apply(m, stock, ctx.tick);
        const double order_cost = stock.ordered() * unit_cost;
        offers.stock[o] += static_cast<std::uint32_t>(stock.ordered());
        if (first_party) {
          tally.first_party_stock_cost += order_cost + holding;
        } else {
          sellers.cash[s] -= order_cost + holding + sp.fixed_cost;  // each listing has its own running cost
        }

        ++tally.offers;
        const auto est =
            estimate_quality(offers.evidence_sum[o], offers.evidence_precision[o], terms.ranker_prior_precision);
        tally.ranker_abs_error += std::fabs(est.mean - sellers.quality[s]);
        ++tally.ranked_offers;
      }
    }
  }

  // Sellers' own books: fixed costs, profit trend, learning, fulfilment choice, exit.
  const double trend_memory = 1.0 / 30.0;
  for (std::uint32_t s = 0; s < sellers.size(); ++s) {
    sellers.unit_cost[s] = static_cast<float>(agents::learning_curve_cost(
        sellers.base_cost[s], sellers.cumulative_units[s], sp.learning_scale, sp.learning_exponent));
    if (sellers.owner[s] != no_platform) {
      ++shard.state.tally[index(sellers.owner[s])].sellers_1p;
      continue;
    }
    const double profit = sellers.cash[s] - sellers.cash_at_day_start[s];
    sellers.cash_at_day_start[s] = sellers.cash[s];
    sellers.profit_trend[s] =
        static_cast<float>((1.0 - trend_memory) * sellers.profit_trend[s] + trend_memory * profit);
    auto& mode_profit = sellers.platform_fulfilled[s] != 0 ? sellers.profit_platform[s] : sellers.profit_self[s];
    mode_profit = static_cast<float>((1.0 - trend_memory) * mode_profit + trend_memory * profit);
    if (index(sellers.id[s]) % sp.fulfilment_review_interval == ctx.tick % sp.fulfilment_review_interval) {
      const auto bits = random::block(ctx.seed, ctx.tick, static_cast<std::uint32_t>(index(sellers.id[s])),
                                      agents::purpose(agents::Purpose::seller_daily));
      sellers.platform_fulfilled[s] = agents::choose_platform_fulfilment(
          sellers.platform_fulfilled[s] != 0, sellers.profit_self[s], sellers.profit_platform[s],
          random::open01(bits[0]), sp.fulfilment_exploration);
    }
    sellers.losing_days[s] = agents::next_losing_days(sellers.losing_days[s], sellers.cash[s], sellers.profit_trend[s]);
    if (sellers.losing_days[s] > sp.exit_patience) shard.exits.push_back(s);
  }
  // 3P sellers are counted per platform they list on (a multi-homing seller counts on each).
  for (std::uint32_t o = 0; o < offers.size(); ++o)
    if (sellers.owner[offers.seller[o]] == no_platform) ++shard.state.tally[index(offers.platform[o])].sellers_3p;
}

}  // namespace flywheel::market
