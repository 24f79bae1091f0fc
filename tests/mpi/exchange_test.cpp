// The exchanges of the distributed run in a single process (where each is a
// copy), and the partition of blocks and shards among ranks.

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/keyed_exchange.hpp"
#include "flywheel/engine/mpi.hpp"
#include "flywheel/market/partition.hpp"

namespace flywheel {
namespace {

TEST(Exchange, SingleProcessCollectivesAreCopies) {
  ASSERT_EQ(mpi::size(), 1);
  const std::vector<std::uint32_t> values{1, 2, 3, 5, 8};
  const auto bytes = exchange::as_bytes(std::span<const std::uint32_t>(values));
  std::vector<std::byte> recv;
  std::vector<std::size_t> counts;

  const std::size_t all = bytes.size();
  exchange::alltoallv_bytes(bytes, std::span<const std::size_t>(&all, 1), recv, counts);
  EXPECT_EQ(counts, std::vector<std::size_t>{all});
  EXPECT_TRUE(std::equal(recv.begin(), recv.end(), bytes.begin(), bytes.end()));

  std::vector<std::uint32_t> gathered;
  exchange::allgatherv(std::span<const std::uint32_t>(values), gathered, counts);
  EXPECT_EQ(gathered, values);
  EXPECT_EQ(counts, std::vector<std::size_t>{values.size()});

  exchange::gatherv_bytes(bytes, recv, counts);
  EXPECT_EQ(recv.size(), all);
  EXPECT_TRUE(exchange::any(true));
  EXPECT_FALSE(exchange::any(false));
  exchange::barrier();                    // returns at once
  EXPECT_EQ(exchange::bytes_sent(), 0u);  // nothing leaves a single process
}

TEST(Exchange, KeyedItemsComeBackByKeyAndAnswersInSendingOrder) {
  // One rank, three keys: items grouped by key on the way in.
  exchange::KeyedExchange<int> x(1, 3);
  const std::vector<int> items{10, 11, 20, 30, 31, 32};
  const std::vector<std::uint64_t> counts{2, 1, 3};
  x.send(items, counts);
  ASSERT_EQ(x.received(), items.size());
  EXPECT_EQ(std::vector<int>(x.items(0).begin(), x.items(0).end()), (std::vector<int>{10, 11}));
  EXPECT_EQ(std::vector<int>(x.items(1).begin(), x.items(1).end()), (std::vector<int>{20}));
  EXPECT_EQ(std::vector<int>(x.items(2).begin(), x.items(2).end()), (std::vector<int>{30, 31, 32}));
  for (int& i : x.items(2)) i += 100;  // the receiver writes outcomes
  std::vector<long> answers;
  x.reply<long>([](int i) { return static_cast<long>(i) * 2; }, answers);
  EXPECT_EQ(answers, (std::vector<long>{20, 22, 40, 260, 262, 264}));
}

TEST(Partition, RangesAreContiguousInRankOrderAndCoverEverything) {
  for (int ranks : {1, 2, 3, 4, 7, 20}) {
    std::size_t blocks = 0, shards = 0, customers = 0;
    for (int r = 0; r < ranks; ++r) {
      const market::Partition p(10000, 1024, 6, r, ranks);  // 10 blocks, the last short
      EXPECT_EQ(p.first_block(static_cast<std::size_t>(r)), blocks);
      EXPECT_EQ(p.first_shard(static_cast<std::size_t>(r)), shards);
      EXPECT_EQ(p.first_customer(static_cast<std::size_t>(r)), customers);
      blocks += p.local_blocks();
      shards += p.local_shards();
      customers += p.local_customers();
      for (std::size_t s = p.first_shard(p.rank()); s < p.first_shard(p.rank() + 1); ++s)
        EXPECT_EQ(p.shard_owner(s), p.rank());
      for (std::size_t c = p.first_customer(p.rank()); c < p.first_customer(p.rank() + 1); c += 97)
        EXPECT_EQ(p.customer_owner(c), p.rank());
    }
    EXPECT_EQ(blocks, 10u);  // more ranks than blocks or shards: some get none
    EXPECT_EQ(shards, 6u);
    EXPECT_EQ(customers, 10000u);
  }
}

}  // namespace
}  // namespace flywheel
