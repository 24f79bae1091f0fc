// for_each_unit under ThreadSanitizer: its fork/join annotations and
// tests/tsan.supp must order one parallel phase before the next without
// hiding a race between the bodies of one loop (docs/reliability.md).

#include "flywheel/engine/parallel.hpp"

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>

#include <chrono>
#include <cstddef>
#include <thread>
#include <vector>

namespace flywheel {
namespace {

/// Each body writes its own row; the caller reads all rows between loops; the next loop reads them.
int phases_handing_data_on() {
  std::vector<int> rows(64);
  int total = 0;
  for (int k = 0; k < 20; ++k) {
    for_each_unit(Execution::parallel, rows.size(), [&](std::size_t i) { rows[i] += k + total % 3; });
    for (int r : rows) total += r;
  }
  return total;
}

TEST(ForEachUnit, PhasesThatHandDataOnAreNotARace) {
  tbb::task_arena arena(4);
  int serial_total = 0;
  {
    std::vector<int> rows(64);
    for (int k = 0; k < 20; ++k) {
      for (int& row : rows) row += k + serial_total % 3;
      for (int r : rows) serial_total += r;
    }
  }
  arena.execute([&] { EXPECT_EQ(phases_handing_data_on(), serial_total); });
}

#if defined(FLYWHEEL_THREAD_SANITIZER)
/// Every body adds to one integer: a data race.
int bodies_sharing_a_variable() {
  int shared = 0;
  for (int k = 0; k < 20; ++k)
    for_each_unit(Execution::parallel, 64, [&](std::size_t i) {
      shared += static_cast<int>(i);
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    });
  return shared;
}

TEST(ForEachUnitDeathTest, ARaceBetweenBodiesIsStillReportedUnderTsan) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        tbb::task_arena arena(4);
        arena.execute([] { static_cast<void>(bodies_sharing_a_variable()); });
      },
      "ThreadSanitizer: data race");
}
#else
TEST(ForEachUnitDeathTest, ARaceBetweenBodiesIsStillReportedUnderTsan) {
  GTEST_SKIP() << "a ThreadSanitizer build only";
}
#endif

}  // namespace
}  // namespace flywheel
