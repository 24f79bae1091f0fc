#include "flywheel/agents/vector_math.hpp"

#include <array>

#if defined(__x86_64__)
#include <emmintrin.h>
#include <sleef.h>
#endif

namespace flywheel::agents {

#if defined(__x86_64__)

void exp_in_place(std::span<float> values) noexcept {
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4)
    _mm_storeu_ps(values.data() + i, Sleef_cinz_expf4_u10sse2(_mm_loadu_ps(values.data() + i)));
  if (i == values.size()) return;
  // The last one to three values through a padded lane, so every value gets the same function.
  std::array<float, 4> tail{};
  std::copy(values.begin() + static_cast<std::ptrdiff_t>(i), values.end(), tail.begin());
  _mm_storeu_ps(tail.data(), Sleef_cinz_expf4_u10sse2(_mm_loadu_ps(tail.data())));
  std::copy_n(tail.begin(), values.size() - i, values.begin() + static_cast<std::ptrdiff_t>(i));
}

float max_of(std::span<const float> values, float floor) noexcept {
  __m128 top = _mm_set1_ps(floor);
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) top = _mm_max_ps(top, _mm_loadu_ps(values.data() + i));
  std::array<float, 4> lanes{};
  _mm_storeu_ps(lanes.data(), top);
  for (; i < values.size(); ++i) lanes[0] = std::max(lanes[0], values[i]);
  return std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
}

#else

// Elsewhere, the C library's exp (results then differ from x86-64's in the last bits).
void exp_in_place(std::span<float> values) noexcept {
  for (float& v : values) v = std::exp(v);
}

float max_of(std::span<const float> values, float floor) noexcept {
  for (float v : values) floor = std::max(floor, v);
  return floor;
}

#endif

}  // namespace flywheel::agents
