// Routing intents to shards in a canonical order.

#include "flywheel/engine/routing.hpp"

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>

namespace flywheel {
namespace {

struct Item {
  std::uint32_t block, serial, shard;
};

std::vector<Item> route(Execution execution, int threads) {
  constexpr std::size_t blocks = 37, capacity = 50, shards = 7;
  Router<Item> router(blocks, capacity, shards);
  tbb::task_arena arena(threads);
  arena.execute([&] {
    router.clear();
    for_each_unit(execution, blocks, [&](std::size_t b) {
      for (std::uint32_t i = 0; i < (b * 7) % capacity; ++i) {
        const auto shard = static_cast<std::uint32_t>((b * 31 + std::size_t{i} * 17) % shards);
        router.emit(b, shard, {static_cast<std::uint32_t>(b), i, shard});
      }
    });
    router.route(execution, [](const Item& it) { return it.shard; });
  });
  std::vector<Item> out;
  for (std::size_t s = 0; s < shards; ++s)
    for (const Item& it : router.shard_items(s)) out.push_back(it);
  return out;
}

TEST(Router, EachShardGetsItsItemsInBlockThenEmissionOrder) {
  const auto items = route(Execution::parallel, 4);
  for (std::size_t i = 1; i < items.size(); ++i) {
    const auto& a = items[i - 1];
    const auto& b = items[i];
    if (a.shard != b.shard) {
      EXPECT_LT(a.shard, b.shard);
      continue;
    }
    EXPECT_TRUE(a.block < b.block || (a.block == b.block && a.serial < b.serial));
  }
}

TEST(Router, SerialAndParallelAgreeAtAnyThreadCount) {
  const auto serial = route(Execution::serial, 1);
  for (int threads : {1, 2, 3, 8}) {
    const auto parallel = route(Execution::parallel, threads);
    ASSERT_EQ(parallel.size(), serial.size());
    for (std::size_t i = 0; i < serial.size(); ++i) {
      EXPECT_EQ(parallel[i].block, serial[i].block);
      EXPECT_EQ(parallel[i].serial, serial[i].serial);
    }
  }
}

TEST(Router, ReusedAcrossRoundsKeepsNothingFromTheLastOne) {
  Router<Item> router(2, 4, 2);
  router.emit(0, 1, {0, 0, 1});
  router.route(Execution::serial, [](const Item& it) { return it.shard; });
  EXPECT_EQ(router.routed_count(), 1u);
  router.clear();
  router.route(Execution::serial, [](const Item& it) { return it.shard; });
  EXPECT_EQ(router.routed_count(), 0u);
}

}  // namespace
}  // namespace flywheel
