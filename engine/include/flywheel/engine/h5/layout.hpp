#pragma once
// What an output file holds, in the engine's terms: fixed dimensions (axes)
// with coordinates, per-tick series over (tick) or (tick, axis), tables of
// agent snapshots, and root attributes. The model fills a Layout; the
// engine knows nothing of what the names mean.

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace flywheel::h5 {

/// Element types a variable can be stored as (little-endian in the file).
enum class Element : std::uint8_t { u8, u16, u32, i64, f32, f64, i8 };

/// Bytes per element.
std::size_t element_size(Element element) noexcept;

/// A fixed-size dimension and its coordinate variable: names (strings) or numbers.
struct Axis {
  std::string name;
  std::string units;
  std::string long_name;
  std::variant<std::vector<std::string>, std::vector<std::int64_t>> labels;

  [[nodiscard]] std::size_t size() const;
};

/// An attribute's value: text, a number, or bytes (a 1-D uint8 array, e.g. CF's flag_values of a uint8 variable).
using AttributeValue = std::variant<std::string, std::int64_t, std::uint64_t, double, std::vector<std::uint8_t>>;

struct Attribute {
  std::string name;
  AttributeValue value;
};

/// A variable: per tick for series (dims (tick) or (tick, axis)), per row for
/// table columns (dims (row) or (row, axis)). An empty axis means no second dimension.
struct Variable {
  std::string name;
  std::string units;
  std::string long_name;
  Element element = Element::f64;
  std::string axis;
  std::vector<Attribute> attributes = {};  // more, after units and long_name (CF's cell_methods, flag_values, ...)
};

/// Agent snapshots as columnar ragged arrays: one group, one dataset per column.
struct Table {
  std::string name;
  std::string long_name;
  std::vector<Variable> columns;
  /// Rows per HDF5 chunk of its columns: about a snapshot's rows, since the
  /// partly filled last chunk is written again at every flush, and in SWMR
  /// mode HDF5 never reuses the space of the copy it replaces.
  std::size_t chunk_rows = std::size_t{1} << 16;
  /// Whether taking it flushes the file at once (a full snapshot, worth
  /// showing readers); otherwise its rows wait for the next regular flush.
  bool flush_when_taken = true;
};

struct Layout {
  std::vector<Axis> axes;
  std::vector<Variable> series;
  std::vector<Table> tables;
  std::vector<Attribute> tick_attributes;  // of the `tick` coordinate: units, axis, calendar ...

  /// The axis of that name. Throws InternalError if there is none.
  [[nodiscard]] const Axis& axis(const std::string& name) const;
  /// Values a variable holds per tick (or per row): 1, or its axis' size.
  [[nodiscard]] std::size_t width(const Variable& variable) const;
  /// Values per tick over all series, in order: the length of a tick's row.
  [[nodiscard]] std::size_t row_width() const;
};

}  // namespace flywheel::h5
