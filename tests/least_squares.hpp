#pragma once
// The least-squares slope of y on x, for tests that check how an error
// falls with data (a slope of log error on log n near -1/2: 1 / sqrt(n)).

#include <cstddef>
#include <numeric>
#include <vector>

namespace flywheel::testing {

inline double least_squares_slope(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0.0, sxx = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxy / sxx;
}

}  // namespace flywheel::testing
