#pragma once
// Product categories: long-tailed popularity (category 0 is the most
// popular), a usual price level each, and the shard that owns each.

#include <boost/random/discrete_distribution.hpp>
#include <cstdint>
#include <vector>

#include "flywheel/market/market_params.hpp"

namespace flywheel::market {

/// How categories are dealt to shards: in turn, so popular ones spread out.
struct Dealing {
  std::uint32_t categories;
  std::uint32_t shards;

  [[nodiscard]] constexpr std::uint32_t shard_of(std::uint32_t c) const noexcept { return c % shards; }
  [[nodiscard]] constexpr std::uint32_t local_index(std::uint32_t c) const noexcept { return c / shards; }
  /// Categories dealt to shard s.
  [[nodiscard]] constexpr std::uint32_t in_shard(std::uint32_t s) const noexcept {
    return (categories - s + shards - 1) / shards;
  }
  [[nodiscard]] constexpr std::uint32_t global(std::uint32_t shard, std::uint32_t local) const noexcept {
    return local * shards + shard;
  }
};

class Categories {
 public:
  Categories(const MarketParams& params, std::uint64_t seed);

  [[nodiscard]] std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(price_level_.size()); }
  [[nodiscard]] double price_level(std::uint32_t c) const noexcept { return price_level_[c]; }

  [[nodiscard]] std::uint32_t shards() const noexcept { return shards_; }
  [[nodiscard]] Dealing dealing() const noexcept { return {size(), shards_}; }
  [[nodiscard]] std::uint32_t shard_of(std::uint32_t c) const noexcept { return dealing().shard_of(c); }
  [[nodiscard]] std::uint32_t local_index(std::uint32_t c) const noexcept { return dealing().local_index(c); }
  [[nodiscard]] std::uint32_t in_shard(std::uint32_t s) const noexcept { return dealing().in_shard(s); }
  [[nodiscard]] std::uint32_t global(std::uint32_t shard, std::uint32_t local) const noexcept {
    return dealing().global(shard, local);
  }

  /// Draws a category by popularity (thread-safe; the stream is the caller's).
  template <class Urng>
  std::uint32_t sample(Urng& urng) const {
    return by_popularity_(urng);
  }

 private:
  std::uint32_t shards_;
  std::vector<double> price_level_;
  boost::random::discrete_distribution<std::uint32_t, double> by_popularity_;  // Zipf shares
};

}  // namespace flywheel::market
