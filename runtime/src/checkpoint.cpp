// Saving and reading checkpoints: the run's attributes, the state through
// the walk of state_walk.hpp, a checksum over both, and the file's seal.

#include "flywheel/runtime/checkpoint.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <new>
#include <optional>
#include <span>

#include <fmt/chrono.h>
#include <fmt/core.h>

#include "checkpoint_internal.hpp"
#include "flywheel/engine/fnv1a.hpp"
#include "flywheel/engine/h5/array.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/engine/h5/replacement.hpp"
#include "flywheel/engine/h5/sealed_file.hpp"
#include "flywheel/engine/version.hpp"
#include "flywheel/runtime/state_ranks.hpp"
#include "flywheel/runtime/state_walk.hpp"

namespace flywheel::runtime {
namespace {

constexpr const char* random_streams_note =
    "Random streams are counter-based (Random123 Philox keyed by seed, tick, entity and purpose): there is no "
    "generator state, and a resumed or branched run draws what the uninterrupted one would.";

constexpr h5::SealKind seal_kind{{'F', 'L', 'Y', 'W', 'H', 'E', 'E', 'L', '-', 'C', 'K', 'P', 'T', 0, 0, 0},
                                 "checkpoint",
                                 "checkpoint_version",
                                 checkpoint_version};

constexpr std::uint64_t max_rows = std::uint64_t{1} << 32;  // seller and offer slots are 32-bit

/// A walk's IO over an HDF5 file, writing (Reading = false) or reading:
/// arrays go into (or come from) the current group, and each array's name and
/// bytes go into the checksum, so a damaged value that HDF5's metadata
/// checksums cannot see (raw data has none) is caught. A reader checks each
/// array's type and length before a buffer is sized from it.
template <bool Reading>
class FileIO {
 public:
  static constexpr bool reading = Reading;
  FileIO(hid_t root, Fnv1a& sum) : groups_{root}, sum_(sum) {}

  template <class T>
  void array(std::string_view name, std::vector<T>& values, std::uint64_t length) {
    const std::string key(name);
    if constexpr (Reading)
      values = length == walk::any_length ? h5::read_array<T>(groups_.back(), key, max_rows)
                                          : h5::read_exact<T>(groups_.back(), key, length);
    else
      h5::write_array(groups_.back(), key, std::span<const T>(values));
    sum_.add(name);
    sum_.add(values.data(), values.size() * sizeof(T));
  }
  template <class F>
  void group(std::string_view name, F&& body) {
    const std::string key(name);
    const h5::GroupHandle g =
        Reading ? h5::open_group(groups_.back(), key) : h5::create_group(groups_.back(), key, false);
    groups_.push_back(g.get());
    body();
    groups_.pop_back();
  }

 private:
  std::vector<hid_t> groups_;
  Fnv1a& sum_;
};

/// The run position is covered by the checksum too.
void add_run(Fnv1a& sum, const RunPosition& run) {
  sum.add(run.output_path);
  for (std::uint64_t v : {run.output_ticks, run.output_snapshots, std::uint64_t{run.checkpoint_every}})
    sum.add(&v, sizeof v);
}

std::string hex(const Fnv1a& sum) { return fmt::format("{:016x}", sum.value()); }

[[noreturn]] void fail_checkpoint(const std::string& path, const std::string& problem) {
  throw CheckpointError("checkpoint '" + path + "' cannot be used: " + problem);
}

/// Refuses a path that is not a file to read: missing, a directory, or a special file (a FIFO would hang).
void check_is_file(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) fail_checkpoint(path, "no such file");
  if (std::filesystem::is_directory(status)) fail_checkpoint(path, "it is a directory, not a checkpoint file");
  if (!std::filesystem::is_regular_file(status))
    fail_checkpoint(path, "it is not a regular file (a FIFO, a device or a socket)");
}

/// Text as a fixed-length attribute: HDF5 1.10 reads variable-length strings
/// of a crafted file out of bounds (H5HG_read, found by the fuzz target).
void text(hid_t object, const std::string& name, const std::string& value) {
  h5::create_fixed_text(object, name, std::max<std::size_t>(1, value.size()), value);
}

}  // namespace

