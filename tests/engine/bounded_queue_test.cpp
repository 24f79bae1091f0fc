// The bounded queue hands slots over in order, makes a fast producer wait,
// and lets a failing consumer release a waiting producer.

#include "flywheel/engine/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace flywheel {
namespace {

TEST(BoundedQueue, DeliversEverySlotInOrderThroughAFullQueue) {
  for (const std::size_t slots : {1u, 2u, 7u}) {
    BoundedQueue<int> queue(std::vector<int>(slots, 0));
    std::vector<int> seen;
    std::thread consumer([&] {
      while (const int* v = queue.front()) {
        seen.push_back(*v);
        queue.release();
      }
    });
    for (int i = 0; i < 1000; ++i) {
      int* slot = queue.acquire();
      ASSERT_NE(slot, nullptr);
      *slot = i;
      queue.publish();
    }
    queue.close();
    consumer.join();
    ASSERT_EQ(seen.size(), 1000u) << slots << " slots";
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
  }
}

TEST(BoundedQueue, AbortReleasesAWaitingProducer) {
  BoundedQueue<int> queue(std::vector<int>(1, 0));
  *queue.acquire() = 1;
  queue.publish();
  std::thread consumer([&] {
    ASSERT_NE(queue.front(), nullptr);
    queue.abort();  // as a writer that failed on its first record
  });
  EXPECT_EQ(queue.acquire(), nullptr);  // the queue is full: this waits until the abort
  consumer.join();
}

TEST(BoundedQueue, ClosedEmptyQueueEndsTheConsumer) {
  BoundedQueue<int> queue(std::vector<int>(3, 0));
  queue.close();
  EXPECT_EQ(queue.front(), nullptr);
}

}  // namespace
}  // namespace flywheel
