#pragma once
// Attributes on a file, group or dataset. Text is stored as variable-length
// UTF-8 (h5py reads it as str, netCDF as a string attribute), except for
// fixed-length text, which can be rewritten in place after SWMR has started.

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "flywheel/engine/h5/layout.hpp"

namespace flywheel::h5 {

/// Creates attribute `name` on `object` holding `value`. Throws Error.
void write_attribute(hid_t object, const std::string& name, const AttributeValue& value);

/// Creates a fixed-length text attribute of `capacity` bytes (NUL-padded).
/// Throws InternalError if `text` is longer than `capacity`, Error if HDF5 fails.
void create_fixed_text(hid_t object, const std::string& name, std::size_t capacity, const std::string& text);
/// Overwrites a fixed-length text attribute in place; allowed while SWMR writing.
void rewrite_fixed_text(hid_t object, const std::string& name, const std::string& text);

/// Puts `line` at the top of text attribute `name` (creating it): CF's
/// `history`, newest line first. Not while SWMR writing. Throws Error.
void prepend_line(hid_t object, const std::string& name, const std::string& line);

[[nodiscard]] bool has_attribute(hid_t object, const std::string& name);
/// A text attribute, fixed or variable length, without trailing NULs. Throws Error.
std::string read_text(hid_t object, const std::string& name);
/// A fixed-length text attribute; Error for variable-length text, which
/// HDF5 1.10 may read out of bounds in a crafted file (untrusted input).
std::string read_fixed_text(hid_t object, const std::string& name);
/// An integer attribute. Throws Error.
std::int64_t read_integer(hid_t object, const std::string& name);

}  // namespace flywheel::h5
