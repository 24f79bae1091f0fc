// A whole state cut into ranks' parts (as a checkpoint resumes under MPI):
// the parts of every rank, joined in rank order, are the whole, at any
// number of ranks, including more ranks than work.

#include "flywheel/runtime/state_ranks.hpp"

#include <gtest/gtest.h>

#include <string>

#include "flywheel/runtime/state_digest.hpp"

namespace flywheel::runtime {
using namespace market;  // NOLINT(google-build-using-namespace): tests read the model's types
namespace {

Scenario test_scenario() {
  return scenario_from_string(R"(
name: ranks
seed: 3
ticks: 50
market: {categories: 30, shards: 6, customer_block: 256}
customers: {count: 2000, initially_active: 0.2}
platforms: [{name: a}, {name: b}, {name: c}]
)",
                              "<test>");
}

/// Every column of a customer store, its bytes one after another.
std::string bytes_of(const agents::Customers& customers) {
  std::string bytes;
  agents::for_each_column(customers, [&](const auto& column, const auto&, const agents::ColumnInfo&) {
    bytes.append(reinterpret_cast<const char*>(column.data()), column.size() * sizeof(column[0]));
  });
  return bytes;
}

TEST(StateRanks, ThePartsOfEveryRankJoinToTheWhole) {
  Market market(test_scenario());
  for (int t = 0; t < 12; ++t) market.step();
  const MarketState whole = market.state();
  const Scenario& s = market.scenario();
  for (const int ranks : {1, 2, 3, 7, 9}) {  // 9 ranks: more than the 8 customer blocks and 6 shards
    agents::Customers joined(s.platforms.size(), 0);
    std::vector<std::uint64_t> shard_digests;
    std::uint64_t intents = 0;
    for (int r = 0; r < ranks; ++r) {
      const Partition partition(s.customers.count, s.market.customer_block, s.market.shards, r, ranks);
      const MarketState part = part_of(whole, partition);
      EXPECT_EQ(part.customers.first(), partition.first_customer(partition.rank()));
      EXPECT_EQ(part.customers.size(), partition.local_customers());
      EXPECT_EQ(part.shards.size(), partition.local_shards());
      EXPECT_EQ(part.tick, whole.tick);
      EXPECT_EQ(part.platforms.size(), whole.platforms.size());
      EXPECT_EQ(part.today.tick, whole.today.tick);
      agents::append_rows(joined, part.customers, 0, part.customers.size(), s.platforms.size());
      for (const auto& shard : part.shards) shard_digests.push_back(state_digest(shard));
      intents += part.intents_matched;
    }
    EXPECT_EQ(bytes_of(joined), bytes_of(whole.customers)) << ranks << " ranks";
    ASSERT_EQ(shard_digests.size(), whole.shards.size());
    for (std::size_t i = 0; i < whole.shards.size(); ++i)
      EXPECT_EQ(shard_digests[i], state_digest(whole.shards[i])) << "shard " << i << ", " << ranks << " ranks";
    EXPECT_EQ(intents, whole.intents_matched);
  }
}

TEST(StateRanks, OneProcessGathersItsOwnState) {
  Market market(test_scenario());
  for (int t = 0; t < 5; ++t) market.step();
  const auto whole = gather_state(market);
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(bytes_of(whole->customers), bytes_of(market.customers()));
  EXPECT_EQ(whole->intents_matched, market.intents_matched());
  EXPECT_EQ(whole->shards.size(), market.shards().size());
}

}  // namespace
}  // namespace flywheel::runtime
