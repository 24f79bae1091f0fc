// State declared once: every persistent column a store declares, and every
// field of the platforms' records, is covered by the checkpoint file, the
// snapshot tables and the state digest, with no other list to update.

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstring>
#include <set>
#include <string>

#include "../engine/h5_temp_file.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "flywheel/runtime/output_schema.hpp"
#include "flywheel/runtime/state_digest.hpp"

namespace flywheel::runtime {
using namespace market;  // NOLINT(google-build-using-namespace): tests read the model's types
namespace {

Scenario small_scenario() {
  return scenario_from_string(R"(
name: declaration
seed: 3
ticks: 100
market: {categories: 12, shards: 3, customer_block: 256}
customers: {count: 1500, initially_active: 0.3}
sellers: {initial_per_category: 2, entry_pool_rate: 0.3}
platforms:
  - {name: a}
  - {name: b, take_rate: 0.1}
)");
}

/// Flips one bit of `value`.
template <class T>
void flip(T& value) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  bytes[0] ^= 1u;
  std::memcpy(&value, bytes, sizeof(T));
}

/// The names of a store's persistent columns.
template <class Rows>
std::vector<std::string> persistent_columns() {
  Rows empty{};
  std::vector<std::string> names;
  agents::for_each_column(empty, [&](const auto&, const auto&, const agents::ColumnInfo& info) {
    if (info.persistent()) names.emplace_back(info.name);
  });
  return names;
}

/// A market a few ticks in, so that every table has rows.
class StateDeclaration : public ::testing::Test {
 protected:
  StateDeclaration() : market_(small_scenario(), Execution::serial) {
    for (int t = 0; t < 5; ++t) market_.step();
  }

  /// The digest of the market with `change` applied to a copy of its state.
  template <class Change>
  std::uint64_t digest_after(Change&& change) {
    MarketState state = market_.state();
    change(state);
    Market other(small_scenario(), Execution::serial);
    other.restore(std::move(state));
    return state_digest(other);
  }

  /// Checks that flipping the first value of each persistent column of the
  /// store `pick` selects changes the digest.
  template <class Pick>
  void expect_every_column_in_digest(Pick&& pick) {
    const std::uint64_t base = state_digest(market_);
    MarketState probe = market_.state();
    std::vector<std::string> names;
    agents::for_each_column(pick(probe), [&](const auto&, const auto&, const agents::ColumnInfo& info) {
      names.emplace_back(info.persistent() ? std::string(info.name) : std::string());
    });
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (names[k].empty()) continue;
      const std::uint64_t changed = digest_after([&](MarketState& s) {
        std::size_t i = 0;
        agents::for_each_column(pick(s), [&](auto& column, const auto&, const agents::ColumnInfo&) {
          if (i++ == k) {
            ASSERT_FALSE(column.empty()) << names[k];
            flip(column[0]);
          }
        });
      });
      EXPECT_NE(changed, base) << "the digest misses column " << names[k];
    }
  }

  /// Checks that flipping each field of the record `pick` selects changes the digest.
  template <class Record, class Pick>
  void expect_every_field_in_digest(Pick&& pick) {
    const std::uint64_t base = state_digest(market_);
    Record::fields([&](const char* name, auto field) {
      const std::uint64_t changed = digest_after([&](MarketState& s) { flip(pick(s).*field); });
      EXPECT_NE(changed, base) << "the digest misses field " << name;
    });
  }

  Market market_;
};

TEST_F(StateDeclaration, TheDigestCoversEveryPersistentColumn) {
  expect_every_column_in_digest([](MarketState& s) -> agents::Customers& { return s.customers; });
  expect_every_column_in_digest([](MarketState& s) -> SellerRows& { return s.shards[0].sellers; });
  expect_every_column_in_digest([](MarketState& s) -> OfferRows& { return s.shards[0].offers; });
}

TEST_F(StateDeclaration, TheDigestCoversEveryFieldOfPlatformsShardsAndTheDay) {
  using namespace agents;
  expect_every_field_in_digest<PlatformLevers>([](MarketState& s) -> PlatformLevers& { return s.platforms[1].levers; });
  expect_every_field_in_digest<PlatformBooks>([](MarketState& s) -> PlatformBooks& { return s.platforms[1].books; });
  expect_every_field_in_digest<PlatformDaily>(
      [](MarketState& s) -> PlatformDaily& { return s.platforms[1].history[0]; });
  expect_every_field_in_digest<CategorySignal>(
      [](MarketState& s) -> CategorySignal& { return s.shards[2].signals[1]; });
  expect_every_field_in_digest<PlatformTally>([](MarketState& s) -> PlatformTally& { return s.shards[2].tally[1]; });
  expect_every_field_in_digest<MarketDay>([](MarketState& s) -> MarketDay& { return s.today; });
  expect_every_field_in_digest<PlatformDay>([](MarketState& s) -> PlatformDay& { return s.today.platforms[1]; });
  const std::uint64_t base = state_digest(market_);
  EXPECT_NE(digest_after([](MarketState& s) { ++s.shards[1].serial; }), base);
  EXPECT_NE(digest_after([](MarketState& s) { ++s.platforms[0].days_seen; }), base);
  EXPECT_NE(digest_after([](MarketState& s) { ++s.tick; }), base);
  EXPECT_NE(digest_after([](MarketState& s) { ++s.intents_matched; }), base);
}

