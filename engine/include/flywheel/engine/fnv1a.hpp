#pragma once
// FNV-1a, 64-bit: an order-sensitive hash of bytes, for checksums of saved
// files and digests of state (not for security).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace flywheel {

class Fnv1a {
 public:
  void add(const void* data, std::size_t bytes) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < bytes; ++i) hash_ = (hash_ ^ p[i]) * 0x100000001b3ULL;
  }
  /// A text with its length first, so that ("ab", "c") and ("a", "bc") differ.
  void add(std::string_view text) noexcept {
    const std::uint64_t n = text.size();
    add(&n, sizeof n);
    add(text.data(), text.size());
  }
  [[nodiscard]] std::uint64_t value() const noexcept { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace flywheel
