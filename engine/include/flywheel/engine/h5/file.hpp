#pragma once
// An HDF5 file in the latest file format (which SWMR needs, and which
// netCDF-4 and h5py built on HDF5 1.10 or later read), with creation order
// tracked so tools list variables in the order they were defined.

#include <string>

#include "flywheel/engine/h5/handle.hpp"
#include "flywheel/engine/h5/replacement.hpp"

namespace flywheel::h5 {

class File {
 public:
  /// Creates `path`, truncating any file there in place, even when it then
  /// fails (HDF5 empties a file a reader holds locked before it finds the
  /// lock): so run outputs use create_replacement, checkpoints a temporary
  /// path of their own. Throws Error saying why it cannot (missing directory,
  /// no permission, locked by a reader).
  static File create(const std::string& path);
  /// Creates a file that is to replace `path` (a new run's output) while
  /// leaving any file there as it is: it is written as replacement_name(path)
  /// beside it and takes the name `path` only at commit(). Closed or destroyed
  /// before then, it is removed. What create() would refuse is refused here
  /// too, before anything is written: a directory, an existing `path` this
  /// process may not write, one another program holds open (locked). Throws
  /// Error naming `path` and why.
  static File create_replacement(const std::string& path);
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
  /// Puts a file from create_replacement() in place of `path` (see
  /// Replacement::commit); it stays open and later writes go to `path`.
  /// Flush first: only what was flushed is synced. Throws Error naming `path`.
  void commit();

 private:
  File(FileHandle id, std::string path, Replacement replacement = {})
      : replacement_(std::move(replacement)), id_(std::move(id)), path_(std::move(path)) {}
  Replacement replacement_;  // before id_: the file is closed before its temporary name is removed
  FileHandle id_;
  std::string path_;
};

/// Group and dataset creation properties with attribute (and link) creation order tracked.
PropertyHandle ordered_group_properties();

}  // namespace flywheel::h5
