#pragma once
// The whole simulation: customers, sharded sellers and offers, platforms, and
// the tick's phases. Built from a validated Scenario; deterministic for a
// given scenario and seed whatever the thread count.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/platform.hpp"
#include "flywheel/engine/keyed_exchange.hpp"
#include "flywheel/engine/outbox.hpp"
#include "flywheel/engine/routing.hpp"
#include "flywheel/engine/scheduler.hpp"
#include "flywheel/market/categories.hpp"
#include "flywheel/market/intent.hpp"
#include "flywheel/market/market_state.hpp"
#include "flywheel/market/partition.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/market/shard.hpp"
#include "flywheel/market/shopping.hpp"

namespace flywheel::market {
/// Under MPI (more than one rank) each rank holds its Partition's part of the
/// customers and shards; the phases exchange intents, outcomes, referrals and
/// the day's tallies so that every rank computes what the single process
/// computes, in the same order. Platforms are replicated on every rank.
class Market {
 public:
  explicit Market(Scenario scenario, Execution execution = Execution::parallel);
  Market(const Market&) = delete;
  Market& operator=(const Market&) = delete;

  /// Runs one tick (a day) through every phase and returns its figures.
  const MarketDay& step();

  [[nodiscard]] Tick tick() const noexcept { return tick_; }
  [[nodiscard]] const Scenario& scenario() const noexcept { return scenario_; }
  /// This rank's customers (all of them in a single process).
  [[nodiscard]] const agents::Customers& customers() const noexcept { return customers_; }
  [[nodiscard]] const std::vector<agents::Platform>& platforms() const noexcept { return platforms_; }
  /// This rank's shards, in shard order (all of them in a single process).
  [[nodiscard]] const std::vector<Shard>& shards() const noexcept { return shards_; }
  [[nodiscard]] const Partition& partition() const noexcept { return partition_; }
  /// What shard s's platforms publish (per group). Every shard on rank 0
  /// when output.category_series is on; this rank's shards otherwise.
  [[nodiscard]] std::span<const CategorySignal> shard_signals(std::size_t s) const;
  [[nodiscard]] const Categories& categories() const noexcept { return categories_; }
  [[nodiscard]] const MarketDay& today() const noexcept { return today_; }
  [[nodiscard]] const Scheduler& scheduler() const noexcept { return scheduler_; }
  /// Intents matched so far (for benchmarks).
  [[nodiscard]] std::uint64_t intents_matched() const noexcept { return intents_matched_; }

  /// A copy of everything the market carries to the next tick (this rank's part).
  [[nodiscard]] MarketState state() const;
  /// Replaces that state with `state` (one taken from a market of the same
  /// structure) and rebuilds what derives from it. InternalError if the
  /// shapes do not match.
  void restore(MarketState state);

 private:
  void populate();
  [[nodiscard]] TickContext context() const;
  void phase_customers();
  void phase_match();
  void phase_experience();
  void phase_price();
  void phase_entry();
  void phase_platforms();
  // The exchanges between ranks (market_exchange.cpp); no-ops in a single process.
  void send_intents();
  void return_outcomes();
  void deliver_referrals(const TickContext& ctx);
  void sum_day_tallies();
  void gather_signals();
  std::span<Intent> shard_intents(std::size_t s);

  Scenario scenario_;
  Execution execution_;
  Partition partition_;
  Categories categories_;
  agents::Customers customers_;
  std::vector<agents::Platform> platforms_;
  std::vector<PlatformTerms> terms_;
  std::vector<Shard> shards_;                            // this rank's
  std::size_t blocks_;                                   // this rank's
  Router<Intent> router_;                                // this rank's blocks x all shards
  Outboxes<Referral> referrals_;                         // all shards
  std::vector<agents::PlatformTally> block_tally_;       // blocks x platforms
  std::vector<agents::PlatformTally> experience_tally_;  // all shards x platforms (counts only)
  std::vector<agents::PlatformTally> merge_tally_;       // serial merges, per platform
  std::vector<agents::PlatformTally> total_tally_;       // the day's totals, per platform
  exchange::KeyedExchange<Intent> intent_exchange_;      // key: shard
  exchange::KeyedExchange<Referral> referral_exchange_;  // key: the shard whose buyers referred
  std::vector<IntentOutcome> outcomes_;
  std::vector<Referral> referral_send_;
  std::vector<std::uint64_t> referral_counts_;
  std::vector<CategorySignal> all_signals_;  // rank 0, when distributed with category series
  std::vector<std::size_t> signal_begin_;    // shards + 1
  Scheduler scheduler_;
  Tick tick_ = 0;
  std::uint64_t intents_matched_ = 0;
  MarketDay today_;
};

}  // namespace flywheel::market
