#pragma once
// Routes items that producer blocks emit (customers' intents) to the shards
// that own them, in a canonical order: within a shard, items come in
// (block, emission) order, whatever the thread count. A counting sort; every
// buffer is sized once, so routing a tick does not allocate.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/parallel.hpp"

namespace flywheel {

template <class Item>
class Router {
 public:
  /// `blocks` producers, each emitting at most `block_capacity` items per round, to `shards` shards.
  Router(std::size_t blocks, std::size_t block_capacity, std::size_t shards)
      : shards_(shards),
        outbox_(blocks * block_capacity),
        outbox_size_(blocks, 0),
        block_capacity_(block_capacity),
        counts_(blocks * shards, 0),
        routed_(blocks * block_capacity),
        shard_begin_(shards + 1, 0) {}

  /// Starts a round: empties every block's outbox.
  void clear() { std::fill(outbox_size_.begin(), outbox_size_.end(), 0); }

  /// Appends an item to block b's outbox. Only block b's worker calls this.
  void emit(std::size_t block, std::size_t shard, const Item& item) {
    const std::size_t n = outbox_size_[block]++;
    FLYWHEEL_DEBUG_ASSERT(n < block_capacity_);
    outbox_[block * block_capacity_ + n] = item;
    ++counts_[block * shards_ + shard];
  }

  /// Routes all emitted items; shard_of(item) must agree with emit's shard.
  template <class ShardOf>
  void route(Execution execution, const ShardOf& shard_of) {
    const std::size_t blocks = outbox_size_.size();
    std::size_t total = 0;
    for (std::size_t s = 0; s < shards_; ++s) {
      shard_begin_[s] = total;
      for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t c = counts_[b * shards_ + s];
        counts_[b * shards_ + s] = total;  // becomes block b's write offset in shard s
        total += c;
      }
    }
    shard_begin_[shards_] = total;
    for_each_unit(execution, blocks, [&](std::size_t b) {
      std::size_t* offset = &counts_[b * shards_];
      const Item* items = &outbox_[b * block_capacity_];
      for (std::size_t i = 0; i < outbox_size_[b]; ++i) routed_[offset[shard_of(items[i])]++] = items[i];
    });
    std::fill(counts_.begin(), counts_.end(), 0);
  }

  /// The items routed to shard s, in canonical order; writable, for outcomes.
  std::span<Item> shard_items(std::size_t s) {
    return {routed_.data() + shard_begin_[s], shard_begin_[s + 1] - shard_begin_[s]};
  }
  /// Every routed item, shard by shard; writable.
  std::span<Item> routed_items() { return {routed_.data(), shard_begin_[shards_]}; }
  [[nodiscard]] std::size_t routed_count() const { return shard_begin_[shards_]; }

 private:
  std::size_t shards_;
  std::vector<Item> outbox_;
  std::vector<std::size_t> outbox_size_;
  std::size_t block_capacity_;
  std::vector<std::size_t> counts_;
  std::vector<Item> routed_;
  std::vector<std::size_t> shard_begin_;
};

}  // namespace flywheel
