#pragma once
// Dimensions as HDF5 dimension scales, the way netCDF-4 stores them, so
// ncdump, netCDF-C and xarray (h5netcdf) see named dimensions and
// coordinates instead of anonymous axes.

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "flywheel/engine/h5/handle.hpp"
#include "flywheel/engine/h5/layout.hpp"

namespace flywheel::h5 {

/// Makes `dataset` (named `name`) the coordinate variable of dimension `name`. Throws Error.
void make_coordinate(hid_t dataset, const std::string& name);
/// Makes `dataset` a dimension with no coordinate variable (netCDF-4's
/// placeholder: its values are never written or read). Throws Error.
void make_bare_dimension(hid_t dataset);
/// Attaches `scale` (dimension `name`) as dimension `index` of `dataset`. Throws Error.
void attach(hid_t dataset, hid_t scale, unsigned index, const std::string& name);

/// The values of a 1-D variable: text, integers or reals.
using ColumnValues = std::variant<std::vector<std::string>, std::vector<std::int64_t>, std::vector<double>>;

/// Writes `values` as the new 1-D dataset `name` in `parent` (text as
/// variable-length UTF-8 strings, numbers little-endian). Throws Error.
DatasetHandle write_column(hid_t parent, const std::string& name, const ColumnValues& values);

/// Writes a fixed-size axis as its coordinate variable in `parent`: names as
/// variable-length strings, or 64-bit integers. Throws Error.
DatasetHandle write_axis(hid_t parent, const Axis& axis);
/// Reads a 1-D dataset of strings (a coordinate of names). Throws Error.
std::vector<std::string> read_labels(hid_t parent, const std::string& name);

/// Writes `units` and `long_name` (when not empty) on `object`. Throws Error.
void describe(hid_t object, const std::string& units, const std::string& long_name);

}  // namespace flywheel::h5
