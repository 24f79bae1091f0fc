#include "flywheel/engine/h5/writer.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "flywheel/engine/h5/array.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/dimension.hpp"
#include "flywheel/engine/h5/types.hpp"

namespace flywheel::h5 {
namespace {

constexpr std::size_t status_capacity = 16;

struct SeriesSink {
  Appendable data;
  std::size_t offset;  // in a tick's row
  std::size_t width;
  std::vector<double> pending;  // rows since the last flush
};

struct TableSink {
  GroupHandle group;
  Appendable snapshot_dimension;
  Appendable row_dimension;
  Appendable tick;
  Appendable start;
  Appendable rows;
  std::vector<Appendable> columns;
  std::vector<hid_t> memory_types;
};

/// A dimension scale and its name.
struct Dim {
  hid_t scale;
  std::string name;
};

/// An appendable variable over `first` (tick, snapshot or row) and, if `second.scale` is valid, an axis.
Appendable indexed(hid_t parent, const std::string& name, Element element, std::size_t width, Chunking chunking,
                   const Dim& first, const Dim& second, const std::string& units, const std::string& long_name,
                   const std::vector<Attribute>& more = {}) {
  Appendable a(parent, name, element, width, chunking);
  attach(a.id(), first.scale, 0, first.name);
  if (second.scale >= 0) attach(a.id(), second.scale, 1, second.name);
  describe(a.id(), units, long_name);
  for (const auto& attribute : more) write_attribute(a.id(), attribute.name, attribute.value);
  return a;
}

}  // namespace

std::string_view status_name(Status status) noexcept {
  switch (status) {
    case Status::running:
      return "running";
    case Status::complete:
      return "complete";
    case Status::interrupted:
      return "interrupted";
    case Status::failed:
      return "failed";
  }
  return "unknown";
}

struct Writer::Sink {
  std::map<std::string, DatasetHandle> axes;
  Appendable tick;
  std::vector<double> pending_ticks;
  std::vector<SeriesSink> series;
  std::vector<TableSink> tables;
  std::uint32_t since_flush = 0;
  std::chrono::steady_clock::time_point last_flush = std::chrono::steady_clock::now();

