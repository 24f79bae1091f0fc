#pragma once
// What one shard (or one block of customers) saw of one platform in a tick.
// Tallies are filled in a canonical order inside their shard and summed in
// shard order, so totals do not depend on the thread count.

#include <array>
#include <cstddef>
#include <cstdint>

namespace flywheel::agents {

struct PlatformTally {
  std::uint64_t visits = 0;
  std::uint64_t orders = 0;
  std::uint64_t failed_searches = 0;
  std::uint64_t returns = 0;        // purchases returned for a refund (not in orders)
  double experience_sum = 0.0;      // realised experience over purchases, returned ones included
  std::uint64_t position_sum = 0;   // over purchases: the bought offer's position in its list, from 1
  std::uint64_t listed_visits = 0;  // visits shown a list of at least one offer
  double taste_error_sum = 0.0;     // over listed visits: the ranker's effective error about the shopper's taste
  double regret_sum = 0.0;          // over the regret panel's listed visits: utility the list lost to an oracle's
  std::uint64_t regret_visits = 0;
  std::uint64_t units_1p = 0;
  std::uint64_t units_3p = 0;
  std::uint64_t units_fulfilled = 0;  // units the platform's network delivered (1P and fulfilled 3P)
  std::uint64_t member_orders = 0;    // of those, units delivered to members
  double gmv = 0.0;
  double price_index_sum = 0.0;  // sum over units of price / the category's usual price
  double value_3p = 0.0;
  double fee_revenue = 0.0;
  double fulfilment_fee_revenue = 0.0;
  double shipping_revenue = 0.0;
  double first_party_sales = 0.0;
  double first_party_stock_cost = 0.0;
  // Welfare, in money: shoppers' expected surplus of their lists, and the day's profit of the 3P listings here and
  // of the platform's own retail (margins on units sold less shipping, holding and running costs).
  double consumer_surplus = 0.0;
  double profit_3p = 0.0;
  double profit_1p = 0.0;
  double ad_revenue = 0.0;             // sellers' payments for clicks on sponsored positions
  std::uint64_t sponsored_clicks = 0;  // sponsored positions shoppers examined
  std::uint64_t sponsored_sales = 0;   // purchases of an offer shown in a sponsored position
  double ranker_abs_error = 0.0;
  std::uint64_t ranked_offers = 0;
  // Over its offers within their first ranker.prior_window days shown, at the day's end, what each one's evidence
  // says of the mean quality of new offers of its kind (1P or 3P): its precision-weighted signal sum and precision,
  // each over 1 + precision x prior_sd^2 (tally_offer_evidence in market/ranking.hpp), from which the platform
  // learns its ranker's prior.
  double population_evidence_1p = 0.0;
  double population_precision_1p = 0.0;
  double population_evidence_3p = 0.0;
  double population_precision_3p = 0.0;
  std::uint64_t sellers_1p = 0;
  std::uint64_t sellers_3p = 0;
  std::uint64_t offers = 0;
  std::uint64_t entries = 0;
  std::uint64_t exits = 0;
  std::uint64_t listings_added = 0;    // 3P sellers already selling elsewhere that listed here
  std::uint64_t listings_dropped = 0;  // 3P sellers that stopped listing here but sell elsewhere
  std::uint64_t short_restocks = 0;    // 3P offers restocked less than their sellers wanted: no cash or credit left
  std::uint64_t stars_1 = 0;           // reviews written, by stars given
  std::uint64_t stars_2 = 0;
  std::uint64_t stars_3 = 0;
  std::uint64_t stars_4 = 0;
  std::uint64_t stars_5 = 0;
  std::uint64_t referrals = 0;  // referrals its satisfied buyers sent
  std::uint64_t ad_starts = 0;  // inactive customers who started shopping here after its advertisement
  std::uint64_t lapses = 0;     // customers who shopped here last and gave up shopping
  std::uint64_t won_back = 0;   // lapsed customers who started shopping here again
  // Over visits, the shopper's intensity after the trip (0 if it lapsed), in
  // 1/intensity_unit: an integer, so that its sum is the same in any order
  // (customers' ranks sum it, not shards).
  std::uint64_t intensity_sum = 0;
  static constexpr double intensity_unit = 65536.0;
  std::int64_t active_delta = 0;  // change in customers who shop here (last platform used)
  std::int64_t member_delta = 0;

  /// The one list of its fields: f(name, member pointer) for each (columns.hpp).
  template <class F>
  static constexpr void fields(F&& f) {
    using T = PlatformTally;
    f("visits", &T::visits), f("orders", &T::orders), f("failed_searches", &T::failed_searches),
        f("returns", &T::returns), f("experience_sum", &T::experience_sum), f("position_sum", &T::position_sum),
        f("listed_visits", &T::listed_visits), f("taste_error_sum", &T::taste_error_sum),
        f("regret_sum", &T::regret_sum), f("regret_visits", &T::regret_visits), f("units_1p", &T::units_1p),
        f("units_3p", &T::units_3p), f("units_fulfilled", &T::units_fulfilled), f("member_orders", &T::member_orders),
        f("gmv", &T::gmv), f("price_index_sum", &T::price_index_sum), f("value_3p", &T::value_3p),
        f("fee_revenue", &T::fee_revenue), f("fulfilment_fee_revenue", &T::fulfilment_fee_revenue),
        f("shipping_revenue", &T::shipping_revenue), f("first_party_sales", &T::first_party_sales),
        f("first_party_stock_cost", &T::first_party_stock_cost), f("consumer_surplus", &T::consumer_surplus),
        f("profit_3p", &T::profit_3p), f("profit_1p", &T::profit_1p), f("ad_revenue", &T::ad_revenue),
        f("sponsored_clicks", &T::sponsored_clicks), f("sponsored_sales", &T::sponsored_sales),
        f("ranker_abs_error", &T::ranker_abs_error), f("ranked_offers", &T::ranked_offers),
        f("population_evidence_1p", &T::population_evidence_1p),
        f("population_precision_1p", &T::population_precision_1p),
        f("population_evidence_3p", &T::population_evidence_3p),
        f("population_precision_3p", &T::population_precision_3p), f("sellers_1p", &T::sellers_1p),
        f("sellers_3p", &T::sellers_3p), f("offers", &T::offers), f("entries", &T::entries), f("exits", &T::exits),
        f("listings_added", &T::listings_added), f("listings_dropped", &T::listings_dropped),
        f("short_restocks", &T::short_restocks), f("stars_1", &T::stars_1), f("stars_2", &T::stars_2),
        f("stars_3", &T::stars_3), f("stars_4", &T::stars_4), f("stars_5", &T::stars_5), f("referrals", &T::referrals),
        f("ad_starts", &T::ad_starts), f("lapses", &T::lapses), f("won_back", &T::won_back),
        f("intensity_sum", &T::intensity_sum), f("active_delta", &T::active_delta), f("member_delta", &T::member_delta);
  }

  /// The count of reviews of `stars` (1 to 5) written.
  std::uint64_t& reviews_of(int stars) noexcept {
    constexpr std::array<std::uint64_t PlatformTally::*, 5> by_stars{&PlatformTally::stars_1, &PlatformTally::stars_2,
                                                                     &PlatformTally::stars_3, &PlatformTally::stars_4,
                                                                     &PlatformTally::stars_5};
    return this->*by_stars[static_cast<std::size_t>(stars - 1)];
  }

  /// Adds every field of `o`.
  PlatformTally& operator+=(const PlatformTally& o) noexcept {
    fields([&](const char*, auto member) { this->*member += o.*member; });
    return *this;
  }
};

}  // namespace flywheel::agents
