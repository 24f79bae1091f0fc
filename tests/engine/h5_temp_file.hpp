#pragma once
// A file path in the test temporary directory, unique to the running test
// and process, removed when the object goes out of scope.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace flywheel::testing {

class TempFile {
 public:
  explicit TempFile(const std::string& suffix = ".h5") {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("flywheel_") + info->test_suite_name() + "_" + info->name() + "_" +
                       std::to_string(::getpid()) + suffix;
    for (char& c : name)
      if (c == '/') c = '_';  // parameterised tests' names hold slashes
    path_ = (std::filesystem::path(::testing::TempDir()) / name).string();
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace flywheel::testing
