#pragma once
// Checkpoints: the whole state of a Market that carries from one tick to the
// next, saved to an HDF5 file and read back, validated, to resume a run or to
// branch a new one from it. Random streams are counter-based (keyed by seed,
// tick, entity and purpose), so there is no generator state to save; things
// derived from the scenario (categories, platform terms, scratch buffers) are
// rebuilt from it. The file layout is described in docs/checkpoints.md.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/parallel.hpp"
#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::runtime {

using market::Market;
using market::MarketState;
using market::Scenario;

/// The root attribute `format` of every checkpoint.
inline constexpr std::string_view checkpoint_format = "flywheel-checkpoint";
/// The root attribute `checkpoint_version`: bumped whenever the layout changes.
inline constexpr std::int64_t checkpoint_version = 9;

/// A checkpoint file cannot be used: missing, truncated, damaged, not a
/// checkpoint, or of another checkpoint_version. The message names the file
/// and the problem. A RunError: the command line exits with status 1.
class CheckpointError : public RunError {
 public:
  using RunError::RunError;
};

/// How the run that took a checkpoint was writing: its output file and how
/// far the file had been written, and how often it took checkpoints.
struct RunPosition {
  std::string output_path;  // absolute; empty when the run wrote no output file
  std::uint64_t output_ticks = 0;
  std::uint64_t output_snapshots = 0;
  std::uint32_t checkpoint_every = 0;  // ticks; 0: only on a signal
};

/// A checkpoint as read and validated: its scenario, tick and run position,
/// and the saved state (opaque: restore_market() puts it into a Market).
struct Checkpoint {
  std::string path;
  Scenario scenario;
  std::string scenario_yaml;
  Tick tick = 0;
  RunPosition run;
  std::string program_version;
  std::shared_ptr<const MarketState> state;
};

/// Saves the state of `market` and `run` to `path`: written to a temporary
/// file in the same directory (h5::Replacement), flushed to disk and closed,
/// then renamed over `path`, so a crash leaves the previous checkpoint or the new one, never
/// half of one. Call between ticks. Throws RunError if it cannot be written.
/// Collective under MPI: every rank calls it; rank 0 gathers the whole state
/// (gather_state) and writes the file a single process would, the others
/// return once their part is sent (and learn of a failure from MPI_Abort).
void save_checkpoint(const Market& market, const RunPosition& run, const std::string& path);

/// Reads a checkpoint and validates every array's type and length against its
/// scenario, every index against the arrays it points into, and a checksum of
/// the whole, before anything uses it. Throws CheckpointError, and nothing
/// else, for a file that is missing, truncated, damaged, not a checkpoint or
/// of another version. Safe to call on arbitrary bytes (the fuzz target does).
Checkpoint read_checkpoint(const std::string& path);

/// Builds the Market a checkpoint saved, under `scenario`: the checkpoint's
/// own, or a branch of it that check_branch() accepted. A platform lever whose
/// starting value the branch changed (take_rate, fulfilment.fee, ...) takes
/// the new value at the branch tick; every other piece of state is the saved one.
/// Under MPI each rank builds its own part (part_of): a checkpoint of any
/// number of ranks resumes at any number.
std::unique_ptr<Market> restore_market(const Checkpoint& checkpoint, Scenario scenario,
                                       Execution execution = Execution::parallel);

/// Throws ConfigError naming the first structural parameter that `branch`
/// changes from `parent` (seed, customers.count, market.categories,
/// market.shards, market.customer_block, the category price and popularity
/// parameters, the number of platforms or their names): a saved state has
/// no meaning under another structure. Policy parameters may change.
void check_branch(const Scenario& parent, const Scenario& branch, const std::string& checkpoint_path);

}  // namespace flywheel::runtime
