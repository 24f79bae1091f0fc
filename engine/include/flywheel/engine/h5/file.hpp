#pragma once
// An HDF5 file in the latest file format (which SWMR needs, and which
// netCDF-4 and h5py built on HDF5 1.10 or later read), with creation order
// tracked so tools list variables in the order they were defined.

#include <string>

#include "flywheel/engine/h5/handle.hpp"

namespace flywheel::h5 {

class File {
 public:
  /// Creates `path`, replacing any file there. Throws Error saying why it
  /// cannot (missing directory, no permission, locked by a reader).
  static File create(const std::string& path);
  /// Opens `path` read-only. A file that a SWMR writer still has open (or
  /// that one left after being killed) is opened as a SWMR reader. Throws Error.
  static File open_read(const std::string& path);
  /// Opens a file no writer has open, read-only and not as a SWMR reader:
  /// damaged metadata fails at once instead of being re-read (SWMR readers
  /// retry a failed checksum up to 100 times, sleeping between tries, which
  /// on a damaged file looks like a hang). Throws Error.
  static File open_read_once(const std::string& path);
  /// Opens an existing `path` for writing (not yet in SWMR mode). A file
  /// whose SWMR writer was killed is still marked as open for writing; that
  /// mark is cleared, and the end of allocation moved to the end of the file,
  /// as `h5clear -s --increment=0` would, so a resumed run can go on with it.
  /// Never open a file another live process is writing. Throws Error.
  static File open_append(const std::string& path);

  [[nodiscard]] hid_t id() const noexcept { return id_.get(); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  /// Switches to single-writer/multiple-reader mode: from here on, readers
  /// opening with SWMR see every flushed append, and no object may be created.
  void start_swmr_write();
  /// Writes everything buffered to disk, so readers (and a crash) see it.
  void flush();
  /// Closes the file, reporting a failure (a handle left open is a bug).
  void close();

 private:
  File(FileHandle id, std::string path) : id_(std::move(id)), path_(std::move(path)) {}
  FileHandle id_;
  std::string path_;
};

/// Group and dataset creation properties with attribute (and link) creation order tracked.
PropertyHandle ordered_group_properties();

}  // namespace flywheel::h5
