// The output schema: names are unique, the layout matches what a tick
// records, and the recorded values are the day's.

#include "flywheel/runtime/output_schema.hpp"

#include <gtest/gtest.h>

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

TEST(OutputSchema, SnapshotsHoldEveryCustomerAndSeller) {
  const Scenario s = tiny(false, 1);
  Market market(s, Execution::serial);
  market.step();
  const h5::Layout layout = output_layout(s);
  std::vector<h5::TableBuffer> tables;
  for (const auto& t : layout.tables) tables.emplace_back(t, layout);
  record_snapshot(market, tables);
  EXPECT_EQ(tables[0].rows(), 1500u);
  std::size_t sellers = 0;
  for (const auto& shard : market.shards()) sellers += shard.state.sellers.size();
  EXPECT_EQ(tables[1].rows(), sellers);
  EXPECT_GT(sellers, 0u);
}

}  // namespace
}  // namespace flywheel::runtime
