#pragma once
// Parallel loops over independent units of work (shards, customer blocks).
// Each unit writes only its own rows, so the serial and parallel versions of
// a kernel give identical results; tests compare the two.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <cstddef>

namespace flywheel {

enum class Execution { serial, parallel };

/// Calls body(i) for every i in [0, n), serially or with oneTBB.
template <class Body>
void for_each_unit(Execution execution, std::size_t n, const Body& body) {
  if (execution == Execution::serial) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
  });
}

}  // namespace flywheel
