// The output schema: names are unique, the layout matches what a tick
// records, and the recorded values are the day's.

#include "flywheel/runtime/output_schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

namespace flywheel::runtime {
using namespace market;  // NOLINT(google-build-using-namespace): tests read the model's types
namespace {

Scenario tiny(bool categories, std::uint32_t snapshots) {
  Scenario s = scenario_from_string(R"(
name: schema
market: {categories: 12, shards: 3}
customers: {count: 1500, initially_active: 0.2}
platforms: [{name: alpha}, {name: beta, third_party: false}]
)");
  s.output.category_series = categories;
  s.output.snapshot_interval = snapshots;
  return s;
}

TEST(OutputSchema, VariableNamesAreUniqueAndClearOfDimensions) {
  std::set<std::string> names{"tick", "platform", "category"};
  auto add = [&](std::string_view name) { EXPECT_TRUE(names.insert(std::string(name)).second) << name; };
  for (const auto& r : platform_series()) add(r.name);
  for (const auto& r : market_series()) add(r.name);
  for (const auto& r : category_series()) add(r.name);
  for (const auto& table : {customer_table().columns.size(), seller_table().columns.size()}) EXPECT_GT(table, 0u);
  for (const auto& r : platform_series()) EXPECT_FALSE(r.units.empty() || r.long_name.empty()) << r.name;
}

TEST(OutputSchema, LayoutFollowsTheOutputSection) {
  const h5::Layout plain = output_layout(tiny(false, 0));
  EXPECT_EQ(plain.axes.size(), 1u);
  EXPECT_TRUE(plain.tables.empty());
  EXPECT_EQ(plain.row_width(), 2 * platform_series().size() + market_series().size());
  const h5::Layout full = output_layout(tiny(true, 5));
  EXPECT_EQ(full.axis("category").size(), 12u);
  EXPECT_EQ(full.tables.size(), 3u);
  EXPECT_EQ(full.row_width(), plain.row_width() + 12 * category_series().size());
  // A snapshot's group and a series or axis share the file's root: their names must differ.
  for (const auto& table : full.tables) {
    for (const auto& series : full.series) EXPECT_NE(table.name, series.name);
    for (const auto& axis : full.axes) EXPECT_NE(table.name, axis.name);
  }
}

TEST(OutputSchema, ARecordedRowHoldsTheDaysFigures) {
  const Scenario s = tiny(true, 0);
  Market market(s, Execution::serial);
  const h5::Layout layout = output_layout(s);
  std::vector<double> row(layout.row_width(), -1.0);
  for (int t = 0; t < 15; ++t) market.step();
  record_tick(market, row);

  const MarketDay& day = market.today();
  std::size_t offset = 0;
  for (std::size_t v = 0; v < layout.series.size(); ++v) {
    const auto& name = layout.series[v].name;
    if (name == "orders") {
      for (std::size_t p = 0; p < 2; ++p)
        EXPECT_EQ(row[offset + p], static_cast<double>(day.platforms[p].tally.orders));
    }
    if (name == "market_offers") {
      EXPECT_EQ(row[offset], static_cast<double>(day.offers));
      double category_offers = 0.0;
      const std::size_t at = row.size() - 12;  // category_offers is the last series
      ASSERT_EQ(layout.series.back().name, "category_offers");
      for (std::size_t c = 0; c < 12; ++c) category_offers += row[at + c];
      EXPECT_EQ(category_offers, static_cast<double>(day.offers));
    }
    offset += layout.width(layout.series[v]);
  }
  EXPECT_EQ(offset, row.size());
}

// Regression: a day without visits or sales wrote its ratios as 0, which
// means over days then counted as a conversion, an error or a price of 0.
TEST(OutputSchema, ADayWithoutVisitsRecordsItsRatiosAsNaN) {
  Scenario s = tiny(false, 0);
  s.customers.initially_active = 0.0;  // no one shops, no one is referred: no visit on any day
  Market market(s, Execution::serial);
  market.step();
  const h5::Layout layout = output_layout(s);
  std::vector<double> row(layout.row_width(), -1.0);
  record_tick(market, row);
  std::size_t offset = 0;
  for (const auto& series : layout.series) {
    const double value = row[offset];
    if (series.name == "visits" || series.name == "orders") {
      EXPECT_EQ(value, 0.0) << series.name;
    }
    for (const char* ratio :
         {"conversion", "ranker_error", "list_regret", "price_index", "third_party_unit_share", "average_price_paid",
          "market_price_index", "market_third_party_unit_share", "market_share"})
      if (series.name == ratio) {
        EXPECT_TRUE(std::isnan(value)) << series.name;
      }
    offset += layout.width(series);
  }
  EXPECT_TRUE(std::isnan(market.today().price_index));
}

// A mean's weight is output beside it, so days pool as the simulator pools a day's lists.
TEST(OutputSchema, EachErrorIsItsTallyOverTheWeightOutputBesideIt) {
  const Scenario s = tiny(false, 0);
  Market market(s, Execution::serial);
  for (int day = 0; day < 20; ++day) market.step();
  const h5::Layout layout = output_layout(s);
  std::vector<double> row(layout.row_width(), -1.0);
  record_tick(market, row);
  const auto at = [&](std::string_view name, std::size_t platform) {
    std::size_t offset = 0;
    for (const auto& series : layout.series) {
      if (series.name == name) return row[offset + platform];
      offset += layout.width(series);
    }
    ADD_FAILURE() << "no series " << name;
    return 0.0;
  };
  const auto& tally = market.today().platforms[0].tally;
  ASSERT_GT(tally.ranked_offers, 0u);
  EXPECT_EQ(at("listed_offers", 0), static_cast<double>(tally.ranked_offers));
  EXPECT_EQ(at("listed_visits", 0), static_cast<double>(tally.listed_visits));
  EXPECT_DOUBLE_EQ(at("ranker_error", 0) * at("listed_offers", 0), tally.ranker_abs_error);
  EXPECT_DOUBLE_EQ(at("taste_error", 0) * at("listed_visits", 0), tally.taste_error_sum);
}

TEST(OutputSchema, SnapshotsHoldEveryCustomerAndSeller) {
  const Scenario s = tiny(false, 1);
  Market market(s, Execution::serial);
  market.step();
  const h5::Layout layout = output_layout(s);
  std::vector<h5::TableBuffer> tables;
  for (const auto& t : layout.tables) tables.emplace_back(t, layout);
  record_snapshot(market, tables_due(s, market.today().tick), &tables);
  EXPECT_EQ(tables[0].rows(), 1500u);
  std::size_t sellers = 0;
  for (const auto& shard : market.shards()) sellers += shard.state.sellers.size();
  EXPECT_EQ(tables[1].rows(), sellers);
  EXPECT_GT(sellers, 0u);
}

/// Row `row` of column `column` of `table`, as bytes.
std::vector<std::byte> row_of(const h5::TableBuffer& table, std::size_t column, std::size_t row) {
  const auto bytes = table.bytes(column);
  const std::size_t width = bytes.size() / table.rows();
  return {bytes.begin() + static_cast<std::ptrdiff_t>(row * width),
          bytes.begin() + static_cast<std::ptrdiff_t>((row + 1) * width)};
}

/// A snapshot and a panel of `s` after `ticks` ticks: tables 0-2 the
/// snapshots, 3-5 the panel (customers, sellers, offers).
std::vector<h5::TableBuffer> snapshot_and_panel(const Scenario& s, int ticks) {
  Market market(s, Execution::serial);
  for (int t = 0; t < ticks; ++t) market.step();
  const h5::Layout layout = output_layout(s);
  std::vector<h5::TableBuffer> tables;
  for (const auto& t : layout.tables) tables.emplace_back(t, layout);
  EXPECT_EQ(layout.tables.size(), 6u);
  EXPECT_EQ(tables_due(s, market.today().tick), 0b111111u);
  record_snapshot(market, 0b111111u, &tables);
  return tables;
}

/// The values of a uint32 column (an id) of `table`.
std::vector<std::uint32_t> ids_in(const h5::TableBuffer& table, std::size_t column) {
  std::vector<std::uint32_t> ids(table.rows());
  std::memcpy(ids.data(), table.bytes(column).data(), ids.size() * sizeof(std::uint32_t));
  return ids;
}

// A panel is the snapshot's rows of the agents it follows, byte for byte:
// customers by their id (its first column), sellers by theirs, offers by their seller's.
TEST(OutputSchema, APanelHoldsTheSnapshotsRowsOfTheAgentsItFollows) {
  Scenario s = tiny(false, 1);
  s.output.sample = {.every = 1, .customers = 0.25, .sellers = 0.4};
  const auto tables = snapshot_and_panel(s, 20);
  const std::vector<std::uint32_t> customers = ids_in(tables[3], 0);
  EXPECT_NEAR(static_cast<double>(customers.size()), 0.25 * 1500, 4 * std::sqrt(1500 * 0.25 * 0.75));
  EXPECT_TRUE(std::is_sorted(customers.begin(), customers.end()));
  for (std::size_t r = 0; r < customers.size(); ++r)
    for (std::size_t c = 0; c < tables[0].columns(); ++c)
      ASSERT_EQ(row_of(tables[3], c + 1, r), row_of(tables[0], c, customers[r])) << "customer " << customers[r];

  const std::size_t seller_id = 0, offer_seller = 0;  // the first column of each
  const std::vector<std::uint32_t> all_sellers = ids_in(tables[1], seller_id);
  const std::vector<std::uint32_t> followed = ids_in(tables[4], seller_id);
  const std::set<std::uint32_t> followed_set(followed.begin(), followed.end());
  EXPECT_NEAR(static_cast<double>(followed.size()), 0.4 * all_sellers.size(),
              4 * std::sqrt(all_sellers.size() * 0.4 * 0.6) + 1);
  std::size_t p = 0;
  for (std::size_t r = 0; r < all_sellers.size(); ++r)
    if (followed_set.contains(all_sellers[r])) {
      for (std::size_t c = 0; c < tables[1].columns(); ++c) ASSERT_EQ(row_of(tables[4], c, p), row_of(tables[1], c, r));
      ++p;
    }
  EXPECT_EQ(p, followed.size());
  const std::vector<std::uint32_t> offer_sellers = ids_in(tables[2], offer_seller);
  p = 0;
  for (std::size_t r = 0; r < offer_sellers.size(); ++r)
    if (followed_set.contains(offer_sellers[r])) {
      for (std::size_t c = 0; c < tables[2].columns(); ++c) ASSERT_EQ(row_of(tables[5], c, p), row_of(tables[2], c, r));
      ++p;
    }
  EXPECT_EQ(p, tables[5].rows());
  EXPECT_GT(p, 0u);
}

// The sample is a hash of ids alone: another seed follows the same customers.
TEST(OutputSchema, ThePanelFollowsTheSameCustomersWhateverTheSeed) {
  Scenario s = tiny(false, 1);
  s.output.sample = {.every = 1, .customers = 0.1, .sellers = 0.1};
  const auto first = ids_in(snapshot_and_panel(s, 1)[3], 0);
  s.seed = 99;
  EXPECT_EQ(ids_in(snapshot_and_panel(s, 1)[3], 0), first);
}

TEST(OutputSchema, SnapshotsAndThePanelAreDueOnTheirOwnSchedules) {
  Scenario s = tiny(false, 10);
  s.output.sample.every = 4;
  EXPECT_EQ(tables_due(s, 0), 0b111111u);
  EXPECT_EQ(tables_due(s, 4), 0b111000u);
  EXPECT_EQ(tables_due(s, 10), 0b000111u);
  EXPECT_EQ(tables_due(s, 7), 0u);
  s.output.snapshot_interval = 0;
  EXPECT_EQ(tables_due(s, 8), 0b111u);  // the panel alone: the layout's first tables
  EXPECT_EQ(output_layout(s).tables.front().name, "customer_panel");
}

}  // namespace
}  // namespace flywheel::runtime
