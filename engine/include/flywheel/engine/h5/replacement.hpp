#pragma once
// A new file written under a temporary name beside the one it replaces, so
// that a run failing while it creates its output never damages the output an
// earlier run left there: the new file takes the name only once committed.

#include <string>

namespace flywheel::h5 {

/// The temporary name of a file that is to replace `target`: `<target>.<pid>.tmp`,
/// in the same directory (rename is atomic only within one file system), with
/// the process id so that two runs aimed at one path never share it.
std::string replacement_name(const std::string& target);

/// Owns the temporary file of a replacement: removes it when destroyed unless
/// commit() has renamed it over its target. Move-only; not thread-safe.
class Replacement {
 public:
  Replacement() noexcept = default;  // nothing pending
  /// Names the temporary file for `target` (a symbolic link's target, if it is
  /// one, so the link survives). Creates nothing: the caller writes the file.
  /// Removes, logging each at info level, the temporary files for `target`
  /// (exactly replacement_name()'s pattern) of processes no longer running,
  /// which a killed run leaves; the directory is read once per process.
  explicit Replacement(const std::string& target);
  Replacement(Replacement&& other) noexcept;
  Replacement& operator=(Replacement&& other) noexcept;
  Replacement(const Replacement&) = delete;
  Replacement& operator=(const Replacement&) = delete;
  ~Replacement();

  [[nodiscard]] const std::string& temporary() const noexcept { return temporary_; }
  /// Whether a temporary file is still waiting for commit().
  [[nodiscard]] bool pending() const noexcept { return !temporary_.empty(); }

  /// Syncs the temporary file to disk (so a crash never leaves the target name
  /// on a file whose contents were lost) and renames it over the target: a
  /// reader sees the old file or the new one, never a mix. An open descriptor
  /// of it stays valid and now writes to the target. Throws h5::Error with the
  /// system's reason; the temporary file is then still removed on destruction.
  void commit();

 private:
  void discard() noexcept;
  std::string target_;
  std::string temporary_;
};

}  // namespace flywheel::h5
