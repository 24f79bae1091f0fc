#pragma once
// A hand-built market for the kernel benchmarks, built the way
// tests/market/kernels_test.cpp builds one: one shard, one platform whose
// ranker scores `candidates` offers per category, `categories` categories of
// `offers` offers each (the first of each a 1P offer, the rest 3P), and
// shoppers who are all distinct customers.

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/platform.hpp"
#include "flywheel/agents/taste.hpp"
#include "flywheel/engine/random.hpp"
#include "flywheel/market/entry.hpp"
#include "flywheel/market/intent.hpp"
#include "flywheel/market/platform_terms.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/market/shard.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::bench {

struct HandShard {
  market::Scenario scenario;
  market::Categories categories;
  std::vector<agents::Platform> platforms;
  std::vector<market::PlatformTerms> terms;
  market::Shard shard;
  agents::Customers customers;

  /// stock: units every offer starts with; 0 keeps what a new seller orders.
  /// candidates: the ranker's pool per category (platforms.ranker.candidates).
  /// ad_slots: sponsored positions the platform sells in each list.
  HandShard(std::uint32_t category_count, std::uint32_t offers, std::uint32_t consideration_set,
            std::uint32_t customer_count, std::uint32_t stock, std::uint32_t candidates = 64,
            std::uint32_t ad_slots = 0)
      : scenario(market::scenario_from_string("market: {categories: " + std::to_string(category_count) +
                                              ", shards: 1, consideration_set: " + std::to_string(consideration_set) +
                                              "}\ncustomers: {count: " + std::to_string(customer_count) +
                                              "}\nplatforms: [{name: p, ad_slots: " + std::to_string(ad_slots) +
                                              ", ranker: {candidates: " + std::to_string(candidates) + "}}]\n")),
        categories(scenario.market, scenario.seed),
        platforms{agents::Platform(scenario.platforms[0], PlatformId{0})},
        terms(),
        shard(ShardId{0}, categories, 1, candidates),
        customers(scenario.customers, 1, scenario.seed, Execution::serial) {
    market::snapshot_terms(platforms, customer_count, terms);
    const auto& sp = scenario.sellers;
    for (std::uint32_t c = 0; c < category_count; ++c) {
      // Traits from a stream of their own, so every run builds the same market.
      auto urng = random::stream(scenario.seed, random::static_tick, c, 0xBE7C0000u);
      boost::random::normal_distribution<double> normal;
      boost::random::uniform_01<double> uniform;
      const double level = categories.price_level(c);
      for (std::uint32_t i = 0; i < offers; ++i) {
        const bool first_party = i == 0;
        const market::Birth b{c, 1u, static_cast<float>(sp.quality_sd * normal(urng)),
                              static_cast<float>(uniform(urng)),
                              static_cast<float>(level * sp.cost_ratio * std::exp(sp.cost_spread * normal(urng)))};
        market::add_seller(shard, context(), b, first_party ? PlatformId{0} : no_platform);
        if (stock > 0) shard.state.offers.stock.back() = stock;
      }
    }
    shard.reorder();
    shard.state.tally.assign(1, {});
  }

  [[nodiscard]] market::TickContext context(Tick tick = 0) const {
    return {scenario.seed,
            tick,
            &categories,
            &scenario.customers,
            &scenario.sellers,
            &scenario.reviews,
            scenario.platforms,
            terms,
            scenario.market.consideration_set,
            scenario.market.signal_memory,
            &scenario.loops};
  }

  /// n intents in canonical order: customer i shops category i mod categories;
  /// one in three is a member. Personal: the platform knows each shopper's
  /// taste from 8 earlier purchases near its style (so each list is ranked
  /// for its shopper); otherwise it knows none (each list is the pool's top k).
  [[nodiscard]] std::vector<market::Intent> intents(std::size_t n, bool personal = false) const {
    std::vector<market::Intent> out(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double style = agents::style_of(scenario.seed, static_cast<std::uint32_t>(i));
      agents::TasteProfile profile;
      for (int j = 0; personal && j < 8; ++j) profile = profile.learnt(agents::wrap_circle(style + 0.02 * (j - 3.5)));
      out[i] = {make_id<CustomerId>(i),
                static_cast<std::uint32_t>(i % categories.size()),
                0.0f,
                0.0f,
                PlatformId{0},
                static_cast<std::uint8_t>(i % 3 == 0 ? 1 : 0),
                market::Outcome::pending,
                customers.price_sensitivity[i],
                customers.delivery_sensitivity[i],
                static_cast<float>(style),
                profile.bits()};
    }
    return out;
  }
};

}  // namespace flywheel::bench
