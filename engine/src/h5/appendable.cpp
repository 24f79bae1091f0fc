#include "flywheel/engine/h5/appendable.hpp"

#include <algorithm>
#include <array>

#include "flywheel/engine/h5/types.hpp"

namespace flywheel::h5 {
namespace {

constexpr std::size_t max_chunk_bytes = 1 << 20;  // HDF5's default chunk cache per dataset

}  // namespace

Appendable::Appendable(hid_t parent, const std::string& name, Element element, std::size_t width, Chunking chunking)
    : width_(width) {
  const int rank = width == 0 ? 1 : 2;
  const std::size_t row_bytes = element_size(element) * std::max<std::size_t>(1, width);
  const std::size_t chunk_rows =
      std::clamp<std::size_t>(chunking.rows, 1, std::max<std::size_t>(1, max_chunk_bytes / row_bytes));
  const std::array<hsize_t, 2> dims{0, width};
  const std::array<hsize_t, 2> max_dims{H5S_UNLIMITED, width};
  const std::array<hsize_t, 2> chunk{chunk_rows, width};
  const DataspaceHandle space(
      check_id(H5Screate_simple(rank, dims.data(), max_dims.data()), "dataspace of '" + name + "'"));
  const PropertyHandle dcpl(check_id(H5Pcreate(H5P_DATASET_CREATE), "dataset properties"));
  check(H5Pset_attr_creation_order(dcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "attribute order");
  check(H5Pset_chunk(dcpl.get(), rank, chunk.data()), "chunking of '" + name + "'");
  if (chunking.deflate > 0) {
    check(H5Pset_shuffle(dcpl.get()), "shuffle filter");
    check(H5Pset_deflate(dcpl.get(), chunking.deflate), "deflate filter");
  }
  dataset_ = DatasetHandle(
      check_id(H5Dcreate2(parent, name.c_str(), file_type(element), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
               "creating dataset '" + name + "'"));
}

Appendable Appendable::open(hid_t parent, const std::string& name, std::size_t width, std::uint64_t rows) {
  if (!exists(parent, name)) throw Error("dataset '" + name + "' is missing");
  DatasetHandle dataset = open_dataset(parent, name);
  const DataspaceHandle space(check_id(H5Dget_space(dataset.get()), "dataspace of '" + name + "'"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::array<hsize_t, 2> dims{0, 0};
  if (rank != (width == 0 ? 1 : 2)) throw Error("dataset '" + name + "' has an unexpected shape");
  check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), "extent of '" + name + "'");
  if (width != 0 && dims[1] != width) throw Error("dataset '" + name + "' has an unexpected width");
  if (dims[0] < rows)
    throw Error("dataset '" + name + "' holds " + std::to_string(dims[0]) + " rows, fewer than the " +
                std::to_string(rows) + " to continue from");
  if (dims[0] > rows) {
    const std::array<hsize_t, 2> size{rows, width};
    check(H5Dset_extent(dataset.get(), size.data()), "cutting '" + name + "' back");
  }
  return Appendable(std::move(dataset), width, rows);
}

void Appendable::append(const void* data, hid_t memory_type, std::size_t count) {
  if (count == 0) return;
  const int rank = width_ == 0 ? 1 : 2;
  const std::array<hsize_t, 2> size{rows_ + count, width_};
  check(H5Dset_extent(dataset_.get(), size.data()), "extending a dataset");
  const DataspaceHandle file_space(check_id(H5Dget_space(dataset_.get()), "dataset space"));
  const std::array<hsize_t, 2> start{rows_, 0};
  const std::array<hsize_t, 2> block{count, width_};
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr),
        "selecting new rows");
  const DataspaceHandle memory_space(check_id(H5Screate_simple(rank, block.data(), nullptr), "memory space"));
  check(H5Dwrite(dataset_.get(), memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, data), "writing rows");
  rows_ += count;
}

void Appendable::flush() { check(H5Dflush(dataset_.get()), "flushing a dataset"); }

void Appendable::extend(std::size_t count) {
  if (count == 0) return;
  const std::array<hsize_t, 2> size{rows_ + count, width_};
  check(H5Dset_extent(dataset_.get(), size.data()), "extending a dataset");
  rows_ += count;
}

bool exists(hid_t parent, const std::string& name) { return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0; }

DatasetHandle open_dataset(hid_t parent, const std::string& name) {
  return DatasetHandle(check_id(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "opening dataset '" + name + "'"));
}

std::uint64_t row_count(hid_t dataset) {
  const DataspaceHandle space(check_id(H5Dget_space(dataset), "dataset space"));
  std::array<hsize_t, 2> dims{0, 0};
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 1 || rank > 2) throw Error("expected a 1-D or 2-D dataset");
  check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), "dataset extent");
  return dims[0];
}

namespace {

/// Rows [first, first + count) of a 1-D or 2-D numeric dataset, as doubles
/// (count 0: to the end); `width` gets the length of a row.
std::vector<double> read_rows(hid_t dataset, std::uint64_t first, std::uint64_t count, std::size_t& width) {
  const DataspaceHandle file_space(check_id(H5Dget_space(dataset), "dataset space"));
  std::array<hsize_t, 2> dims{0, 1};
  const int rank = H5Sget_simple_extent_ndims(file_space.get());
  if (rank < 1 || rank > 2) throw Error("expected a 1-D or 2-D dataset");
  check(H5Sget_simple_extent_dims(file_space.get(), dims.data(), nullptr), "dataset extent");
  if (count == 0) count = dims[0] - std::min<hsize_t>(first, dims[0]);
  if (first + count > dims[0])
    throw Error("row " + std::to_string(first + count - 1) + " is past the end of the dataset");
  width = dims[1];
  std::vector<double> values(count * dims[1]);
  if (values.empty()) return values;
  const std::array<hsize_t, 2> start{first, 0};
  const std::array<hsize_t, 2> block{count, dims[1]};
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr),
        "selecting rows");
  const hsize_t n = values.size();
  const DataspaceHandle memory_space(check_id(H5Screate_simple(1, &n, nullptr), "memory space"));
  check(H5Dread(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT, values.data()),
        "reading rows");
  return values;
}

}  // namespace

std::vector<double> read_row(hid_t dataset, std::uint64_t row) {
  std::size_t width = 0;
  return read_rows(dataset, row, 1, width);
}

std::vector<double> read_all_rows(hid_t dataset, std::size_t& width) { return read_rows(dataset, 0, 0, width); }

}  // namespace flywheel::h5
