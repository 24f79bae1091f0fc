#pragma once
// What a run may read and write: checked once, before anything is read from
// a special file or written anywhere, so that a path that cannot work stops
// the run at once instead of hanging (a FIFO), destroying what is there (a
// device renamed over, the config overwritten by the output) or failing
// hours later (a checkpoint under a missing directory).

#include <string>
#include <vector>

namespace flywheel::app {

/// How a run uses one of its files.
enum class Access {
  read,     // read only (the config, a branch's checkpoint): must not be written
  replace,  // written under a temporary name and renamed over the path (an output, a checkpoint)
  update,   // written in place (the output `resume` continues)
};

/// A file a run names: its role in messages ("output"), its path and how the run uses it.
struct RunFile {
  std::string role;
  std::string path;
  Access access = Access::read;
};

/// Refuses `path` as a file to read unless it is a regular file (or a link to
/// one): reading a FIFO waits for a writer for ever, a device never ends.
/// A missing path is left to the reader, which says why. Throws RunError.
void check_readable_file(const std::string& path, const std::string& role);

/// Refuses a run whose files cannot work, before any is written: a file to
/// replace or update that is there but not a regular file (or a link to one),
/// a file to replace whose directory is missing, not a directory or not
/// writable (throws RunError), and two of `files` naming one file, compared
/// by device and inode when both exist, else by normalised absolute path
/// (throws ConfigError: the command line is wrong). Thread-safe.
void check_run_files(const std::vector<RunFile>& files);

}  // namespace flywheel::app
