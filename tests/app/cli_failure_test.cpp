// Failure safety of the command line (docs/reliability.md): every bad input
// ends in one clear message naming the file, a documented non-zero exit
// status, no crash, and an existing output file left byte for byte as it was.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Result {
  int status;  // exit status; -1 when killed by a signal
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

/// A scratch directory per test, removed after.
class CliFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("flywheel-failure-") + std::to_string(::getpid()) + "-" + info->test_suite_name() +
                       "-" + info->name();
    for (char& c : name)
      if (c == '/') c = '_';
    dir_ = fs::temp_directory_path() / name;
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }

  /// Runs `prefix flywheel args` through the shell, stdout and stderr apart.
  Result flywheel(const std::string& args, const std::string& prefix = "") const {
    const fs::path err = dir_ / "stderr.txt";
    const std::string command = prefix + std::string(FLYWHEEL_BINARY) + " " + args + " 2>" + quoted(err.string());
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf{};
    while (pipe != nullptr && std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
    const int raw = pipe != nullptr ? pclose(pipe) : -1;
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, out, slurp(err)};
  }

  /// An output file from an earlier run that a failed start must not touch.
  fs::path existing_output() const {
    fs::path path = dir_ / "earlier.h5";
    std::ofstream(path, std::ios::binary) << "results of an earlier run: not to be damaged\n";
    return path;
  }

  fs::path dir_;
};

const std::string earlier = "results of an earlier run: not to be damaged\n";

std::string data(const std::string& name) { return std::string(FLYWHEEL_TEST_DATA) + "/" + name; }

/// Whether `err` is one line in the house form: "flywheel: error: ...".
::testing::AssertionResult is_one_error_line(const std::string& err) {
  if (err.rfind("flywheel: error: ", 0) != 0 || std::count(err.begin(), err.end(), '\n') != 1 || err.back() != '\n')
    return ::testing::AssertionFailure() << "not one 'flywheel: error:' line: " << err;
  return ::testing::AssertionSuccess();
}

// --- Bad configs: exit 2, the file (and line, key) named, the output untouched.

struct BadInput {
  const char* name;
  const char* config;    // under tests/data/bad/
  const char* location;  // file:line:column, or file: where no line applies
  const char* message;
};

void PrintTo(const BadInput& bad, std::ostream* os) { *os << bad.name; }

class CliBadInput : public CliFailure, public ::testing::WithParamInterface<BadInput> {};

