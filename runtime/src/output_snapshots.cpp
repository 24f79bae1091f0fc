// The agent tables of output_schema.hpp: snapshots of every persistent column
// of customers, sellers and offers, as their declarations list them, and
// panels, the same columns of a fixed sample of them (output.sample).

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

#include "flywheel/agents/purposes.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/random.hpp"
#include "flywheel/runtime/output_schema.hpp"
#include "output_conventions.hpp"

namespace flywheel::runtime {
namespace {

// An offer's `seller` is a row of its shard's seller table, which means
// nothing outside the shard: its snapshot holds the seller's stable id.
constexpr std::string_view offer_seller = "seller";
constexpr std::string_view offer_seller_meaning = "its seller's stable id (the sellers' `id`)";

/// The agent tables a file may hold, in the order of its layout.
enum class Kind : std::uint8_t { customers, sellers, listings, customer_panel, seller_panel, listing_panel };

bool is_panel(Kind kind) { return kind >= Kind::customer_panel; }

/// The tables `s` writes, in layout order: snapshots, then the panel.
std::vector<Kind> kinds(const Scenario& s) {
  std::vector<Kind> out;
  for (const Kind kind :
       {Kind::customers, Kind::sellers, Kind::listings, Kind::customer_panel, Kind::seller_panel, Kind::listing_panel})
    if ((is_panel(kind) ? s.output.sample.every : s.output.snapshot_interval) > 0) out.push_back(kind);
  return out;
}

/// Whether the panel follows the agent with stable id `id`: a hash of the id
/// alone (seed 0), so every run of a scenario follows the same agents.
bool followed(std::uint32_t id, agents::Purpose purpose, double share) {
  if (share >= 1.0) return true;
  return random::unit(random::block(0, random::static_tick, id, agents::purpose(purpose), 0)[0]) < share;
}

template <class Rows>
h5::Table agent_table(std::string name, std::string long_name, std::span<const std::string> platforms,
                      bool customer_ids) {
  h5::Table t{std::move(name), std::move(long_name), {}};
  if (customer_ids) t.columns.push_back(cf_variable("id", "1", "the customer's id", h5::Element::u32, ""));
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

/// A panel table: chunks of about one panel's rows (`expected`), and no flush of its own.
h5::Table as_panel(h5::Table table, double expected) {
  constexpr double least = 256;
  constexpr double most = 1 << 16;
  table.chunk_rows = std::bit_ceil(static_cast<std::size_t>(std::clamp(expected, least, most)));
  table.flush_when_taken = false;
  return table;
}

h5::Table table_of(Kind kind, const Scenario& s, std::span<const std::string> platforms) {
  const double customers = s.output.sample.customers * s.customers.count;
  const double sellers = s.output.sample.sellers * s.market.categories * s.sellers.initial_per_category *
                         static_cast<double>(s.platforms.size());
  switch (kind) {
    case Kind::customers:
      return customer_table(platforms);
    case Kind::sellers:
      return seller_table(platforms);
    case Kind::listings:
      return offer_table(platforms);
    case Kind::customer_panel:
      return as_panel(agent_table<agents::Customers>(
                          "customer_panel", "a panel: the sample of customers output.sample follows", platforms, true),
                      customers);
    case Kind::seller_panel:
      return as_panel(
          agent_table<market::SellerRows>(
              "seller_panel", "a panel: the sample of sellers output.sample follows, shard by shard", platforms, false),
          sellers);
    case Kind::listing_panel:
      return as_panel(agent_table<market::OfferRows>(
                          "listing_panel", "a panel: the offers of the sellers output.sample follows, shard by shard",
                          platforms, false),
                      sellers);
  }
  FLYWHEEL_ASSERT(false);
  return {};
}

/// Appends rows `rows` (every row when null) of every persistent column of
/// `rows_of` to `table`, from column `first` on; `sellers`, for offers, maps
/// their seller rows to ids.
template <class Rows>
void append_rows(const Rows& rows_of, h5::TableBuffer& table, const std::vector<std::uint32_t>* rows,
                 std::size_t first = 0, const market::SellerRows* sellers = nullptr) {
  std::size_t c = first;
  const auto put = [&](auto values) {
    if (rows == nullptr)
      table.append(c++, values);
    else
      table.append_rows(c++, values, std::span<const std::uint32_t>(*rows));
  };
  agents::for_each_column(rows_of, [&](const auto& column, const auto&, const agents::ColumnInfo& info) {
    using T = typename std::remove_cvref_t<decltype(column)>::value_type;
    if (!info.persistent()) return;
    if constexpr (std::is_same_v<Rows, market::OfferRows> && std::is_same_v<T, std::uint32_t>) {
      if (info.name == offer_seller) {
        FLYWHEEL_ASSERT(sellers != nullptr);
        std::vector<SellerId> ids(column.size());
        for (std::size_t o = 0; o < column.size(); ++o) ids[o] = sellers->id[column[o]];
        put(std::span<const SellerId>(ids));
        return;
      }
    }
    put(std::span<const T>(column));
  });
}

/// This process's customers the panel follows, as rows, and their ids.
void followed_customers(const Market& market, double share, std::vector<std::uint32_t>& rows,
                        std::vector<std::uint32_t>& ids) {
  const auto first = static_cast<std::uint32_t>(market.partition().first_customer(market.partition().rank()));
  for (std::uint32_t row = 0; row < market.customers().size(); ++row)
    if (followed(first + row, agents::Purpose::sample_customer, share)) {
      rows.push_back(row);
      ids.push_back(first + row);
    }
}

/// One table's rows from this process's agents.
void record_table(const Market& market, Kind kind, h5::TableBuffer& table) {
  const double seller_share = market.scenario().output.sample.sellers;
  std::vector<std::uint32_t> rows;
  switch (kind) {
    case Kind::customers:
      append_rows(market.customers(), table, nullptr);
      return;
    case Kind::sellers:
      for (const auto& shard : market.shards()) append_rows(shard.state.sellers, table, nullptr);
      return;
    case Kind::listings:
      for (const auto& shard : market.shards())
        append_rows(shard.state.offers, table, nullptr, 0, &shard.state.sellers);
      return;
    case Kind::customer_panel: {
      std::vector<std::uint32_t> ids;
      followed_customers(market, market.scenario().output.sample.customers, rows, ids);
      table.append(0, std::span<const std::uint32_t>(ids));
      append_rows(market.customers(), table, &rows, 1);
      return;
    }
    case Kind::seller_panel:
      for (const auto& shard : market.shards()) {
        const auto& sellers = shard.state.sellers;
        rows.clear();
        for (std::uint32_t s = 0; s < sellers.size(); ++s)
          if (followed(static_cast<std::uint32_t>(sellers.id[s]), agents::Purpose::sample_seller, seller_share))
            rows.push_back(s);
        append_rows(sellers, table, &rows);
      }
      return;
    case Kind::listing_panel:
      for (const auto& shard : market.shards()) {
        const auto& sellers = shard.state.sellers;
        const auto& offers = shard.state.offers;
        rows.clear();
        for (std::uint32_t o = 0; o < offers.size(); ++o)
          if (followed(static_cast<std::uint32_t>(sellers.id[offers.seller[o]]), agents::Purpose::sample_seller,
                       seller_share))
            rows.push_back(o);
        append_rows(offers, table, &rows, 0, &sellers);
      }
      return;
  }
}

/// This process's rows of the tables in `due`.
void record_local(const Market& market, h5::TableMask due, std::vector<h5::TableBuffer>& tables) {
  const std::vector<Kind> all = kinds(market.scenario());
  FLYWHEEL_ASSERT(tables.size() == all.size());
  for (std::size_t t = 0; t < all.size(); ++t)
    if ((due >> t & 1U) != 0) record_table(market, all[t], tables[t]);
}

}  // namespace

h5::Table customer_table(std::span<const std::string> platforms) {
  return agent_table<agents::Customers>("customers", "snapshots of every customer (row: customer id)", platforms,
                                        false);
}
h5::Table seller_table(std::span<const std::string> platforms) {
  return agent_table<market::SellerRows>("sellers", "snapshots of every seller, shard by shard", platforms, false);
}
h5::Table offer_table(std::span<const std::string> platforms) {
  // Not "offers": that name is the series of offers per platform.
  return agent_table<market::OfferRows>("listings", "snapshots of every offer (listing), shard by shard", platforms,
                                        false);
}

std::vector<h5::Table> agent_tables(const Scenario& scenario, std::span<const std::string> platforms) {
  std::vector<h5::Table> tables;
  for (const Kind kind : kinds(scenario)) tables.push_back(table_of(kind, scenario, platforms));
  return tables;
}

h5::TableMask tables_due(const Scenario& scenario, Tick tick) {
  const std::vector<Kind> all = kinds(scenario);
  h5::TableMask due = 0;
  for (std::size_t t = 0; t < all.size(); ++t) {
    const std::uint32_t every = is_panel(all[t]) ? scenario.output.sample.every : scenario.output.snapshot_interval;
    if (tick % every == 0) due |= h5::TableMask{1} << t;
  }
  return due;
}

void record_snapshot(const Market& market, h5::TableMask due, std::vector<h5::TableBuffer>* tables) {
  if (!market.partition().distributed()) {
    FLYWHEEL_ASSERT(tables != nullptr);
    record_local(market, due, *tables);
    return;
  }
  // Each rank's rows, column by column, to rank 0: ranks hold customers and
  // shards in contiguous ranges in rank order, so rank order is id and shard order.
  const h5::Layout layout = output_layout(market.scenario());
  std::vector<h5::TableBuffer> local;
  for (const auto& t : layout.tables) local.emplace_back(t, layout);
  record_local(market, due, local);
  std::vector<std::byte> all;
  std::vector<std::size_t> sizes;
  for (std::size_t t = 0; t < local.size(); ++t) {
    if ((due >> t & 1U) == 0) continue;
    for (std::size_t c = 0; c < local[t].columns(); ++c) {
      exchange::gatherv_bytes(local[t].bytes(c), all, sizes);
      if (tables != nullptr) (*tables)[t].append_bytes(c, all);
    }
  }
}

}  // namespace flywheel::runtime
