#include "flywheel/engine/h5/handle.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace flywheel::h5 {
namespace {

herr_t take_innermost(unsigned n, const H5E_error2_t* error, void* out) {
  // The walk goes upward from where the error was detected, so the first is innermost.
  if (n == 0 && error->desc != nullptr) *static_cast<std::string*>(out) = error->desc;
  return 0;
}

/// HDF5's file drivers report a failed system call as "..., errno = N, error message = '...', ..." with
/// buffer addresses and offsets; the user needs only the system's reason.
std::string plain_system_error(const std::string& desc) {
  const std::string marker = "errno = ";
  const auto at = desc.find(marker);
  if (at == std::string::npos) return desc;
  const int code = std::atoi(desc.c_str() + at + marker.size());
  if (code <= 0) return desc;
  std::string what = desc.substr(0, desc.find_first_of(":,"));
  std::string text = what + ": " + std::generic_category().message(code);
  if (code == EFBIG || code == ENOSPC || code == EDQUOT)
    text += " (the disk is full, or the file reached a size limit such as `ulimit -f`)";
  return text;
}

}  // namespace

void silence_errors() noexcept { static_cast<void>(H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr)); }

void keep_library_open_at_exit() noexcept { static_cast<void>(H5dont_atexit()); }

std::string error_text() {
  std::string text;
  static_cast<void>(H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_innermost, &text));
  static_cast<void>(H5Eclear2(H5E_DEFAULT));
  return text.empty() ? std::string("HDF5 error") : plain_system_error(text);
}

}  // namespace flywheel::h5
