#pragma once
// Which part of the market one process (an MPI rank) holds: a contiguous
// range of customer blocks and a contiguous range of shards, in rank order.
// Contiguity in rank order is what keeps the distributed run in the
// single-process order: concatenating the ranks' parts, rank by rank, gives
// blocks (and shards) in index order. Ranks beyond the work get empty ranges.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace flywheel::market {

class Partition {
 public:
  /// `blocks` customer blocks of `block_size` customers (the last may be
  /// shorter: `customers` in all) and `shards` shards among `ranks` ranks.
  Partition(std::size_t customers, std::size_t block_size, std::size_t shards, int rank, int ranks)
      : customers_(customers),
        block_size_(block_size),
        blocks_((customers + block_size - 1) / block_size),
        shards_(shards),
        rank_(static_cast<std::size_t>(rank)),
        ranks_(static_cast<std::size_t>(ranks)) {
    for (std::size_t r = 0; r <= ranks_; ++r) {
      block_start_.push_back(split(blocks_, r));
      shard_start_.push_back(split(shards_, r));
    }
  }

  [[nodiscard]] std::size_t ranks() const noexcept { return ranks_; }
  [[nodiscard]] std::size_t rank() const noexcept { return rank_; }
  [[nodiscard]] bool distributed() const noexcept { return ranks_ > 1; }
  [[nodiscard]] std::size_t customers() const noexcept { return customers_; }
  [[nodiscard]] std::size_t blocks() const noexcept { return blocks_; }
  [[nodiscard]] std::size_t shards() const noexcept { return shards_; }

  /// Rank r's blocks [first_block(r), first_block(r + 1)) and shards likewise.
  [[nodiscard]] std::size_t first_block(std::size_t r) const noexcept { return block_start_[r]; }
  [[nodiscard]] std::size_t first_shard(std::size_t r) const noexcept { return shard_start_[r]; }
  [[nodiscard]] std::size_t first_customer(std::size_t r) const noexcept {
    return std::min(customers_, block_start_[r] * block_size_);
  }
  /// This rank's ranges.
  [[nodiscard]] std::size_t local_blocks() const noexcept { return first_block(rank_ + 1) - first_block(rank_); }
  [[nodiscard]] std::size_t local_shards() const noexcept { return first_shard(rank_ + 1) - first_shard(rank_); }
  [[nodiscard]] std::size_t local_customers() const noexcept {
    return first_customer(rank_ + 1) - first_customer(rank_);
  }

  /// The rank that holds customer c, and the one that holds shard s.
  [[nodiscard]] std::size_t customer_owner(std::size_t c) const noexcept {
    return owner(block_start_, c / block_size_);
  }
  [[nodiscard]] std::size_t shard_owner(std::size_t s) const noexcept { return owner(shard_start_, s); }

 private:
  [[nodiscard]] std::size_t split(std::size_t n, std::size_t r) const noexcept { return n * r / ranks_; }
  static std::size_t owner(const std::vector<std::size_t>& start, std::size_t i) noexcept {
    // The last rank whose range starts at or before i (empty ranges share a start).
    return static_cast<std::size_t>(std::upper_bound(start.begin(), start.end() - 1, i) - start.begin()) - 1;
  }

  std::size_t customers_;
  std::size_t block_size_;
  std::size_t blocks_;
  std::size_t shards_;
  std::size_t rank_;
  std::size_t ranks_;
  std::vector<std::size_t> block_start_;  // ranks + 1
  std::vector<std::size_t> shard_start_;  // ranks + 1
};

}  // namespace flywheel::market
