#pragma once
// Whole 1-D datasets of plain numbers, written at once and read back with
// their type and length checked: the storage of checkpoints. A reader given a
// damaged or foreign file gets an Error, never a buffer overrun.

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "flywheel/engine/h5/handle.hpp"

namespace flywheel::h5 {

/// How an element type is stored: its HDF5 class, size and sign, the
/// little-endian file type and the native memory type.
struct ArrayType {
  H5T_class_t type_class;
  std::size_t size;
  H5T_sign_t sign;
  hid_t file;
  hid_t memory;
};

namespace detail {
template <class T>
struct Plain {
  using type = T;
};
template <class T>
requires std::is_enum_v<T>
struct Plain<T> {
  using type = std::underlying_type_t<T>;
};
}  // namespace detail

/// The storage of the element types checkpoints use (and enums over them).
template <class T>
ArrayType array_type() noexcept {
  using P = typename detail::Plain<T>::type;
  if constexpr (std::is_same_v<P, std::uint8_t>)
    return {H5T_INTEGER, 1, H5T_SGN_NONE, H5T_STD_U8LE, H5T_NATIVE_UINT8};
  else if constexpr (std::is_same_v<P, std::int8_t>)
    return {H5T_INTEGER, 1, H5T_SGN_2, H5T_STD_I8LE, H5T_NATIVE_INT8};
  else if constexpr (std::is_same_v<P, std::uint16_t>)
    return {H5T_INTEGER, 2, H5T_SGN_NONE, H5T_STD_U16LE, H5T_NATIVE_UINT16};
  else if constexpr (std::is_same_v<P, std::uint32_t>)
    return {H5T_INTEGER, 4, H5T_SGN_NONE, H5T_STD_U32LE, H5T_NATIVE_UINT32};
  else if constexpr (std::is_same_v<P, std::int32_t>)
    return {H5T_INTEGER, 4, H5T_SGN_2, H5T_STD_I32LE, H5T_NATIVE_INT32};
  else if constexpr (std::is_same_v<P, std::int64_t>)
    return {H5T_INTEGER, 8, H5T_SGN_2, H5T_STD_I64LE, H5T_NATIVE_INT64};
  else if constexpr (std::is_same_v<P, std::uint64_t>)
    return {H5T_INTEGER, 8, H5T_SGN_NONE, H5T_STD_U64LE, H5T_NATIVE_UINT64};
  else if constexpr (std::is_same_v<P, float>)
    return {H5T_FLOAT, 4, H5T_SGN_ERROR, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT};
  else if constexpr (std::is_same_v<P, double>)
    return {H5T_FLOAT, 8, H5T_SGN_ERROR, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE};
  else
    static_assert(sizeof(P) == 0, "not an element type of arrays");
}

/// Writes `count` elements at `data` as the new contiguous 1-D dataset `name`. Throws Error.
void write_array(hid_t parent, const std::string& name, const ArrayType& type, const void* data, std::size_t count);

/// The length of 1-D dataset `name`, after checking that it is stored
/// exactly as `type` and holds at most `max_length` elements. Throws Error
/// naming the dataset and the problem.
std::uint64_t array_length(hid_t parent, const std::string& name, const ArrayType& type, std::uint64_t max_length);
/// Reads the whole 1-D dataset `name` (checked by array_length) into `out`,
/// which holds `length` elements. Throws Error.
void read_array(hid_t parent, const std::string& name, const ArrayType& type, void* out, std::uint64_t length);

template <class T>
void write_array(hid_t parent, const std::string& name, std::span<const T> values) {
  write_array(parent, name, array_type<T>(), values.data(), values.size());
}

/// Reads 1-D dataset `name` of T with at most `max_length` elements. Throws Error.
template <class T>
std::vector<T> read_array(hid_t parent, const std::string& name, std::uint64_t max_length) {
  const ArrayType type = array_type<T>();
  const std::uint64_t length = array_length(parent, name, type, max_length);
  std::vector<T> values(static_cast<std::size_t>(length));
  read_array(parent, name, type, values.data(), length);
  return values;
}

/// Reads 1-D dataset `name` of T, which must hold exactly `length` elements. Throws Error.
template <class T>
std::vector<T> read_exact(hid_t parent, const std::string& name, std::uint64_t length) {
  std::vector<T> values = read_array<T>(parent, name, length);
  if (values.size() != length)
    throw Error("dataset '" + name + "' holds " + std::to_string(values.size()) + " values, expected " +
                std::to_string(length));
  return values;
}

/// Creates group `name` in `parent`, tracking the creation order of its links
/// and attributes when `ordered` (so tools list them as written; it costs a
/// few KiB per group). Throws Error.
GroupHandle create_group(hid_t parent, const std::string& name, bool ordered = true);
/// Opens group `name` in `parent`. Throws Error naming it if it is missing.
GroupHandle open_group(hid_t parent, const std::string& name);

}  // namespace flywheel::h5
