#include "flywheel/runtime/output_schema.hpp"

#include "output_conventions.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>
#include <string>

namespace flywheel::runtime {
namespace {

using market::Categories;
using market::CategorySignal;

using agents::PlatformDay;
using h5::Element;

// A day's ratio with nothing to divide by (no visits, no units, no panel
// visit) is undefined: NaN, which xarray and pandas skip in means, not a 0.
double ratio(double a, double b) noexcept { return b > 0.0 ? a / b : std::numeric_limits<double>::quiet_NaN(); }
template <class T>
double real(T v) noexcept {
  return static_cast<double>(v);
}

// Units: "1" for counts and ratios, "currency" for money (the scenario's
// unit of price_level), "d" (UDUNITS' day) for delivery times; counts and
// money flows are per tick, i.e. per simulated day.
constexpr std::array platform_table{
    PlatformSeries{"active_customers", "1",
                   "shopping customers (not lapsed) whose last kept purchase was on the platform, or who started "
                   "on it and have kept none since",
                   Element::i64, Over::point, true, [](const PlatformDay& d) { return real(d.books.active_customers); }},
    PlatformSeries{"members", "1", "paid members", Element::i64, Over::point, false,
                   [](const PlatformDay& d) { return real(d.books.members); }},
    PlatformSeries{"market_share", "1", "share of all platforms' visits that day", Element::f64, Over::mean, true,
                   [](const PlatformDay& d) { return d.market_share; }},
    PlatformSeries{"visits", "1", "shopping visits (traffic) that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.visits); }},
    PlatformSeries{"orders", "1", "orders that day (kept: returns are not counted)", Element::i64, Over::sum, true,
                   [](const PlatformDay& d) { return real(d.tally.orders); }},
    PlatformSeries{"conversion", "1", "orders per visit that day", Element::f64, Over::mean, false,
                   [](const PlatformDay& d) { return ratio(real(d.tally.orders), real(d.tally.visits)); }},
    PlatformSeries{"failed_searches", "1", "visits that found nothing worth buying", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.failed_searches); }},
    PlatformSeries{"returns", "1", "purchases returned for a refund that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.returns); }},
    PlatformSeries{
        "mean_experience", "1",
        "mean realised experience of a purchase (utility against the outside option; returned ones too)", Element::f64, Over::mean,
        true,
        [](const PlatformDay& d) { return ratio(d.tally.experience_sum, real(d.tally.orders + d.tally.returns)); }},
    PlatformSeries{
        "purchase_position", "1", "mean position of the bought offer in its list (1: the top)", Element::f64, Over::mean, false,
        [](const PlatformDay& d) { return ratio(real(d.tally.position_sum), real(d.tally.orders + d.tally.returns)); }},
    PlatformSeries{"listed_visits", "1", "visits shown a list of at least one offer: taste_error's weight", Element::i64,
                   Over::sum, false, [](const PlatformDay& d) { return real(d.tally.listed_visits); }},
    PlatformSeries{"taste_error", "1",
                   "the ranker's mean error about shoppers' tastes in the category visited (variant distance; 0.25, "
                   "a random guess's, for a shopper it has no purchase of)",
                   Element::f64, Over::mean, true,
                   [](const PlatformDay& d) { return ratio(d.tally.taste_error_sum, real(d.tally.listed_visits)); },
                   "listed_visits"},
    PlatformSeries{"list_regret", "1",
                   "utility a shopper's list lost against an oracle's list of the same length (expected inclusive "
                   "value over the shopper's attention; measured on a panel of one customer in 8)",
                   Element::f64, Over::mean, true,
                   [](const PlatformDay& d) { return ratio(d.tally.regret_sum, real(d.tally.regret_visits)); }},
    PlatformSeries{"units_1p", "1", "units sold by the platform's own (1P) retail", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.units_1p); }},
    PlatformSeries{"units_3p", "1", "units sold by third-party (3P) sellers", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.units_3p); }},
    PlatformSeries{"units_fulfilled", "1", "units the platform's fulfilment network delivered (1P and fulfilled 3P)",
                   Element::i64, Over::sum, false, [](const PlatformDay& d) { return real(d.tally.units_fulfilled); }},
    PlatformSeries{"gmv", "currency",
                   "gross merchandise value: offers' prices of the units sold, net of returns (no shipping fee)",
                   Element::f64, Over::sum, true, [](const PlatformDay& d) { return d.tally.gmv; }},
    PlatformSeries{"value_3p", "currency", "gross merchandise value sold by 3P sellers", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.tally.value_3p; }},
    PlatformSeries{
        "third_party_unit_share", "1", "3P share of units sold", Element::f64, Over::mean, true,
        [](const PlatformDay& d) { return ratio(real(d.tally.units_3p), real(d.tally.units_1p + d.tally.units_3p)); }},
    PlatformSeries{"third_party_value_share", "1", "3P share of gross merchandise value", Element::f64, Over::mean, false,
                   [](const PlatformDay& d) { return ratio(d.tally.value_3p, d.tally.gmv); }},
    PlatformSeries{"average_price_paid", "currency", "gross merchandise value per unit sold", Element::f64, Over::mean, true,
                   [](const PlatformDay& d) { return ratio(d.tally.gmv, real(d.tally.units_1p + d.tally.units_3p)); }},
    PlatformSeries{
        "price_index", "1",
        "mean over units sold (net of returns) of the offer's price / its category's usual price (no shipping fee; "
        "mix-free: each unit against its own category)",
        Element::f64, Over::mean, false,
        [](const PlatformDay& d) { return ratio(d.tally.price_index_sum, real(d.tally.units_1p + d.tally.units_3p)); }},
    PlatformSeries{"fee_revenue", "currency", "take-rate fees from 3P sales", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.tally.fee_revenue; }},
    PlatformSeries{"fulfilment_fee_revenue", "currency", "fees 3P sellers paid for the platform's fulfilment",
                   Element::f64, Over::sum, false, [](const PlatformDay& d) { return d.tally.fulfilment_fee_revenue; }},
    PlatformSeries{"shipping_revenue", "currency", "shipping fees non-members paid", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.tally.shipping_revenue; }},
    PlatformSeries{"first_party_sales", "currency", "revenue of the platform's own (1P) retail", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.tally.first_party_sales; }},
    PlatformSeries{"membership_revenue", "currency", "membership fees, charged daily", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.membership_revenue; }},
    PlatformSeries{"revenue", "currency", "all revenue: fees, fulfilment, shipping, 1P sales, membership, ad revenue", Element::f64, Over::sum,
                   true, [](const PlatformDay& d) { return d.revenue; }},
    PlatformSeries{"fulfilment_cost", "currency", "variable cost of the units the network delivered", Element::f64, Over::sum,
                   false, [](const PlatformDay& d) { return d.fulfilment_cost; }},
    PlatformSeries{"member_orders", "1", "units the platform delivered to members", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.member_orders); }},
    PlatformSeries{"member_cost", "currency",
                   "what members' faster delivery cost the platform (membership.cost_per_order per member order)",
                   Element::f64, Over::sum, false, [](const PlatformDay& d) { return d.member_cost; }},
    PlatformSeries{"fixed_cost", "currency", "fixed cost of the fulfilment network and software", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.fixed_cost; }},
    PlatformSeries{"first_party_stock_cost", "currency", "cost of 1P stock bought and held", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.tally.first_party_stock_cost; }},
    PlatformSeries{"delivery_investment", "currency", "investment in fulfilment capital", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.delivery_investment; }},
    PlatformSeries{"marketing_spend", "currency", "spend on advertising to customers", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.marketing_spend; }},
    PlatformSeries{"operating_profit", "currency", "revenue less every cost and investment", Element::f64, Over::sum, true,
                   [](const PlatformDay& d) { return d.operating_profit; }},
    PlatformSeries{"consumer_surplus", "currency",
                   "shoppers' expected surplus of what they examined over their outside option, in money at the "
                   "category's usual price, corrected from what they perceived to what they get",
                   Element::f64, Over::sum, false, [](const PlatformDay& d) { return d.tally.consumer_surplus; }},
    PlatformSeries{"profit_3p", "currency",
                   "3P listings' profit here: margins on units sold (after fee, unit cost and shipping) less running "
                   "and holding costs and clicks on sponsored positions",
                   Element::f64, Over::sum, false, [](const PlatformDay& d) { return d.tally.profit_3p; }},
    PlatformSeries{"profit_1p", "currency",
                   "the platform's own retail's profit: margins on units sold (after unit and fulfilment cost) less "
                   "holding costs; part of operating_profit",
                   Element::f64, Over::sum, false, [](const PlatformDay& d) { return d.tally.profit_1p; }},
    PlatformSeries{"welfare", "currency", "consumer_surplus + profit_3p + operating_profit", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) {
                     return d.tally.consumer_surplus + d.tally.profit_3p + d.operating_profit;
                   }},
    PlatformSeries{"payout", "currency", "operating profit paid out rather than reinvested", Element::f64, Over::sum, false,
                   [](const PlatformDay& d) { return d.payout; }},
    PlatformSeries{"cash", "currency", "cash at the end of the day", Element::f64, Over::point, true,
                   [](const PlatformDay& d) { return d.books.cash; }},
    PlatformSeries{"credit_used", "currency", "money owed: how far cash is below 0, drawn on the credit line",
                   Element::f64, Over::point, false, [](const PlatformDay& d) { return std::max(0.0, -d.books.cash); }},
    PlatformSeries{"days_beyond_credit", "1", "consecutive days its cash has closed below -credit_line", Element::i64, Over::point,
                   false, [](const PlatformDay& d) { return real(d.books.days_beyond_credit); }},
    PlatformSeries{"open", "1", "1 while it trades, 0 from the day it exited (beyond its credit line too long)",
                   Element::i64, Over::point, true, [](const PlatformDay& d) { return real(1 - d.books.exited); }},
    PlatformSeries{"take_rate", "1", "fee on 3P sales as a share of the price (lever, after the day's mechanisms)",
                   Element::f64, Over::point, true, [](const PlatformDay& d) { return d.levers.take_rate; }},
    PlatformSeries{"fulfilment_fee", "currency", "fee per unit for the platform's fulfilment (lever)", Element::f64, Over::point,
                   false, [](const PlatformDay& d) { return d.levers.fulfilment_fee; }},
    PlatformSeries{"first_party_markup", "1", "most a 1P price may be over its unit cost (lever)", Element::f64, Over::point, false,
                   [](const PlatformDay& d) { return d.levers.first_party_markup; }},
    PlatformSeries{"membership_fee", "currency", "yearly membership fee (lever)", Element::f64, Over::point, false,
                   [](const PlatformDay& d) { return d.levers.membership_fee; }},
    PlatformSeries{"shipping_fee", "currency", "shipping fee per non-member order (lever)", Element::f64, Over::point, false,
                   [](const PlatformDay& d) { return d.levers.shipping_fee; }},
    PlatformSeries{"payout_share", "1", "share of positive operating profit paid out (lever)", Element::f64, Over::point, false,
                   [](const PlatformDay& d) { return d.levers.payout_share; }},
    PlatformSeries{"first_party_boost", "1", "ranking boost of its own 1P offers, in utility (lever)", Element::f64, Over::point,
                   false, [](const PlatformDay& d) { return d.levers.first_party_boost; }},
    PlatformSeries{"fulfilled_boost", "1", "ranking boost of the offers it delivers, in utility (lever)",
                   Element::f64, Over::point, false, [](const PlatformDay& d) { return d.levers.fulfilled_boost; }},
    PlatformSeries{"ad_slots", "1", "sponsored positions per list (lever; its whole part counts)", Element::f64, Over::point, false,
                   [](const PlatformDay& d) { return d.levers.ad_slots; }},
    PlatformSeries{"ad_revenue", "currency", "sellers' payments for clicks on sponsored positions (in revenue)",
                   Element::f64, Over::sum, false, [](const PlatformDay& d) { return d.tally.ad_revenue; }},
    PlatformSeries{"sponsored_clicks", "1", "sponsored positions shoppers examined", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.sponsored_clicks); }},
    PlatformSeries{"sponsored_sales", "1", "purchases of offers shown in a sponsored position", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.sponsored_sales); }},
    PlatformSeries{"delivery_days", "d", "delivery time of orders the platform fulfils", Element::f64, Over::point, true,
                   [](const PlatformDay& d) { return d.books.delivery_days; }},
    PlatformSeries{"capacity", "d-1", "units a day the platform's fulfilment network handles before it slows",
                   Element::f64, Over::point, false, [](const PlatformDay& d) { return d.capacity; }},
    PlatformSeries{"capacity_use", "1", "units the platform fulfilled that day over its capacity", Element::f64, Over::mean, false,
                   [](const PlatformDay& d) { return d.capacity_use; }},
    PlatformSeries{"fulfilment_unit_cost", "currency", "the network's variable cost per unit (falls with scale)",
                   Element::f64, Over::point, false, [](const PlatformDay& d) { return d.books.fulfilment_unit_cost; }},
    PlatformSeries{"sellers_1p", "1", "the platform's own (1P) seller rows", Element::i64, Over::point, false,
                   [](const PlatformDay& d) { return real(d.tally.sellers_1p); }},
    PlatformSeries{"sellers_3p", "1",
                   "3P sellers listing on the platform, onboarding ones included (a multi-homing seller counts on each)",
                   Element::i64, Over::point, true, [](const PlatformDay& d) { return real(d.tally.sellers_3p); }},
    PlatformSeries{"offers", "1", "offers listed (selection)", Element::i64, Over::point, true,
                   [](const PlatformDay& d) { return real(d.tally.offers); }},
    PlatformSeries{"seller_entries", "1", "3P sellers that started listing that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.entries); }},
    PlatformSeries{"seller_exits", "1", "3P listings withdrawn by sellers that left that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.exits); }},
    PlatformSeries{"listings_added", "1", "3P sellers already selling elsewhere that listed here that day",
                   Element::i64, Over::sum, false, [](const PlatformDay& d) { return real(d.tally.listings_added); }},
    PlatformSeries{"listings_dropped", "1", "3P sellers that stopped listing here that day but sell elsewhere",
                   Element::i64, Over::sum, false, [](const PlatformDay& d) { return real(d.tally.listings_dropped); }},
    PlatformSeries{"short_restocks", "1",
                   "3P offers restocked less than their sellers wanted that day: their cash and credit ran out",
                   Element::i64, Over::sum, false, [](const PlatformDay& d) { return real(d.tally.short_restocks); }},
    PlatformSeries{"stars_1", "1", "reviews of 1 star written that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.stars_1); }},
    PlatformSeries{"stars_2", "1", "reviews of 2 stars written that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.stars_2); }},
    PlatformSeries{"stars_3", "1", "reviews of 3 stars written that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.stars_3); }},
    PlatformSeries{"stars_4", "1", "reviews of 4 stars written that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.stars_4); }},
    PlatformSeries{"stars_5", "1", "reviews of 5 stars written that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.stars_5); }},
    PlatformSeries{"referrals", "1", "referrals the platform's satisfied buyers sent that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.referrals); }},
    PlatformSeries{"ad_starts", "1", "inactive customers who started shopping there that day after its advertisement",
                   Element::i64, Over::sum, false, [](const PlatformDay& d) { return real(d.tally.ad_starts); }},
    PlatformSeries{"lapses", "1", "customers who shopped there last and gave up shopping that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.lapses); }},
    PlatformSeries{"won_back", "1", "lapsed customers who started shopping there again that day", Element::i64, Over::sum, false,
                   [](const PlatformDay& d) { return real(d.tally.won_back); }},
    PlatformSeries{"intensity", "1",
                   "mean shopping intensity (trips a day over the base rate) of that day's shoppers after their trip "
                   "(0 for one that lapsed)",
                   Element::f64, Over::mean, false,
                   [](const PlatformDay& d) {
                     return ratio(real(d.tally.intensity_sum) / agents::PlatformTally::intensity_unit,
                                  real(d.tally.visits));
                   }},
    PlatformSeries{
        "ranker_error", "1",
        "mean absolute error of the ranker's quality estimates over the offers in shoppers' lists that day (an offer "
        "counts each time it is listed)",
        Element::f64, Over::mean, true,
        [](const PlatformDay& d) { return ratio(d.tally.ranker_abs_error, real(d.tally.ranked_offers)); },
        "listed_offers"},
    PlatformSeries{"listed_offers", "1",
                   "offers in shoppers' lists that day, an offer counted each time it is listed: ranker_error's weight",
                   Element::i64, Over::sum, false, [](const PlatformDay& d) { return real(d.tally.ranked_offers); }},
    PlatformSeries{"ranker_prior_mean_3p", "1",
                   "quality the ranker expects of a 3P offer before that offer's own evidence, learnt at the day's "
                   "close from its recent 3P offers' evidence (its prior for the next day)",
                   Element::f64, Over::point, false, [](const PlatformDay& d) { return d.books.ranker_prior_mean_3p; }},
    PlatformSeries{"ranker_prior_mean_1p", "1", "the same of its own 1P offers", Element::f64, Over::point, false,
                   [](const PlatformDay& d) { return d.books.ranker_prior_mean_1p; }},
};

constexpr std::array market_table{
    MarketSeries{"market_active_customers", "1",
                 "shopping customers (not lapsed), on any platform: the sum of the platforms' active_customers",
                 Element::i64, Over::point, [](const MarketDay& d) { return real(d.active_customers); }},
    MarketSeries{"market_sellers_3p", "1", "distinct 3P sellers, onboarding ones included", Element::i64, Over::point,
                 [](const MarketDay& d) { return real(d.sellers_3p); }},
    MarketSeries{"market_offers", "1", "offers on all platforms", Element::i64, Over::point,
                 [](const MarketDay& d) { return real(d.offers); }},
    MarketSeries{"market_third_party_unit_share", "1", "3P share of units sold on all platforms", Element::f64,
                 Over::mean, [](const MarketDay& d) { return d.third_party_unit_share; }},
    MarketSeries{"market_average_price_paid", "currency", "gross merchandise value per unit, all platforms",
                 Element::f64, Over::mean, [](const MarketDay& d) { return d.average_price_paid; }},
    MarketSeries{"market_price_index", "1", "mean over units of price paid / the category's usual price, all platforms",
                 Element::f64, Over::mean, [](const MarketDay& d) { return d.price_index; }},
};

constexpr std::array category_table{
    CategorySeries{"category_units_per_day", "1",
                   "units sold per day as platforms publish it (about a month's average)", Element::f64, Over::point,
                   [](const CategoryTotals& c) { return c.units_per_day; }},
    CategorySeries{"category_average_price", "currency", "average price paid as platforms publish it", Element::f64,
                   Over::point, [](const CategoryTotals& c) { return ratio(c.value_per_day, c.units_per_day); }},
    CategorySeries{"category_offers", "1", "offers in the category on all platforms", Element::i64, Over::point,
                   [](const CategoryTotals& c) { return c.offers; }},
};

template <class Row>
h5::Variable variable(const Row& r, std::string axis) {
  h5::Variable v = cf_variable(r.name, r.units, r.long_name, r.element, std::move(axis));
  v.attributes.push_back(cell_methods(r.over));
  return v;
}

}  // namespace

std::span<const PlatformSeries> platform_series() { return platform_table; }
std::span<const MarketSeries> market_series() { return market_table; }
std::span<const CategorySeries> category_series() { return category_table; }

h5::Layout output_layout(const Scenario& s) {
  h5::Layout layout;
  std::vector<std::string> names;
  for (const auto& p : s.platforms) names.push_back(p.name);
  layout.axes.push_back({"platform", "", "platform name", names});
  layout.tick_attributes = tick_attributes(s.output);
  for (const auto& r : platform_table) {
    layout.series.push_back(variable(r, "platform"));
    if (!r.weight.empty()) layout.series.back().attributes.push_back({"ancillary_variables", std::string(r.weight)});
  }
  for (const auto& r : market_table) layout.series.push_back(variable(r, ""));
  if (s.output.category_series) {
    std::vector<std::int64_t> ids(s.market.categories);
    std::iota(ids.begin(), ids.end(), std::int64_t{0});
    layout.axes.push_back({"category", "1", "category id (0 is the most popular)", std::move(ids)});
    for (const auto& r : category_table) layout.series.push_back(variable(r, "category"));
  }
  layout.tables = agent_tables(s, names);
  // A measure's name must not be one the file already uses (checked here, where those names are known).
  std::vector<std::string> taken{"tick"};
  for (const auto& a : layout.axes) taken.push_back(a.name);
  for (const auto& v : layout.series) taken.push_back(v.name);
  for (const auto& t : layout.tables) taken.push_back(t.name);
  const std::vector<h5::Variable> measures = measure_variables(s);
  for (std::size_t i = 0; i < measures.size(); ++i) {
    if (std::find(taken.begin(), taken.end(), measures[i].name) != taken.end())
      throw ConfigError({}, "output.measures[" + std::to_string(i) + "].name",
                        "'" + measures[i].name + "' is already the name of a variable or group of the output file");
    layout.series.push_back(measures[i]);
  }
  return layout;
}

void record_tick(const Market& market, std::span<double> row) {
  const MarketDay& day = market.today();
  std::size_t i = 0;
  for (const auto& r : platform_table)
    for (const auto& p : day.platforms) row[i++] = r.value(p);
  for (const auto& r : market_table) row[i++] = r.value(day);
  if (market.scenario().output.category_series) {
    const Categories& categories = market.categories();
    const std::size_t n = categories.size();
    const std::size_t platforms = market.platforms().size();
    for (std::uint32_t shard_index = 0; shard_index < categories.shards(); ++shard_index) {
      const auto signals = market.shard_signals(shard_index);
      for (std::uint32_t local = 0; local < categories.in_shard(shard_index); ++local) {
        CategoryTotals totals;
        for (std::size_t p = 0; p < platforms; ++p) {
          const CategorySignal& signal = signals[local * platforms + p];
          totals.units_per_day += signal.units_per_day;
          totals.value_per_day += static_cast<double>(signal.units_per_day) * signal.average_price;
          totals.offers += signal.offers;
        }
        const std::uint32_t category = categories.global(shard_index, local);
        for (std::size_t k = 0; k < category_table.size(); ++k)
          row[i + k * n + category] = category_table[k].value(totals);
      }
    }
    i += category_table.size() * n;
  }
  FLYWHEEL_ASSERT(i == row.size());
}

}  // namespace flywheel::runtime