void save_checkpoint(const Market& market, const RunPosition& run, const std::string& path) {
  std::optional<MarketState> whole = gather_state(market);
  if (!whole) return;  // not rank 0: its part is sent
  MarketState& state = *whole;
  const std::string yaml = market::to_yaml(market.scenario());
  try {
    h5::Replacement replacement(path);
    h5::File file = h5::File::create(replacement.temporary());
    const hid_t root = file.id();
    Fnv1a sum;
    sum.add(yaml);
    add_run(sum, run);
    FileIO<false> io(root, sum);
    walk::market(io, state, market.scenario());
    text(root, "format", std::string(checkpoint_format));
    h5::write_attribute(root, "checkpoint_version", checkpoint_version);
    text(root, "program", std::string("flywheel"));
    text(root, "program_version", std::string(build::version));
    text(root, "git_revision", std::string(build::git_revision));
    text(root, "created", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))));
    h5::write_attribute(root, "tick", static_cast<std::int64_t>(state.tick));
    text(root, "random_streams", std::string(random_streams_note));
    text(root, "scenario", yaml);
    text(root, "output_path", run.output_path);
    h5::write_attribute(root, "output_ticks", static_cast<std::int64_t>(run.output_ticks));
    h5::write_attribute(root, "output_snapshots", static_cast<std::int64_t>(run.output_snapshots));
    h5::write_attribute(root, "checkpoint_every", static_cast<std::int64_t>(run.checkpoint_every));
    text(root, "checksum", hex(sum));
    file.flush();
    file.close();
    h5::seal(replacement.temporary(), seal_kind);
    replacement.commit();
  } catch (const h5::Error& e) {
    throw RunError("cannot write the checkpoint '" + path + "': " + e.what());
  }
}

Checkpoint read_checkpoint(const std::string& path) {
  h5::silence_errors();
  check_is_file(path);
  if (const std::string problem = h5::seal_problem(path, seal_kind); !problem.empty()) fail_checkpoint(path, problem);
  Checkpoint c;
  c.path = path;
  try {
    const h5::File file = h5::File::open_read_once(path);
    const hid_t root = file.id();
    if (!h5::has_attribute(root, "format") || h5::read_fixed_text(root, "format") != checkpoint_format)
      fail_checkpoint(path, "it is not a flywheel checkpoint (no 'format' attribute \"flywheel-checkpoint\")");
    if (!h5::has_attribute(root, "checkpoint_version"))
      fail_checkpoint(path, "it has no 'checkpoint_version' attribute");
    if (const std::int64_t v = h5::read_integer(root, "checkpoint_version"); v != checkpoint_version)
      fail_checkpoint(path, "it is of checkpoint_version " + std::to_string(v) + "; this flywheel reads version " +
                                std::to_string(checkpoint_version));
    c.scenario_yaml = h5::read_fixed_text(root, "scenario");
    try {
      c.scenario = market::scenario_from_string(c.scenario_yaml, path + " (scenario attribute)");
    } catch (const ConfigError& e) {
      fail_checkpoint(path, std::string("its scenario does not load: ") + e.what());
    }
    c.program_version = h5::read_fixed_text(root, "program_version");
    c.run.output_path = h5::read_fixed_text(root, "output_path");
    const auto count = [&](const char* name) {
      const std::int64_t v = h5::read_integer(root, name);
      if (v < 0 || v > (std::int64_t{1} << 40)) fail_checkpoint(path, std::string("its '") + name + "' is invalid");
      return static_cast<std::uint64_t>(v);
    };
    c.run.output_ticks = count("output_ticks");
    c.run.output_snapshots = count("output_snapshots");
    c.run.checkpoint_every = static_cast<std::uint32_t>(std::min<std::uint64_t>(count("checkpoint_every"), 1u << 30));
    const std::string checksum = h5::read_fixed_text(root, "checksum");

    auto state = std::make_shared<MarketState>();
    state->customers = agents::Customers(c.scenario.platforms.size(), 0);
    Fnv1a sum;
    sum.add(c.scenario_yaml);
    add_run(sum, c.run);
    FileIO<true> io(root, sum);
    walk::market(io, *state, c.scenario);
    if (hex(sum) != checksum) fail_checkpoint(path, "its checksum does not match: the file is damaged");
    if (count("tick") != state->tick) fail_checkpoint(path, "its 'tick' attribute and dataset disagree");
    detail::validate(*state, c.scenario);
    c.tick = state->tick;
    c.state = std::move(state);
  } catch (const CheckpointError&) {
    throw;
  } catch (const std::bad_alloc&) {
    fail_checkpoint(path, "it asks for more memory than there is");
  } catch (const std::exception& e) {
    fail_checkpoint(path, e.what());
  }
  return c;
}

}  // namespace flywheel::runtime
