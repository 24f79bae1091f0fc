// The ranker's pool (build_pool), which the matching kernel builds for each
// (category, platform) group that shoppers visit in a day: offers scored per
// second, every group of the shard once a pass. A pool is rebuilt from the
// offers alone, so every pass must give the reference pass's pools: a cheap
// fingerprint of each (its offers and scores, in order) is checked on every
// pass, and all its columns on the last.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <vector>

#include "checksum.hpp"
#include "flywheel/market/ranking.hpp"
#include "hand_shard.hpp"

namespace flywheel::bench {
namespace {

constexpr std::uint32_t categories = 64;
constexpr std::uint32_t stock = 1000;

// Order-sensitive, and cheap beside the pool's build.
std::uint64_t fingerprint(const market::CandidatePool& pool) {
  std::uint64_t h = pool.size;
  for (std::uint32_t i = 0; i < pool.size; ++i)
    h = (h * 0x100000001B3ull) ^ pool.offer[i] ^ (std::uint64_t{std::bit_cast<std::uint32_t>(pool.score[i])} << 32);
  return h;
}

void add_pool(Checksum& sum, const market::CandidatePool& pool) {
  sum.add(pool.size);
  for (std::uint32_t i = 0; i < pool.size; ++i) {
    sum.add(pool.offer[i]);
    sum.add(pool.score[i]);
    sum.add(pool.variant[i]);
    sum.add(pool.promise[i]);
    sum.add(pool.quality[i]);
    sum.add(pool.log_price[0][i]);
    sum.add(pool.log_price[1][i]);
    sum.add(pool.days[0][i]);
    sum.add(pool.days[1][i]);
  }
}

// Builds every group's pool in turn; calls f(group, pool) after each.
template <class F>
void build_all(market::Shard& shard, const market::TickContext& ctx, F&& f) {
  for (std::uint32_t local = 0; local < shard.local_categories(); ++local) {
    const std::size_t g = shard.group(local, 0);
    market::build_pool(shard, g, ctx.categories->global(0, local), 0, ctx, shard.pool, shard.candidates);
    f(g, shard.pool);
  }
}

void BM_BuildPool(benchmark::State& state) {
  const auto candidates = static_cast<std::uint32_t>(state.range(0));
  const auto offers = static_cast<std::uint32_t>(state.range(1));
  HandShard m(categories, offers, 8, 1, stock, candidates);
  const auto ctx = m.context();

  // The reference pass, on a copy.
  market::Shard reference = m.shard;
  std::vector<std::uint64_t> expected;
  Checksum expected_sum;
  bool ordered = true;
  build_all(reference, ctx, [&](std::size_t, const market::CandidatePool& pool) {
    expected.push_back(fingerprint(pool));
    add_pool(expected_sum, pool);
    ordered = ordered && pool.size == std::min(candidates, offers) &&
              std::is_sorted(pool.score.begin(), pool.score.begin() + pool.size, std::greater<>());
  });

  bool same = true;
  for (auto _ : state) {
    build_all(m.shard, ctx, [&](std::size_t g, const market::CandidatePool& pool) {
      same = same && fingerprint(pool) == expected[g];
    });
    benchmark::ClobberMemory();
  }
  Checksum last;
  build_all(m.shard, ctx, [&](std::size_t, const market::CandidatePool& pool) { add_pool(last, pool); });

  if (!ordered) {
    state.SkipWithError("a pool is not the top min(candidates, offers) in-stock offers, best first");
  } else if (!same || last.value() != expected_sum.value()) {
    state.SkipWithError("pools differ from the reference pass");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(m.shard.state.offers.size()));
}

BENCHMARK(BM_BuildPool)
    ->ArgNames({"candidates", "offers"})
    ->ArgsProduct({{8, 64}, {8, 64, 512}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace flywheel::bench
