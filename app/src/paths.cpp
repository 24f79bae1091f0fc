#include "paths.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <optional>
#include <system_error>

#include "flywheel/engine/errors.hpp"

namespace flywheel::app {
namespace {

namespace fs = std::filesystem;

/// What is at a path that is not a regular file, for messages.
std::string kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/// The path's status, following symbolic links; none when nothing is there.
std::optional<struct stat> status(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return st;
}

std::string normalised(const std::string& path) {
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error);
  if (error) return fs::path(path).lexically_normal().string();
  const fs::path resolved = fs::weakly_canonical(absolute, error);  // the links of the part that exists
  return (error ? absolute : resolved).lexically_normal().string();
}

bool same_file(const std::string& a, const std::string& b) {
  const auto sa = status(a);
  const auto sb = status(b);
  if (sa && sb) return sa->st_dev == sb->st_dev && sa->st_ino == sb->st_ino;
  return normalised(a) == normalised(b);
}

/// Why `file` cannot be written, or nothing.
std::optional<std::string> unwritable(const RunFile& file) {
  if (const auto st = status(file.path); st && !S_ISREG(st->st_mode))
    return "it is " + kind(st->st_mode) + ", not a regular file";
  if (file.access != Access::replace) return std::nullopt;
  // A new file is made beside the one it replaces (a link's target: the link is kept).
  std::error_code error;
  fs::path target = fs::weakly_canonical(fs::absolute(file.path, error), error);
  if (error) target = fs::absolute(file.path);
  const std::string directory = target.parent_path().string();
  const auto dir = status(directory);
  if (!dir) return "its directory '" + directory + "' does not exist";
  if (!S_ISDIR(dir->st_mode)) return "'" + directory + "' is " + kind(dir->st_mode) + ", not a directory";
  if (::access(directory.c_str(), W_OK | X_OK) != 0)
    return "its directory '" + directory + "' is not writable: " + std::generic_category().message(errno);
  return std::nullopt;
}

}  // namespace

void check_readable_file(const std::string& path, const std::string& role) {
  if (const auto st = status(path); st && !S_ISREG(st->st_mode))
    throw RunError("cannot read the " + role + " file '" + path + "': it is " + kind(st->st_mode) +
                   ", not a regular file");
}

void check_run_files(const std::vector<RunFile>& files) {
  for (const RunFile& file : files) {
    if (file.access == Access::read) continue;
    if (const auto why = unwritable(file))
      throw RunError((file.access == Access::update ? "cannot write the " : "cannot create the ") + file.role +
                     " file '" + file.path + "': " + *why);
  }
  for (std::size_t i = 0; i < files.size(); ++i)
    for (std::size_t j = i + 1; j < files.size(); ++j) {
      const RunFile& a = files[i];
      const RunFile& b = files[j];
      if ((a.access != Access::read || b.access != Access::read) && same_file(a.path, b.path))
        throw ConfigError({"command line"}, "",
                          "the " + a.role + " '" + a.path + "' and the " + b.role + " '" + b.path +
                              "' are the same file; give each its own path");
    }
}

}  // namespace flywheel::app
