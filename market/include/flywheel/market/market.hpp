#pragma once
// The whole simulation: customers, sharded sellers and offers, platforms, and
// the tick's phases. Built from a validated Scenario; deterministic for a
// given scenario and seed whatever the thread count.

#include <cstdint>
#include <memory>
#include <vector>

#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/platform.hpp"
#include "flywheel/engine/outbox.hpp"
#include "flywheel/engine/routing.hpp"
#include "flywheel/engine/scheduler.hpp"
#include "flywheel/market/categories.hpp"
#include "flywheel/market/intent.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/market/shard.hpp"
#include "flywheel/market/shopping.hpp"

namespace flywheel::market {
namespace detail {
struct CheckpointAccess;
}

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
};

/// What a scenario will allocate, before it is built.
struct MemoryEstimate {
  std::size_t bytes_per_customer;
  std::size_t customer_bytes;
  std::size_t intent_buffer_bytes;
  std::size_t market_bytes;  // sellers, offers, shards (at the initial counts)
  [[nodiscard]] std::size_t total() const { return customer_bytes + intent_buffer_bytes + market_bytes; }
};
MemoryEstimate estimate_memory(const Scenario& scenario);

class Market {
 public:
  explicit Market(Scenario scenario, Execution execution = Execution::parallel);
  Market(const Market&) = delete;
  Market& operator=(const Market&) = delete;

  /// Runs one tick (a day) through every phase and returns its figures.
  const MarketDay& step();

  [[nodiscard]] Tick tick() const noexcept { return tick_; }
  [[nodiscard]] const Scenario& scenario() const noexcept { return scenario_; }
  [[nodiscard]] const agents::Customers& customers() const noexcept { return customers_; }
  [[nodiscard]] const std::vector<agents::Platform>& platforms() const noexcept { return platforms_; }
  [[nodiscard]] const std::vector<Shard>& shards() const noexcept { return shards_; }
  [[nodiscard]] const Categories& categories() const noexcept { return categories_; }
  [[nodiscard]] const MarketDay& today() const noexcept { return today_; }
  [[nodiscard]] const Scheduler& scheduler() const noexcept { return scheduler_; }
  /// Intents matched so far (for benchmarks).
  [[nodiscard]] std::uint64_t intents_matched() const noexcept { return intents_matched_; }

 private:
  friend struct detail::CheckpointAccess;  // checkpoint.cpp saves and restores the state below

  void populate();
  [[nodiscard]] TickContext context() const;
  void phase_customers();
  void phase_match();
  void phase_experience();
  void phase_price();
  void phase_entry();
  void phase_platforms();

  Scenario scenario_;
  Execution execution_;
  Categories categories_;
  agents::Customers customers_;
  std::vector<agents::Platform> platforms_;
  std::vector<PlatformTerms> terms_;
  std::vector<Shard> shards_;
  std::size_t blocks_;
  Router<Intent> router_;
  Outboxes<Referral> referrals_;
  std::vector<agents::PlatformTally> block_tally_;  // blocks x platforms
  std::vector<agents::PlatformTally> merge_tally_;  // serial merges, per platform
  std::vector<agents::PlatformTally> total_tally_;  // the day's totals, per platform
  Scheduler scheduler_;
  Tick tick_ = 0;
  std::uint64_t intents_matched_ = 0;
  MarketDay today_;
};

}  // namespace flywheel::market
