// The snapshot tables of output_schema.hpp: every persistent column of
// customers, sellers and offers, as their declarations list them.

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

#include "flywheel/engine/exchange.hpp"
#include "flywheel/runtime/output_schema.hpp"
#include "output_conventions.hpp"

namespace flywheel::runtime {
namespace {

// An offer's `seller` is a row of its shard's seller table, which means
// nothing outside the shard: its snapshot holds the seller's stable id.
constexpr std::string_view offer_seller = "seller";
constexpr std::string_view offer_seller_meaning = "its seller's stable id (the sellers' `id`)";

template <class Rows>
h5::Table snapshot_table(std::string name, std::string long_name, std::span<const std::string> platforms) {
  h5::Table t{std::move(name), std::move(long_name), {}};
  Rows empty{};
  agents::for_each_column(empty, [&](const auto& column, const auto&, const agents::ColumnInfo& info) {
    using T = typename std::remove_cvref_t<decltype(column)>::value_type;
    if (!info.persistent()) return;
    const bool seller = std::is_same_v<Rows, market::OfferRows> && info.name == offer_seller;
    h5::Variable v = cf_variable(info.name, info.units, seller ? offer_seller_meaning : info.description,
                                 h5::element_of<T>(), info.per_platform ? "platform" : "");
    for (auto& flag : platform_flags(info.coding, platforms)) v.attributes.push_back(std::move(flag));
    t.columns.push_back(std::move(v));
  });
  return t;
}

/// Appends every persistent column of `rows` to `table`; `sellers`, for offers, maps their seller rows to ids.
template <class Rows>
void append_rows(const Rows& rows, h5::TableBuffer& table, const market::SellerRows* sellers = nullptr) {
  std::size_t c = 0;
  agents::for_each_column(rows, [&](const auto& column, const auto&, const agents::ColumnInfo& info) {
    using T = typename std::remove_cvref_t<decltype(column)>::value_type;
    if (!info.persistent()) return;
    if constexpr (std::is_same_v<Rows, market::OfferRows> && std::is_same_v<T, std::uint32_t>) {
      if (info.name == offer_seller) {
        FLYWHEEL_ASSERT(sellers != nullptr);
        std::vector<SellerId> ids(column.size());
        for (std::size_t o = 0; o < column.size(); ++o) ids[o] = sellers->id[column[o]];
        table.append(c++, std::span<const SellerId>(ids));
        return;
      }
    }
    table.append(c++, std::span<const T>(column));
  });
}

/// This process's customers, sellers and offers.
void record_local(const Market& market, std::vector<h5::TableBuffer>& tables) {
  FLYWHEEL_ASSERT(tables.size() == 3);
  append_rows(market.customers(), tables[0]);
  for (const auto& shard : market.shards()) append_rows(shard.state.sellers, tables[1]);
  for (const auto& shard : market.shards()) append_rows(shard.state.offers, tables[2], &shard.state.sellers);
}

}  // namespace

h5::Table customer_table(std::span<const std::string> platforms) {
  return snapshot_table<agents::Customers>("customers", "snapshots of every customer (row: customer id)", platforms);
}
h5::Table seller_table(std::span<const std::string> platforms) {
  return snapshot_table<market::SellerRows>("sellers", "snapshots of every seller, shard by shard", platforms);
}
h5::Table offer_table(std::span<const std::string> platforms) {
  // Not "offers": that name is the series of offers per platform.
  return snapshot_table<market::OfferRows>("listings", "snapshots of every offer (listing), shard by shard", platforms);
}

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

}  // namespace flywheel::runtime
