// The keyed exchange across real ranks (run under mpirun, label mpi): each
// receiver gets its items by key, then by source rank, each source's items in
// the order sent, and answers return in each sender's own order. The
// distributed run relies on this for intents (key: shard) and referrals (key:
// the emitting shard): with customer blocks contiguous in rank order it is
// the single process's order, so take-up and its tallies do not depend on the
// rank count.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "flywheel/engine/keyed_exchange.hpp"
#include "flywheel/engine/mpi.hpp"

namespace flywheel {
namespace {

struct Tagged {
  std::uint32_t source, destination, key, seq;
};

// How many items rank `source` sends to `destination` under `key`: uneven, some none.
std::uint32_t how_many(std::size_t source, std::size_t destination, std::size_t key) {
  return static_cast<std::uint32_t>((source * 7 + destination * 3 + key * 5) % 4);
}

TEST(KeyedExchangeRanks, ItemsArriveByKeyThenSourceRankInSendingOrder) {
  const auto ranks = static_cast<std::size_t>(mpi::size());
  const auto me = static_cast<std::size_t>(mpi::rank());
  const std::size_t keys = 5;
  std::vector<Tagged> items;
  std::vector<std::uint64_t> counts(ranks * keys, 0);
  for (std::size_t q = 0; q < ranks; ++q)
    for (std::size_t k = 0; k < keys; ++k) {
      counts[q * keys + k] = how_many(me, q, k);
      for (std::uint32_t i = 0; i < how_many(me, q, k); ++i)
        items.push_back(
            {static_cast<std::uint32_t>(me), static_cast<std::uint32_t>(q), static_cast<std::uint32_t>(k), i});
    }
  exchange::KeyedExchange<Tagged> x(ranks, keys);
  x.send(items, counts);

  std::size_t received = 0;
  for (std::size_t k = 0; k < keys; ++k) {
    std::vector<Tagged> expected;
    for (std::size_t source = 0; source < ranks; ++source)
      for (std::uint32_t i = 0; i < how_many(source, me, k); ++i)
        expected.push_back(
            {static_cast<std::uint32_t>(source), static_cast<std::uint32_t>(me), static_cast<std::uint32_t>(k), i});
    const auto got = x.items(k);
    ASSERT_EQ(got.size(), expected.size()) << "key " << k;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].source, expected[i].source) << "key " << k << " item " << i;
      EXPECT_EQ(got[i].destination, me);
      EXPECT_EQ(got[i].key, k);
      EXPECT_EQ(got[i].seq, expected[i].seq);
    }
    received += got.size();
  }
  EXPECT_EQ(x.received(), received);

  // Answers come back to each sender in its own sending order.
  std::vector<Tagged> answers;
  x.reply<Tagged>([](const Tagged& t) { return t; }, answers);
  ASSERT_EQ(answers.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(answers[i].source, items[i].source);
    EXPECT_EQ(answers[i].destination, items[i].destination);
    EXPECT_EQ(answers[i].key, items[i].key);
    EXPECT_EQ(answers[i].seq, items[i].seq);
  }
}

}  // namespace
}  // namespace flywheel

int main(int argc, char** argv) {
  const flywheel::mpi::Session session(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
