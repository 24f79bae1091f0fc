// The ranking kernel (rank_offers), which the match phase runs before
// matching: offers ranked per second. It rewrites the shown sets from the
// offers alone, so every pass must give the reference pass's shown sets.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>

#include "checksum.hpp"
#include "flywheel/market/ranking.hpp"
#include "hand_shard.hpp"

namespace flywheel::bench {
namespace {

constexpr std::uint32_t categories = 64;
constexpr std::uint32_t stock = 1000;

std::uint64_t shown_checksum(const market::Shard& shard, std::uint32_t k) {
  Checksum sum;
  for (std::size_t g = 0; g < shard.shown_count.size(); ++g) {
    sum.add(shard.shown_count[g]);
    for (std::size_t i = 0; i < shard.shown_count[g]; ++i) {
      const std::size_t row = g * k + i;
      const auto& s = shard.shown;
      sum.add(s.offer[row]);
      sum.add(s.base[row]);
      sum.add(s.log_price[0][row]);
      sum.add(s.log_price[1][row]);
      sum.add(s.days[0][row]);
      sum.add(s.days[1][row]);
      sum.add(s.variant[row]);
    }
  }
  return sum.value();
}

void BM_RankOffers(benchmark::State& state) {
  const auto k = static_cast<std::uint32_t>(state.range(0));
  const auto offers = static_cast<std::uint32_t>(state.range(1));
  HandShard m(categories, offers, k, 1, stock);
  const auto ctx = m.context();
  market::Shard reference = m.shard;
  rank_offers(reference, ctx);
  const std::uint64_t expected = shown_checksum(reference, k);

  for (auto _ : state) {
    rank_offers(m.shard, ctx);
    benchmark::ClobberMemory();
  }

  const auto full = std::min(k, offers);
  const bool all_full =
      std::all_of(m.shard.shown_count.begin(), m.shard.shown_count.end(), [&](auto n) { return n == full; });
  if (!all_full) {
    state.SkipWithError("a shown set is not the top min(k, offers) in-stock offers");
  } else if (shown_checksum(m.shard, k) != expected) {
    state.SkipWithError("shown sets differ from the reference pass");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(m.shard.state.offers.size()));
}

BENCHMARK(BM_RankOffers)
    ->ArgNames({"k", "offers"})
    ->ArgsProduct({{8, 32}, {8, 64, 512}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace flywheel::bench
