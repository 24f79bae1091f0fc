#pragma once
// Random streams keyed by the model, never by the thread: every stream is
// Philox4x32-10 at counter (entity, tick, purpose) under a key made from the
// seed, so a draw is the same whichever thread makes it and whenever.
// Boost.Random distributions run on top of the stream.

// philox.h first: it defines the feature macros MicroURNG.hpp relies on.
#include <Random123/philox.h>
// (keep apart so include sorting leaves the order alone)
#include <Random123/MicroURNG.hpp>
#include <Random123/boxmuller.hpp>

#include <cstdint>

namespace flywheel::random {

using Philox = r123::Philox4x32;
/// A uniform random bit generator for one (seed, tick, entity, purpose); up to
/// 2^34 32-bit draws. Cheap to make: nothing is computed until the first draw.
using Stream = r123::MicroURNG<Philox>;

/// Marks draws that do not belong to a tick (an agent's fixed traits).
inline constexpr std::uint32_t static_tick = 0xFFFFFFFFu;

/// The Philox key of a run's seed.
inline Philox::key_type key(std::uint64_t seed) {
  return {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
}

/// The Philox counter of (tick, entity, purpose, word).
inline Philox::ctr_type counter(std::uint32_t tick, std::uint32_t entity, std::uint32_t purpose,
                                std::uint32_t word = 0) {
  return {{entity, tick, purpose, word}};
}

/// The stream for one purpose of one entity in one tick.
inline Stream stream(std::uint64_t seed, std::uint32_t tick, std::uint32_t entity, std::uint32_t purpose) {
  return Stream(counter(tick, entity, purpose), key(seed));
}

/// Four 32-bit draws for (seed, tick, entity, purpose, word): one Philox call,
/// for hot paths that need only a few uniforms.
inline Philox::ctr_type block(std::uint64_t seed, std::uint32_t tick, std::uint32_t entity, std::uint32_t purpose,
                              std::uint32_t word = 0) {
  return Philox()(counter(tick, entity, purpose, word), key(seed));
}

/// The uniform doubles in [0, 1) that boost::random::uniform_01<double> draws
/// from stream(seed, tick, entity, purpose), in the same order, without the
/// adaptor's per-draw bookkeeping: for loops that take one draw per agent.
class UniformSequence {
 public:
  UniformSequence(std::uint64_t seed, std::uint32_t tick, std::uint32_t entity, std::uint32_t purpose)
      : counter_(counter(tick, entity, purpose)), key_(key(seed)) {}

  double next() {
    if (left_ == 0) {
      words_ = Philox()(counter_, key_);
      ++counter_[3];
      left_ = 4;
    }
    return static_cast<double>(words_[--left_]) * (1.0 / 4294967296.0);
  }

 private:
  Philox::ctr_type counter_;
  Philox::key_type key_;
  Philox::ctr_type words_{};
  unsigned left_ = 0;
};

/// A 32-bit draw as a double in [0, 1), as uniform_01<double> makes it.
constexpr double unit(std::uint32_t bits) noexcept { return static_cast<double>(bits) * (1.0 / 4294967296.0); }

/// Two independent standard normals from two 32-bit draws: Random123's
/// Box-Muller, exactly two words in, for hot paths that draw from blocks.
inline r123::float2 normal_pair(std::uint32_t first, std::uint32_t second) noexcept {
  return r123::boxmuller(first, second);
}

/// A 32-bit draw as a double in (0, 1): never exactly 0 or 1, safe for logs.
constexpr double open01(std::uint32_t bits) noexcept {
  return (static_cast<double>(bits) + 0.5) * (1.0 / 4294967296.0);
}

}  // namespace flywheel::random
