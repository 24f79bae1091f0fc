// The matching kernel (match_intents): shopping intents matched per second,
// across consideration-set sizes k, offers per category, and whether each
// shopper's list is personal (the platform knows its taste: the k shown are
// ranked for it out of the ranker's pool of 64) or anonymous (a shopper the
// platform does not know yet gets the pool's top k), and how many sponsored
// positions the platform auctions at the top of each list (0: none; 2: the
// auction on bid x relevance runs per list, and each examined sponsored
// position's click is paid at its second price).
//
// A pass changes what the next one sees (the ranker learns from sales and
// reviews, profiles learn the buyers' tastes), so each pass starts again from
// the same state: a copy of the shard and the intents, made outside the timed
// region (manual timing around the kernel only). The pass builds its pools
// itself, as in a run. Stock is large enough never to run out. Every pass's
// outcomes must equal a reference pass made before timing, and units sold,
// stock and the platform's tally must agree with the purchases and returns,
// so a kernel that skips work cannot pass.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <numeric>
#include <string>

#include "checksum.hpp"
#include "flywheel/market/matching.hpp"
#include "hand_shard.hpp"

namespace flywheel::bench {
namespace {

constexpr std::uint32_t categories = 16;
constexpr std::uint32_t batch = 4096;      // intents per pass, all distinct customers
constexpr std::uint32_t stock = 1u << 30;  // never runs out

struct Outcomes {
  std::uint64_t checksum;
  std::uint64_t bought;
  std::uint64_t returned;
};

Outcomes summarise(const std::vector<market::Intent>& intents) {
  Checksum sum;
  std::uint64_t bought = 0, returned = 0;
  for (const auto& i : intents) {
    sum.add(i.outcome);
    sum.add(i.paid);
    sum.add(i.experience);
    sum.add(i.taste_profile);
    bought += i.outcome == market::Outcome::bought ? 1 : 0;
    returned += i.outcome == market::Outcome::returned ? 1 : 0;
  }
  return {sum.value(), bought, returned};
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
  const bool personal = state.range(2) != 0;
  const auto slots = static_cast<std::uint32_t>(state.range(3));
  HandShard m(categories, offers, k, batch, stock, 64, slots);
  const auto ctx = m.context();
  const market::Shard pristine = m.shard;
  const auto fresh = m.intents(batch, personal);

  // The reference: one pass on a copy, before timing.
  market::Shard reference_shard = pristine;
  auto reference = fresh;
  market::match_intents(reference_shard, reference, ctx);
  const Outcomes expected = summarise(reference);

  market::Shard work = pristine;
  auto intents = fresh;
  for (auto _ : state) {
    work = pristine;  // same sizes: copy assignment reuses the memory, nothing allocated
    intents = fresh;
    const auto start = std::chrono::steady_clock::now();
    market::match_intents(work, intents, ctx);
    const auto stop = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(intents.data());
    benchmark::ClobberMemory();
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
  }

  const Outcomes got = summarise(intents);
  const auto& tally = work.state.tally[0];
  if (got.checksum != expected.checksum) {
    state.SkipWithError("outcomes differ from the reference pass");
  } else if (expected.bought == 0) {
    state.SkipWithError("nobody bought: the hand-built market is wrong");
  } else if ((slots > 0) != (tally.sponsored_clicks > 0)) {
    state.SkipWithError("sponsored clicks where no slot is sold, or none where slots are");
  } else if (total_units_today(work) != expected.bought ||
             total_stock(pristine) - total_stock(work) != expected.bought || tally.orders != expected.bought ||
             tally.returns != expected.returned || tally.visits != batch || tally.listed_visits != batch) {
    state.SkipWithError("units sold, stock or tally disagree with the purchases");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * batch);
  state.counters["pool"] = static_cast<double>(work.pool.size);
  state.counters["bought_share"] = static_cast<double>(expected.bought) / batch;
  state.counters["returned_share"] = static_cast<double>(expected.returned) / batch;
  state.counters["sponsored_clicks_per_shopper"] = static_cast<double>(tally.sponsored_clicks) / batch;
  state.counters["mean_position"] =
      static_cast<double>(tally.position_sum) / static_cast<double>(expected.bought + expected.returned);
}

BENCHMARK(BM_MatchIntents)
    ->ArgNames({"k", "offers", "personal", "slots"})
    ->ArgsProduct({{4, 8, 16, 32}, {8, 64, 512}, {0, 1}, {0, 2}})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace flywheel::bench
