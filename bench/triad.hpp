#pragma once
// A STREAM-style triad, a[i] = b[i] + s * c[i], to measure the memory
// bandwidth the whole-run figures are compared with.

#include <cstddef>
#include <vector>

namespace flywheel::bench {

struct TriadResult {
  int threads;
  double best_seconds;      // fastest pass
  double bytes_per_second;  // 24 bytes per element over the best pass (STREAM's count)
};

/// Best of `repeats` triad passes over three arrays of `elements` doubles,
/// at each thread count in `threads` (a tbb::task_arena of that size, static
/// partition). Not thread-safe; allocates 24 * elements bytes while it runs.
std::vector<TriadResult> triad_bandwidth(std::size_t elements, const std::vector<int>& threads, int repeats);

}  // namespace flywheel::bench
