#include "flywheel/agents/vector_math.hpp"

#include <array>

#if defined(__x86_64__)
#include <emmintrin.h>
#include <sleef.h>
#endif

namespace flywheel::agents {

#if defined(__x86_64__)

void exp_shifted(std::span<const float> values, float shift, std::span<float> out) noexcept {
  const __m128 by = _mm_set1_ps(shift);
  const std::size_t n = values.size();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    _mm_storeu_ps(out.data() + i, Sleef_cinz_expf4_u10sse2(_mm_sub_ps(_mm_loadu_ps(values.data() + i), by)));
  if (i == n) return;
  // The last one to three values through a padded lane, so every value gets the same function.
  std::array<float, 4> tail{};
  std::copy(values.begin() + static_cast<std::ptrdiff_t>(i), values.end(), tail.begin());
  _mm_storeu_ps(tail.data(), Sleef_cinz_expf4_u10sse2(_mm_sub_ps(_mm_loadu_ps(tail.data()), by)));
  std::copy_n(tail.begin(), n - i, out.begin() + static_cast<std::ptrdiff_t>(i));
}

float max_of(std::span<const float> values, float floor) noexcept {
  __m128 top = _mm_set1_ps(floor);
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) top = _mm_max_ps(top, _mm_loadu_ps(values.data() + i));
  top = _mm_max_ps(top, _mm_movehl_ps(top, top));                      // lanes 0, 1 hold the largest
  top = _mm_max_ss(top, _mm_shuffle_ps(top, top, _MM_SHUFFLE(1, 1, 1, 1)));  // lane 0 does
  float largest = _mm_cvtss_f32(top);
  for (; i < values.size(); ++i) largest = std::max(largest, values[i]);
  return largest;
}

#else

// Elsewhere, the C library's exp (results then differ from x86-64's in the last bits).
void exp_shifted(std::span<const float> values, float shift, std::span<float> out) noexcept {
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = std::exp(values[i] - shift);
}

float max_of(std::span<const float> values, float floor) noexcept {
  for (float v : values) floor = std::max(floor, v);
  return floor;
}

#endif

}  // namespace flywheel::agents
