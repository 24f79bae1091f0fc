#pragma once
// The files of a sweep's output directory: index.csv, runs/, and what each
// run's file says of itself.

#include <filesystem>
#include <string>

#include "flywheel/app/sweep_plan.hpp"

namespace flywheel::app {

/// What a run's file says of itself: its `status` ("" when there is no file,
/// "unreadable" when it cannot be opened) and the scenario it ran (`config`).
struct RunFile {
  std::string status;
  std::string config;
};

/// Writes `text` to `path` under a temporary name beside it (host and pid in
/// it: tasks of a job array may write the same file), then renames it into
/// place. Throws RunError.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

/// Never throws: a file that cannot be read, or is not a regular file, is "unreadable".
RunFile read_run_file(const std::string& path);

/// Creates the output directory and its runs/. Throws RunError.
void make_directories(const SweepPlan& plan);

/// Writes the index whole under a temporary name, then renames it into place:
/// a reader (or another task writing the same text) never sees half of it.
/// Throws RunError when the directory holds the index of a different sweep.
void write_index(const SweepPlan& plan);

}  // namespace flywheel::app
