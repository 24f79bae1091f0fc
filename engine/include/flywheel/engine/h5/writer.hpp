#pragma once
// Streams a run to an HDF5 file off the simulation's critical path. The
// simulation thread fills a preallocated slot per tick (and, now and then,
// snapshot buffers) and moves on; a writer thread appends them to chunked
// datasets and flushes every few ticks. The file is in SWMR mode, so
// readers can follow it while it grows, and the file on disk is readable up
// to the last flush even if the process is killed.
//
// Layout (netCDF-4 compatible): an unlimited `tick` dimension with its
// coordinate; each Axis as a dimension with its coordinate; each series as
// (tick) or (tick, axis); each Table as a group with dimensions `snapshot`
// and `row`, index variables and one (row) or (row, axis) variable per column.
// A snapshot may take some of the tables only (a panel of a sample, on its
// own schedule): each table's `snapshot_tick` says when it was taken.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "flywheel/engine/bounded_queue.hpp"
#include "flywheel/engine/h5/appendable.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/engine/h5/layout.hpp"
#include "flywheel/engine/h5/table_buffer.hpp"
#include "flywheel/engine/ids.hpp"

namespace flywheel::h5 {

/// Version of the file layout above, written as the root attribute `format_version`.
inline constexpr std::int64_t format_version = 1;

/// Snapshot buffers a writer keeps: snapshots are large; two let one be
/// written while the next is taken.
inline constexpr std::size_t snapshot_slots = 2;

/// The root attribute `status`: rewritten in place as the run ends.
/// `failed`: a write failed (a full disk, a file size limit); the file holds what was flushed before.
enum class Status { running, complete, interrupted, failed };
std::string_view status_name(Status status) noexcept;

struct WriterOptions {
  std::uint32_t flush_interval = 10;  // ticks between flushes, at least
  double flush_seconds = 0.0;         // wall seconds between flushes, at least: fast runs flush less often
  Chunking chunking;
  std::size_t queue_slots = 64;  // ticks the simulation may run ahead of the writer
};

/// How far a file has been written: rows of `tick`, and snapshots (ticks at
/// which one or more tables were taken).
struct Position {
  std::uint64_t ticks = 0;
  std::uint64_t snapshots = 0;
};

/// The tables a snapshot takes: bit t for Layout::tables[t].
using TableMask = std::uint32_t;
inline constexpr std::size_t max_tables = 32;

/// Asks a Writer to continue an existing file from `position` instead of creating one.
struct ContinueAt {
  explicit ContinueAt(Position at) noexcept : position(at) {}
  Position position;
  std::string history;  // if not empty, a line to put at the top of the root's `history` (CF: newest first)
};

class Writer {
 public:
  /// Creates the file with every dimension, variable and attribute, switches
  /// it to SWMR mode and starts the writer thread. The file is written under a
  /// temporary name (File::create_replacement) and renamed to `path` once all
  /// that is flushed, so a file already at `path` is untouched until then.
  /// Throws Error (for example when the path cannot be written) before
  /// anything runs, having removed the temporary file.
  Writer(const std::string& path, Layout layout, const std::vector<Attribute>& attributes, WriterOptions options);
  /// Continues the existing file `path`, written by a Writer with the same
  /// layout: cuts every series, coordinate and table back to `at.position` (the file
  /// may hold more, flushed after a checkpoint was taken; a table keeps the
  /// snapshots taken up to the last tick kept), sets `status`
  /// back to running, switches to SWMR mode and starts the writer thread.
  /// Throws Error if the file is missing, of another layout, or holds less than `at`.
  Writer(const std::string& path, Layout layout, const ContinueAt& at, WriterOptions options);
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  /// Finishes as `interrupted` if finish() was not called; never throws.
  ~Writer();

  /// The row to fill with `tick`'s values, in the order of Layout::series.
  /// Waits while the writer is a full queue behind; allocates nothing.
  /// Throws the writer thread's Error if it failed. Simulation thread only.
  std::span<double> begin_tick(Tick tick);
  /// Buffers (one per Layout::tables entry, cleared) to fill with a snapshot
  /// of the tables in `taken` (not 0), taken at the tick begun; the others'
  /// buffers are ignored. Call between begin_tick() and commit_tick().
  std::vector<TableBuffer>& begin_snapshot(TableMask taken);
  /// Hands the tick (and its snapshot, if one was begun) to the writer thread.
  void commit_tick();

  /// Waits until the writer thread has written and flushed every tick
  /// committed so far, so that the file on disk holds position(). Throws
  /// the writer thread's Error if it failed. Simulation thread only.
  void sync();
  /// Ticks and snapshots committed so far (counting those a continued file held).
  [[nodiscard]] Position position() const noexcept { return position_; }

  /// Writes everything queued, sets `status`, flushes and closes the file.
  /// Throws the writer thread's Error if it failed; then the file is closed
  /// as it stands.
  void finish(Status status);

  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  struct TickRecord {
    Tick tick = 0;
    bool snapshot = false;
    bool sync = false;  // not a tick: flush everything, then tell sync()
    std::vector<double> row;
  };
  struct SnapshotRecord {
    TableMask taken = 0;
    std::vector<TableBuffer> tables;
  };
  struct Sink;

  Writer(std::string path, Layout layout, WriterOptions options, File file);
  void create_sink(const std::vector<Attribute>& attributes);
  void open_sink(Position at);
  void run() noexcept;
  /// The one error path of the writer thread: keeps the error, stops both queues and wakes sync().
  void fail(std::exception_ptr error) noexcept;
  void write(const TickRecord& record);
  /// Writes pending ticks: all of them, or only whole multiples of flush_interval
  /// (whole chunks: in SWMR mode HDF5 never reuses a chunk written twice).
  void flush(bool all);

  std::string path_;
  Layout layout_;
  WriterOptions options_;
  File file_;
  std::unique_ptr<Sink> sink_;  // the file's datasets; the writer thread's alone while it runs
  BoundedQueue<TickRecord> ticks_;
  BoundedQueue<SnapshotRecord> snapshots_;
  TickRecord* current_ = nullptr;
  SnapshotRecord* current_snapshot_ = nullptr;
  std::exception_ptr error_;  // set by the writer thread before it aborts the queues
  std::thread thread_;
  bool finished_ = false;
  Position position_;
  std::mutex sync_mutex_;
  std::condition_variable synced_;
  std::uint64_t syncs_asked_ = 0;
  std::uint64_t syncs_done_ = 0;  // guarded by sync_mutex_
  bool failed_ = false;           // guarded by sync_mutex_
};

}  // namespace flywheel::h5
