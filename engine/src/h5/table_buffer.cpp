#include "flywheel/engine/h5/table_buffer.hpp"

namespace flywheel::h5 {

TableBuffer::TableBuffer(const Table& table, const Layout& layout) {
  columns_.reserve(table.columns.size());
  for (const auto& c : table.columns) columns_.push_back({c.element, element_size(c.element) * layout.width(c), {}});
}

void TableBuffer::clear() noexcept {
  for (auto& c : columns_) c.bytes.clear();
}

std::size_t TableBuffer::rows() const {
  if (columns_.empty()) return 0;
  const std::size_t rows = columns_.front().bytes.size() / columns_.front().row_bytes;
  for (const auto& c : columns_) FLYWHEEL_ASSERT(c.bytes.size() == rows * c.row_bytes);
  return rows;
}

}  // namespace flywheel::h5
