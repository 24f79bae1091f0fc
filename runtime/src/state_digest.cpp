#include "flywheel/runtime/state_digest.hpp"

#include "flywheel/engine/fnv1a.hpp"
#include "flywheel/runtime/state_walk.hpp"

namespace flywheel::runtime {
namespace {

/// A walk's IO that hashes each name and the bytes of each array.
class Hashing {
 public:
  static constexpr bool reading = false;

  template <class T>
  void array(std::string_view name, std::vector<T>& values, std::uint64_t /*length*/) {
    hash_.add(name);
    hash_.add(values.data(), values.size() * sizeof(T));
  }
  template <class F>
  void group(std::string_view name, F&& body) {
    hash_.add(name);
    body();
  }
  [[nodiscard]] std::uint64_t value() const noexcept { return hash_.value(); }

 private:
  Fnv1a hash_;
};

}  // namespace

std::uint64_t state_digest(const Market& market) {
  market::MarketState state = market.state();
  Hashing io;
  walk::market(io, state, market.scenario());
  return io.value();
}

std::uint64_t state_digest(const ShardState& shard) {
  ShardState copy = shard;
  Hashing io;
  walk::shard(io, copy, copy.signals.size(), copy.tally.size());
  return io.value();
}

}  // namespace flywheel::runtime
