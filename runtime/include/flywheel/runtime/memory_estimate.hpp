#pragma once
// What a run of a scenario will allocate, before it is built: the memory
// guard's and `validate`'s figure.

#include <cstddef>

#include "flywheel/market/scenario.hpp"

namespace flywheel::runtime {

using market::Scenario;

/// What a scenario will allocate, before it is built.
struct MemoryEstimate {
  std::size_t bytes_per_customer;
  std::size_t customer_bytes;
  std::size_t intent_buffer_bytes;
  std::size_t market_bytes;   // sellers, offers, shards (at the initial counts)
  std::size_t output_bytes;   // the output writer's queue and snapshot buffers (none with `-o none`)
  std::size_t runtime_bytes;  // the program, its libraries, thread stacks and caches
  [[nodiscard]] std::size_t total() const {
    return customer_bytes + intent_buffer_bytes + market_bytes + output_bytes + runtime_bytes;
  }
};
/// Cheap (no allocation that grows with the scenario); never throws.
MemoryEstimate estimate_memory(const Scenario& scenario);

/// The output file's size before compression (zlib typically takes series to a
/// fraction): every series' values over the run, and snapshots and panels
/// with the sellers and offers of the start (a market that grows writes more).
struct OutputSizeEstimate {
  std::size_t series_bytes;
  std::size_t snapshots;
  std::size_t snapshot_bytes;
  std::size_t panels;
  std::size_t panel_bytes;
  [[nodiscard]] std::size_t total() const { return series_bytes + snapshot_bytes + panel_bytes; }
};
OutputSizeEstimate estimate_output_size(const Scenario& scenario);

}  // namespace flywheel::runtime
