#include "flywheel/engine/h5/attributes.hpp"

#include <fmt/core.h>

#include <vector>

#include "flywheel/engine/h5/handle.hpp"

namespace flywheel::h5 {
namespace {

DatatypeHandle text_type(std::size_t size) {
  DatatypeHandle type(check_id(H5Tcopy(H5T_C_S1), "string type"));
  check(H5Tset_size(type.get(), size), "string size");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string character set");
  if (size != H5T_VARIABLE) check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "string padding");
  return type;
}

void write_scalar(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type, const void* value) {
  const DataspaceHandle space(check_id(H5Screate(H5S_SCALAR), "scalar dataspace"));
  const AttributeHandle attribute(
      check_id(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
               "creating attribute '" + name + "'"));
  check(H5Awrite(attribute.get(), memory_type, value), "writing attribute '" + name + "'");
}

AttributeHandle open(hid_t object, const std::string& name) {
  return AttributeHandle(check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), "opening attribute '" + name + "'"));
}

/// Opens an attribute that must hold one value (a damaged or foreign file may hold more, which a read would overrun).
AttributeHandle open_single(hid_t object, const std::string& name) {
  AttributeHandle attribute = open(object, name);
  const DataspaceHandle space(check_id(H5Aget_space(attribute.get()), "attribute space"));
  if (H5Sget_simple_extent_npoints(space.get()) != 1) throw Error("attribute '" + name + "' is not a single value");
  return attribute;
}

}  // namespace

void write_attribute(hid_t object, const std::string& name, const AttributeValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    const DatatypeHandle type = text_type(H5T_VARIABLE);
    const char* data = text->c_str();
    write_scalar(object, name, type.get(), type.get(), &data);
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    write_scalar(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, i);
  } else if (const auto* bytes = std::get_if<std::vector<std::uint8_t>>(&value)) {
    const auto n = static_cast<hsize_t>(bytes->size());
    const DataspaceHandle space(check_id(H5Screate_simple(1, &n, nullptr), "attribute dataspace"));
    const AttributeHandle attribute(
        check_id(H5Acreate2(object, name.c_str(), H5T_STD_U8LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                 "creating attribute '" + name + "'"));
    check(H5Awrite(attribute.get(), H5T_NATIVE_UINT8, bytes->data()), "writing attribute '" + name + "'");
  } else if (const auto* u = std::get_if<std::uint64_t>(&value)) {
    write_scalar(object, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, u);
  } else {
    write_scalar(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &std::get<double>(value));
  }
}

void create_fixed_text(hid_t object, const std::string& name, std::size_t capacity, const std::string& text) {
  if (text.size() > capacity) throw InternalError("attribute '" + name + "': '" + text + "' does not fit");
  const DatatypeHandle type = text_type(capacity);
  std::vector<char> padded(capacity, '\0');
  text.copy(padded.data(), text.size());
  write_scalar(object, name, type.get(), type.get(), padded.data());
}

void rewrite_fixed_text(hid_t object, const std::string& name, const std::string& text) {
  const AttributeHandle attribute = open(object, name);
  const DatatypeHandle type(check_id(H5Aget_type(attribute.get()), "attribute type"));
  const std::size_t capacity = H5Tget_size(type.get());
  if (H5Tis_variable_str(type.get()) > 0 || text.size() > capacity)
    throw InternalError("attribute '" + name + "' cannot hold '" + text + "'");
  std::vector<char> padded(capacity, '\0');
  text.copy(padded.data(), text.size());
  check(H5Awrite(attribute.get(), type.get(), padded.data()), "rewriting attribute '" + name + "'");
}

bool has_attribute(hid_t object, const std::string& name) { return H5Aexists(object, name.c_str()) > 0; }

void prepend_line(hid_t object, const std::string& name, const std::string& line) {
  const std::string older = has_attribute(object, name) ? read_text(object, name) : std::string();
  if (has_attribute(object, name)) check(H5Adelete(object, name.c_str()), "removing attribute '" + name + "'");
  write_attribute(object, name, older.empty() ? line : fmt::format("{}\n{}", line, older));
}

std::string read_text(hid_t object, const std::string& name) {
  const AttributeHandle attribute = open_single(object, name);
  const DatatypeHandle type(check_id(H5Aget_type(attribute.get()), "attribute type"));
  if (H5Tget_class(type.get()) != H5T_STRING) throw Error("attribute '" + name + "' is not text");
  if (H5Tis_variable_str(type.get()) > 0) {
    const DatatypeHandle memory = text_type(H5T_VARIABLE);
    char* data = nullptr;
    check(H5Aread(attribute.get(), memory.get(), &data), "reading attribute '" + name + "'");
    std::string text = data != nullptr ? data : "";
    H5free_memory(data);
    return text;
  }
  std::vector<char> buffer(H5Tget_size(type.get()), '\0');
  check(H5Aread(attribute.get(), type.get(), buffer.data()), "reading attribute '" + name + "'");
  std::string text(buffer.begin(), buffer.end());
  text.erase(text.find_last_not_of('\0') + 1);
  return text;
}

std::string read_fixed_text(hid_t object, const std::string& name) {
  {
    const AttributeHandle attribute = open_single(object, name);
    const DatatypeHandle type(check_id(H5Aget_type(attribute.get()), "attribute type"));
    if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) != 0)
      throw Error("attribute '" + name + "' is not fixed-length text");
  }
  return read_text(object, name);
}

std::int64_t read_integer(hid_t object, const std::string& name) {
  const AttributeHandle attribute = open_single(object, name);
  std::int64_t value = 0;
  check(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), "reading attribute '" + name + "'");
  return value;
}

}  // namespace flywheel::h5
