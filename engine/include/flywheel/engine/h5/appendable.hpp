#pragma once
// A chunked dataset that grows along its first dimension, shaped (n) or
// (n, width): the storage of every per-tick series and snapshot column.
// Chunks are shuffled and deflated; SWMR readers see rows once flushed.

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "flywheel/engine/h5/handle.hpp"
#include "flywheel/engine/h5/layout.hpp"

namespace flywheel::h5 {

struct Chunking {
  std::size_t rows = 64;  // rows per chunk, lowered so that a chunk stays within chunk cache (1 MiB)
  unsigned deflate = 4;   // zlib level, 0 for none (shuffle then applies neither)
};

class Appendable {
 public:
  /// Creates an empty dataset `name` in `parent`: 1-D when width is 0, else
  /// (n, width). Throws Error.
  Appendable(hid_t parent, const std::string& name, Element element, std::size_t width, Chunking chunking);
  /// Opens the existing dataset `name` in `parent`, which must be 1-D when
  /// width is 0, else (n, width), and cuts it to its first `rows` rows (a
  /// run continued from a checkpoint). Throws Error if it is missing, of
  /// another shape, or shorter than `rows`.
  static Appendable open(hid_t parent, const std::string& name, std::size_t width, std::uint64_t rows);

  [[nodiscard]] hid_t id() const noexcept { return dataset_.get(); }
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }

  /// Appends `count` rows from `data`, laid out as `memory_type` elements. Throws Error.
  void append(const void* data, hid_t memory_type, std::size_t count);
  /// Writes this dataset's rows and metadata to disk now (H5Dflush), so a
  /// crash after this keeps them whatever happens to other datasets. Throws Error.
  void flush();
  /// Grows by `count` rows without writing them (a dimension placeholder:
  /// its chunks are never allocated). Throws Error.
  void extend(std::size_t count);

 private:
  Appendable(DatasetHandle dataset, std::size_t width, std::uint64_t rows)
      : dataset_(std::move(dataset)), width_(width), rows_(rows) {}

  DatasetHandle dataset_;
  std::size_t width_;
  std::uint64_t rows_ = 0;
};

/// Whether `parent` has a link called `name`.
[[nodiscard]] bool exists(hid_t parent, const std::string& name);
/// Opens dataset `name` in `parent`. Throws Error.
DatasetHandle open_dataset(hid_t parent, const std::string& name);
/// Rows along the first dimension of an open dataset. Throws Error.
std::uint64_t row_count(hid_t dataset);
/// One row of a 1-D or 2-D numeric dataset, converted to double. Throws Error.
std::vector<double> read_row(hid_t dataset, std::uint64_t row);
/// Every row of a 1-D or 2-D numeric dataset, converted to double, row after
/// row; `width` gets the length of a row (1 for 1-D). Throws Error.
std::vector<double> read_all_rows(hid_t dataset, std::size_t& width);

}  // namespace flywheel::h5
