#pragma once
// The matching kernel's logit over a short array of utilities, four lanes at
// a time. exp, its largest cost, is SLEEF's deterministic single-precision
// exp in its SSE2 form (Sleef_cinz_..._sse2: no FMA, no dispatch, so the same
// bits on every x86-64; accurate to 1 ULP). The largest value is taken with
// SSE max because GCC vectorises a float max only under -ffast-math.

#include <algorithm>
#include <cmath>
#include <span>

namespace flywheel::agents {

/// out[i] = exp(values[i] - shift) for every i; out may alias values.
void exp_shifted(std::span<const float> values, float shift, std::span<float> out) noexcept;
inline void exp_shifted(std::span<const double> values, double shift, std::span<double> out) noexcept {
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = std::exp(values[i] - shift);
}

/// The largest of `floor` and every value (no NaNs).
float max_of(std::span<const float> values, float floor) noexcept;
inline double max_of(std::span<const double> values, double floor) noexcept {
  for (double v : values) floor = std::max(floor, v);
  return floor;
}

}  // namespace flywheel::agents
