#pragma once
// One digest of a market's whole state, for tests and benchmarks that check
// two runs agree bit for bit.

#include <cstdint>

#include "flywheel/market/market.hpp"

namespace flywheel::runtime {

using market::Market;
using market::ShardState;

/// FNV-1a over every persistent column and field of the market (customers,
/// platforms, shards, the tick and the day's figures) with their names, in
/// the checkpoint's order (state_walk.hpp): equal digests mean equal state.
/// Under MPI, this rank's part only.
std::uint64_t state_digest(const Market& market);
/// The same over one shard's state alone (for kernel benchmarks and tests).
std::uint64_t state_digest(const ShardState& shard);

}  // namespace flywheel::runtime
