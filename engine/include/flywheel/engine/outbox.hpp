#pragma once
// Per-shard outboxes: during a parallel phase each shard appends births,
// exits and messages to its own box; after the phase they are drained in
// shard order, so the merged result does not depend on the thread count.

#include <cstddef>
#include <vector>

namespace flywheel {

template <class Message>
class Outboxes {
 public:
  explicit Outboxes(std::size_t shards) : boxes_(shards) {}

  /// Shard s's box, to append to. Only shard s's worker touches it during a phase.
  std::vector<Message>& box(std::size_t shard) { return boxes_[shard]; }

  /// Calls f(shard, message) for every message in shard order, then empties
  /// the boxes (keeping their capacity).
  template <class F>
  void drain(const F& f) {
    for (std::size_t s = 0; s < boxes_.size(); ++s) {
      for (const Message& m : boxes_[s]) f(s, m);
      boxes_[s].clear();
    }
  }

 private:
  std::vector<std::vector<Message>> boxes_;
};

}  // namespace flywheel
