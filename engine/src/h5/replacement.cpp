#include "flywheel/engine/h5/replacement.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "flywheel/engine/h5/handle.hpp"

namespace flywheel::h5 {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view temporary_suffix = ".tmp";

/// The process id in `name` when it is exactly replacement_name() of the file named `target`
/// (`<target>.<pid>.tmp`), else nothing.
std::optional<pid_t> replacement_pid(std::string_view name, std::string_view target) {
  if (name.size() <= target.size() + 1 + temporary_suffix.size() || !name.starts_with(target) ||
      name[target.size()] != '.' || !name.ends_with(temporary_suffix))
    return std::nullopt;
  const std::string_view digits =
      name.substr(target.size() + 1, name.size() - target.size() - 1 - temporary_suffix.size());
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  // Written by std::to_string: no sign, no leading zero.
  if (error != std::errc() || end != digits.data() + digits.size() || pid <= 0 || std::to_string(pid) != digits)
    return std::nullopt;
  return pid;
}

/// A temporary file of a replacement, and the process that made it.
struct Temporary {
  std::string name;
  pid_t pid;
};

/// The temporary files in `directory` for the file named `target`. The names ending in ".tmp" are
/// read from the directory once per process (a sweep replaces thousands of files in one directory,
/// a run takes many checkpoints), and each is given to the first caller whose target it names.
/// Thread-safe.
std::vector<Temporary> take_temporaries(const std::string& directory, std::string_view target) {
  static std::mutex mutex;
  static std::map<std::string, std::vector<std::string>> listings;
  const std::lock_guard lock(mutex);
  auto [listing, added] = listings.try_emplace(directory);
  if (added) {
    std::error_code error;
    for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error))
      if (std::string name = it->path().filename().string(); name.ends_with(temporary_suffix))
        listing->second.push_back(std::move(name));
  }
  std::vector<Temporary> taken;
  std::erase_if(listing->second, [&](const std::string& name) {
    const auto pid = replacement_pid(name, target);
    if (pid) taken.push_back({name, *pid});
    return pid.has_value();
  });
  return taken;
}

/// Removes the temporary files that replacements of `target` by processes no longer running left
/// (a run killed before its commit): only the next run to the same path can tell they are stale.
/// A process another user runs is alive too (EPERM); so is one this call cannot see.
void remove_stale_temporaries(const std::string& target) {
  const fs::path path(target);
  const std::string directory = path.has_parent_path() ? path.parent_path().string() : std::string(".");
  const std::string file = path.filename().string();
  for (const auto& [name, pid] : take_temporaries(directory, file)) {
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
    const std::string stale = (fs::path(directory) / name).string();
    if (std::remove(stale.c_str()) == 0)
      spdlog::info("removed '{}', left by process {}, which is no longer running", stale, pid);
  }
}

}  // namespace

std::string replacement_name(const std::string& target) { return target + "." + std::to_string(::getpid()) + ".tmp"; }

Replacement::Replacement(const std::string& target) : target_(target) {
  std::error_code error;
  if (std::filesystem::is_symlink(target, error)) {
    const auto resolved = std::filesystem::weakly_canonical(target, error);
    if (!error) target_ = resolved.string();
  }
  remove_stale_temporaries(target_);
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
