#include "flywheel/engine/h5/handle.hpp"

namespace flywheel::h5 {
namespace {

herr_t take_innermost(unsigned n, const H5E_error2_t* error, void* out) {
  // The walk goes upward from where the error was detected, so the first is innermost.
  if (n == 0 && error->desc != nullptr) *static_cast<std::string*>(out) = error->desc;
  return 0;
}

}  // namespace

void silence_errors() noexcept { static_cast<void>(H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr)); }

std::string error_text() {
  std::string text;
  static_cast<void>(H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_innermost, &text));
  static_cast<void>(H5Eclear2(H5E_DEFAULT));
  return text.empty() ? std::string("HDF5 error") : text;
}

}  // namespace flywheel::h5
