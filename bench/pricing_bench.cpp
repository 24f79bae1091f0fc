// The pricing pass (price_and_restock): offers priced and restocked per second.
//
// The pass changes prices, stock and cash, so each iteration starts again
// from the same state: a copy of a shard that has just been through a day of
// matching (sales, returns, stock-outs). The copy reuses the working shard's memory
// and stays outside the timed region (manual timing around the kernel only).
// Every pass must leave the same state as a reference pass made before
// timing, and must count every offer once.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "checksum.hpp"
#include "flywheel/market/matching.hpp"
#include "flywheel/market/pricing.hpp"
#include "flywheel/runtime/state_digest.hpp"
#include "hand_shard.hpp"

namespace flywheel::bench {
namespace {

constexpr std::uint32_t categories = 64;
constexpr Tick pricing_day = 7;  // a day on which one seller in reprice_interval reviews its price

/// The shard's whole state, and the exits the pass decided.
std::uint64_t state_checksum(const market::Shard& shard) {
  Checksum sum;
  sum.add(runtime::state_digest(shard.state));
  sum.add(shard.exits.size());
  return sum.value();
}

void BM_PriceAndRestock(benchmark::State& state) {
  const auto offers = static_cast<std::uint32_t>(state.range(0));
  const std::uint32_t shoppers = 2 * categories * offers;  // enough to sell out some offers
  HandShard m(categories, offers, 8, shoppers, 0);
  auto intents = m.intents(shoppers);
  match_intents(m.shard, intents, m.context());
  m.shard.state.tally.assign(1, {});
  const market::Shard pristine = m.shard;
  const auto ctx = m.context(pricing_day);

  market::Shard reference = pristine;
  price_and_restock(reference, ctx);
  const std::uint64_t expected = state_checksum(reference);

  market::Shard work = pristine;
  for (auto _ : state) {
    work = pristine;  // same sizes: copy assignment reuses the memory, nothing allocated
    const auto start = std::chrono::steady_clock::now();
    price_and_restock(work, ctx);
    const auto stop = std::chrono::steady_clock::now();
    benchmark::ClobberMemory();
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
  }

  const std::size_t n = pristine.state.offers.size();
  const bool sold_today_cleared = std::all_of(work.state.offers.units_today.begin(),
                                              work.state.offers.units_today.end(), [](auto u) { return u == 0; });
  if (state_checksum(work) != expected) {
    state.SkipWithError("state after the pass differs from the reference pass");
  } else if (work.state.tally[0].offers != n || !sold_today_cleared) {
    state.SkipWithError("the pass did not visit every offer exactly once");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
  state.counters["offers"] = static_cast<double>(n);
}

BENCHMARK(BM_PriceAndRestock)
    ->ArgName("offers")
    ->Arg(8)
    ->Arg(64)
    ->Arg(512)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace flywheel::bench
