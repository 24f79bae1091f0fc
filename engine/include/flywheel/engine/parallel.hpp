#pragma once
// Parallel loops over independent units of work (shards, customer blocks).
// Each unit writes only its own rows, so the serial and parallel versions of
// a kernel give identical results; tests compare the two.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <cstddef>

#if defined(__SANITIZE_THREAD__)
#define FLYWHEEL_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FLYWHEEL_THREAD_SANITIZER 1
#endif
#endif

#ifdef FLYWHEEL_THREAD_SANITIZER
extern "C" void __tsan_acquire(void* addr);  // NOLINT(bugprone-reserved-identifier)
extern "C" void __tsan_release(void* addr);  // NOLINT(bugprone-reserved-identifier)
#endif

namespace flywheel {

enum class Execution { serial, parallel };

namespace detail {
// ThreadSanitizer cannot see oneTBB's synchronisation when libtbb.so is not
// itself instrumented (Debian's is not), so it would report every write of
// one parallel phase and read of the next as a race. These tell it the
// happens-before edges parallel_for guarantees: the loop's start precedes
// every body (fork), and every body precedes the loop's return (join).
// Bodies release only `join` and acquire only `fork`, so races between
// bodies of the same loop are still reported. No-ops without TSan.
inline void happens_before(void* sync) noexcept {
#ifdef FLYWHEEL_THREAD_SANITIZER
  __tsan_release(sync);
#else
  static_cast<void>(sync);
#endif
}
inline void happens_after(void* sync) noexcept {
#ifdef FLYWHEEL_THREAD_SANITIZER
  __tsan_acquire(sync);
#else
  static_cast<void>(sync);
#endif
}
}  // namespace detail

/// Calls body(i) for every i in [0, n), serially or with oneTBB.
template <class Body>
void for_each_unit(Execution execution, std::size_t n, const Body& body) {
  if (execution == Execution::serial) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  char fork = 0;
  char join = 0;
  detail::happens_before(&fork);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    detail::happens_after(&fork);
    for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
    detail::happens_before(&join);
  });
  detail::happens_after(&join);
}

}  // namespace flywheel
