#pragma once
// The files of a sweep's output directory: index.csv, runs/, and what each
// run's file says of itself.

#include <string>

#include "flywheel/app/sweep_plan.hpp"

namespace flywheel::app {

/// What a run's file says of itself: its `status` ("" when there is no file,
/// "unreadable" when it cannot be opened) and the scenario it ran (`config`).
struct RunFile {
  std::string status;
  std::string config;
};

/// Never throws: a file that cannot be read is "unreadable".
RunFile read_run_file(const std::string& path);

/// Creates the output directory and its runs/. Throws RunError.
void make_directories(const SweepPlan& plan);

/// Writes the index whole under a temporary name, then renames it into place:
/// a reader (or another task writing the same text) never sees half of it.
/// Throws RunError when the directory holds the index of a different sweep.
void write_index(const SweepPlan& plan);

}  // namespace flywheel::app
