#pragma once
// An order-sensitive 64-bit checksum of a kernel's outputs, so a benchmark can
// compare what it timed with a reference run bit for bit.

#include <bit>
#include <cstdint>
#include <type_traits>

namespace flywheel::bench {

class Checksum {
 public:
  template <class T>
  requires std::is_arithmetic_v<T> || std::is_enum_v<T>
  void add(T value) noexcept {
    std::uint64_t bits = 0;
    if constexpr (std::is_same_v<T, float>) {
      bits = std::bit_cast<std::uint32_t>(value);
    } else if constexpr (std::is_same_v<T, double>) {
      bits = std::bit_cast<std::uint64_t>(value);
    } else {
      bits = static_cast<std::uint64_t>(value);
    }
    // splitmix64's finaliser: every input bit moves the whole sum.
    std::uint64_t z = (sum_ ^ bits) + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    sum_ = z ^ (z >> 31);
  }
  [[nodiscard]] std::uint64_t value() const noexcept { return sum_; }

 private:
  std::uint64_t sum_ = 0;
};

}  // namespace flywheel::bench
