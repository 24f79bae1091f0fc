#include "flywheel/engine/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include "flywheel/engine/errors.hpp"

namespace flywheel {
namespace {

/// The pid a lock file holds ("" if it holds none yet).
std::string holder(int fd) {
  std::array<char, 32> text{};
  const ssize_t n = ::pread(fd, text.data(), text.size() - 1, 0);
  std::string_view pid(text.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.remove_suffix(1);
  return std::string(pid);
}

/// Whether `fd` is still the file at `path` (not one its last holder unlinked).
bool still_there(int fd, const std::string& path) {
  struct stat open_file {};
  struct stat named {};
  return ::fstat(fd, &open_file) == 0 && ::stat(path.c_str(), &named) == 0 && open_file.st_dev == named.st_dev &&
         open_file.st_ino == named.st_ino;
}

}  // namespace

std::string lock_file_for(const std::string& path) {
  std::error_code error;
  std::filesystem::path target = std::filesystem::weakly_canonical(std::filesystem::absolute(path, error), error);
  if (error) target = path;
  return target.string() + ".lock";
}

FileLock::FileLock(const std::string& path, const std::string& what) {
  const std::string lock = lock_file_for(path);
  for (;;) {
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      spdlog::warn("cannot lock {} against other runs ({}: {}); going on without a lock", what, lock,
                   std::generic_category().message(errno));
      return;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int saved = errno;
      const std::string pid = holder(fd);
      static_cast<void>(::close(fd));
      if (saved == EWOULDBLOCK)
        throw RunError(
            fmt::format("{} is in use by another flywheel process{}, which holds its lock {}; wait for it "
                        "to end or choose another path",
                        what, pid.empty() ? "" : " (pid " + pid + ")", lock));
      spdlog::warn("cannot lock {} against other runs ({}: {}); going on without a lock", what, lock,
                   std::generic_category().message(saved));
      return;
    }
    // The previous holder removes the file before it lets go: if it did so
    // after we opened it, ours is a lock on nothing, so start again.
    if (!still_there(fd, lock)) {
      static_cast<void>(::close(fd));
      continue;
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0)
      spdlog::debug("cannot write the pid into {}", lock);  // the lock holds without it
    lock_path_ = lock;
    fd_ = fd;
    return;
  }
}

FileLock::FileLock(FileLock&& other) noexcept
    : lock_path_(std::exchange(other.lock_path_, {})), fd_(std::exchange(other.fd_, -1)) {}

FileLock::~FileLock() {
  if (fd_ < 0) return;
  static_cast<void>(::unlink(lock_path_.c_str()));
  static_cast<void>(::close(fd_));
}

}  // namespace flywheel
