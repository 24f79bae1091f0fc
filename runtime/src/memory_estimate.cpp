#include "flywheel/runtime/memory_estimate.hpp"

#include <algorithm>

#include "flywheel/agents/columns.hpp"
#include "flywheel/engine/h5/writer.hpp"
#include "flywheel/market/intent.hpp"
#include "flywheel/market/shard.hpp"
#include "flywheel/runtime/output_schema.hpp"

namespace flywheel::runtime {
namespace {

using market::CandidatePool;
using market::Intent;
using market::OfferRows;
using market::SellerRows;

// The program, its libraries, thread stacks, the allocator's and HDF5's caches: measured (max RSS of a
// run of 1,000 customers with output: 20 MiB; HDF5 compression adds more with snapshots) and rounded up.
constexpr std::size_t runtime_overhead_bytes = std::size_t{48} << 20;

std::size_t block_count(const Scenario& s) {
  return (s.customers.count + s.market.customer_block - 1) / s.market.customer_block;
}

/// Offers at the start: each 3P platform's initial sellers per category, and one 1P offer per category and platform.
std::size_t offers_at_start(const Scenario& s) {
  std::size_t third_party_platforms = 0;
  for (const auto& p : s.platforms) third_party_platforms += p.third_party ? 1 : 0;
  return static_cast<std::size_t>(s.market.categories *
                                  (static_cast<double>(third_party_platforms) * s.sellers.initial_per_category +
                                   static_cast<double>(s.platforms.size())));
}

/// Bytes of one row of a snapshot table.
std::size_t row_bytes(const h5::Table& table, std::size_t platforms) {
  std::size_t bytes = 0;
  for (const auto& c : table.columns) bytes += h5::element_size(c.element) * (c.axis.empty() ? 1 : platforms);
  return bytes;
}

/// Bytes of one snapshot of every customer, seller and offer at the start.
std::size_t snapshot_bytes(const Scenario& s) {
  const std::size_t platforms = s.platforms.size();
  return std::size_t{s.customers.count} * row_bytes(customer_table(), platforms) +
         offers_at_start(s) * (row_bytes(seller_table(), platforms) + row_bytes(offer_table(), platforms));
}

/// Bytes of one panel: the sample of customers (with their ids), and of the sellers at the start with their offers.
std::size_t panel_bytes(const Scenario& s) {
  const std::size_t platforms = s.platforms.size();
  const double customers = s.output.sample.customers * s.customers.count;
  const double offers = s.output.sample.sellers * static_cast<double>(offers_at_start(s));
  return static_cast<std::size_t>(
      customers * static_cast<double>(row_bytes(customer_table(), platforms) + sizeof(std::uint32_t)) +
      offers * static_cast<double>(row_bytes(seller_table(), platforms) + row_bytes(offer_table(), platforms)));
}

/// Times a table taken every `every` ticks (at 0, N, 2N, ...) is taken in `ticks` ticks.
std::size_t times_taken(std::uint32_t every, std::uint32_t ticks) {
  return every > 0 && ticks > 0 ? (ticks - 1) / every + 1 : 0;
}

}  // namespace

MemoryEstimate estimate_memory(const Scenario& s) {
  MemoryEstimate e{};
  const std::size_t platforms = s.platforms.size();
  e.bytes_per_customer = agents::row_bytes<agents::Customers>(platforms);
  e.customer_bytes = e.bytes_per_customer * s.customers.count;
  // Two intent buffers (block outboxes and routed), one slot per customer.
  e.intent_buffer_bytes = 2 * sizeof(Intent) * block_count(s) * s.market.customer_block;
  const std::size_t offers = offers_at_start(s);
  const std::size_t groups = static_cast<std::size_t>(s.market.categories) * platforms;
  // An offer row, a seller row per offer at most, and a ranking candidate.
  const std::size_t offer_bytes = agents::row_bytes<OfferRows>(platforms) + agents::row_bytes<SellerRows>(platforms) +
                                  sizeof(std::pair<double, std::uint32_t>);
  // Per shard: one pool of candidates; per group: where its visits start; per intent: its place in the visit order.
  std::uint32_t pool_rows = 0;
  for (const auto& p : s.platforms) pool_rows = std::max(pool_rows, p.ranker.candidates);
  e.market_bytes = offers * offer_bytes + groups * (sizeof(market::CategorySignal) + sizeof(std::uint32_t)) +
                   std::size_t{s.market.shards} * pool_rows * CandidatePool::row_bytes +
                   block_count(s) * s.market.customer_block * sizeof(std::uint32_t) +
                   block_count(s) * s.market.shards * sizeof(std::size_t);

  // The writer: a queue of tick rows, rows pending between flushes, and snapshot buffers that grow to a snapshot.
  std::size_t row = platform_series().size() * platforms + market_series().size();
  if (s.output.category_series) row += category_series().size() * s.market.categories;
  e.output_bytes = (h5::WriterOptions{}.queue_slots + 2 * std::size_t{s.output.flush_interval}) * row * sizeof(double);
  if (s.output.snapshot_interval > 0) e.output_bytes += h5::snapshot_slots * snapshot_bytes(s);
  if (s.output.sample.every > 0) e.output_bytes += h5::snapshot_slots * panel_bytes(s);
  e.runtime_bytes = runtime_overhead_bytes;
  return e;
}

OutputSizeEstimate estimate_output_size(const Scenario& s) {
  OutputSizeEstimate e{};
  const h5::Layout layout = output_layout(s);
  std::size_t row = sizeof(std::int64_t);  // the tick
  for (const auto& v : layout.series) row += h5::element_size(v.element) * layout.width(v);
  e.series_bytes = row * s.ticks;
  e.snapshots = times_taken(s.output.snapshot_interval, s.ticks);
  e.snapshot_bytes = e.snapshots * snapshot_bytes(s);
  e.panels = times_taken(s.output.sample.every, s.ticks);
  e.panel_bytes = e.panels * panel_bytes(s);
  return e;
}

}  // namespace flywheel::runtime
