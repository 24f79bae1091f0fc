#pragma once
// A run's HDF5 output, wired to the market: which file, what its root
// attributes say, and what each tick hands the writer thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flywheel/engine/h5/writer.hpp"
#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::app {

/// Where `-o` sends the output: nothing for "none"; by default
/// out/<scenario name>.h5, creating out/. Throws RunError if out/ cannot be made.
std::optional<std::string> output_path(const std::string& option, const market::Scenario& scenario);

/// Throws ConfigError, naming `config` (the scenario's file), when the
/// scenario's output cannot be laid out (a measure named as another series).
void check_output_layout(const market::Scenario& scenario, const std::string& config);

/// Throws RunError when `path` holds a complete run and `overwrite`
/// (--overwrite) is off: a finished run is not replaced by a slip of `-o`.
/// A missing, unfinished or unreadable file may be replaced.
void refuse_to_replace_a_complete_run(const std::optional<std::string>& path, bool overwrite);

/// Under MPI every rank makes one; only rank 0 writes the file, and the
/// others send it their part of each snapshot.
class RunOutput {
 public:
  /// Creates the file and starts its writer. Throws RunError (h5::Error) if
  /// the path cannot be written, before any simulation work.
  RunOutput(const std::string& path, const market::Scenario& scenario, const std::vector<h5::Attribute>& extra = {});
  /// Continues the file a checkpointed run was writing, cut back to `at`.
  /// Throws RunError (h5::Error) if it is missing or holds less than `at`.
  RunOutput(const std::string& path, const market::Scenario& scenario, h5::ContinueAt at);

  /// Hands over the tick the market just ran, and a snapshot when one is due
  /// (collective under MPI). Throws RunError if the writer failed (a full disk).
  void record(const market::Market& market);
  /// Writes what is queued and closes the file with `status`. Throws RunError.
  void finish(h5::Status status);

  /// Waits until every tick recorded so far is on disk (before a checkpoint). Throws RunError.
  void sync() {
    if (writer_) writer_->sync();
  }
  /// Ticks and snapshots recorded so far, counting those of a continued file (rank 0's).
  [[nodiscard]] h5::Position position() const noexcept { return writer_ ? writer_->position() : h5::Position{}; }

  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  std::optional<h5::Writer> writer_;  // rank 0's
};

}  // namespace flywheel::app