TEST_F(StateDeclaration, TheCheckpointSavesEveryPersistentColumn) {
  const testing::TempFile file;
  save_checkpoint(market_, {}, file.path());
  const h5::File f = h5::File::open_read(file.path());
  auto expect_dataset = [&](const std::string& path) {
    // Each step of the path must exist before the next is asked for.
    bool found = true;
    for (std::size_t end = path.find('/'); found; end = path.find('/', end + 1)) {
      found = H5Lexists(f.id(), path.substr(0, end).c_str(), H5P_DEFAULT) > 0;
      if (end == std::string::npos) break;
    }
    EXPECT_TRUE(found) << "the checkpoint has no " << path;
  };
  for (const auto& name : persistent_columns<agents::Customers>()) expect_dataset("customers/" + name);
  for (const auto& name : persistent_columns<SellerRows>()) expect_dataset("shards/0/sellers/" + name);
  for (const auto& name : persistent_columns<OfferRows>()) expect_dataset("shards/0/offers/" + name);
  agents::PlatformLevers::fields(
      [&](const char* name, auto) { expect_dataset(std::string("platforms/levers/") + name); });
  agents::PlatformBooks::fields(
      [&](const char* name, auto) { expect_dataset(std::string("platforms/books/") + name); });
  agents::PlatformTally::fields([&](const char* name, auto) { expect_dataset(std::string("shards/1/tally/") + name); });
}

TEST_F(StateDeclaration, TheSnapshotTablesHoldEveryPersistentColumn) {
  auto names = [](const h5::Table& table) {
    std::set<std::string> out;
    for (const auto& c : table.columns) out.insert(c.name);
    return out;
  };
  const auto customers = names(customer_table());
  for (const auto& name : persistent_columns<agents::Customers>())
    EXPECT_TRUE(customers.contains(name)) << "no customer snapshot column " << name;
  const auto sellers = names(seller_table());
  for (const auto& name : persistent_columns<SellerRows>())
    EXPECT_TRUE(sellers.contains(name)) << "no seller snapshot column " << name;
  const auto offers = names(offer_table());
  for (const auto& name : persistent_columns<OfferRows>())
    EXPECT_TRUE(offers.contains(name)) << "no offer snapshot column " << name;
}

/// Bytes of a store's declared columns (each a std::vector).
template <class Rows>
std::size_t declared_bytes() {
  Rows empty{};
  std::size_t bytes = 0;
  agents::for_each_column(empty, [&](const auto& column, const auto&, const auto&) { bytes += sizeof(column); });
  return bytes;
}

/// Bytes of a record's listed fields.
template <class Record>
std::size_t listed_bytes() {
  std::size_t bytes = 0;
  Record::fields([&](const char*, auto field) { bytes += sizeof(std::declval<Record&>().*field); });
  return bytes;
}

// A member added to a store or a record without its line in declare() or
// fields() makes the type larger than what is declared, and fails here.
TEST(StateDeclarationSize, EveryMemberOfAStoreIsADeclaredColumn) {
  EXPECT_EQ(sizeof(SellerRows), declared_bytes<SellerRows>());
  EXPECT_EQ(sizeof(OfferRows), declared_bytes<OfferRows>());
  EXPECT_EQ(sizeof(agents::Customers), declared_bytes<agents::Customers>() + 2 * sizeof(std::size_t))
      << "besides its columns, Customers holds first_ and platforms_ only";
}

TEST(StateDeclarationSize, EveryFieldOfARecordIsListed) {
  EXPECT_EQ(sizeof(agents::PlatformTally), listed_bytes<agents::PlatformTally>());
  EXPECT_EQ(sizeof(agents::PlatformLevers), listed_bytes<agents::PlatformLevers>());
  EXPECT_EQ(sizeof(agents::PlatformBooks), listed_bytes<agents::PlatformBooks>());
  EXPECT_EQ(sizeof(agents::PlatformDaily), listed_bytes<agents::PlatformDaily>());
  EXPECT_EQ(sizeof(CategorySignal), listed_bytes<CategorySignal>());
  EXPECT_EQ(sizeof(agents::PlatformDay), listed_bytes<agents::PlatformDay>() + sizeof(agents::PlatformTally) +
                                             sizeof(agents::PlatformBooks) + sizeof(agents::PlatformLevers));
  EXPECT_EQ(sizeof(MarketDay),
            listed_bytes<MarketDay>() + 4 /* padding after tick */ + sizeof(std::vector<agents::PlatformDay>));
}

TEST_F(StateDeclaration, NewRowsTakeTheDeclaredInitialValues) {
  OfferRows offers;
  agents::append_row(offers);
  EXPECT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers.price_direction[0], -1);
  SellerRows sellers;
  agents::append_row(sellers);
  EXPECT_EQ(sellers.owner[0], no_platform);
  agents::for_each_column(sellers, [](const auto& column, const auto&, const auto&) { EXPECT_EQ(column.size(), 1u); });
}

}  // namespace
}  // namespace flywheel::runtime
