// The matching kernel (match_intents): shopping intents matched per second,
// across consideration-set sizes and offers per category.
//
// Stock is large enough never to run out and the shown sets are ranked once,
// so every pass over the same intents makes the same choices: the timed loop
// needs no reset, and its outcome must equal a reference pass made before
// timing. Units sold, stock and the platform's tally must agree with the
// number of purchases, so a kernel that skips work cannot pass.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <numeric>
#include <string>

#include "checksum.hpp"
#include "flywheel/market/matching.hpp"
#include "flywheel/market/ranking.hpp"
#include "hand_shard.hpp"

namespace flywheel::bench {
namespace {

constexpr std::uint32_t categories = 16;
constexpr std::uint32_t batch = 4096;      // intents per pass, all distinct customers
constexpr std::uint32_t stock = 1u << 30;  // never runs out in a benchmark's lifetime

struct Outcomes {
  std::uint64_t checksum;
  std::uint64_t bought;
};

Outcomes summarise(const std::vector<market::Intent>& intents) {
  Checksum sum;
  std::uint64_t bought = 0;
  for (const auto& i : intents) {
    sum.add(i.outcome);
    sum.add(i.paid);
    sum.add(i.experience);
    bought += i.outcome == market::Outcome::bought ? 1 : 0;
  }
  return {sum.value(), bought};
}

std::uint64_t total_units_today(const market::Shard& shard) {
  return std::accumulate(shard.state.offers.units_today.begin(), shard.state.offers.units_today.end(),
                         std::uint64_t{0});
}

std::uint64_t total_stock(const market::Shard& shard) {
  return std::accumulate(shard.state.offers.stock.begin(), shard.state.offers.stock.end(), std::uint64_t{0});
}

void BM_MatchIntents(benchmark::State& state) {
  const auto k = static_cast<std::uint32_t>(state.range(0));
  const auto offers = static_cast<std::uint32_t>(state.range(1));
  HandShard m(categories, offers, k, batch, stock);
  const auto ctx = m.context();
  rank_offers(m.shard, ctx);
  auto intents = m.intents(batch);

  // The reference: one pass on a copy, before timing.
  market::Shard reference_shard = m.shard;
  auto reference = intents;
  match_intents(reference_shard, reference, ctx);
  const Outcomes expected = summarise(reference);
  const std::uint64_t stock_before = total_stock(m.shard);

  for (auto _ : state) {
    match_intents(m.shard, intents, ctx);
    benchmark::DoNotOptimize(intents.data());
    benchmark::ClobberMemory();
  }

  const auto passes = static_cast<std::uint64_t>(state.iterations());
  const Outcomes got = summarise(intents);
  const auto& tally = m.shard.state.tally[0];
  if (got.checksum != expected.checksum) {
    state.SkipWithError("outcomes differ from the reference pass");
  } else if (expected.bought == 0) {
    state.SkipWithError("nobody bought: the hand-built market is wrong");
  } else if (total_units_today(m.shard) != passes * expected.bought ||
             stock_before - total_stock(m.shard) != passes * expected.bought ||
             tally.orders != passes * expected.bought || tally.visits != passes * batch) {
    state.SkipWithError("units sold, stock or tally disagree with the purchases");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(passes * batch));
  state.counters["shown"] = static_cast<double>(m.shard.shown_count[0]);
  state.counters["bought_share"] = static_cast<double>(expected.bought) / batch;
}

BENCHMARK(BM_MatchIntents)
    ->ArgNames({"k", "offers"})
    ->ArgsProduct({{4, 8, 16, 32}, {8, 64, 512}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace flywheel::bench
