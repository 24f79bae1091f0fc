#include "flywheel/runtime/summary.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "flywheel/runtime/memory_estimate.hpp"

namespace flywheel::runtime {
namespace {

std::string mib(std::size_t bytes) { return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0)); }

}  // namespace

std::string summary(const Market& market) {
  const MarketDay& d = market.today();
  std::string out;
  out += fmt::format("after {} ticks: {} of {} customers active, {} 3P sellers, {} offers\n", market.tick(),
                     d.active_customers, market.scenario().customers.count, d.sellers_3p, d.offers);
  out += std::isnan(d.third_party_unit_share)
             ? std::string("today: nothing sold\n")
             : fmt::format("today: 3P share of units {:.1f}%, average price paid {:.2f}\n",
                           100.0 * d.third_party_unit_share, d.average_price_paid);
  out += fmt::format("{:<14} {:>7} {:>10} {:>9} {:>8} {:>9} {:>9} {:>14}\n", "platform", "share", "customers", "orders",
                     "3P share", "take rate", "delivery", "cash");
  for (std::size_t p = 0; p < d.platforms.size(); ++p) {
    const auto& day = d.platforms[p];
    const auto units = day.tally.units_1p + day.tally.units_3p;
    out += fmt::format("{:<14} {:>6.1f}% {:>10} {:>9} {:>7.1f}% {:>9.3f} {:>8.2f}d {:>14.0f}\n",
                       market.platforms()[p].params().name, 100.0 * day.market_share, day.books.active_customers,
                       day.tally.orders,
                       units > 0 ? 100.0 * static_cast<double>(day.tally.units_3p) / static_cast<double>(units) : 0.0,
                       day.levers.take_rate, day.books.delivery_days, day.books.cash);
  }
  return out;
}

std::string day_line(const MarketDay& d, const Scenario& s) {
  std::string out =
      fmt::format("tick {}: active {}, 3P sellers {}, offers {}, 3P share {:.1f}%, price {:.2f} index {:.3f}", d.tick,
                  d.active_customers, d.sellers_3p, d.offers, 100.0 * d.third_party_unit_share, d.average_price_paid,
                  d.price_index);
  for (std::size_t i = 0; i < d.platforms.size(); ++i) {
    const auto& p = d.platforms[i];
    out += fmt::format(
        " | {}: orders {} share {:.2f} take {:.3f} days {:.2f} cash {:.0f} err {:.3f} members {}", s.platforms[i].name,
        p.tally.orders, p.market_share, p.levers.take_rate, p.books.delivery_days, p.books.cash,
        p.tally.ranked_offers > 0 ? p.tally.ranker_abs_error / static_cast<double>(p.tally.ranked_offers) : 0.0,
        p.books.members);
  }
  return out;
}

std::string allocation_report(const Scenario& s) {
  const MemoryEstimate e = estimate_memory(s);
  std::string out;
  out += fmt::format("scenario '{}': {} ticks, seed {}\n", s.name, s.ticks, s.seed);
  out += fmt::format("customers: {} ({} bytes of state per customer: {})\n", s.customers.count, e.bytes_per_customer,
                     mib(e.customer_bytes));
  out += fmt::format("market: {} categories in {} shards, {} platforms\n", s.market.categories, s.market.shards,
                     s.platforms.size());
  out += fmt::format("intent buffers: {}\n", mib(e.intent_buffer_bytes));
  out += fmt::format("sellers, offers and shards at the start: {}\n", mib(e.market_bytes));
  out += fmt::format("output writer's buffers: {}\n", mib(e.output_bytes));
  out += fmt::format("program, libraries and threads: {}\n", mib(e.runtime_bytes));
  out += fmt::format("total at the start: {}\n", mib(e.total()));
  const OutputSizeEstimate file = estimate_output_size(s);
  out += fmt::format(
      "output file before compression: {} (series {}; {} snapshots {}; {} panels {}; sellers and offers as at "
      "the start)\n",
      mib(file.total()), mib(file.series_bytes), file.snapshots, mib(file.snapshot_bytes), file.panels,
      mib(file.panel_bytes));
  return out;
}

}  // namespace flywheel::runtime
