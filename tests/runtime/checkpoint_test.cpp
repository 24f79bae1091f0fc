// Checkpoints: a restored market runs on bit-identically, a branch changes
// only what it asks for, and a damaged or foreign file is refused with a
// CheckpointError naming it, never a crash.

#include "flywheel/runtime/checkpoint.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "../engine/h5_temp_file.hpp"
#include "flywheel/engine/h5/array.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/engine/h5/replacement.hpp"
#include "flywheel/runtime/state_digest.hpp"

namespace flywheel::runtime {
using namespace market;  // NOLINT(google-build-using-namespace): tests read the model's types
namespace {

Scenario test_scenario(const std::vector<std::string>& overrides = {}) {
  return scenario_from_string(R"(
name: checkpoint
seed: 5
ticks: 200
market: {categories: 30, shards: 6, customer_block: 512}
customers: {count: 3000, initially_active: 0.1}
sellers: {initial_per_category: 1.5, entry_pool_rate: 0.2}
platforms:
  - name: a
    policy:
      mechanisms:
        - {name: m, metric: operating_margin, target: 0.05, lever: take_rate, gain: 0.02, every: 5, min: 0.05, max: 0.3}
  - {name: b, take_rate: 0.1}
)",
                              "<test>", overrides);
}

TEST(Checkpoint, ARestoredMarketRunsOnBitIdentically) {
  const testing::TempFile file;
  Market original(test_scenario());
  for (int t = 0; t < 25; ++t) original.step();
  save_checkpoint(original, {}, file.path());

  const Checkpoint c = read_checkpoint(file.path());
  EXPECT_EQ(c.tick, 25u);
  const auto restored = restore_market(c, c.scenario);
  EXPECT_EQ(restored->tick(), original.tick());
  EXPECT_EQ(restored->intents_matched(), original.intents_matched());
  EXPECT_EQ(state_digest(*restored), state_digest(original));
  for (int t = 0; t < 40; ++t) {
    original.step();
    restored->step();
    ASSERT_EQ(state_digest(*restored), state_digest(original)) << "tick " << original.tick();
  }
}

TEST(Checkpoint, ACheckpointAtTickZeroRestoresTheStartingMarket) {
  const testing::TempFile file;
  Market original(test_scenario(), Execution::serial);
  save_checkpoint(original, {}, file.path());
  const Checkpoint c = read_checkpoint(file.path());
  const auto restored = restore_market(c, c.scenario, Execution::serial);
  for (int t = 0; t < 10; ++t) {
    original.step();
    restored->step();
    ASSERT_EQ(state_digest(*restored), state_digest(original)) << "tick " << original.tick();
  }
}

TEST(Checkpoint, TheRunPositionAndMetadataAreSaved) {
  const testing::TempFile file;
  Market m(test_scenario());
  m.step();
  save_checkpoint(m, {"/somewhere/run.h5", 1, 0, 7}, file.path());
  const Checkpoint c = read_checkpoint(file.path());
  EXPECT_EQ(c.run.output_path, "/somewhere/run.h5");
  EXPECT_EQ(c.run.output_ticks, 1u);
  EXPECT_EQ(c.run.checkpoint_every, 7u);
  EXPECT_EQ(c.scenario_yaml, to_yaml(m.scenario()));
  const h5::File f = h5::File::open_read(file.path());
  EXPECT_EQ(h5::read_text(f.id(), "format"), "flywheel-checkpoint");
  EXPECT_EQ(h5::read_integer(f.id(), "checkpoint_version"), checkpoint_version);
  EXPECT_NE(h5::read_text(f.id(), "random_streams").find("counter-based"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(h5::replacement_name(file.path())));
}

TEST(Checkpoint, TheScenarioRoundTripsThroughYamlExactly) {
  const Scenario s = test_scenario({"platforms.b.take_rate=0.30000000000000004", "sellers.cost_ratio=0.1"});
  const std::string yaml = to_yaml(s);
  const Scenario again = scenario_from_string(yaml);
  EXPECT_EQ(to_yaml(again), yaml);
  EXPECT_EQ(again.platforms[1].take_rate, 0.1 + 0.2);
  EXPECT_EQ(again.sellers.cost_ratio, s.sellers.cost_ratio);
}

TEST(Checkpoint, ABranchMayChangePolicyButNotStructure) {
  const Scenario parent = test_scenario();
  EXPECT_NO_THROW(check_branch(parent, test_scenario({"platforms.a.take_rate=0.2", "ticks=400"}), "c.h5"));
  for (const char* key : {"seed", "customers.count", "market.categories", "market.shards"}) {
    try {
      check_branch(parent, test_scenario({std::string(key) + "=" + (std::string(key) == "market.shards" ? "5" : "10")}),
                   "c.h5");
      ADD_FAILURE() << key << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key_path(), key);
      EXPECT_NE(std::string(e.what()).find("c.h5"), std::string::npos) << e.what();
    }
  }
  Scenario fewer = parent;
  fewer.platforms.pop_back();
  EXPECT_THROW(check_branch(parent, fewer, "c.h5"), ConfigError);
}

TEST(Checkpoint, ABranchThatChangesATakeRateStartsFromIt) {
  const testing::TempFile file;
  Market m(test_scenario());
  for (int t = 0; t < 10; ++t) m.step();
  save_checkpoint(m, {}, file.path());
  const Checkpoint c = read_checkpoint(file.path());
  const auto same = restore_market(c, test_scenario());
  EXPECT_EQ(same->platforms()[1].levers().take_rate, m.platforms()[1].levers().take_rate);
  const auto branch = restore_market(c, test_scenario({"platforms.b.take_rate=0.25"}));
  EXPECT_EQ(branch->platforms()[1].levers().take_rate, 0.25);
  EXPECT_EQ(branch->platforms()[0].levers().take_rate, m.platforms()[0].levers().take_rate);
  for (int t = 0; t < 5; ++t) branch->step(), m.step();
  EXPECT_NE(state_digest(*branch), state_digest(m));
}

/// Expects read_checkpoint to throw CheckpointError naming the file and containing `problem`.
void expect_refused(const std::string& path, const std::string& problem) {
  try {
    static_cast<void>(read_checkpoint(path));
    ADD_FAILURE() << "accepted " << path;
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(problem), std::string::npos) << e.what();
  }
}