  [[nodiscard]] Dim axis(const std::string& name) const {
    return {name.empty() ? H5I_INVALID_HID : axes.at(name).get(), name};
  }
};

Writer::Writer(std::string path, Layout layout, WriterOptions options, File file)
    : path_(std::move(path)),
      layout_(std::move(layout)),
      options_(options),
      file_(std::move(file)),
      ticks_(std::vector<TickRecord>(std::max<std::size_t>(1, options.queue_slots),
                                     TickRecord{0, false, false, std::vector<double>(layout_.row_width())})),
      snapshots_([&] {
        FLYWHEEL_ASSERT(layout_.tables.size() <= max_tables);
        std::vector<SnapshotRecord> slots(snapshot_slots);
        for (auto& s : slots)
          for (const auto& t : layout_.tables) s.tables.emplace_back(t, layout_);
        return slots;
      }()) {}

Writer::Writer(const std::string& path, Layout layout, const std::vector<Attribute>& attributes, WriterOptions options)
    : Writer(path, std::move(layout), options, File::create_replacement(path)) {
  create_sink(attributes);
  file_.flush();
  file_.start_swmr_write();
  // Only a whole header replaces an earlier run's file; from here on the run streams into `path`.
  file_.commit();
  thread_ = std::thread([this] { run(); });
}

Writer::Writer(const std::string& path, Layout layout, const ContinueAt& at, WriterOptions options)
    : Writer(path, std::move(layout), options, File::open_append(path)) {
  open_sink(at.position);
  position_ = at.position;
  rewrite_fixed_text(file_.id(), "status", std::string(status_name(Status::running)));
  if (!at.history.empty()) prepend_line(file_.id(), "history", at.history);
  file_.flush();
  file_.start_swmr_write();
  thread_ = std::thread([this] { run(); });
}

void Writer::create_sink(const std::vector<Attribute>& attributes) {
  const hid_t root = file_.id();
  write_attribute(root, "format_version", format_version);
  create_fixed_text(root, "status", status_capacity, std::string(status_name(Status::running)));
  for (const auto& a : attributes) write_attribute(root, a.name, a.value);

  std::map<std::string, DatasetHandle> axes;
  for (const auto& axis : layout_.axes) axes.emplace(axis.name, write_axis(root, axis));
  Appendable tick(root, "tick", Element::i64, 0, options_.chunking);
  make_coordinate(tick.id(), "tick");
  describe(tick.id(), "", "tick: simulated day, counted from 0");
  for (const auto& a : layout_.tick_attributes) write_attribute(tick.id(), a.name, a.value);
  sink_ =
      std::make_unique<Sink>(Sink{std::move(axes), std::move(tick), {}, {}, {}, 0, std::chrono::steady_clock::now()});
  sink_->pending_ticks.reserve(options_.flush_interval);

  std::size_t offset = 0;
  for (const auto& v : layout_.series) {
    const std::size_t width = layout_.width(v);
    Appendable data = indexed(root, v.name, v.element, v.axis.empty() ? 0 : width, options_.chunking,
                              {sink_->tick.id(), "tick"}, sink_->axis(v.axis), v.units, v.long_name, v.attributes);
    sink_->series.push_back({std::move(data), offset, width, {}});
    sink_->series.back().pending.reserve(static_cast<std::size_t>(options_.flush_interval) * width);
    offset += width;
  }

  for (const auto& t : layout_.tables) {
    GroupHandle group = create_group(root, t.name);
    describe(group.get(), "", t.long_name);
    const hid_t g = group.get();
    Appendable snapshot(g, "snapshot", Element::f32, 0, options_.chunking);
    make_bare_dimension(snapshot.id());
    Appendable row(g, "row", Element::f32, 0, options_.chunking);
    make_bare_dimension(row.id());
    const Dim by_snapshot{snapshot.id(), "snapshot"};
    const Dim none{H5I_INVALID_HID, ""};
    Appendable tick_of = indexed(g, "snapshot_tick", Element::i64, 0, options_.chunking, by_snapshot, none, "1",
                                 "tick at whose end the snapshot was taken");
    Appendable start = indexed(g, "snapshot_start", Element::i64, 0, options_.chunking, by_snapshot, none, "1",
                               "first row of the snapshot");
    Appendable rows =
        indexed(g, "snapshot_rows", Element::i64, 0, options_.chunking, by_snapshot, none, "1", "rows in the snapshot");
    write_attribute(rows.id(), "sample_dimension", std::string("row"));  // CF contiguous ragged array
    TableSink sink{std::move(group),
                   std::move(snapshot),
                   std::move(row),
                   std::move(tick_of),
                   std::move(start),
                   std::move(rows),
                   {},
                   {}};
    Chunking columns = options_.chunking;
    columns.rows = t.chunk_rows;
    for (const auto& c : t.columns) {
      sink.columns.push_back(indexed(g, c.name, c.element, c.axis.empty() ? 0 : layout_.width(c), columns,
                                     {sink.row_dimension.id(), "row"}, sink_->axis(c.axis), c.units, c.long_name,
                                     c.attributes));
      sink.memory_types.push_back(memory_type(c.element));
    }
    sink_->tables.push_back(std::move(sink));
  }
}

void Writer::open_sink(Position at) {
  const hid_t root = file_.id();
  if (!has_attribute(root, "format_version") || read_integer(root, "format_version") != format_version)
    throw Error("'" + path_ + "' is not a flywheel output file of format version " + std::to_string(format_version));
  // Every series must reach the position before any is cut: a file that cannot be continued is left as it was.
  auto reaches = [&](hid_t parent, const std::string& name, std::uint64_t rows) {
    if (!exists(parent, name) || row_count(open_dataset(parent, name).get()) < rows)
      throw Error("'" + path_ + "' holds fewer than the " + std::to_string(rows) + " rows of '" + name +
                  "' to continue from");
  };
  reaches(root, "tick", at.ticks);
  for (const auto& v : layout_.series) reaches(root, v.name, at.ticks);
  // Each table keeps the snapshots taken up to the last tick kept; together they must be `at.snapshots` ticks.
  const double last_tick = at.ticks == 0 ? -1.0 : read_row(open_dataset(root, "tick").get(), at.ticks - 1).at(0);
  std::vector<std::uint64_t> kept_snapshots;
  std::vector<double> snapshot_ticks;
  for (const auto& t : layout_.tables) {
    const GroupHandle group = open_group(root, t.name);
    std::size_t width = 0;
    const std::vector<double> ticks = read_all_rows(open_dataset(group.get(), "snapshot_tick").get(), width);
    const auto kept =
        static_cast<std::uint64_t>(std::upper_bound(ticks.begin(), ticks.end(), last_tick) - ticks.begin());
    for (const char* name : {"snapshot", "snapshot_start", "snapshot_rows"}) reaches(group.get(), name, kept);
    kept_snapshots.push_back(kept);
    snapshot_ticks.insert(snapshot_ticks.end(), ticks.begin(), ticks.begin() + static_cast<std::ptrdiff_t>(kept));
  }
  std::sort(snapshot_ticks.begin(), snapshot_ticks.end());
  const auto taken =
      static_cast<std::uint64_t>(std::unique(snapshot_ticks.begin(), snapshot_ticks.end()) - snapshot_ticks.begin());
  if (taken != at.snapshots)
    throw Error("'" + path_ + "' holds snapshots at " + std::to_string(taken) + " ticks up to tick " +
                std::to_string(static_cast<std::int64_t>(last_tick)) + ", not the " + std::to_string(at.snapshots) +
                " to continue from");
  std::map<std::string, DatasetHandle> axes;
  for (const auto& axis : layout_.axes) axes.emplace(axis.name, open_dataset(root, axis.name));
  sink_ = std::make_unique<Sink>(Sink{
      std::move(axes), Appendable::open(root, "tick", 0, at.ticks), {}, {}, {}, 0, std::chrono::steady_clock::now()});
  sink_->pending_ticks.reserve(options_.flush_interval);
  std::size_t offset = 0;
  for (const auto& v : layout_.series) {
    const std::size_t width = layout_.width(v);
    sink_->series.push_back({Appendable::open(root, v.name, v.axis.empty() ? 0 : width, at.ticks), offset, width, {}});
    sink_->series.back().pending.reserve(static_cast<std::size_t>(options_.flush_interval) * width);
    offset += width;
  }
  for (std::size_t i = 0; i < layout_.tables.size(); ++i) {
    const Table& t = layout_.tables[i];
    const std::uint64_t kept = kept_snapshots[i];
    GroupHandle group = open_group(root, t.name);
    const hid_t g = group.get();
    Appendable start = Appendable::open(g, "snapshot_start", 0, kept);
    Appendable rows = Appendable::open(g, "snapshot_rows", 0, kept);
    // The rows to keep: up to the end of the last snapshot kept.
    std::uint64_t kept_rows = 0;
    if (kept > 0) {
      const double first = read_row(start.id(), kept - 1).at(0);
      const double count = read_row(rows.id(), kept - 1).at(0);
      if (!(first >= 0.0 && count >= 0.0 && first + count < 9e15))
        throw Error("table '" + t.name + "' of '" + path_ + "' is damaged");
      kept_rows = static_cast<std::uint64_t>(first + count);
    }
    TableSink sink{std::move(group),
                   Appendable::open(g, "snapshot", 0, kept),
                   Appendable::open(g, "row", 0, kept_rows),
                   Appendable::open(g, "snapshot_tick", 0, kept),
                   std::move(start),
                   std::move(rows),
                   {},
                   {}};
    for (const auto& c : t.columns) {
      sink.columns.push_back(Appendable::open(g, c.name, c.axis.empty() ? 0 : layout_.width(c), kept_rows));
      sink.memory_types.push_back(memory_type(c.element));
    }
    sink_->tables.push_back(std::move(sink));
  }
}

Writer::~Writer() {
  // A constructor that threw after delegating leaves no thread and maybe no sink: nothing to finish.
  if (finished_ || !thread_.joinable()) return;
  // Unfinished: the run failed (a signal or --stop-after finishes with `interrupted` itself).
  try {
    finish(Status::failed);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor cannot report; finish() was the place
  }
}

std::span<double> Writer::begin_tick(Tick tick) {
  FLYWHEEL_ASSERT(current_ == nullptr && !finished_);
  current_ = ticks_.acquire();
  if (current_ == nullptr) std::rethrow_exception(error_);
  current_->tick = tick;
  current_->snapshot = false;
  current_->sync = false;
  return current_->row;
}

std::vector<TableBuffer>& Writer::begin_snapshot(TableMask taken) {
  FLYWHEEL_ASSERT(current_ != nullptr && current_snapshot_ == nullptr && taken != 0 &&
                  (layout_.tables.size() == max_tables || taken >> layout_.tables.size() == 0));
  current_snapshot_ = snapshots_.acquire();
  if (current_snapshot_ == nullptr) std::rethrow_exception(error_);
  current_snapshot_->taken = taken;
  for (auto& t : current_snapshot_->tables) t.clear();
  return current_snapshot_->tables;
}

void Writer::commit_tick() {
  FLYWHEEL_ASSERT(current_ != nullptr);
  ++position_.ticks;
  if (current_snapshot_ != nullptr) {
    ++position_.snapshots;
    current_->snapshot = true;
    snapshots_.publish();  // before the tick, so the writer finds it when the tick says so
    current_snapshot_ = nullptr;
  }
  ticks_.publish();
  current_ = nullptr;
}

void Writer::sync() {
  FLYWHEEL_ASSERT(current_ == nullptr && !finished_);
  TickRecord* record = ticks_.acquire();
  if (record == nullptr) std::rethrow_exception(error_);
  record->sync = true;
  record->snapshot = false;
  ticks_.publish();
  const std::uint64_t asked = ++syncs_asked_;
  std::unique_lock lock(sync_mutex_);
  synced_.wait(lock, [&] { return syncs_done_ >= asked || failed_; });
  if (failed_) std::rethrow_exception(error_);
}

void Writer::finish(Status status) {
  if (finished_) return;
  finished_ = true;
  ticks_.close();
  snapshots_.close();
  if (thread_.joinable()) thread_.join();
  if (error_) {
    sink_.reset();
    // Best effort: the status is rewritten in place, so it may still fit where the data did not.
    try {
      rewrite_fixed_text(file_.id(), "status", std::string(status_name(Status::failed)));
      file_.flush();
    } catch (const Error&) {  // NOLINT(bugprone-empty-catch): the write error below is the one to report
    }
    std::rethrow_exception(error_);
  }
  flush(true);
  rewrite_fixed_text(file_.id(), "status", std::string(status_name(status)));
  file_.flush();
  sink_.reset();
  file_.close();
}

void Writer::run() noexcept {
  silence_errors();
  try {
    while (const TickRecord* record = ticks_.front()) {
      write(*record);
      ticks_.release();
    }
  } catch (const Error& e) {
    // Messages from inside HDF5 name a dataset, not the file.
    const std::string what = e.what();
    fail(what.find(path_) == std::string::npos ? std::make_exception_ptr(Error("writing '" + path_ + "': " + what))
                                               : std::current_exception());
  } catch (...) {
    fail(std::current_exception());
  }
}

void Writer::fail(std::exception_ptr error) noexcept {
  error_ = std::move(error);
  ticks_.abort();
  snapshots_.abort();
  {
    const std::lock_guard lock(sync_mutex_);
    failed_ = true;
  }
  synced_.notify_all();  // a sync() waiting for this thread must not wait for ever
}

void Writer::write(const TickRecord& record) {
  Sink& s = *sink_;
  if (record.sync) {
    flush(true);
    {
      const std::lock_guard lock(sync_mutex_);
      ++syncs_done_;
    }
    synced_.notify_all();
    return;
  }
  s.pending_ticks.push_back(static_cast<double>(record.tick));
  for (auto& series : s.series)
    series.pending.insert(series.pending.end(), record.row.begin() + static_cast<std::ptrdiff_t>(series.offset),
                          record.row.begin() + static_cast<std::ptrdiff_t>(series.offset + series.width));
  ++s.since_flush;
  const bool due =
      s.since_flush >= options_.flush_interval &&
      std::chrono::duration<double>(std::chrono::steady_clock::now() - s.last_flush).count() >= options_.flush_seconds;
  bool all = false;
  if (record.snapshot) {
    const SnapshotRecord* snapshot = snapshots_.front();
    FLYWHEEL_ASSERT(snapshot != nullptr);
    for (std::size_t t = 0; t < s.tables.size(); ++t) {
      if ((snapshot->taken >> t & 1U) == 0) continue;
      TableSink& table = s.tables[t];
      const TableBuffer& buffer = snapshot->tables[t];
      const std::size_t rows = buffer.rows();
      const auto start = static_cast<double>(table.row_dimension.rows());
      const auto tick = static_cast<double>(record.tick);
      const auto count = static_cast<double>(rows);
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        table.columns[c].append(buffer.data(c), table.memory_types[c], rows);
      table.row_dimension.extend(rows);
      table.tick.append(&tick, H5T_NATIVE_DOUBLE, 1);
      table.start.append(&start, H5T_NATIVE_DOUBLE, 1);
      table.rows.append(&count, H5T_NATIVE_DOUBLE, 1);
      table.snapshot_dimension.extend(1);
      all = all || layout_.tables[t].flush_when_taken;
    }
    snapshots_.release();
  }
  if (due || all) flush(all);
}

void Writer::flush(bool all) {
  Sink& s = *sink_;
  const std::size_t pending = s.pending_ticks.size();
  const std::size_t ticks = all ? pending : pending - pending % options_.flush_interval;
  for (auto& series : s.series) {
    series.data.append(series.pending.data(), H5T_NATIVE_DOUBLE, ticks);
    series.data.flush();
    series.pending.erase(series.pending.begin(),
                         series.pending.begin() + static_cast<std::ptrdiff_t>(ticks * series.width));
  }
  // Every series is on disk before the coordinate grows: a reader, or a file
  // whose writer was killed in the middle of this, never finds `tick` longer
  // than a series.
  s.tick.append(s.pending_ticks.data(), H5T_NATIVE_DOUBLE, ticks);
  s.pending_ticks.erase(s.pending_ticks.begin(), s.pending_ticks.begin() + static_cast<std::ptrdiff_t>(ticks));
  s.since_flush = static_cast<std::uint32_t>(pending - ticks);
  s.last_flush = std::chrono::steady_clock::now();
  file_.flush();
}

}  // namespace flywheel::h5
