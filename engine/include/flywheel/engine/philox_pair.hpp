#pragma once
// Two Philox4x32-10 blocks under one key, computed side by side: the same
// bits as two calls of Random123's Philox4x32 (tests/engine/random_test.cpp
// checks it against the library), in about 40% of the instructions. With
// SSE2 one multiply serves both blocks' words, and the ten-round loop is the
// library's, in lanes. The matching kernel needs two blocks per shopper.

#include <Random123/philox.h>

#include <array>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flywheel::random {

using PhiloxBlock = r123::Philox4x32::ctr_type;
using PhiloxKey = r123::Philox4x32::key_type;

/// Philox4x32-10 of two counters under one key: pair(a, b) is
/// {Philox()(a, key), Philox()(b, key)}. Made once per key (the round keys
/// are computed up front), then called per pair of counters.
class PhiloxPair {
 public:
  explicit PhiloxPair(const PhiloxKey& key) noexcept;
  std::array<PhiloxBlock, 2> operator()(const PhiloxBlock& a, const PhiloxBlock& b) const noexcept;

 private:
#if defined(__SSE2__)
  // Each round's key words, in every lane (a C array: std::array drops __m128i's alignment attribute).
  __m128i key0_[10], key1_[10];
#else
  PhiloxKey key_;
#endif
};

#if defined(__SSE2__)

inline PhiloxPair::PhiloxPair(const PhiloxKey& key) noexcept {
  PhiloxKey k = key;
  for (std::size_t round = 0; round < 10; ++round) {
    key0_[round] = _mm_set1_epi32(static_cast<int>(k[0]));
    key1_[round] = _mm_set1_epi32(static_cast<int>(k[1]));
    k[0] += PHILOX_W32_0;  // Random123's key bump, between rounds
    k[1] += PHILOX_W32_1;
  }
}

inline std::array<PhiloxBlock, 2> PhiloxPair::operator()(const PhiloxBlock& a, const PhiloxBlock& b) const noexcept {
  // Word w of block a in 64-bit lane 0 and of block b in lane 1; only the low
  // 32 bits of a lane count (the multiply reads only those).
  auto word = [&](int w) { return _mm_set_epi32(0, static_cast<int>(b[w]), 0, static_cast<int>(a[w])); };
  __m128i x0 = word(0), x1 = word(1), x2 = word(2), x3 = word(3);
  const __m128i m0 = _mm_set1_epi32(static_cast<int>(PHILOX_M4x32_0));
  const __m128i m1 = _mm_set1_epi32(static_cast<int>(PHILOX_M4x32_1));
  for (std::size_t round = 0; round < 10; ++round) {
    const __m128i p0 = _mm_mul_epu32(x0, m0);  // hi:lo of M0 * word 0
    const __m128i p1 = _mm_mul_epu32(x2, m1);  // hi:lo of M1 * word 2
    x0 = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(p1, 32), x1), key0_[round]);
    x1 = p1;
    x2 = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(p0, 32), x3), key1_[round]);
    x3 = p0;
  }
  alignas(16) std::array<std::array<std::uint32_t, 4>, 4> lanes{};
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes[0].data()), x0);
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes[1].data()), x1);
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes[2].data()), x2);
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes[3].data()), x3);
  return {{PhiloxBlock{{lanes[0][0], lanes[1][0], lanes[2][0], lanes[3][0]}},
           PhiloxBlock{{lanes[0][2], lanes[1][2], lanes[2][2], lanes[3][2]}}}};
}

#else

inline PhiloxPair::PhiloxPair(const PhiloxKey& key) noexcept : key_(key) {}

inline std::array<PhiloxBlock, 2> PhiloxPair::operator()(const PhiloxBlock& a, const PhiloxBlock& b) const noexcept {
  return {{r123::Philox4x32()(a, key_), r123::Philox4x32()(b, key_)}};
}

#endif

}  // namespace flywheel::random
