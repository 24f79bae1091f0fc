#pragma once
// A sealed file: a trailer after an HDF5 file's bytes (which HDF5, h5py and
// h5dump ignore) records its kind, version, length and FNV-1a checksum, so a
// damaged or truncated file is refused before HDF5 parses a byte of it (HDF5
// 1.10 can loop forever or crash on some damaged files).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace flywheel::h5 {

/// What a seal says the file is.
struct SealKind {
  std::array<char, 16> magic;     // the trailer's first bytes
  std::string_view name;          // "checkpoint", for messages
  std::string_view version_name;  // the attribute that also holds the version, for messages
  std::int64_t version;
};

/// Appends the trailer to the file at `path`. Throws h5::Error.
void seal(const std::string& path, const SealKind& kind);

/// What is wrong with the seal of the file at `path` ("it is truncated ...",
/// phrased to follow "cannot be used: "), or an empty string if it is whole.
std::string seal_problem(const std::string& path, const SealKind& kind);

}  // namespace flywheel::h5
