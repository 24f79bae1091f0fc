// Replacing a file: the new one is written under a temporary name beside the
// old, which stays byte for byte as it was until commit() renames the new one
// over it; a replacement never committed leaves no temporary file behind.

#include "flywheel/engine/h5/replacement.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "h5_temp_file.hpp"

namespace flywheel::h5 {
namespace {

namespace fs = std::filesystem;

const std::string earlier = "an earlier run's results\n";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_earlier(const std::string& path) { std::ofstream(path, std::ios::binary) << earlier; }

TEST(H5Replacement, TheTemporaryNameIsBesideTheTargetAndNamesTheProcess) {
  EXPECT_EQ(replacement_name("out/run.h5"), "out/run.h5." + std::to_string(::getpid()) + ".tmp");
}

TEST(H5Replacement, TheOldFileStaysUntilCommitThenTheOpenFileGoesOnAtItsName) {
  const testing::TempFile tmp;
  write_earlier(tmp.path());
  File file = File::create_replacement(tmp.path());
  EXPECT_EQ(file.path(), tmp.path());
  write_attribute(file.id(), "header", std::int64_t{1});
  file.flush();
  EXPECT_EQ(slurp(tmp.path()), earlier);
  EXPECT_TRUE(fs::exists(replacement_name(tmp.path())));

  file.commit();
  EXPECT_FALSE(fs::exists(replacement_name(tmp.path())));
  write_attribute(file.id(), "after_commit", std::int64_t{2});  // lands in the file now at tmp.path()
  file.flush();
  file.close();
  const File read = File::open_read(tmp.path());
  EXPECT_EQ(read_integer(read.id(), "header"), 1);
  EXPECT_EQ(read_integer(read.id(), "after_commit"), 2);
}

TEST(H5Replacement, AFileDroppedBeforeCommitIsRemovedAndTheOldOneKept) {
  const testing::TempFile tmp;
  write_earlier(tmp.path());
  {
    File file = File::create_replacement(tmp.path());
    write_attribute(file.id(), "header", std::int64_t{1});
    file.flush();
  }
  EXPECT_FALSE(fs::exists(replacement_name(tmp.path())));
  EXPECT_EQ(slurp(tmp.path()), earlier);
}

TEST(H5Replacement, ACommitThatCannotRenameNamesTheTargetAndLeavesNoTemporary) {
  const testing::TempFile tmp;
  {
    File file = File::create_replacement(tmp.path());
    fs::create_directory(tmp.path());  // after the checks: only the rename can find it
    std::ofstream(fs::path(tmp.path()) / "inside") << "x";
    try {
      file.commit();
      FAIL() << "expected h5::Error";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("cannot create the output file '" + tmp.path() + "': renaming '", 0), 0u) << what;
      EXPECT_NE(what.find("Is a directory"), std::string::npos) << what;
    }
  }
  EXPECT_FALSE(fs::exists(replacement_name(tmp.path())));
  EXPECT_EQ(slurp((fs::path(tmp.path()) / "inside").string()), "x");
  fs::remove_all(tmp.path());
}

TEST(H5Replacement, ADirectoryAtThePathIsRefusedBeforeAnythingIsWritten) {
  const testing::TempFile tmp;
  fs::create_directory(tmp.path());
  try {
    File::create_replacement(tmp.path());
    FAIL() << "expected h5::Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot create the output file '" + tmp.path() + "': Is a directory");
  }
  EXPECT_FALSE(fs::exists(replacement_name(tmp.path())));
  EXPECT_TRUE(fs::is_directory(tmp.path()));
}

TEST(H5Replacement, ASymbolicLinkIsKeptAndItsTargetReplaced) {
  const testing::TempFile target;
  const testing::TempFile link(".link.h5");
  write_earlier(target.path());
  fs::create_symlink(target.path(), link.path());
  File file = File::create_replacement(link.path());
  write_attribute(file.id(), "header", std::int64_t{1});
  file.flush();
  file.commit();
  file.close();
  EXPECT_TRUE(fs::is_symlink(link.path()));
  const File read = File::open_read(target.path());
  EXPECT_EQ(read_integer(read.id(), "header"), 1);
}

TEST(H5Replacement, AnExistingFileThatMayNotBeWrittenIsRefused) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes any file";
  const testing::TempFile tmp;
  write_earlier(tmp.path());
  fs::permissions(tmp.path(), fs::perms::owner_read);
  EXPECT_THROW(File::create_replacement(tmp.path()), Error);
  EXPECT_FALSE(fs::exists(replacement_name(tmp.path())));
  EXPECT_EQ(slurp(tmp.path()), earlier);
}

TEST(H5Replacement, AMovedReplacementRemovesItsFileOnce) {
  const testing::TempFile tmp;
  Replacement moved;
  {
    Replacement first(tmp.path());
    std::ofstream(first.temporary()) << "new";
    moved = std::move(first);
    EXPECT_FALSE(first.pending());  // NOLINT(bugprone-use-after-move): what a move leaves is the point
  }
  EXPECT_TRUE(fs::exists(replacement_name(tmp.path())));
  moved.commit();
  EXPECT_FALSE(moved.pending());
  EXPECT_EQ(slurp(tmp.path()), "new");
}

/// The id of a process that has ended (and been reaped).
pid_t a_finished_process() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

// Regression: a run killed before its commit left `<path>.<pid>.tmp` for ever.
TEST(H5Replacement, TheTemporaryFileOfAProcessNoLongerRunningIsRemovedByTheNextReplacement) {
  const testing::TempFile folder("");  // a directory of its own: the process reads each directory once
  fs::create_directory(folder.path());
  const std::string target = folder.path() + "/run.h5";
  const std::string dead = std::to_string(a_finished_process());
  const std::string stale = target + "." + dead + ".tmp";
  const std::vector<std::string> kept = {
      target + "." + std::to_string(::getppid()) + ".tmp",  // a live process's
      target + ".0" + dead + ".tmp",                        // not how a pid is written
      target + "." + dead + ".tmp.bak",
      target + "x." + dead + ".tmp",
      folder.path() + "/other.h5." + dead + ".tmp",
  };
  for (const auto& path : kept) std::ofstream(path) << "x";
  std::ofstream(stale) << "x";

  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_st>(log)));
  const Replacement replacement(target);
  spdlog::set_default_logger(previous);

  EXPECT_FALSE(fs::exists(stale));
  for (const auto& path : kept) EXPECT_TRUE(fs::exists(path)) << path;
  EXPECT_NE(log.str().find("removed '" + stale + "', left by process " + dead + ", which is no longer running"),
            std::string::npos)
      << log.str();
  fs::remove_all(folder.path());
}

}  // namespace
}  // namespace flywheel::h5
