#include "flywheel/engine/h5/dimension.hpp"

#include <hdf5_hl.h>

#include <variant>

#include "flywheel/engine/h5/attributes.hpp"

namespace flywheel::h5 {
namespace {

// netCDF-C recognises a dimension without a variable by this NAME prefix;
// the number is the length at creation, as it writes it.
constexpr const char* bare_dimension_name = "This is a netCDF dimension but not a netCDF variable.         0";

DatatypeHandle variable_text() {
  DatatypeHandle type(check_id(H5Tcopy(H5T_C_S1), "string type"));
  check(H5Tset_size(type.get(), H5T_VARIABLE), "string size");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string character set");
  return type;
}

}  // namespace

void make_coordinate(hid_t dataset, const std::string& name) {
  check(H5DSset_scale(dataset, name.c_str()), "making '" + name + "' a dimension scale");
}

void make_bare_dimension(hid_t dataset) {
  check(H5DSset_scale(dataset, bare_dimension_name), "making a dimension scale");
}

// No H5DSset_label: netCDF readers show DIMENSION_LABELS as a plain attribute of every variable.
void attach(hid_t dataset, hid_t scale, unsigned index, const std::string& name) {
  check(H5DSattach_scale(dataset, scale, index), "attaching dimension scale '" + name + "'");
}

DatasetHandle write_column(hid_t parent, const std::string& name, const ColumnValues& values) {
  const hsize_t n = std::visit([](const auto& v) { return static_cast<hsize_t>(v.size()); }, values);
  const DataspaceHandle space(check_id(H5Screate_simple(1, &n, nullptr), "dataspace of '" + name + "'"));
  const auto create = [&](hid_t type) {
    return DatasetHandle(
        check_id(H5Dcreate2(parent, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 "creating '" + name + "'"));
  };
  DatasetHandle dataset;
  if (const auto* texts = std::get_if<std::vector<std::string>>(&values)) {
    const DatatypeHandle type = variable_text();
    dataset = create(type.get());
    std::vector<const char*> pointers;
    pointers.reserve(texts->size());
    for (const auto& s : *texts) pointers.push_back(s.c_str());
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "writing '" + name + "'");
  } else if (const auto* integers = std::get_if<std::vector<std::int64_t>>(&values)) {
    dataset = create(H5T_STD_I64LE);
    check(H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, integers->data()),
          "writing '" + name + "'");
  } else {
    dataset = create(H5T_IEEE_F64LE);
    check(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                   std::get<std::vector<double>>(values).data()),
          "writing '" + name + "'");
  }
  return dataset;
}

DatasetHandle write_axis(hid_t parent, const Axis& axis) {
  DatasetHandle dataset = std::visit(
      [&](const auto& labels) { return write_column(parent, axis.name, ColumnValues(labels)); }, axis.labels);
  make_coordinate(dataset.get(), axis.name);
  describe(dataset.get(), axis.units, axis.long_name);
  return dataset;
}

std::vector<std::string> read_labels(hid_t parent, const std::string& name) {
  const DatasetHandle dataset(check_id(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "opening '" + name + "'"));
  const DataspaceHandle space(check_id(H5Dget_space(dataset.get()), "dataspace"));
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0) throw Error("reading '" + name + "': bad extent");
  const DatatypeHandle type = variable_text();
  std::vector<char*> pointers(static_cast<std::size_t>(n), nullptr);
  check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "reading '" + name + "'");
  std::vector<std::string> labels;
  labels.reserve(pointers.size());
  for (char* p : pointers) {
    labels.emplace_back(p != nullptr ? p : "");
    H5free_memory(p);
  }
  return labels;
}

void describe(hid_t object, const std::string& units, const std::string& long_name) {
  if (!units.empty()) write_attribute(object, "units", units);
  if (!long_name.empty()) write_attribute(object, "long_name", long_name);
}

}  // namespace flywheel::h5
