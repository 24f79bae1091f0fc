#pragma once
// A market's state across MPI ranks, for checkpoints: every rank's part
// gathered whole to rank 0, so that a distributed run saves the file a single
// process saves, and a whole state cut into the part one rank holds, so that
// a checkpoint resumes at any number of ranks. Ranks hold customers and
// shards in contiguous ranges in rank order (partition.hpp), so joining the
// parts rank by rank gives customer and shard order.

#include <optional>

#include "flywheel/market/market.hpp"
#include "flywheel/market/market_state.hpp"
#include "flywheel/market/partition.hpp"

namespace flywheel::runtime {

/// The whole market's state, as a single process holds it, on rank 0;
/// nothing on other ranks. Collective under MPI: every rank calls it and
/// sends its customers and shards to rank 0 in one gather (2 GiB at most).
/// Platforms and the day's figures are replicated, so rank 0's are taken;
/// `intents_matched` is the sum over ranks. Without MPI, market.state().
std::optional<market::MarketState> gather_state(const market::Market& market);

/// The part of `whole` (a single process's state) that `partition.rank()`
/// holds: its customers and shards; the replicated platforms and day
/// figures; `intents_matched` on rank 0 only, so the ranks' sum is the whole's.
market::MarketState part_of(const market::MarketState& whole, const market::Partition& partition);

}  // namespace flywheel::runtime