std::string write_checkpoint(const std::string& path) {
  Market m(test_scenario());
  for (int t = 0; t < 5; ++t) m.step();
  save_checkpoint(m, {}, path);
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(Checkpoint, AMissingFileIsRefused) { expect_refused("/nonexistent/checkpoint.h5", "no such file"); }

TEST(Checkpoint, AFileThatIsNotHdf5IsRefused) {
  const testing::TempFile file;
  write_bytes(file.path(), "name: not a checkpoint\n");
  expect_refused(file.path(), "cannot");
}

TEST(Checkpoint, AnHdf5FileThatIsNotACheckpointIsRefused) {
  const testing::TempFile file;
  {
    h5::File f = h5::File::create(file.path());
    h5::write_attribute(f.id(), "format_version", std::int64_t{1});
    f.close();
  }
  expect_refused(file.path(), "not a flywheel checkpoint");
}

TEST(Checkpoint, AnotherCheckpointVersionIsRefused) {
  const testing::TempFile file;
  std::string bytes = write_checkpoint(file.path());
  // The version is recorded twice: as the root attribute, and in the trailer, read before HDF5 parses anything.
  bytes[bytes.size() - 24] = static_cast<char>(checkpoint_version + 1);
  write_bytes(file.path(), bytes);
  expect_refused(file.path(), "checkpoint_version " + std::to_string(checkpoint_version + 1));
}

TEST(Checkpoint, BytesAddedAtTheEndAreRefused) {
  const testing::TempFile file;
  write_bytes(file.path(), write_checkpoint(file.path()) + "extra");
  expect_refused(file.path(), "cannot be used");
}

TEST(Checkpoint, ATruncatedFileIsRefused) {
  const testing::TempFile file;
  const std::string bytes = write_checkpoint(file.path());
  for (const double keep : {0.0, 0.01, 0.3, 0.6, 0.9, 0.999}) {
    write_bytes(file.path(), bytes.substr(0, static_cast<std::size_t>(keep * static_cast<double>(bytes.size()))));
    expect_refused(file.path(), "cannot be used");
  }
}

TEST(Checkpoint, AChangedValueInAnArrayIsCaughtByTheChecksum) {
  const testing::TempFile file;
  std::string bytes = write_checkpoint(file.path());
  haddr_t offset = 0;
  {
    const h5::File f = h5::File::open_read(file.path());
    const hid_t d = H5Dopen2(f.id(), "customers/satisfaction", H5P_DEFAULT);
    offset = H5Dget_offset(d);
    H5Dclose(d);
  }
  ASSERT_NE(offset, HADDR_UNDEF);
  bytes[offset + 17] = static_cast<char>(bytes[offset + 17] ^ 0x40);
  write_bytes(file.path(), bytes);
  expect_refused(file.path(), "checksum");
}

TEST(Checkpoint, RandomlyDamagedFilesAreRefusedOrReadIntact) {
  const testing::TempFile file;
  const std::string bytes = write_checkpoint(file.path());
  const std::uint64_t good = state_digest(*restore_market(read_checkpoint(file.path()), test_scenario()));
  std::mt19937_64 rng(42);
  int refused = 0;
  for (int trial = 0; trial < 60; ++trial) {
    std::string damaged = bytes;
    for (int flip = 0; flip < 1 + trial % 8; ++flip) {
      const std::size_t at = rng() % damaged.size();
      damaged[at] = static_cast<char>(damaged[at] ^ static_cast<char>(1u << (rng() % 8)));
    }
    write_bytes(file.path(), damaged);
    try {
      const Checkpoint c = read_checkpoint(file.path());
      // The flips fell where nothing is read (free space, padding): the state must be the saved one.
      EXPECT_EQ(state_digest(*restore_market(c, c.scenario)), good) << "trial " << trial;
    } catch (const CheckpointError& e) {
      ++refused;
      EXPECT_NE(std::string(e.what()).find(file.path()), std::string::npos);
    }
  }
  EXPECT_GT(refused, 30);
}

}  // namespace
}  // namespace flywheel::runtime
