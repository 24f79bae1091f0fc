#include "flywheel/engine/versions.hpp"

#include <H5public.h>
#include <fmt/core.h>
#include <oneapi/tbb/version.h>
#include <spdlog/version.h>

#include <sleef.h>
#include <boost/version.hpp>

#include "flywheel/engine/version.hpp"

namespace flywheel {

std::vector<std::pair<std::string, std::string>> library_versions() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return {
      {"boost", fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100)},
      {"random123", "philox4x32-10"},
      {"sleef", fmt::format("{}.{}.{}", SLEEF_VERSION_MAJOR, SLEEF_VERSION_MINOR, SLEEF_VERSION_PATCHLEVEL)},
      {"onetbb", TBB_runtime_version()},
      {"hdf5", fmt::format("{}.{}.{}", major, minor, release)},
      {"spdlog", fmt::format("{}.{}.{}", SPDLOG_VER_MAJOR, SPDLOG_VER_MINOR, SPDLOG_VER_PATCH)},
      {"fmt", fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
      {"yaml-cpp", build::yaml_cpp_version},
      {"compiler", build::compiler},
  };
}

std::string version_line() { return fmt::format("flywheel {} (git {})", build::version, build::git_revision); }

}  // namespace flywheel
