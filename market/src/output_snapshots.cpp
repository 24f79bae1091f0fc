// The snapshot tables of output_schema.hpp: customers and sellers, column by column.

#include <array>
#include <type_traits>

#include "flywheel/engine/exchange.hpp"
#include "flywheel/market/output_schema.hpp"

namespace flywheel::market {
namespace {

using h5::Element;

/// A column read straight from a member vector of Rows.
template <class Rows, auto Member>
constexpr SnapshotColumn<Rows> column(std::string_view name, std::string_view units, std::string_view long_name) {
  using T = typename std::remove_cvref_t<decltype(std::declval<const Rows&>().*Member)>::value_type;
  return {name,
          units,
          long_name,
          h5::element_of<T>(),
          false,
          [](const Rows& rows, h5::TableBuffer& b, std::size_t c) {
            b.append(c, std::span<const T>(rows.*Member)); }};
}

using agents::Customers;
constexpr std::array customer_table{
    column<Customers, &Customers::active>("active", "1", "1 once the customer shops"),
    column<Customers, &Customers::known>("known_platforms", "1", "bit p set: the customer knows platform p"),
    column<Customers, &Customers::last_platform>("last_platform", "1", "platform of the last trip (255: none)"),
    column<Customers, &Customers::member_of>("member_of", "1", "platform of its paid membership (255: none)"),
    column<Customers, &Customers::shopping_rate>("shopping_rate", "d-1", "shopping trips per day"),
    column<Customers, &Customers::price_sensitivity>("price_sensitivity", "1",
                                                     "utility per unit of log relative price"),
    column<Customers, &Customers::delivery_sensitivity>("delivery_sensitivity", "d-1", "utility per day of delivery"),
    column<Customers, &Customers::conversion>("conversion", "1", "own share of trips that ended in a purchase"),
    column<Customers, &Customers::spend_per_order>("spend_per_order", "currency", "own average order value"),
    SnapshotColumn<Customers>{
        "satisfaction", "1", "remembered satisfaction with each platform", Element::f32, true,
        [](const Customers& c, h5::TableBuffer& b, std::size_t i) { b.append(i, c.satisfaction_all()); }},
};

constexpr std::array seller_table{
    column<SellerRows, &SellerRows::id>("id", "1", "stable seller id"),
    column<SellerRows, &SellerRows::category>("category", "1", "category id"),
    column<SellerRows, &SellerRows::owner>("owner", "1", "platform of a 1P seller (255: a 3P seller)"),
    column<SellerRows, &SellerRows::quality>("quality", "1", "true quality"),
    column<SellerRows, &SellerRows::variant>("variant", "1", "position on the category's variant circle"),
    column<SellerRows, &SellerRows::base_cost>("base_cost", "currency", "unit cost before learning"),
    column<SellerRows, &SellerRows::unit_cost>("unit_cost", "currency", "current unit cost"),
    column<SellerRows, &SellerRows::cumulative_units>("cumulative_units", "1", "units sold since entry"),
    column<SellerRows, &SellerRows::cash>("cash", "currency", "cash"),
    column<SellerRows, &SellerRows::profit_trend>("profit_trend", "currency", "recent daily profit"),
    column<SellerRows, &SellerRows::platform_fulfilled>("platform_fulfilled", "1",
                                                        "1 if it uses the platform's fulfilment"),
    column<SellerRows, &SellerRows::losing_days>("losing_days", "d", "consecutive days of losses"),
    column<SellerRows, &SellerRows::born>("born", "1", "tick of entry"),
};

}  // namespace

std::span<const SnapshotColumn<agents::Customers>> customer_columns() { return customer_table; }
std::span<const SnapshotColumn<SellerRows>> seller_columns() { return seller_table; }

namespace {

/// This process's customers and sellers.
void record_local(const Market& market, std::vector<h5::TableBuffer>& tables) {
  FLYWHEEL_ASSERT(tables.size() == 2);
  for (std::size_t c = 0; c < customer_table.size(); ++c) customer_table[c].append(market.customers(), tables[0], c);
  for (const auto& shard : market.shards())
    for (std::size_t c = 0; c < seller_table.size(); ++c) seller_table[c].append(shard.sellers, tables[1], c);
}

}  // namespace

void record_snapshot(const Market& market, std::vector<h5::TableBuffer>* tables) {
  if (!market.partition().distributed()) {
    FLYWHEEL_ASSERT(tables != nullptr);
    record_local(market, *tables);
    return;
  }
  // Each rank's rows, column by column, to rank 0: ranks hold customers and
  // shards in contiguous ranges in rank order, so rank order is id and shard order.
  const h5::Layout layout = output_layout(market.scenario());
  std::vector<h5::TableBuffer> local;
  for (const auto& t : layout.tables) local.emplace_back(t, layout);
  record_local(market, local);
  std::vector<std::byte> all;
  std::vector<std::size_t> sizes;
  for (std::size_t t = 0; t < local.size(); ++t)
    for (std::size_t c = 0; c < local[t].columns(); ++c) {
      exchange::gatherv_bytes(local[t].bytes(c), all, sizes);
      if (tables != nullptr) (*tables)[t].append_bytes(c, all);
    }
}

}  // namespace flywheel::market
