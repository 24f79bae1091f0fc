#pragma once
// An advisory lock on a path a run writes, so that a second run aimed at the
// same output, checkpoint or sweep slot is refused instead of silently
// replacing the first one's file. The lock is flock(2) on a small file beside
// the path (`<path>.lock`, holding the owner's pid for the message): the
// kernel drops it when the owner dies, so a killed run leaves no stale lock,
// only a file the next run takes over. The path itself cannot carry the lock:
// outputs and checkpoints are replaced by a rename, which changes the inode.

#include <string>

namespace flywheel {

class FileLock {
 public:
  /// Locks `path` (a symbolic link's target, so two links to one file share
  /// a lock). Throws RunError, naming the holder's pid, if another process
  /// holds it; `what` names the path in messages ("the output file 'a.h5'"). Where locks cannot be made (a read-only directory, a file
  /// system without flock), logs a warning and holds nothing.
  FileLock(const std::string& path, const std::string& what);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  /// Removes the lock file, then releases the lock.
  ~FileLock();

  /// The lock file's path ("" when nothing is held).
  [[nodiscard]] const std::string& lock_path() const noexcept { return lock_path_; }

 private:
  std::string lock_path_;
  int fd_ = -1;
};

/// `path` + ".lock", with a symbolic link's target resolved.
std::string lock_file_for(const std::string& path);

}  // namespace flywheel
