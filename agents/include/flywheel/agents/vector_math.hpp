#pragma once
// The matching kernel's logit over a short array of utilities, four lanes at
// a time, inline because the arrays are short (a call costs as much as the
// work). exp, the largest cost, is SLEEF's deterministic single-precision
// exp in its SSE2 form (Sleef_cinz_..._sse2: no FMA, no dispatch, so the same
// bits on every x86-64; accurate to 1 ULP). The largest value is taken with
// SSE max because GCC vectorises a float max only under -ffast-math.
// Elsewhere than x86-64 the float versions are the plain loops, with the C
// library's exp (results then differ from x86-64's in the last bits).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <type_traits>

#if defined(__x86_64__)
#include <emmintrin.h>
#include <sleef.h>
#endif

namespace flywheel::agents {

// The plain definitions, for any Real: the double versions (tests, reference
// computations), and the float ones where there is no SSE form below.

/// out[i] = exp(values[i] - shift) for every i; out may alias values.
template <class Real>
void exp_shifted(std::span<const std::type_identity_t<Real>> values, Real shift,
                 std::span<std::type_identity_t<Real>> out) noexcept {
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = std::exp(values[i] - shift);
}

/// The largest of `floor` and every value (no NaNs).
template <class Real>
Real max_of(std::span<const std::type_identity_t<Real>> values, Real floor) noexcept {
  for (Real v : values) floor = std::max(floor, v);
  return floor;
}

/// The sum of the values.
template <class Real>
Real sum_of(std::span<const Real> values) noexcept {
  Real total = 0;
  for (Real v : values) total += v;
  return total;
}

/// The first i with x < values[0] + ... + values[i], or values.size() if
/// none: a draw by weight (zero weights are never the answer). Non-negative values.
template <class Real>
std::size_t first_cumulative_above(std::span<const std::type_identity_t<Real>> values, Real x) noexcept {
  Real running = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (x < (running += values[i])) return i;
  return values.size();
}

#if defined(__x86_64__)

namespace lanes {

// The first n (< 4) values in a vector, zeros after them.
inline __m128 load_partial(const float* values, std::size_t n) noexcept {
  std::array<float, 4> padded{};
  std::copy_n(values, n, padded.begin());
  return _mm_loadu_ps(padded.data());
}

inline float horizontal_max(__m128 v) noexcept {
  v = _mm_max_ps(v, _mm_movehl_ps(v, v));                                              // lanes 0, 1 hold the largest
  return _mm_cvtss_f32(_mm_max_ss(v, _mm_shuffle_ps(v, v, _MM_SHUFFLE(1, 1, 1, 1))));  // lane 0 does
}

inline float horizontal_sum(__m128 v) noexcept {
  v = _mm_add_ps(v, _mm_movehl_ps(v, v));
  return _mm_cvtss_f32(_mm_add_ss(v, _mm_shuffle_ps(v, v, _MM_SHUFFLE(1, 1, 1, 1))));
}

// Running sums of four lanes, each plus `carry` (the sum before them).
inline __m128 running_sums(__m128 v, __m128 carry) noexcept {
  v = _mm_add_ps(v, _mm_castsi128_ps(_mm_slli_si128(_mm_castps_si128(v), 4)));
  v = _mm_add_ps(v, _mm_castsi128_ps(_mm_slli_si128(_mm_castps_si128(v), 8)));
  return _mm_add_ps(v, carry);
}

// Lanes (bits) whose running sum is above the bound and whose own value is
// not zero: lane sums are added in a tree, so a zero value's sum may round
// above its predecessor's, and a zero weight must never be drawn.
inline int above(__m128 values, __m128 sums, __m128 bound) noexcept {
  return _mm_movemask_ps(_mm_and_ps(_mm_cmplt_ps(bound, sums), _mm_cmpgt_ps(values, _mm_setzero_ps())));
}

}  // namespace lanes

inline void exp_shifted(std::span<const float> values, float shift, std::span<float> out) noexcept {
  const __m128 by = _mm_set1_ps(shift);
  const std::size_t n = values.size();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    _mm_storeu_ps(out.data() + i, Sleef_cinz_expf4_u10sse2(_mm_sub_ps(_mm_loadu_ps(values.data() + i), by)));
  if (i == n) return;
  // The last one to three values through a padded vector, so every value gets the same function.
  std::array<float, 4> tail{};
  _mm_storeu_ps(tail.data(), Sleef_cinz_expf4_u10sse2(_mm_sub_ps(lanes::load_partial(values.data() + i, n - i), by)));
  std::copy_n(tail.begin(), n - i, out.begin() + static_cast<std::ptrdiff_t>(i));
}

inline float max_of(std::span<const float> values, float floor) noexcept {
  __m128 top = _mm_set1_ps(floor);
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) top = _mm_max_ps(top, _mm_loadu_ps(values.data() + i));
  float largest = lanes::horizontal_max(top);
  for (; i < values.size(); ++i) largest = std::max(largest, values[i]);
  return largest;
}

inline float sum_of(std::span<const float> values) noexcept {
  __m128 total = _mm_setzero_ps();
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) total = _mm_add_ps(total, _mm_loadu_ps(values.data() + i));
  float sum = lanes::horizontal_sum(total);
  for (; i < values.size(); ++i) sum += values[i];
  return sum;
}

inline std::size_t first_cumulative_above(std::span<const float> values, float x) noexcept {
  const __m128 bound = _mm_set1_ps(x);
  const std::size_t n = values.size();
  __m128 carry = _mm_setzero_ps();
  for (std::size_t i = 0; i < n; i += 4) {
    const __m128 v = i + 4 <= n ? _mm_loadu_ps(values.data() + i) : lanes::load_partial(values.data() + i, n - i);
    const __m128 sums = lanes::running_sums(v, carry);
    if (const int hits = lanes::above(v, sums, bound); hits != 0)
      return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(hits)));
    carry = _mm_shuffle_ps(sums, sums, _MM_SHUFFLE(3, 3, 3, 3));
  }
  return n;
}

#endif

}  // namespace flywheel::agents
