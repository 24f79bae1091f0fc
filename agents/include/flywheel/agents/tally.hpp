#pragma once
// What one shard (or one block of customers) saw of one platform in a tick.
// Tallies are filled in a canonical order inside their shard and summed in
// shard order, so totals do not depend on the thread count.

#include <cstdint>

namespace flywheel::agents {

struct PlatformTally {
  std::uint64_t visits = 0;
  std::uint64_t orders = 0;
  std::uint64_t failed_searches = 0;
  std::uint64_t units_1p = 0;
  std::uint64_t units_3p = 0;
  std::uint64_t units_fulfilled = 0;  // units the platform's network delivered (1P and fulfilled 3P)
  double gmv = 0.0;
  double price_index_sum = 0.0;  // sum over units of price / the category's usual price
  double value_3p = 0.0;
  double fee_revenue = 0.0;
  double fulfilment_fee_revenue = 0.0;
  double shipping_revenue = 0.0;
  double first_party_sales = 0.0;
  double first_party_stock_cost = 0.0;
  double ranker_abs_error = 0.0;
  std::uint64_t ranked_offers = 0;
  std::uint64_t sellers_1p = 0;
  std::uint64_t sellers_3p = 0;
  std::uint64_t offers = 0;
  std::uint64_t entries = 0;
  std::uint64_t exits = 0;
  std::int64_t active_delta = 0;  // change in customers who shop here (last platform used)
  std::int64_t member_delta = 0;

  PlatformTally& operator+=(const PlatformTally& o) noexcept {
    visits += o.visits;
    orders += o.orders;
    failed_searches += o.failed_searches;
    units_1p += o.units_1p;
    units_3p += o.units_3p;
    units_fulfilled += o.units_fulfilled;
    gmv += o.gmv;
    price_index_sum += o.price_index_sum;
    value_3p += o.value_3p;
    fee_revenue += o.fee_revenue;
    fulfilment_fee_revenue += o.fulfilment_fee_revenue;
    shipping_revenue += o.shipping_revenue;
    first_party_sales += o.first_party_sales;
    first_party_stock_cost += o.first_party_stock_cost;
    ranker_abs_error += o.ranker_abs_error;
    ranked_offers += o.ranked_offers;
    sellers_1p += o.sellers_1p;
    sellers_3p += o.sellers_3p;
    offers += o.offers;
    entries += o.entries;
    exits += o.exits;
    active_delta += o.active_delta;
    member_delta += o.member_delta;
    return *this;
  }
};

}  // namespace flywheel::agents
