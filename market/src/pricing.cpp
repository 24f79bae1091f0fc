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
  // Orders what the new lever asks beyond the stock and what the mechanisms before it ordered today: the lever
  // and the metric count both, so a second mechanism does not order the first one's units again.
  void set_lever(Lever l, double target) {
    const double units = l == Lever::stock_units ? target : target * rate();
    const double order = std::floor(units - (shard_.state.offers.stock[offer_] + ordered_));
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

/// One 3P offer's bid as the subject of its seller's bid mechanisms.
class OfferBid {
 public:
  using Metric = agents::BidPolicy::Metric;
  using Lever = agents::BidPolicy::Lever;
  OfferBid(Shard& shard, std::uint32_t offer) : offers_(shard.state.offers), offer_(offer) {}

  /// Its clicks' cost since its last price review over its sales since then (at least one unit's price, so
  /// clicks that sold nothing still count).
  [[nodiscard]] double metric(Metric /*m*/, std::uint32_t /*delay*/) const {
    const double price = offers_.price[offer_];
    const double sales = std::max(price, price * offers_.units_since_review[offer_]);
    return sales > 0.0 ? offers_.ad_spend_since_review[offer_] / sales : 0.0;
  }
  [[nodiscard]] double lever(Lever /*l*/) const { return offers_.bid[offer_]; }
  void set_lever(Lever /*l*/, double bid) { offers_.bid[offer_] = static_cast<float>(bid); }

 private:
  OfferRows& offers_;
  std::uint32_t offer_;
};

// Whether offer o could have won a sponsored position since its last review, so that its ad cost of sales
// judges its bid: not while onboarding, nor while out of stock all along (no sale, no click; a seller's ads
// pause when its listing is out of stock). Such an offer keeps its bid.
bool had_a_position_to_win(const OfferRows& offers, std::uint32_t o, Tick tick) {
  if (tick < offers.selling_from[o]) return false;
  return offers.stock[o] > 0 || offers.units_since_review[o] > 0 || offers.ad_spend_since_review[o] > 0.0f;
}

// What the platform publishes about group g, from today's sales and the prices they were made at, and the
// ratings it displays.
void publish_category_signal(Shard& shard, std::size_t g, const TickContext& ctx) {
  const double memory = ctx.signal_memory;
  const auto& offers = shard.state.offers;
  CategorySignal& signal = shard.state.signals[g];
  double units = 0.0, value = 0.0, ratings = 0.0;
  for (std::uint32_t o = shard.group_begin(g); o < shard.group_end(g); ++o) {
    units += offers.units_today[o];
    value += offers.units_today[o] * static_cast<double>(offers.price[o]);
    ratings += displayed_stars(offers, o, ctx.reviews->rating_prior_weight);
  }
  signal.units_per_day = static_cast<float>((1.0 - memory) * signal.units_per_day + memory * units);
  if (units > 0.0)
    signal.average_price = static_cast<float>(
        signal.average_price > 0.0f ? (1.0 - memory) * signal.average_price + memory * value / units : value / units);
  signal.offers = shard.group_end(g) - shard.group_begin(g);
  signal.average_rating = signal.offers > 0 ? static_cast<float>(ratings / signal.offers) : 0.0f;
}

// The competitors' prices in a group, taken before anyone in it reprices.
struct GroupPrices {
  double sum = 0.0;
  std::uint32_t count = 0;
};
GroupPrices group_prices(const Shard& shard, std::size_t g) {
  GroupPrices prices;
  for (std::uint32_t o = shard.group_begin(g); o < shard.group_end(g); ++o) {
    prices.sum += shard.state.offers.price[o];
    ++prices.count;
  }
  return prices;
}

// An offer's sales-rate estimate and its seller's cumulative units; today's count starts again.
void update_sales_estimate(Shard& shard, std::uint32_t o, const agents::SellerParams& sp) {
  auto& offers = shard.state.offers;
  const auto units = offers.units_today[o];
  offers.sales_rate[o] = static_cast<float>((1.0 - sp.sales_memory) * offers.sales_rate[o] + sp.sales_memory * units);
  shard.state.sellers.cumulative_units[offers.seller[o]] += static_cast<float>(units);
  offers.units_today[o] = 0;
}

// The least price an offer asks: it covers the unit cost, fulfilment and (3P) the platform's fee with the
// minimum margin; the platform's own retail pays no fee and fulfils at its own unit cost.
double least_price(const Shard& shard, std::uint32_t o, double level, const PlatformTerms& terms,
                   const agents::SellerParams& sp) {
  const std::uint32_t s = shard.state.offers.seller[o];
  const double unit_cost = shard.state.sellers.unit_cost[s];
  if (is_first_party(shard, o)) return agents::price_floor(unit_cost, terms.fulfilment_unit_cost, 0.0, sp.min_margin);
  return agents::price_floor(unit_cost, third_party_fulfilment_cost(shard, s, terms, sp, level), terms.take_rate,
                             sp.min_margin);
}

// An offer's price after its review, 1P and 3P alike: the hill-climbing rule on its own profit, against the mean
// price of the other offers in its group, never below its least price. A 1P price then stays within the
// platform's margin policy: at most the markup lever over its unit cost (which may sell below the least price:
// a platform may choose to).
void review_offer_price(Shard& shard, std::uint32_t o, const GroupPrices& group, double level,
                        const PlatformTerms& terms, const agents::SellerParams& sp) {
  auto& offers = shard.state.offers;
  const double others = group.count > 1 ? (group.sum - offers.price[o]) / (group.count - 1) : 0.0;
  const auto decision =
      agents::reviewed_price({offers.price[o], offers.sold_out_since_review[o] != 0, offers.units_since_review[o],
                              offers.profit_since_review[o], offers.profit_last_window[o], offers.price_direction[o],
                              others, least_price(shard, o, level, terms, sp), sp.price_step, sp.competitor_band});
  double price = decision.price;
  if (is_first_party(shard, o))
    price = std::min(price, shard.state.sellers.unit_cost[offers.seller[o]] * terms.first_party_markup);
  offers.price[o] = static_cast<float>(price);
  offers.price_direction[o] = static_cast<std::int8_t>(decision.direction);
}

// The next review window starts empty.
void start_review_window(Shard& shard, std::uint32_t o) {
  auto& offers = shard.state.offers;
  offers.profit_last_window[o] = offers.profit_since_review[o];
  offers.profit_since_review[o] = 0.0f;
  offers.ad_spend_since_review[o] = 0.0f;
  offers.units_since_review[o] = 0;
  offers.sold_out_since_review[o] = 0;
}

// An offer whose seller's review day it is gets a new price (1P and 3P alike are reviewed every reprice_interval
// days, staggered by seller id).
void review_price(Shard& shard, std::uint32_t o, const GroupPrices& group, double level, const PlatformTerms& terms,
                  const TickContext& ctx) {
  const auto& sp = *ctx.sellers;
  if (index(shard.state.sellers.id[shard.state.offers.seller[o]]) % sp.reprice_interval !=
          ctx.tick % sp.reprice_interval ||
      ctx.tick < shard.state.offers.selling_from[o])  // nothing to learn from before shoppers see it
    return;
  review_offer_price(shard, o, group, level, terms, sp);
  start_review_window(shard, o);
}

// An offer's stock mechanisms reorder; the seller (or, for 1P, the platform) pays for the order, for holding the
// stock it had before it, and (3P) for the listing's running cost. A 3P seller orders no more than its cash and
// credit line pay for.
void restock(Shard& shard, std::uint32_t o, std::size_t p, const TickContext& ctx) {
  const auto& sp = *ctx.sellers;
  auto& offers = shard.state.offers;
  auto& sellers = shard.state.sellers;
  auto& tally = shard.state.tally[p];
  const std::uint32_t s = offers.seller[o];
  const double unit_cost = sellers.unit_cost[s];
  const double holding = sp.holding_cost * unit_cost * offers.stock[o];
  OfferStock stock(shard, o);
  for (const auto& m : sp.stock_policy) agents::apply(m, stock, ctx.tick);
  double ordered = stock.ordered();
  if (is_first_party(shard, o)) {
    tally.first_party_stock_cost += ordered * unit_cost + holding;
    tally.profit_1p -= holding;
  } else {
    const double running = holding + sp.fixed_cost;  // each listing has its own running cost
    const double affordable = std::max(0.0, std::floor((sellers.cash[s] + sp.credit_line - running) / unit_cost));
    if (ordered > affordable) {
      ordered = affordable;
      ++tally.short_restocks;
    }
    sellers.cash[s] -= ordered * unit_cost + running;
    tally.profit_3p -= running;
  }
  offers.stock[o] += static_cast<std::uint32_t>(ordered);
}

// A seller's unit cost moves down its learning curve with the units it has sold: a 3P seller's curve is
// sellers.learning_*, a platform's 1P retail's is its own first_party.learning_*.
void move_down_learning_curve(Shard& shard, std::uint32_t s, const TickContext& ctx) {
  auto& sellers = shard.state.sellers;
  const bool first_party = sellers.owner[s] != no_platform;
  const double scale =
      first_party ? ctx.platforms[index(sellers.owner[s])].first_party.learning_scale : ctx.sellers->learning_scale;
  const double exponent = first_party ? ctx.platforms[index(sellers.owner[s])].first_party.learning_exponent
                                      : ctx.sellers->learning_exponent;
  sellers.unit_cost[s] = static_cast<float>(
      agents::learning_curve_cost(sellers.base_cost[s], sellers.cumulative_units[s], scale, exponent));
}

// A 3P seller books the day's profit into its profit trend and into the trend of its fulfilment mode.
void update_profit_trend(Shard& shard, std::uint32_t s, const agents::SellerParams& sp) {
  const double trend_memory = sp.profit_memory;
  auto& sellers = shard.state.sellers;
  const double profit = sellers.cash[s] - sellers.cash_at_day_start[s];
  sellers.cash_at_day_start[s] = sellers.cash[s];
  sellers.profit_trend[s] = static_cast<float>((1.0 - trend_memory) * sellers.profit_trend[s] + trend_memory * profit);
  auto& mode_profit = sellers.platform_fulfilled[s] != 0 ? sellers.profit_platform[s] : sellers.profit_self[s];
  mode_profit = static_cast<float>((1.0 - trend_memory) * mode_profit + trend_memory * profit);
}

// On its review day a 3P seller keeps the fulfilment mode that has paid better, or explores the other.
void review_fulfilment(Shard& shard, std::uint32_t s, const TickContext& ctx) {
  const auto& sp = *ctx.sellers;
  auto& sellers = shard.state.sellers;
  if (index(sellers.id[s]) % sp.fulfilment_review_interval != ctx.tick % sp.fulfilment_review_interval) return;
  const auto bits = random::block(ctx.seed, ctx.tick, static_cast<std::uint32_t>(index(sellers.id[s])),
                                  agents::purpose(agents::Purpose::seller_daily));
  sellers.platform_fulfilled[s] = agents::choose_platform_fulfilment(
      sellers.platform_fulfilled[s] != 0, sellers.profit_self[s], sellers.profit_platform[s], random::open01(bits[0]),
      sp.fulfilment_exploration);
}

// A 3P seller that has lost money with no cash left for exit_patience days leaves (merged after the pass).
void decide_exit(Shard& shard, std::uint32_t s, const agents::SellerParams& sp) {
  auto& sellers = shard.state.sellers;
  sellers.losing_days[s] = agents::next_losing_days(sellers.losing_days[s], sellers.cash[s], sellers.profit_trend[s]);
  if (sellers.losing_days[s] > sp.exit_patience) shard.exits.push_back(s);
}

// 3P sellers per platform they list on (a multi-homing seller counts on each).
void count_third_party_sellers(Shard& shard) {
  for (std::uint32_t o = 0; o < shard.state.offers.size(); ++o)
    if (!is_first_party(shard, o)) ++shard.state.tally[index(shard.state.offers.platform[o])].sellers_3p;
}

}  // namespace

