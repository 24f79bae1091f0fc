#pragma once
// State declared once. A store of agent rows (customers, sellers, offers)
// names each of its columns in one static `declare(rows, f)`, which calls
// f(column, initial, info) for every column: its vector, the value a new row
// starts with, and its name, units, meaning and lifetime. Everything that
// touches a whole row derives from that list: new rows (append_row), the
// memory estimate (row_bytes), checkpoints, snapshots and their MPI gathers,
// and the state digest. Records of named numbers (tallies, a platform's
// levers and books, a day's figures) do the same with a static `fields(f)`,
// calling f(name, member pointer) for each field.
//
// To add a column: add the vector and one line to `declare`; nothing else.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

#include "flywheel/engine/errors.hpp"

namespace flywheel::agents {

/// Persistent columns carry from one tick to the next (checkpoints, the digest
/// and snapshots cover them); scratch columns are rebuilt before they are read.
enum class Lifetime : std::uint8_t { persistent, scratch };

/// How a column's integers stand for platforms: not at all, as a platform's
/// index (255: none), or as a bit mask (bit p: platform p). Output files
/// declare the codes (CF's flag_values and flag_masks with platform names).
enum class Coding : std::uint8_t { plain, platform, platform_mask };

/// What a column holds. Units are UDUNITS strings: "1" for counts, ratios and
/// ids, "currency" for money, "d" for days, "d-1" for rates per day.
struct ColumnInfo {
  std::string_view name;
  std::string_view units;
  std::string_view description;
  bool per_platform = false;  // row x platform values, row-major
  Lifetime lifetime = Lifetime::persistent;
  Coding coding = Coding::plain;

  [[nodiscard]] bool persistent() const noexcept { return lifetime == Lifetime::persistent; }
};

/// Calls f(column, initial, info) for every column of `rows`, in declaration order.
template <class Rows, class F>
void for_each_column(Rows& rows, F&& f) {
  std::remove_const_t<Rows>::declare(rows, f);
}

/// Appends one row of initial values to every column (stores of one value
/// per row only); returns its slot.
template <class Rows>
std::size_t append_row(Rows& rows) {
  const std::size_t slot = rows.size();
  for_each_column(rows, [](auto& column, const auto& initial, const ColumnInfo& info) {
    FLYWHEEL_ASSERT(!info.per_platform);
    column.push_back(initial);
  });
  return slot;
}

/// Appends rows [first, first + count) of `from` to every column of `to`,
/// a store of the same type (`platforms` values per row in per-platform
/// columns): how a store is cut into MPI ranks' parts and joined again.
template <class Rows>
void append_rows(Rows& to, const Rows& from, std::size_t first, std::size_t count, std::size_t platforms) {
  std::vector<const void*> sources;  // from's columns, in declaration order: the same types as to's
  for_each_column(from, [&](const auto& column, const auto&, const ColumnInfo&) { sources.push_back(&column); });
  std::size_t next = 0;
  for_each_column(to, [&](auto& column, const auto&, const ColumnInfo& info) {
    const auto& source = *static_cast<const std::remove_reference_t<decltype(column)>*>(sources[next++]);
    const std::size_t width = info.per_platform ? platforms : 1;
    FLYWHEEL_ASSERT((first + count) * width <= source.size());
    column.insert(column.end(), source.begin() + static_cast<std::ptrdiff_t>(first * width),
                  source.begin() + static_cast<std::ptrdiff_t>((first + count) * width));
  });
}

/// Bytes one row of `Rows` holds, from its declared columns.
template <class Rows>
std::size_t row_bytes(std::size_t platforms) {
  Rows empty{};
  std::size_t bytes = 0;
  for_each_column(empty, [&](const auto& column, const auto&, const ColumnInfo& info) {
    bytes += sizeof(column[0]) * (info.per_platform ? platforms : 1);
  });
  return bytes;
}

}  // namespace flywheel::agents
