#pragma once
// Owners of HDF5 identifiers. Each closes its id once, with the H5*close that
// matches its kind, so no early return or exception leaks a handle.

#include <hdf5.h>

#include <string>
#include <string_view>
#include <utility>

#include "flywheel/engine/errors.hpp"

namespace flywheel::h5 {

/// An HDF5 call failed: an unwritable path, a full disk, a damaged or foreign file.
class Error : public RunError {
 public:
  using RunError::RunError;
};

/// Owns one hid_t and closes it with Close. Move-only; not thread-safe.
template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() noexcept = default;
  explicit Handle(hid_t id) noexcept : id_(id) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  [[nodiscard]] hid_t get() const noexcept { return id_; }
  [[nodiscard]] bool valid() const noexcept { return id_ >= 0; }
  /// Gives up ownership: the caller closes the id.
  [[nodiscard]] hid_t release() noexcept { return std::exchange(id_, H5I_INVALID_HID); }
  /// Closes the id now; a failure to close cannot be reported from here, so it is ignored.
  void reset() noexcept {
    if (id_ >= 0) static_cast<void>(Close(id_));
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using FileHandle = Handle<H5Fclose>;
using GroupHandle = Handle<H5Gclose>;
using DatasetHandle = Handle<H5Dclose>;
using DataspaceHandle = Handle<H5Sclose>;
using DatatypeHandle = Handle<H5Tclose>;
using AttributeHandle = Handle<H5Aclose>;
using PropertyHandle = Handle<H5Pclose>;

/// Stops HDF5 printing its error stack on this thread; failures become exceptions instead.
void silence_errors() noexcept;

/// Stops HDF5 closing its open objects at exit. Call before any other HDF5
/// call. HDF5 1.10 crashes at exit on a file whose close failed (after a
/// full disk); flywheel closes what it can itself, and the system the rest.
void keep_library_open_at_exit() noexcept;

/// The innermost message on this thread's HDF5 error stack (then clears it).
std::string error_text();

/// Throws Error("`what`: <HDF5's message>") when `status` is negative.
inline void check(herr_t status, std::string_view what) {
  if (status < 0) throw Error(std::string(what) + ": " + error_text());
}

/// Returns `id`, or throws Error as check() does when it is invalid.
inline hid_t check_id(hid_t id, std::string_view what) {
  if (id < 0) throw Error(std::string(what) + ": " + error_text());
  return id;
}

}  // namespace flywheel::h5
