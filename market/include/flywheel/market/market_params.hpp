#pragma once
// The market's shape: categories, their popularity and prices, shards, and
// what a platform shows a shopper.

#include <cstdint>

#include "flywheel/engine/params.hpp"

namespace flywheel::market {

struct MarketParams {
  std::uint32_t categories = 2000;
  std::uint32_t shards = 64;
  double popularity_exponent = 1.0;
  double price_level = 25.0;
  double price_level_spread = 0.8;
  std::uint32_t consideration_set = 8;
  std::uint32_t customer_block = 4096;
  double signal_memory = 1.0 / 30.0;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("categories", categories, "Product categories", between(1u, 10'000'000u));
    v.field("shards", shards, "Shards the categories are dealt to (units of parallel work)", between(1u, 1'000'000u));
    v.field("popularity_exponent", popularity_exponent, "Zipf exponent of category popularity (0: all equal)",
            between(0.0, 5.0));
    v.field("price_level", price_level, "Median of categories' usual prices", between(0.01, 1e9));
    v.field("price_level_spread", price_level_spread, "Log-normal sigma of categories' usual prices",
            between(0.0, 5.0));
    v.field("consideration_set", consideration_set, "Offers a platform shows a shopper (its top k)", between(1u, 64u));
    v.field("customer_block", customer_block,
            "Customers per unit of parallel work in the customer phase (fixed, so results do not depend on threads)",
            between(64u, 1u << 24));
    v.field("signal_memory", signal_memory,
            "Weight of today in the category figures platforms publish (about 1/30: last month)", between(0.0001, 1.0));
    v.require(shards <= categories, "shards",
              "must not exceed market.categories (each shard owns at least one category)");
  }
};

}  // namespace flywheel::market
