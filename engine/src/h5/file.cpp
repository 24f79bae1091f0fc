#include "flywheel/engine/h5/file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace flywheel::h5 {
namespace {

constexpr unsigned tracked = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

PropertyHandle latest_format_access() {
  PropertyHandle fapl(check_id(H5Pcreate(H5P_FILE_ACCESS), "file access properties"));
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST), "file format bounds");
  return fapl;
}

/// Why an open or create failed: the system's reason when there is one, else HDF5's.
std::string reason(int saved_errno) {
  std::string hdf5 = error_text();
  if (saved_errno != 0 && saved_errno != EAGAIN && saved_errno != EWOULDBLOCK)
    return std::generic_category().message(saved_errno);
  return hdf5;
}

/// A new, empty file at `name` in the latest format with creation order tracked; `path` names it in errors.
FileHandle create_file(const std::string& name, const std::string& path) {
  silence_errors();
  PropertyHandle fcpl(check_id(H5Pcreate(H5P_FILE_CREATE), "file creation properties"));
  check(H5Pset_link_creation_order(fcpl.get(), tracked), "link creation order");
  check(H5Pset_attr_creation_order(fcpl.get(), tracked), "attribute creation order");
  const PropertyHandle fapl = latest_format_access();
  errno = 0;
  const hid_t id = H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get());
  if (id < 0) throw Error("cannot create the output file '" + path + "': " + reason(errno));
  return FileHandle(id);
}

/// Refuses to replace what creating in place would have refused: a directory, a file this process may not write,
/// or one another program holds open (HDF5 locks the files it opens; a reader would go on reading the old file).
void check_replaceable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;  // nothing there yet
  const auto refuse = [&](const std::string& why) {
    throw Error("cannot create the output file '" + path + "': " + why);
  };
  if (S_ISDIR(st.st_mode)) refuse(std::generic_category().message(EISDIR));
  if (!S_ISREG(st.st_mode)) refuse("it is not a regular file (a FIFO, a device or a socket)");  // never renamed over
  if (::access(path.c_str(), W_OK) != 0) refuse(std::generic_category().message(errno));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // the rename will say why, if it cannot be replaced
  const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  static_cast<void>(::close(fd));  // and with it the probe's lock
  if (locked) refuse("another program has it open (it is locked)");
}

}  // namespace

PropertyHandle ordered_group_properties() {
  PropertyHandle gcpl(check_id(H5Pcreate(H5P_GROUP_CREATE), "group creation properties"));
  check(H5Pset_link_creation_order(gcpl.get(), tracked), "link creation order");
  check(H5Pset_attr_creation_order(gcpl.get(), tracked), "attribute creation order");
  return gcpl;
}

File File::create(const std::string& path) { return File(create_file(path, path), path); }

File File::create_replacement(const std::string& path) {
  check_replaceable(path);
  Replacement replacement(path);
  FileHandle id = create_file(replacement.temporary(), path);
  return File(std::move(id), path, std::move(replacement));
}

File File::open_read(const std::string& path) {
  silence_errors();
  const PropertyHandle fapl = latest_format_access();
  errno = 0;
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl.get());
  if (id < 0) {
    error_text();  // clear the first attempt's stack
    errno = 0;
    id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  }
  if (id < 0) throw Error("cannot open '" + path + "' as an HDF5 file: " + reason(errno));
  return File(FileHandle(id), path);
}

File File::open_append(const std::string& path) {
  silence_errors();
  const PropertyHandle fapl = latest_format_access();
  errno = 0;
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
  if (id < 0) {
    std::string first = reason(errno);
    // HDF5 1.10 has no public call for this; h5clear sets the same property of file access lists.
    hbool_t clear = true;
    if (H5Pexist(fapl.get(), "clear_status_flags") > 0 && H5Pset(fapl.get(), "clear_status_flags", &clear) >= 0) {
      errno = 0;
      id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
      if (id < 0) first = reason(errno);
    }
    if (id < 0) throw Error("cannot open the output file '" + path + "' to continue it: " + first);
  }
  File file(FileHandle(id), path);
  // A SWMR writer may have written past the end of allocation it last recorded before it was killed:
  // allocate from the end of the file (as h5clear --increment=0), never over what it wrote.
  check(H5Fincrement_filesize(id, 0), "moving the end of allocation of '" + path + "'");
  return file;
}

File File::open_read_once(const std::string& path) {
  silence_errors();
  const PropertyHandle fapl = latest_format_access();
  check(H5Pset_metadata_read_attempts(fapl.get(), 1), "metadata read attempts");
  errno = 0;
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) throw Error("cannot open '" + path + "' as an HDF5 file: " + reason(errno));
  return File(FileHandle(id), path);
}

void File::start_swmr_write() { check(H5Fstart_swmr_write(id_.get()), "starting SWMR mode in '" + path_ + "'"); }

void File::flush() { check(H5Fflush(id_.get(), H5F_SCOPE_LOCAL), "flushing '" + path_ + "'"); }

void File::commit() {
  try {
    replacement_.commit();
  } catch (const Error& e) {
    throw Error("cannot create the output file '" + path_ + "': " + e.what());
  }
}

void File::close() {
  if (id_.valid()) check(H5Fclose(id_.release()), "closing '" + path_ + "'");
}

}  // namespace flywheel::h5
