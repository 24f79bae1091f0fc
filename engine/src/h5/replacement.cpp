#include "flywheel/engine/h5/replacement.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "flywheel/engine/h5/handle.hpp"

namespace flywheel::h5 {

std::string replacement_name(const std::string& target) { return target + "." + std::to_string(::getpid()) + ".tmp"; }

Replacement::Replacement(const std::string& target) : target_(target) {
  std::error_code error;
  if (std::filesystem::is_symlink(target, error)) {
    const auto resolved = std::filesystem::weakly_canonical(target, error);
    if (!error) target_ = resolved.string();
  }
  temporary_ = replacement_name(target_);
}

Replacement::Replacement(Replacement&& other) noexcept
    : target_(std::move(other.target_)), temporary_(std::exchange(other.temporary_, {})) {}

Replacement& Replacement::operator=(Replacement&& other) noexcept {
  if (this != &other) {
    discard();
    target_ = std::move(other.target_);
    temporary_ = std::exchange(other.temporary_, {});
  }
  return *this;
}

Replacement::~Replacement() { discard(); }

void Replacement::discard() noexcept {
  if (pending()) static_cast<void>(std::remove(temporary_.c_str()));
  temporary_.clear();
}

void Replacement::commit() {
  if (!pending()) return;
  const int fd = ::open(temporary_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int saved = errno;
    if (fd >= 0) static_cast<void>(::close(fd));
    throw Error("syncing '" + temporary_ + "' to disk: " + std::generic_category().message(saved));
  }
  static_cast<void>(::close(fd));
  if (std::rename(temporary_.c_str(), target_.c_str()) != 0)
    throw Error("renaming '" + temporary_ + "' over it: " + std::generic_category().message(errno));
  temporary_.clear();
  // The rename itself reaches the disk only with its directory.
  const std::string directory = std::filesystem::path(target_).parent_path().string();
  const int dir = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    static_cast<void>(::fsync(dir));
    static_cast<void>(::close(dir));
  }
}

}  // namespace flywheel::h5
