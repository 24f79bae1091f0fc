#pragma once
// The one walk over a MarketState: every persistent column and field, by
// name, in groups. Checkpoints save and load with it (it is their file
// layout, docs/checkpoints.md) and the state digest hashes with it, so the
// two cover the same state, derived from the declarations (columns.hpp).
//
// An IO provides:
//   static constexpr bool reading;
//   void array(std::string_view name, std::vector<T>& values, std::uint64_t length);
//   void group(std::string_view name, F&& body);
// `length` is the exact length expected, or any_length for tables whose
// first column fixes the length of the others (sellers, offers).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flywheel/agents/columns.hpp"
#include "flywheel/market/categories.hpp"
#include "flywheel/market/market_state.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::runtime::walk {

using market::Dealing;
using market::MarketDay;
using market::MarketState;
using market::Scenario;
using market::ShardState;

inline constexpr std::uint64_t any_length = ~std::uint64_t{0};

/// One value as an array of length 1.
template <class IO, class T>
void scalar(IO& io, std::string_view name, T& value) {
  std::vector<T> one{value};
  io.array(name, one, 1);
  if constexpr (IO::reading) value = one.at(0);
}

/// One field of a vector of records as a column; `part` selects a nested
/// record (identity by default).
template <class IO, class Row, class Part, class T>
void field_column(IO& io, std::string_view name, std::vector<Row>& rows, Part part, T field, std::uint64_t length) {
  using Value = std::remove_cvref_t<decltype(part(rows[0]).*field)>;
  std::vector<Value> values;
  if constexpr (!IO::reading) {
    values.reserve(rows.size());
    for (auto& r : rows) values.push_back(part(r).*field);
  }
  io.array(name, values, length);
  if constexpr (IO::reading) {
    rows.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) part(rows[i]).*field = values[i];
  }
}

/// Every field of a vector of records (types with a static fields()), one column each.
template <class Record, class IO, class Row, class Part>
void record_columns(IO& io, std::vector<Row>& rows, Part part, std::uint64_t length) {
  Record::fields([&](const char* name, auto field) { field_column(io, name, rows, part, field, length); });
}
template <class IO, class Row>
void record_columns(IO& io, std::vector<Row>& rows, std::uint64_t length) {
  record_columns<Row>(
      io, rows, [](Row& r) -> Row& { return r; }, length);
}

/// Every persistent column of a store; `rows`: its length, or any_length
/// (then its first column fixes the others).
template <class IO, class Rows>
void store_columns(IO& io, Rows& store, std::uint64_t rows, std::uint64_t platforms) {
  agents::for_each_column(store, [&](auto& column, const auto&, const agents::ColumnInfo& info) {
    if (!info.persistent()) return;
    const std::uint64_t length = rows == any_length || !info.per_platform ? rows : rows * platforms;
    io.array(info.name, column, length);
    if (rows == any_length) rows = column.size();
  });
}

/// One shard's state. `groups`: its (category, platform) groups.
template <class IO>
void shard(IO& io, ShardState& s, std::uint64_t groups, std::uint64_t platforms) {
  scalar(io, "serial", s.serial);
  io.group("sellers", [&] { store_columns(io, s.sellers, any_length, platforms); });
  io.group("offers", [&] { store_columns(io, s.offers, any_length, platforms); });
  io.group("signals", [&] { record_columns(io, s.signals, groups); });
  io.group("tally", [&] { record_columns(io, s.tally, platforms); });
}

/// The platforms' states, field by field across platforms.
template <class IO>
void platforms(IO& io, std::vector<agents::PlatformState>& states, const std::vector<agents::PlatformParams>& params) {
  const std::uint64_t platforms = params.size();
  using agents::PlatformState;
  if constexpr (IO::reading) states.resize(platforms);
  io.group("levers", [&] {
    record_columns<agents::PlatformLevers>(
        io, states, [](PlatformState& p) -> agents::PlatformLevers& { return p.levers; }, platforms);
  });
  io.group("books", [&] {
    record_columns<agents::PlatformBooks>(
        io, states, [](PlatformState& p) -> agents::PlatformBooks& { return p.books; }, platforms);
  });
  field_column(
      io, "days_seen", states, [](PlatformState& p) -> PlatformState& { return p; }, &PlatformState::days_seen,
      platforms);
  for (std::size_t p = 0; p < platforms; ++p)
    io.group("history_" + std::to_string(p),
             [&] { record_columns(io, states[p].history, agents::Platform::history_days(params[p])); });
}

/// The day's figures; `days`: platforms' days recorded (none before the first tick).
template <class IO>
void day(IO& io, MarketDay& d, std::uint64_t days) {
  MarketDay::fields([&](const char* name, auto field) { scalar(io, name, d.*field); });
  using agents::PlatformDay;
  io.group("platforms", [&] {
    record_columns(io, d.platforms, days);
    io.group("books", [&] {
      record_columns<agents::PlatformBooks>(
          io, d.platforms, [](PlatformDay& p) -> agents::PlatformBooks& { return p.books; }, days);
    });
    io.group("levers", [&] {
      record_columns<agents::PlatformLevers>(
          io, d.platforms, [](PlatformDay& p) -> agents::PlatformLevers& { return p.levers; }, days);
    });
    io.group("tally", [&] {
      record_columns<agents::PlatformTally>(
          io, d.platforms, [](PlatformDay& p) -> agents::PlatformTally& { return p.tally; }, days);
    });
  });
}

/// Everything in `s`, under `scenario`'s structure. A reader expects every
/// shard (a single process's state); a writer walks the shards `s` holds.
template <class IO>
void market(IO& io, MarketState& s, const Scenario& scenario) {
  const std::uint64_t customers = scenario.customers.count;
  const std::uint64_t platforms = scenario.platforms.size();
  scalar(io, "tick", s.tick);
  scalar(io, "intents_matched", s.intents_matched);
  io.group("customers", [&] { store_columns(io, s.customers, customers, platforms); });
  io.group("platforms", [&] { walk::platforms(io, s.platforms, scenario.platforms); });
  io.group("shards", [&] {
    const Dealing dealing{scenario.market.categories, scenario.market.shards};
    if constexpr (IO::reading) s.shards.resize(dealing.shards);
    for (std::uint32_t i = 0; i < s.shards.size(); ++i)
      io.group(std::to_string(i), [&] { shard(io, s.shards[i], dealing.in_shard(i) * platforms, platforms); });
  });
  io.group("today", [&] { day(io, s.today, s.tick > 0 ? platforms : 0); });
}

}  // namespace flywheel::runtime::walk