TEST_P(CliBadInput, RunStopsWithOneMessageExit2AndLeavesTheOutputUntouched) {
  const auto& bad = GetParam();
  const fs::path out = existing_output();
  const Result r = flywheel("run " + data(std::string("bad/") + bad.config) + " -o " + out.string());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find(bad.location), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad.message), std::string::npos) << r.err;
  EXPECT_EQ(r.err.rfind("flywheel: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(slurp(out), earlier);
}

INSTANTIATE_TEST_SUITE_P(
    Configs, CliBadInput,
    ::testing::Values(
        BadInput{"BrokenSyntax", "broken_syntax.yaml", "broken_syntax.yaml:3:10", "invalid YAML"},
        BadInput{"Truncated", "truncated.yaml", "truncated.yaml:9:", "invalid YAML"},
        BadInput{"UnknownKey", "unknown_key.yaml", "unknown_key.yaml:3:3", "customers.cout: unknown key 'cout'"},
        BadInput{"WrongType", "wrong_type.yaml", "wrong_type.yaml:2:10", "customers.count: expected an integer"},
        BadInput{"OutOfRange", "out_of_range.yaml", "out_of_range.yaml:3:16", "platforms[0].take_rate: expected"},
        BadInput{"NegativeCost", "negative_cost.yaml", "negative_cost.yaml:3:15", "sellers.entry_cost: expected"},
        BadInput{"HugeNumber", "huge_number.yaml", "huge_number.yaml:2:15", "found '1e999'"},
        BadInput{"MoreShardsThanCategories", "inconsistent.yaml", "inconsistent.yaml:3:11",
                 "must not exceed market.categories"},
        BadInput{"InvertedBounds", "inverted_bounds.yaml",
                 "inverted_bounds.yaml:6:", "mechanisms[0].max: max must not be below min"},
        BadInput{"DuplicatePlatform", "duplicate_platform.yaml", "duplicate_platform.yaml:3:", "must be unique"},
        BadInput{"UnnamedPlatform", "unnamed_platform.yaml", "unnamed_platform.yaml:3:", "platforms[0].name: must not"},
        BadInput{"UnaddressablePlatform", "unaddressable_platform.yaml", "unaddressable_platform.yaml:3:",
                 "platforms[0].name: must not be empty, contain '.' or be all digits"},
        BadInput{"DuplicateKey", "duplicate_key.yaml", "duplicate_key.yaml:6:1",
                 "customers: the key appears twice (first at line 2)"},
        BadInput{"NotAMap", "not_a_map.yaml", "not_a_map.yaml:2:1", "expected a map of keys, found a list"},
        BadInput{"Empty", "empty.yaml", "empty.yaml: ", "the config is empty"}),
    [](const ::testing::TestParamInfo<BadInput>& param) { return std::string(param.param.name); });

TEST_F(CliFailure, AMissingConfigIsNamedWithTheReason) {
  const fs::path out = existing_output();
  const Result r = flywheel("run " + (dir_ / "missing.yaml").string() + " -o " + out.string());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("missing.yaml: cannot open the config file for reading: No such file or directory"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, AnUnreadableConfigIsNamedWithTheReason) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const fs::path config = dir_ / "secret.yaml";
  fs::copy_file(data("tiny.yaml"), config);
  fs::permissions(config, fs::perms::none);
  const fs::path out = existing_output();
  const Result r = flywheel("run " + config.string() + " -o " + out.string());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("secret.yaml: cannot open the config file for reading: Permission denied"), std::string::npos)
      << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, ADirectoryGivenAsConfigIsNamed) {
  const fs::path out = existing_output();
  const Result r = flywheel("run " + dir_.string() + " -o " + out.string());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find(dir_.string() + ": is a directory, not a config file"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, BinaryGarbageIsAConfigError) {
  const fs::path config = dir_ / "garbage.yaml";
  constexpr char garbage[] =
      "\x7f"
      "ELF\x02\x01\x01\0\0\0{[\"\t\x01:\xff\xfe";
  std::ofstream(config, std::ios::binary) << std::string(garbage, sizeof garbage - 1);
  const fs::path out = existing_output();
  const Result r = flywheel("run " + config.string() + " -o " + out.string());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("garbage.yaml"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, ABadOverrideLeavesTheOutputUntouched) {
  const fs::path out = existing_output();
  const Result r =
      flywheel("run " + data("tiny.yaml") + " --set platforms.99999999999999999999.take_rate=0.1 -o " + out.string());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("--set platforms.99999999999999999999.take_rate=0.1"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

// --- The command line itself (issue #13).

// Regression: seeds of 2^63 and above were refused as "expected an integer".
TEST_F(CliFailure, SeedsOfTwoToTheSixtyThreeAndAboveAreAccepted) {
  for (const std::string seed : {"9223372036854775808", "18446744073709551615"}) {
    const Result option = flywheel("validate " + data("tiny.yaml") + " --seed " + seed);
    EXPECT_EQ(option.status, 0) << option.err;
    EXPECT_NE(option.out.find("seed " + seed), std::string::npos) << option.out;
    const fs::path config = dir_ / "seed.yaml";
    std::ofstream(config) << "seed: " << seed << "\n";
    const Result key = flywheel("validate " + config.string());
    EXPECT_EQ(key.status, 0) << key.err;
    EXPECT_NE(key.out.find("seed " + seed), std::string::npos) << key.out;
  }
}

// Regression: `--seed -1` was read as 2^64 - 1 and blamed on `--set seed=18446744073709551615`.
TEST_F(CliFailure, ANegativeSeedIsRefusedQuotingWhatWasTyped) {
  for (const std::string seed : {"-1", "18446744073709551616", "1e3"}) {
    const Result r = flywheel("validate " + data("tiny.yaml") + " --seed " + seed);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(is_one_error_line(r.err));
    EXPECT_NE(r.err.find("--seed: expected an integer in [0, 18446744073709551615], found '" + seed + "'"),
              std::string::npos)
        << r.err;
  }
}

// Regression: CLI11's own errors had no "flywheel: error:" and took two lines.
TEST_F(CliFailure, AParseErrorIsOneLineWithThePrefixAndAHint) {
  for (const std::string args : {"run --bogus x.yaml", "validate x.yaml --seed", "", "info"}) {
    const Result r = flywheel(args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.err;
    EXPECT_TRUE(is_one_error_line(r.err)) << args;
    EXPECT_NE(r.err.find("--help` for the options"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  EXPECT_NE(flywheel("run --bogus x.yaml")
                .err.find("error: the following argument was not expected: --bogus; run "
                          "`flywheel run --help`"),
            std::string::npos);
  EXPECT_NE(flywheel("validate").err.find("error: CONFIG is required"), std::string::npos);
}

// Regression: `flywheel resume DIR` said the checkpoint was "no such file".
TEST_F(CliFailure, ResumingADirectoryNamesItAsADirectory) {
  const Result r = flywheel("resume " + dir_.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "flywheel: error: checkpoint '" + dir_.string() +
                       "' cannot be used: it is a directory, not a checkpoint file\n");
  const Result branch = flywheel("run --from " + dir_.string() + " -o " + (dir_ / "branch.h5").string());
  EXPECT_EQ(branch.status, 1) << branch.err;
  EXPECT_NE(branch.err.find("it is a directory, not a checkpoint file"), std::string::npos) << branch.err;
}

// Regression: `flywheel info` on a checkpoint printed made-up values (the default scenario, "format ?") and then
// failed on a missing variable.
TEST_F(CliFailure, InfoDescribesACheckpointInsteadOfMakingUpAnOutput) {
  const fs::path out = dir_ / "run.h5";
  const Result run = flywheel("run " + data("tiny.yaml") + " --stop-after 4 -o " + out.string());
  ASSERT_EQ(run.status, 0) << run.err;
  const std::string checkpoint = (dir_ / "run.checkpoint.h5").string();
  const Result r = flywheel("info " + checkpoint);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  const std::string first_line = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(first_line.rfind(checkpoint + ": flywheel checkpoint, version ", 0), 0u) << r.out;
  EXPECT_TRUE(first_line.ends_with(", at tick 4 of 20")) << r.out;
  EXPECT_NE(r.out.find("scenario 'tiny', seed 1: 2000 customers"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("written by flywheel "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("continues '" + out.string() + "' (4 ticks written)"), std::string::npos) << r.out;
}

TEST_F(CliFailure, InfoRefusesADamagedCheckpointBeforePrintingAnything) {
  const fs::path out = dir_ / "run.h5";
  ASSERT_EQ(flywheel("run " + data("tiny.yaml") + " --stop-after 2 -o " + out.string()).status, 0);
  const fs::path damaged = dir_ / "damaged.checkpoint.h5";
  fs::copy_file(dir_ / "run.checkpoint.h5", damaged);
  fs::resize_file(damaged, fs::file_size(damaged) - 1);
  const Result r = flywheel("info " + damaged.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(is_one_error_line(r.err));
  EXPECT_TRUE(r.out.empty()) << r.out;
}

// --- Output locations that cannot be written: exit 1, before any work.

TEST_F(CliFailure, AnOutputUnderAFileIsRefusedBeforeTheRun) {
  const fs::path file = dir_ / "not-a-directory";
  std::ofstream(file) << "x";
  const Result r = flywheel("run " + data("tiny.yaml") + " -o " + (file / "run.h5").string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("cannot create the output file '" + (file / "run.h5").string() + "'"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("ran '"), std::string::npos) << r.out;
}

TEST_F(CliFailure, ADirectoryAsOutputIsRefusedBeforeTheRun) {
  const Result r = flywheel("run " + data("tiny.yaml") + " -o " + dir_.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("cannot create the output file '" + dir_.string() + "'"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_directory(dir_));
}

TEST_F(CliFailure, AReadOnlyOutputDirectoryIsRefusedBeforeTheRun) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  const fs::path locked = dir_ / "locked";
  fs::create_directory(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  const Result r = flywheel("run " + data("tiny.yaml") + " -o " + (locked / "run.h5").string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
}

// A full disk, simulated with a file size limit: the write fails with EFBIG
// (flywheel ignores SIGXFSZ), the run stops with exit 1 and a message naming
// the file, and the file holds every tick flushed before, status `failed`.
TEST_F(CliFailure, AFullOutputStopsTheRunCleanlyAndKeepsWhatWasFlushed) {
  const fs::path out = dir_ / "full.h5";
  const Result r = flywheel("run " + data("tiny.yaml") +
                                " --ticks 2000 --set market.categories=2000 --set output.category_series=true"
                                " --set output.flush_seconds=0 -o " +
                                out.string(),
                            "ulimit -f 256; ");  // KiB
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("flywheel: error: writing '" + out.string() + "'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("File too large (the disk is full"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("ran '"), std::string::npos) << r.out;
  ASSERT_TRUE(fs::exists(out));
  EXPECT_LE(fs::file_size(out), std::uintmax_t{256} << 10);
  // Like a killed run's file, it is readable once h5clear has cleared the writer's flag.
  // NOLINTBEGIN(concurrency-mt-unsafe): no other thread runs here
  if (std::system("command -v h5clear >/dev/null") != 0) GTEST_SKIP() << "h5clear (hdf5-tools) is not installed";
  ASSERT_EQ(std::system(("h5clear -s --increment=0 " + quoted(out.string()) + " >/dev/null 2>&1").c_str()), 0);
  // NOLINTEND(concurrency-mt-unsafe)
  const Result info = flywheel("info " + out.string());
  EXPECT_EQ(info.status, 0) << info.err;
  EXPECT_NE(info.out.find("status failed"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("ticks written: "), std::string::npos) << info.out;
  EXPECT_EQ(info.out.find("ticks written: 0 "), std::string::npos) << info.out;
}

// Regression (issue #13, fault 1): with checkpoints, a failed write left the
// run waiting for ever in the writer's sync before the checkpoint, deaf to
// SIGTERM. It must stop as the run without checkpoints does (exit 1).
TEST_F(CliFailure, AFullOutputStopsARunThatTakesCheckpoints) {
  const fs::path out = dir_ / "full.h5";
  const Result r = flywheel("run " + data("tiny.yaml") +
                                " --ticks 2000 --set market.categories=2000 --set output.category_series=true"
                                " --set output.flush_seconds=0 --threads 1 --checkpoint-every 3 -o " +
                                out.string(),
                            "ulimit -f 4096; timeout -s KILL 120 ");  // KiB; a hang is killed (status 137)
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("flywheel: error: writing '" + out.string() + "'"), std::string::npos) << r.err;
}

// --- An earlier run's output: replaced only by a new file whose header is
// whole (written under a temporary name, then renamed over it).

/// The names of the files in `dir`, sorted: what a run left there.
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A complete run is not replaced by a slip of -o: refused before any work,
// the file untouched; --overwrite replaces it, and an unfinished run's file
// (here stopped with a checkpoint) may be replaced without it.
TEST_F(CliFailure, AnOutputHoldingACompleteRunIsReplacedOnlyWithOverwrite) {
  const fs::path out = dir_ / "run.h5";
  ASSERT_EQ(flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + out.string()).status, 0);
  const std::string before = slurp(out);
  const Result refused = flywheel("run " + data("tiny.yaml") + " --ticks 4 -o " + out.string());
  EXPECT_EQ(refused.status, 1) << refused.err;
  EXPECT_NE(refused.err.find("'" + out.string() + "' holds a complete run; pass --overwrite to replace it"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(refused.out.find("ran '"), std::string::npos) << refused.out;
  EXPECT_TRUE(slurp(out) == before) << "the complete run's file changed";
  const Result replaced =
      flywheel("run " + data("tiny.yaml") + " --ticks 4 --stop-after 2 --overwrite -o " + out.string());
  EXPECT_EQ(replaced.status, 0) << replaced.err;
  EXPECT_FALSE(slurp(out) == before);
  const Result unfinished = flywheel("run " + data("tiny.yaml") + " --ticks 4 -o " + out.string());
  EXPECT_EQ(unfinished.status, 0) << unfinished.err;
}

// A file size limit too small for the header: the run fails as it creates
// its output, and the earlier output is still there, byte for byte.
TEST_F(CliFailure, AnOutputThatCannotBeCreatedLeavesTheEarlierOneByteForByte) {
  const fs::path out = dir_ / "run.h5";
  const Result first = flywheel("run " + data("tiny.yaml") + " --ticks 5 -o " + out.string());
  ASSERT_EQ(first.status, 0) << first.err;
  const std::string before = slurp(out);
  const Result r =
      flywheel("run " + data("tiny.yaml") + " --ticks 5 --seed 9 --overwrite -o " + out.string(), "ulimit -f 16; ");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err.rfind("flywheel: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("'" + out.string() + "'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("ran '"), std::string::npos) << r.out;
  EXPECT_TRUE(slurp(out) == before) << "the earlier output changed";
  EXPECT_EQ(names_in(dir_), (std::vector<std::string>{"run.h5", "stderr.txt"})) << "a temporary file was left";
}

TEST_F(CliFailure, ABranchThatCannotCreateItsOutputLeavesTheEarlierOneByteForByte) {
  const fs::path parent = dir_ / "parent.h5";
  const Result first = flywheel("run " + data("tiny.yaml") + " --ticks 10 --stop-after 4 -o " + parent.string());
  ASSERT_EQ(first.status, 0) << first.err;
  const fs::path out = existing_output();
  const fs::path checkpoint = dir_ / "parent.checkpoint.h5";
  const Result r = flywheel("run --from " + checkpoint.string() + " -o " + out.string(), "ulimit -f 16; ");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("'" + out.string() + "'"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), earlier);
  EXPECT_EQ(names_in(dir_),
            (std::vector<std::string>{"earlier.h5", "parent.checkpoint.h5", "parent.h5", "stderr.txt"}));
}

// A reader (h5py, a notebook) holds the file open, and with it HDF5's lock.
TEST_F(CliFailure, AnOutputAnotherProgramHoldsOpenIsRefusedAndKept) {
  const fs::path out = existing_output();
  const int fd = ::open(out.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_SH), 0);
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + out.string());
  ::close(fd);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("cannot create the output file '" + out.string() + "': another program has it open"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(slurp(out), earlier);
  EXPECT_EQ(names_in(dir_), (std::vector<std::string>{"earlier.h5", "stderr.txt"}));
}

TEST_F(CliFailure, ARunReplacesAnEarlierOutputAndLeavesNoTemporaryFile) {
  const fs::path out = existing_output();
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + out.string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(out).substr(0, 8), std::string("\x89HDF\r\n\x1a\n", 8));
  const Result info = flywheel("info " + out.string());
  EXPECT_EQ(info.status, 0) << info.err;
  EXPECT_NE(info.out.find("status complete"), std::string::npos) << info.out;
  EXPECT_EQ(names_in(dir_), (std::vector<std::string>{"earlier.h5", "stderr.txt"}));
}

// --- What a run may read and write (issue #13, faults 2, 3, 4 and 8):
// special files, two roles for one file, and an unusable checkpoint path are
// refused before anything is written.

/// A Unix socket at `path`: a special file anyone can make (a device needs root).
void make_socket(const fs::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.string().size(), sizeof address.sun_path) << path;
  std::copy_n(path.c_str(), path.string().size(), address.sun_path);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0) << path;
  ::close(fd);  // the socket file stays
}

bool is_special(const fs::path& path, fs::file_type type) { return fs::symlink_status(path).type() == type; }

// A hang is killed (status 137) rather than stalling the suite.
const std::string hang_guard = "timeout -s KILL 30 ";

// Regression: a special file at -o was renamed over (as root, -o /dev/null
// turned the device into a regular file), exit 0.
// Regression: a run killed while it wrote its header left `<path>.<pid>.tmp`, which no later run removed.
TEST_F(CliFailure, ARunRemovesTheTemporaryFileAKilledRunLeftAtItsPath) {
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ::waitpid(gone, nullptr, 0);
  const fs::path out = dir_ / "run.h5";
  const std::string stale = out.string() + "." + std::to_string(gone) + ".tmp";
  std::ofstream(stale) << "half a header";
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 2 -o " + out.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_NE(r.err.find("removed '" + stale + "', left by process " + std::to_string(gone)), std::string::npos) << r.err;
}

TEST_F(CliFailure, ASpecialFileAtTheOutputIsRefusedAndKept) {
  const fs::path socket = dir_ / "s.h5";
  make_socket(socket);
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + socket.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "flywheel: error: cannot create the output file '" + socket.string() +
                       "': it is a socket, not a regular file\n");
  EXPECT_TRUE(is_special(socket, fs::file_type::socket));
  // A device, where this user may make one (root): a copy of /dev/null.
  const fs::path device = dir_ / "fakenull";
  if (::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) GTEST_SKIP() << "mknod needs root";
  const Result d = flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + device.string());
  EXPECT_EQ(d.status, 1) << d.err;
  EXPECT_NE(d.err.find("'" + device.string() + "': it is a character device, not a regular file"), std::string::npos)
      << d.err;
  EXPECT_TRUE(is_special(device, fs::file_type::character));
}

TEST_F(CliFailure, ASpecialFileAtTheCheckpointIsRefusedBeforeTheRun) {
  const fs::path out = existing_output();
  const fs::path socket = dir_ / "s.h5";
  make_socket(socket);
  const Result r =
      flywheel("run " + data("tiny.yaml") + " --ticks 3 --checkpoint " + socket.string() + " -o " + out.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "flywheel: error: cannot create the checkpoint file '" + socket.string() +
                       "': it is a socket, not a regular file\n");
  EXPECT_TRUE(is_special(socket, fs::file_type::socket));
  EXPECT_EQ(slurp(out), earlier);
}

// Regression: a FIFO at -o hung for ever (opening it waits for a writer),
// deaf to SIGTERM and SIGINT; so did a FIFO as config or given to `info`.
TEST_F(CliFailure, AFifoAtTheOutputIsRefusedInsteadOfHanging) {
  const fs::path fifo = dir_ / "p.h5";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + fifo.string(), hang_guard);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "flywheel: error: cannot create the output file '" + fifo.string() +
                       "': it is a FIFO (named pipe), not a regular file\n");
  EXPECT_TRUE(is_special(fifo, fs::file_type::fifo));
}

TEST_F(CliFailure, AFifoAsConfigIsRefusedInsteadOfHanging) {
  const fs::path fifo = dir_ / "config.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const fs::path out = existing_output();
  const Result r = flywheel("run " + fifo.string() + " -o " + out.string(), hang_guard);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err, "flywheel: error: " + fifo.string() +
                       ": is not a regular file (a FIFO, a device or a socket), not a config file\n");
  EXPECT_EQ(slurp(out), earlier);
  const Result v = flywheel("validate " + fifo.string(), hang_guard);
  EXPECT_EQ(v.status, 2) << v.err;
}

TEST_F(CliFailure, AFifoGivenToInfoIsRefusedInsteadOfHanging) {
  const fs::path fifo = dir_ / "p.h5";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const Result r = flywheel("info " + fifo.string(), hang_guard);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "flywheel: error: cannot read the output file '" + fifo.string() +
                       "': it is a FIFO (named pipe), not a regular file\n");
  EXPECT_TRUE(r.out.empty()) << r.out;
}

// Regression: --checkpoint equal to -o destroyed the output (exit 0), and -o
// or --checkpoint equal to the config overwrote the config.
TEST_F(CliFailure, ACheckpointAtTheOutputPathIsRefusedAndTheOutputKept) {
  const fs::path out = existing_output();
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 --stop-after 2 --checkpoint " + out.string() +
                            " -o " + out.string());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err, "flywheel: error: command line: the output '" + out.string() + "' and the checkpoint '" +
                       out.string() + "' are the same file; give each its own path\n");
  EXPECT_EQ(slurp(out), earlier);
  // Spelt differently, or not there yet: the same file all the same.
  const fs::path fresh = dir_ / "fresh.h5";
  const Result n = flywheel("run " + data("tiny.yaml") + " --ticks 3 --checkpoint " + fresh.string() + " -o " +
                            (dir_ / "." / "fresh.h5").string());
  EXPECT_EQ(n.status, 2) << n.err;
  EXPECT_FALSE(fs::exists(fresh));
}

TEST_F(CliFailure, AnOutputOrCheckpointAtTheConfigPathIsRefusedAndTheConfigKept) {
  const fs::path config = dir_ / "tiny.yaml";
  fs::copy_file(data("tiny.yaml"), config);
  const std::string before = slurp(config);
  const Result o = flywheel("run " + config.string() + " --ticks 3 -o " + config.string());
  EXPECT_EQ(o.status, 2) << o.err;
  EXPECT_NE(
      o.err.find("the config '" + config.string() + "' and the output '" + config.string() + "' are the same file"),
      std::string::npos)
      << o.err;
  // A hard link is another name for the same file: compared by device and inode.
  const fs::path link = dir_ / "link.h5";
  fs::create_hard_link(config, link);
  const Result c = flywheel("run " + config.string() + " --ticks 3 --checkpoint " + link.string() + " -o " +
                            (dir_ / "run.h5").string());
  EXPECT_EQ(c.status, 2) << c.err;
  EXPECT_NE(
      c.err.find("the config '" + config.string() + "' and the checkpoint '" + link.string() + "' are the same file"),
      std::string::npos)
      << c.err;
  EXPECT_EQ(slurp(config), before);
  EXPECT_FALSE(fs::exists(dir_ / "run.h5"));
}

// Regression: an unusable --checkpoint path was found only at the first
// checkpoint, after the earlier output had been replaced.
TEST_F(CliFailure, ACheckpointUnderAMissingDirectoryIsRefusedBeforeTheRun) {
  const fs::path out = existing_output();
  const fs::path checkpoint = dir_ / "missing" / "c.h5";
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 6 --checkpoint-every 3 --checkpoint " +
                            checkpoint.string() + " -o " + out.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "flywheel: error: cannot create the checkpoint file '" + checkpoint.string() + "': its directory '" +
                       (dir_ / "missing").string() + "' does not exist\n");
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, ADirectoryAsCheckpointIsRefusedBeforeTheRun) {
  const fs::path out = existing_output();
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 6 --checkpoint-every 3 --checkpoint " +
                            dir_.string() + " -o " + out.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("cannot create the checkpoint file '" + dir_.string() + "': it is a directory"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, AReadOnlyCheckpointDirectoryIsRefusedBeforeTheRun) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  const fs::path out = existing_output();
  const fs::path locked = dir_ / "locked";
  fs::create_directory(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 6 --checkpoint-every 3 --checkpoint " +
                            (locked / "c.h5").string() + " -o " + out.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("is not writable: Permission denied"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

// A symbolic link to a regular file is still a fine output: the link is kept.
TEST_F(CliFailure, ALinkToARegularFileAtTheOutputIsKept) {
  const fs::path out = existing_output();
  const fs::path link = dir_ / "link.h5";
  fs::create_symlink(out, link);
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + link.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(slurp(out).substr(0, 4), std::string("\x89HDF", 4));
}

// --- The memory guard: exit 3 before any allocation or file, unless --force.

TEST_F(CliFailure, AScenarioFarTooLargeForAnyMachineIsRefusedAtOnce) {
  const fs::path out = existing_output();
  const auto start = std::chrono::steady_clock::now();
  const Result r = flywheel("run " + data("tiny.yaml") +
                            " --set customers.count=400000000 --set market.categories=10000000"
                            " --set market.shards=1000000 --set market.customer_block=64 -o " +
                            out.string());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("tiny.yaml: the run needs about "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" is available ("), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_LT(seconds, 10.0) << "refused before allocating";
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, TheMemoryGuardUsesTheAvailableMemoryOverride) {
  const fs::path out = existing_output();
  const Result r = flywheel("run " + data("tiny.yaml") + " -o " + out.string(), "FLYWHEEL_MEMORY_AVAILABLE=1000000 ");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("but only 976.6 KiB is available (FLYWHEEL_MEMORY_AVAILABLE)"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, ForceRunsDespiteTheMemoryGuard) {
  const fs::path out = dir_ / "forced.h5";
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 --force -o " + out.string(),
                            "FLYWHEEL_MEMORY_AVAILABLE=1000000 ");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("ran 'tiny' for 3 ticks"), std::string::npos) << r.out;
}

TEST_F(CliFailure, AMalformedAvailableMemoryOverrideIsNamed) {
  const Result r = flywheel("run " + data("tiny.yaml") + " -o none", "FLYWHEEL_MEMORY_AVAILABLE=lots ");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("FLYWHEEL_MEMORY_AVAILABLE: expected a number of bytes, found 'lots'"), std::string::npos)
      << r.err;
}

// ulimit -v cannot bound a sanitized binary: its shadow memory alone is terabytes of address space.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif

TEST_F(CliFailure, TheMemoryGuardHeedsTheAddressSpaceLimit) {
  if (sanitized) GTEST_SKIP() << "sanitizers reserve more address space than any ulimit -v allows";
  const fs::path out = existing_output();
  const Result r = flywheel("run " + data("tiny.yaml") + " --set customers.count=20000000 --ticks 3 -o " + out.string(),
                            "ulimit -v 1000000; ");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("is available (the address-space limit (ulimit -v) of 976.6 MiB"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, AnAllocationFailureIsACleanErrorAndKeepsTheEarlierOutput) {
  if (sanitized) GTEST_SKIP() << "sanitizers reserve more address space than any ulimit -v allows";
  const fs::path out = existing_output();
  const Result r =
      flywheel("run " + data("tiny.yaml") + " --set customers.count=20000000 --ticks 3 --force -o " + out.string(),
               "ulimit -v 1000000; ");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("flywheel: error: out of memory"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), earlier) << "the market is built before the output replaces the earlier one";
}

// --- Requests that cannot be carried out are refused, not ignored.

TEST_F(CliFailure, CheckpointOptionsWithNoOutputAndNoCheckpointFileAreRefused) {
  for (const char* option : {"--checkpoint-every 5", "--stop-after 5"}) {
    const Result r = flywheel("run " + data("tiny.yaml") + " -o none " + option);
    EXPECT_EQ(r.status, 2) << option << ": " << r.err;
    EXPECT_NE(r.err.find("name one with --checkpoint PATH"), std::string::npos) << r.err;
  }
  const fs::path checkpoint = dir_ / "state.h5";
  const Result r = flywheel("run " + data("tiny.yaml") + " -o none --stop-after 5 --checkpoint " + checkpoint.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(checkpoint));
}

// --- Two runs aimed at one file: the second is refused, the first's file kept.

/// Holds the advisory lock flywheel takes on `path` (its `<path>.lock`), as a running flywheel would.
class HeldLock {
 public:
  explicit HeldLock(const fs::path& path) : fd_(::open((path.string() + ".lock").c_str(), O_RDWR | O_CREAT, 0644)) {
    EXPECT_GE(fd_, 0);
    EXPECT_EQ(::flock(fd_, LOCK_EX | LOCK_NB), 0);
    EXPECT_EQ(::write(fd_, "4242\n", 5), 5);
  }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;
  ~HeldLock() { ::close(fd_); }

 private:
  int fd_;
};

TEST_F(CliFailure, ASecondRunAimedAtARunningOnesOutputIsRefusedAndTheOutputKept) {
  const fs::path out = existing_output();
  const HeldLock running(out);
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + out.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("is in use by another flywheel process (pid 4242)"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), earlier);
}

TEST_F(CliFailure, ASecondRunAimedAtARunningOnesCheckpointIsRefused) {
  const fs::path checkpoint = dir_ / "state.h5";
  const HeldLock running(checkpoint);
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + (dir_ / "b.h5").string() +
                            " --checkpoint " + checkpoint.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("the checkpoint file '" + checkpoint.string() + "' is in use"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "b.h5"));
}

TEST_F(CliFailure, ALockLeftByAKilledRunIsTakenOverAndRemoved) {
  const fs::path out = dir_ / "run.h5";
  std::ofstream(out.string() + ".lock") << "99999999\n";  // its owner is gone: the kernel dropped its flock
  const Result r = flywheel("run " + data("tiny.yaml") + " --ticks 3 -o " + out.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(fs::exists(out.string() + ".lock"));
  EXPECT_FALSE(fs::exists(dir_ / "run.checkpoint.h5.lock"));
}

TEST_F(CliFailure, TheSameSweepStartedTwiceOnOneDirectoryIsRefused) {
  const fs::path sweep = dir_ / "sweep.yaml";
  std::ofstream(sweep) << "scenario: " << data("tiny.yaml") << "\noutput: " << (dir_ / "runs").string()
                       << "\nparameters:\n  ticks: [2, 3]\n";
  fs::create_directories(dir_ / "runs");
  const HeldLock running(dir_ / "runs" / "sweep-slot-0-of-1");
  const Result r = flywheel("sweep " + sweep.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("the sweep directory '" + (dir_ / "runs").string() + "' (slot 0 of 1) is in use"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "runs" / "run-0000.h5"));
}

}  // namespace
