// The snapshot tables of output_schema.hpp: every persistent column of
// customers and sellers, as their declarations list them.

#include "flywheel/engine/exchange.hpp"
#include "flywheel/runtime/output_schema.hpp"

namespace flywheel::runtime {
namespace {

template <class Rows>
h5::Table snapshot_table(std::string name, std::string long_name) {
  h5::Table t{std::move(name), std::move(long_name), {}};
  Rows empty{};
  agents::for_each_column(empty, [&](const auto& column, const auto&, const agents::ColumnInfo& info) {
    using T = typename std::remove_cvref_t<decltype(column)>::value_type;
    if (!info.persistent()) return;
    t.columns.push_back({std::string(info.name), std::string(info.units), std::string(info.description),
                         h5::element_of<T>(), info.per_platform ? "platform" : ""});
  });
  return t;
}

/// Appends every persistent column of `rows` to `table`.
template <class Rows>
void append_rows(const Rows& rows, h5::TableBuffer& table) {
  std::size_t c = 0;
  agents::for_each_column(rows, [&](const auto& column, const auto&, const agents::ColumnInfo& info) {
    using T = typename std::remove_cvref_t<decltype(column)>::value_type;
    if (info.persistent()) table.append(c++, std::span<const T>(column));
  });
}

/// This process's customers and sellers.
void record_local(const Market& market, std::vector<h5::TableBuffer>& tables) {
  FLYWHEEL_ASSERT(tables.size() == 2);
  append_rows(market.customers(), tables[0]);
  for (const auto& shard : market.shards()) append_rows(shard.state.sellers, tables[1]);
}

}  // namespace

h5::Table customer_table() {
  return snapshot_table<agents::Customers>("customers", "snapshots of every customer (row: customer id)");
}
h5::Table seller_table() {
  return snapshot_table<market::SellerRows>("sellers", "snapshots of every seller, shard by shard");
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
