#include "flywheel/engine/h5/array.hpp"

#include "flywheel/engine/h5/file.hpp"

namespace flywheel::h5 {

void write_array(hid_t parent, const std::string& name, const ArrayType& type, const void* data, std::size_t count) {
  const hsize_t n = count;
  const DataspaceHandle space(check_id(H5Screate_simple(1, &n, nullptr), "dataspace of '" + name + "'"));
  const DatasetHandle dataset(
      check_id(H5Dcreate2(parent, name.c_str(), type.file, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
               "creating dataset '" + name + "'"));
  if (count > 0)
    check(H5Dwrite(dataset.get(), type.memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "writing dataset '" + name + "'");
}

std::uint64_t array_length(hid_t parent, const std::string& name, const ArrayType& type, std::uint64_t max_length) {
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0) throw Error("dataset '" + name + "' is missing");
  const DatasetHandle dataset(check_id(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "opening dataset '" + name + "'"));
  const DatatypeHandle stored(check_id(H5Dget_type(dataset.get()), "type of dataset '" + name + "'"));
  const bool same_class = H5Tget_class(stored.get()) == type.type_class;
  const bool same_size = H5Tget_size(stored.get()) == type.size;
  const bool same_sign = type.type_class != H5T_INTEGER || H5Tget_sign(stored.get()) == type.sign;
  if (!same_class || !same_size || !same_sign) throw Error("dataset '" + name + "' has an unexpected element type");
  const DataspaceHandle space(check_id(H5Dget_space(dataset.get()), "dataspace of '" + name + "'"));
  if (H5Sget_simple_extent_type(space.get()) != H5S_SIMPLE || H5Sget_simple_extent_ndims(space.get()) != 1)
    throw Error("dataset '" + name + "' is not one-dimensional");
  hsize_t length = 0;
  check(H5Sget_simple_extent_dims(space.get(), &length, nullptr), "extent of dataset '" + name + "'");
  if (length > max_length)
    throw Error("dataset '" + name + "' holds " + std::to_string(length) + " values, more than the " +
                std::to_string(max_length) + " expected");
  // Written whole and contiguous, so its storage is exactly its values: anything else is a damaged
  // file, caught here before a buffer is sized from the extent.
  if (length > (std::uint64_t{1} << 40) || H5Dget_storage_size(dataset.get()) != length * type.size)
    throw Error("dataset '" + name + "' is truncated or damaged");
  return length;
}

void read_array(hid_t parent, const std::string& name, const ArrayType& type, void* out, std::uint64_t length) {
  if (length == 0) return;
  const DatasetHandle dataset(check_id(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "opening dataset '" + name + "'"));
  const DataspaceHandle space(check_id(H5Dget_space(dataset.get()), "dataspace of '" + name + "'"));
  hsize_t stored = 0;
  if (H5Sget_simple_extent_ndims(space.get()) != 1 || H5Sget_simple_extent_dims(space.get(), &stored, nullptr) < 0 ||
      stored != length)
    throw Error("dataset '" + name + "' changed its extent while being read");
  const hsize_t n = length;
  const DataspaceHandle memory(check_id(H5Screate_simple(1, &n, nullptr), "memory space"));
  check(H5Dread(dataset.get(), type.memory, memory.get(), space.get(), H5P_DEFAULT, out),
        "reading dataset '" + name + "'");
}

GroupHandle create_group(hid_t parent, const std::string& name, bool ordered) {
  const PropertyHandle gcpl = ordered ? ordered_group_properties() : PropertyHandle{};
  return GroupHandle(
      check_id(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, ordered ? gcpl.get() : H5P_DEFAULT, H5P_DEFAULT),
               "creating group '" + name + "'"));
}

GroupHandle open_group(hid_t parent, const std::string& name) {
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0) throw Error("group '" + name + "' is missing");
  return GroupHandle(check_id(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), "opening group '" + name + "'"));
}

}  // namespace flywheel::h5
