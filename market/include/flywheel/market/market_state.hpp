#pragma once
// Everything a Market carries from one tick to the next, as plain values:
// what a checkpoint saves and loads and the state digest covers. Derived
// things (categories, platform terms, the shards' group index and scratch)
// are rebuilt from the scenario.

#include <cstdint>
#include <vector>

#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/ids.hpp"
#include "flywheel/agents/platform.hpp"
#include "flywheel/market/shard.hpp"

namespace flywheel::market {

/// Figures measured from agent state after a tick, across platforms.
struct MarketDay {
  Tick tick = 0;
  std::uint64_t active_customers = 0;
  std::uint64_t sellers_3p = 0;  // distinct 3P sellers
  std::uint64_t offers = 0;
  double third_party_unit_share = 0.0;
  double average_price_paid = 0.0;
  double price_index = 0.0;  // mean over units of price paid / the category's usual price
  std::vector<agents::PlatformDay> platforms;

  /// Its own fields (the platforms' days have their own lists).
  template <class F>
  static constexpr void fields(F&& f) {
    using T = MarketDay;
    f("tick", &T::tick), f("active_customers", &T::active_customers), f("sellers_3p", &T::sellers_3p),
        f("offers", &T::offers), f("third_party_unit_share", &T::third_party_unit_share),
        f("average_price_paid", &T::average_price_paid), f("price_index", &T::price_index);
  }
};

/// A Market's state between ticks (this rank's customers and shards).
struct MarketState {
  agents::Customers customers;
  std::vector<agents::PlatformState> platforms;
  std::vector<ShardState> shards;
  Tick tick = 0;
  std::uint64_t intents_matched = 0;
  MarketDay today;
};

}  // namespace flywheel::market
