#pragma once
// One snapshot of one table, copied out of the agents' columns by the
// simulation thread so the writer thread can store it while the next ticks
// run. Buffers keep their capacity, so a table of fixed size is copied
// without allocating after its first snapshot.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/h5/layout.hpp"

namespace flywheel::h5 {

/// The Element that stores a C++ value type (an enum stores as its underlying type).
template <class T>
constexpr Element element_of() {
  if constexpr (std::is_enum_v<T>) {
    return element_of<std::underlying_type_t<T>>();
  } else if constexpr (std::is_same_v<T, std::uint8_t>) {
    return Element::u8;
  } else if constexpr (std::is_same_v<T, std::int8_t>) {
    return Element::i8;
  } else if constexpr (std::is_same_v<T, std::uint16_t>) {
    return Element::u16;
  } else if constexpr (std::is_same_v<T, std::uint32_t>) {
    return Element::u32;
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return Element::i64;
  } else if constexpr (std::is_same_v<T, float>) {
    return Element::f32;
  } else {
    static_assert(std::is_same_v<T, double>, "no HDF5 element type for this value type");
    return Element::f64;
  }
}

class TableBuffer {
 public:
  /// A buffer for `table`, whose column axes are looked up in `layout`.
  TableBuffer(const Table& table, const Layout& layout);

  /// Empties every column, keeping capacity.
  void clear() noexcept;

  /// Appends values to column `column`; its element type must be T's (a bug otherwise).
  template <class T>
  void append(std::size_t column, std::span<const T> values) {
    Column& c = columns_.at(column);
    FLYWHEEL_ASSERT(c.element == element_of<T>());
    const std::size_t offset = c.bytes.size();
    c.bytes.resize(offset + values.size_bytes());
    if (!values.empty()) std::memcpy(c.bytes.data() + offset, values.data(), values.size_bytes());
  }

  /// Appends the rows `rows` of `values` to column `column` (a row: the
  /// column's width of values, one per platform in a per-platform column).
  template <class T>
  void append_rows(std::size_t column, std::span<const T> values, std::span<const std::uint32_t> rows) {
    Column& c = columns_.at(column);
    FLYWHEEL_ASSERT(c.element == element_of<T>() && c.row_bytes % sizeof(T) == 0);
    const std::size_t offset = c.bytes.size();
    c.bytes.resize(offset + rows.size() * c.row_bytes);
    const std::span<const std::byte> from = std::as_bytes(values);
    std::byte* out = c.bytes.data() + offset;
    for (const std::uint32_t row : rows) {
      FLYWHEEL_ASSERT((std::size_t{row} + 1) * c.row_bytes <= from.size());
      std::memcpy(out, from.data() + std::size_t{row} * c.row_bytes, c.row_bytes);
      out += c.row_bytes;
    }
  }

  /// Column `column`'s bytes so far, and raw bytes appended to it (whole
  /// rows, as another process's buffer of the same table holds them).
  [[nodiscard]] std::span<const std::byte> bytes(std::size_t column) const { return columns_.at(column).bytes; }
  void append_bytes(std::size_t column, std::span<const std::byte> bytes) {
    Column& c = columns_.at(column);
    FLYWHEEL_ASSERT(bytes.size() % c.row_bytes == 0);
    c.bytes.insert(c.bytes.end(), bytes.begin(), bytes.end());
  }

  [[nodiscard]] std::size_t columns() const noexcept { return columns_.size(); }
  /// Rows in the buffer. Asserts that every column holds the same number.
  [[nodiscard]] std::size_t rows() const;
  [[nodiscard]] const void* data(std::size_t column) const noexcept { return columns_[column].bytes.data(); }

 private:
  struct Column {
    Element element;
    std::size_t row_bytes;
    std::vector<std::byte> bytes;
  };
  std::vector<Column> columns_;
};

}  // namespace flywheel::h5