void price_and_restock(Shard& shard, const TickContext& ctx) {
  const auto& sp = *ctx.sellers;
  // Offers, group by group in (category, platform) order, so that sums into a seller's cash or a platform's tally
  // always add up in one order; each rule of an offer reads what the rules before it wrote.
  for (std::uint32_t local = 0; local < shard.local_categories(); ++local) {
    const double level =
        ctx.categories->price_level(ctx.categories->global(static_cast<std::uint32_t>(index(shard.id())), local));
    for (std::size_t p = 0; p < shard.platforms(); ++p) {
      const std::size_t g = shard.group(local, p);
      publish_category_signal(shard, g, ctx);
      if (!ctx.terms[p].open) continue;  // an exited platform's offers are closing (leave_exited_platforms)
      const GroupPrices group = group_prices(shard, g);
      for (std::uint32_t o = shard.group_begin(g); o < shard.group_end(g); ++o) {
        update_sales_estimate(shard, o, sp);
        if (sponsored_slots(ctx.terms[p], ctx.loops->sponsored) > 0 && !is_first_party(shard, o) &&
            had_a_position_to_win(shard.state.offers, o, ctx.tick)) {
          OfferBid bid(shard, o);  // before the price review, which starts a new window
          for (const auto& m : sp.bid_policy) agents::apply(m, bid, ctx.tick);
        }
        review_price(shard, o, group, level, ctx.terms[p], ctx);
        restock(shard, o, p, ctx);
        ++shard.state.tally[p].offers;
        tally_offer_evidence(shard, ctx.terms[p], o, ctx.tick, shard.state.tally[p]);
      }
    }
  }
  // Sellers' own books.
  auto& sellers = shard.state.sellers;
  const bool learning = ctx.loops->scale_economies;
  for (std::uint32_t s = 0; s < sellers.size(); ++s) {
    if (learning) move_down_learning_curve(shard, s, ctx);
    if (sellers.owner[s] != no_platform) {
      ++shard.state.tally[index(sellers.owner[s])].sellers_1p;
      continue;
    }
    update_profit_trend(shard, s, sp);
    review_fulfilment(shard, s, ctx);
    decide_exit(shard, s, sp);
  }
  count_third_party_sellers(shard);
}

}  // namespace flywheel::market
