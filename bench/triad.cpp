#include "triad.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

namespace flywheel::bench {

std::vector<TriadResult> triad_bandwidth(std::size_t elements, const std::vector<int>& threads, int repeats) {
  // unique_ptr<double[]>, not vector: pages are first touched by the parallel
  // initialisation below, as in STREAM, not by one thread zero-filling.
  const std::unique_ptr<double[]> a(new double[elements]);
  const std::unique_ptr<double[]> b(new double[elements]);
  const std::unique_ptr<double[]> c(new double[elements]);
  const double s = 3.0;
  std::vector<TriadResult> out;
  for (const int t : threads) {
    tbb::task_arena arena(t);
    const tbb::blocked_range<std::size_t> all(0, elements, 1 << 16);
    arena.execute([&] {
      tbb::parallel_for(
          all,
          [&](const auto& r) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
              a[i] = 0.0;
              b[i] = 1.0;
              c[i] = 2.0;
            }
          },
          tbb::static_partitioner());
    });
    double best = 1e300;
    for (int rep = 0; rep < repeats; ++rep) {
      const auto start = std::chrono::steady_clock::now();
      arena.execute([&] {
        tbb::parallel_for(
            all,
            [&](const auto& r) {
              for (std::size_t i = r.begin(); i != r.end(); ++i) a[i] = b[i] + s * c[i];
            },
            tbb::static_partitioner());
      });
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    // The answer check: every element is 1 + 3 * 2.
    for (std::size_t i = 0; i < elements; i += 4099)
      if (a[i] != 7.0) throw std::runtime_error("triad gave a wrong answer");
    out.push_back({t, best, 24.0 * static_cast<double>(elements) / best});
  }
  return out;
}

}  // namespace flywheel::bench
