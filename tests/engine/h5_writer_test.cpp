// The writer: what a finished file holds, how snapshots are indexed, the
// status it ends with, and that the queue's depth changes nothing written.

#include "flywheel/engine/h5/writer.hpp"

#include <gtest/gtest.h>
#include <hdf5_hl.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "flywheel/engine/h5/appendable.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/dimension.hpp"
#include "h5_temp_file.hpp"

namespace flywheel::h5 {
namespace {

Layout layout(bool with_table) {
  Layout l;
  l.axes.push_back({"platform", "", "platform name", std::vector<std::string>{"alpha", "beta"}});
  l.series.push_back({"total", "1", "a total", Element::i64, ""});
  l.series.push_back({"share", "1", "a share per platform", Element::f64, "platform"});
  if (with_table) {
    l.tables.push_back(
        {"agents", "snapshots", {{"id", "1", "", Element::u32, ""}, {"x", "1", "", Element::f32, "platform"}}});
    l.tables.push_back({"sample", "a panel on its own schedule", {{"id", "1", "", Element::u32, ""}}});
  }
  return l;
}

/// Ticks between the `sample` table's snapshots, when the layout has it.
constexpr Tick sample_every = 6;

/// Runs `ticks` ticks through a writer; a snapshot of (tick % 3 + 1) agents
/// every `every` ticks, and of the sample (one id) every sample_every ticks.
void write_ticks(Writer& w, Tick first, Tick ticks, Tick every) {
  for (Tick t = first; t < ticks; ++t) {
    const std::span<double> row = w.begin_tick(t);
    ASSERT_EQ(row.size(), 3u);
    row[0] = 10.0 * t;
    row[1] = t + 0.25;
    row[2] = t + 0.5;
    const TableMask taken = (every > 0 && t % every == 0 ? 1U : 0U) | (every > 0 && t % sample_every == 0 ? 2U : 0U);
    if (taken != 0) {
      auto& tables = w.begin_snapshot(taken);
      const std::uint32_t n = t % 3 + 1;
      std::vector<std::uint32_t> ids(n, t);
      std::vector<float> x(2 * std::size_t{n}, static_cast<float>(t));
      tables[0].append(0, std::span<const std::uint32_t>(ids));  // ignored unless taken
      tables[0].append(1, std::span<const float>(x));
      tables[1].append(0, std::span<const std::uint32_t>(ids).first(1));
    }
    w.commit_tick();
  }
}

void write_run(const std::string& path, Tick ticks, Tick every, WriterOptions options, Status status) {
  Writer w(path, layout(every > 0), {{"seed", std::uint64_t{5}}, {"note", std::string("test")}}, options);
  write_ticks(w, 0, ticks, every);
  w.finish(status);
}

/// Every row of `name` (in `group` of the file) as doubles.
std::vector<std::vector<double>> rows_of(const std::string& path, const std::string& group, const std::string& name) {
  const File file = File::open_read(path);
  const GroupHandle g(H5Gopen2(file.id(), group.c_str(), H5P_DEFAULT));
  const DatasetHandle d = open_dataset(g.get(), name);
  std::vector<std::vector<double>> rows;
  for (std::uint64_t r = 0; r < row_count(d.get()); ++r) rows.push_back(read_row(d.get(), r));
  return rows;
}

TEST(H5Writer, AFinishedFileHoldsEveryTickAndItsCoordinates) {
  const testing::TempFile tmp;
  WriterOptions options;
  options.flush_interval = 7;
  options.queue_slots = 4;
  write_run(tmp.path(), 50, 0, options, Status::complete);

  const File file = File::open_read(tmp.path());
  const hid_t root = file.id();
  EXPECT_EQ(read_text(root, "status"), "complete");
  EXPECT_EQ(read_integer(root, "format_version"), format_version);
  EXPECT_EQ(read_text(root, "note"), "test");
  EXPECT_EQ(read_labels(root, "platform"), (std::vector<std::string>{"alpha", "beta"}));
  const DatasetHandle tick = open_dataset(root, "tick");
  const DatasetHandle total = open_dataset(root, "total");
  const DatasetHandle share = open_dataset(root, "share");
  EXPECT_EQ(row_count(tick.get()), 50u);
  EXPECT_EQ(row_count(share.get()), 50u);
  EXPECT_EQ(read_row(tick.get(), 49), std::vector<double>{49});
  EXPECT_EQ(read_row(total.get(), 49), std::vector<double>{490});
  EXPECT_EQ(read_row(share.get(), 3), (std::vector<double>{3.25, 3.5}));
  EXPECT_EQ(read_text(share.get(), "long_name"), "a share per platform");
  const DatasetHandle platform = open_dataset(root, "platform");
  EXPECT_GT(H5DSis_attached(share.get(), tick.get(), 0), 0);
  EXPECT_GT(H5DSis_attached(share.get(), platform.get(), 1), 0);
  EXPECT_GT(H5DSis_attached(total.get(), tick.get(), 0), 0);
}

TEST(H5Writer, SnapshotsAreRaggedArraysWithAnIndex) {
  const testing::TempFile tmp;
  write_run(tmp.path(), 10, 4, {}, Status::complete);  // snapshots at ticks 0, 4, 8 of 1, 2, 3 rows
  const File file = File::open_read(tmp.path());
  const GroupHandle group(H5Gopen2(file.id(), "agents", H5P_DEFAULT));
  ASSERT_TRUE(group.valid());
  const DatasetHandle ticks = open_dataset(group.get(), "snapshot_tick");
  const DatasetHandle start = open_dataset(group.get(), "snapshot_start");
  const DatasetHandle rows = open_dataset(group.get(), "snapshot_rows");
  ASSERT_EQ(row_count(ticks.get()), 3u);
  EXPECT_EQ(read_row(ticks.get(), 2), std::vector<double>{8});
  EXPECT_EQ(read_row(start.get(), 1), std::vector<double>{1});
  EXPECT_EQ(read_row(start.get(), 2), std::vector<double>{3});
  EXPECT_EQ(read_row(rows.get(), 2), std::vector<double>{3});
  EXPECT_EQ(read_text(rows.get(), "sample_dimension"), "row");
  const DatasetHandle id = open_dataset(group.get(), "id");
  const DatasetHandle x = open_dataset(group.get(), "x");
  EXPECT_EQ(row_count(id.get()), 6u);
  EXPECT_EQ(row_count(open_dataset(group.get(), "row").get()), 6u);
  EXPECT_EQ(read_row(id.get(), 5), std::vector<double>{8});
  EXPECT_EQ(read_row(x.get(), 2), (std::vector<double>{4, 4}));
}

TEST(H5Writer, ATableTakenOnItsOwnScheduleIndexesOnlyItsSnapshots) {
  const testing::TempFile tmp;
  write_run(tmp.path(), 13, 4, {}, Status::complete);  // agents at 0, 4, 8, 12; the sample at 0, 6, 12
  EXPECT_EQ(rows_of(tmp.path(), "sample", "snapshot_tick"), (std::vector<std::vector<double>>{{0}, {6}, {12}}));
  EXPECT_EQ(rows_of(tmp.path(), "sample", "snapshot_start"), (std::vector<std::vector<double>>{{0}, {1}, {2}}));
  EXPECT_EQ(rows_of(tmp.path(), "sample", "id"), (std::vector<std::vector<double>>{{0}, {6}, {12}}));
  EXPECT_EQ(rows_of(tmp.path(), "agents", "snapshot_tick").size(), 4u);
}

// Regression (issue #13, fault 7): a writer dropped unfinished is a run that
// failed (an exception unwinding); it marked the file `interrupted`, which
// only a signal or --stop-after may (the run loop finishes those explicitly).
TEST(H5Writer, AWriterDroppedUnfinishedMarksTheFileFailed) {
  const testing::TempFile tmp;
  {
    Writer w(tmp.path(), layout(false), {}, {});
    for (Tick t = 0; t < 3; ++t) {
      std::span<double> row = w.begin_tick(t);
      std::fill(row.begin(), row.end(), 1.0);
      w.commit_tick();
    }
  }
  const File file = File::open_read(tmp.path());
  EXPECT_EQ(read_text(file.id(), "status"), "failed");
  EXPECT_EQ(row_count(open_dataset(file.id(), "tick").get()), 3u);
}

TEST(H5Writer, StatusIsRunningUntilTheEnd) {
  EXPECT_EQ(status_name(Status::running), "running");
  EXPECT_EQ(status_name(Status::complete), "complete");
  EXPECT_EQ(status_name(Status::interrupted), "interrupted");
}

TEST(H5Writer, AnUnwritablePathFailsBeforeAnythingRuns) {
  EXPECT_THROW(Writer("/nonexistent-directory/run.h5", layout(false), {}, {}), Error);
}

// An earlier run's file is replaced only by a whole header; the ticks after go into the file at its name.
TEST(H5Writer, AnEarlierFileIsReplacedAndTheTicksGoToTheFileAtItsName) {
  const testing::TempFile tmp;
  std::ofstream(tmp.path()) << "an earlier run\n";
  WriterOptions options;
  options.flush_interval = 3;
  write_run(tmp.path(), 10, 2, options, Status::complete);
  EXPECT_FALSE(std::filesystem::exists(replacement_name(tmp.path())));
  const File file = File::open_read(tmp.path());
  EXPECT_EQ(read_text(file.id(), "status"), "complete");
  EXPECT_EQ(row_count(open_dataset(file.id(), "tick").get()), 10u);
  EXPECT_EQ(rows_of(tmp.path(), "agents", "snapshot_tick").size(), 5u);
}

TEST(H5Writer, AHeaderThatFailsLeavesTheEarlierFileAndNoTemporary) {
  const testing::TempFile tmp;
  std::ofstream(tmp.path()) << "an earlier run\n";
  Layout twice = layout(false);
  twice.series.push_back(twice.series.front());  // a second `total`: creating it fails
  try {
    Writer w(tmp.path(), twice, {}, {});
    FAIL() << "expected h5::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("total"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(replacement_name(tmp.path())));
  std::ifstream in(tmp.path());
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()), "an earlier run\n");
}

TEST(H5Writer, QueueDepthAndFlushIntervalChangeNothingWritten) {
  const testing::TempFile a, b(".b.h5");
  WriterOptions shallow;
  shallow.queue_slots = 1;
  shallow.flush_interval = 1;
  WriterOptions deep;
  deep.queue_slots = 64;
  deep.flush_interval = 25;
  write_run(a.path(), 40, 6, shallow, Status::complete);
  write_run(b.path(), 40, 6, deep, Status::complete);
  const File fa = File::open_read(a.path());
  const File fb = File::open_read(b.path());
  for (const char* name : {"tick", "total", "share"}) {
    const DatasetHandle da = open_dataset(fa.id(), name);
    const DatasetHandle db = open_dataset(fb.id(), name);
    ASSERT_EQ(row_count(da.get()), row_count(db.get()));
    for (std::uint64_t r = 0; r < row_count(da.get()); ++r) EXPECT_EQ(read_row(da.get(), r), read_row(db.get(), r));
  }
}

TEST(H5Writer, AContinuedFileIsCutBackToItsPositionAndEndsAsIfNeverStopped) {
  const testing::TempFile whole, parts(".parts.h5");
  WriterOptions options;
  options.flush_interval = 3;
  write_run(whole.path(), 20, 4, options, Status::complete);
  {
    // Written to tick 14, with a sync (a checkpoint) after tick 9: the file then holds more than the position.
    Writer w(parts.path(), layout(true), {{"seed", std::uint64_t{5}}, {"note", std::string("test")}}, options);
    write_ticks(w, 0, 10, 4);
    w.sync();
    EXPECT_EQ(w.position().ticks, 10u);
    EXPECT_EQ(w.position().snapshots, 4u);  // ticks 0, 4, 8 (agents) and 0, 6 (the sample)
    write_ticks(w, 10, 15, 4);
    w.finish(Status::interrupted);
  }
  EXPECT_EQ(rows_of(parts.path(), "/", "tick").size(), 15u);
  // A position whose snapshots the file does not hold up to its last tick is refused, the file untouched.
  EXPECT_THROW(Writer(parts.path(), layout(true), ContinueAt({10, 5}), options), Error);
  {
    Writer w(parts.path(), layout(true), ContinueAt({10, 4}), options);
    EXPECT_EQ(read_text(File::open_read(parts.path()).id(), "status"), "running");
    write_ticks(w, 10, 20, 4);
    w.finish(Status::complete);
  }
  for (const char* name : {"tick", "total", "share"})
    EXPECT_EQ(rows_of(parts.path(), "/", name), rows_of(whole.path(), "/", name)) << name;
  for (const char* name : {"snapshot_tick", "snapshot_start", "snapshot_rows", "id", "x"})
    EXPECT_EQ(rows_of(parts.path(), "agents", name), rows_of(whole.path(), "agents", name)) << name;
  for (const char* name : {"snapshot_tick", "snapshot_start", "snapshot_rows", "id"})
    EXPECT_EQ(rows_of(parts.path(), "sample", name), rows_of(whole.path(), "sample", name)) << name;
  EXPECT_EQ(read_text(File::open_read(parts.path()).id(), "status"), "complete");
}

TEST(H5Writer, ContinuingFromPastTheEndOfTheFileFails) {
  const testing::TempFile tmp;
  write_run(tmp.path(), 5, 0, {}, Status::interrupted);
  EXPECT_THROW(Writer(tmp.path(), layout(false), ContinueAt({6, 0}), {}), Error);
  EXPECT_THROW(Writer("/nonexistent-directory/run.h5", layout(false), ContinueAt({0, 0}), {}), Error);
  EXPECT_EQ(rows_of(tmp.path(), "/", "tick").size(), 5u);
}

}  // namespace
}  // namespace flywheel::h5
