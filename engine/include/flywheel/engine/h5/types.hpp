#pragma once
// HDF5's predefined datatypes for each Element: little-endian in the file,
// native in memory. These ids belong to the library and are never closed.

#include <hdf5.h>

#include "flywheel/engine/h5/layout.hpp"

namespace flywheel::h5 {

/// The type an Element is stored as in the file.
hid_t file_type(Element element) noexcept;
/// The matching native type, for buffers in memory.
hid_t memory_type(Element element) noexcept;

}  // namespace flywheel::h5
