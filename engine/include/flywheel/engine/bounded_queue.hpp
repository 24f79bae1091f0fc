#pragma once
// A bounded single-producer, single-consumer queue of preallocated slots.
// The producer fills a slot in place and publishes it; the consumer reads it
// in place and releases it, so passing a record allocates nothing. A full
// queue makes the producer wait (back-pressure), never drop records.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

namespace flywheel {

template <class T>
class BoundedQueue {
 public:
  /// Takes ownership of the slots (at least one), sized by the caller once.
  explicit BoundedQueue(std::vector<T> slots) : slots_(std::move(slots)) {}
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  /// Producer: the next free slot, waiting while all are in use; nullptr once aborted.
  T* acquire() {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return count_ < slots_.size() || aborted_; });
    return aborted_ ? nullptr : &slots_[(head_ + count_) % slots_.size()];
  }
  /// Producer: hands the slot from acquire() to the consumer.
  void publish() {
    {
      const std::lock_guard lock(mutex_);
      ++count_;
    }
    not_empty_.notify_one();
  }
  /// Producer: no more slots will be published; the consumer drains what is left.
  void close() {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_one();
  }

  /// Consumer: the oldest published slot, waiting for one; nullptr once closed and drained.
  T* front() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return count_ > 0 || closed_; });
    return count_ > 0 ? &slots_[head_] : nullptr;
  }
  /// Consumer: returns the slot from front() to the producer.
  void release() {
    {
      const std::lock_guard lock(mutex_);
      head_ = (head_ + 1) % slots_.size();
      --count_;
    }
    not_full_.notify_one();
  }
  /// Consumer: gives up (after an error); a waiting or later acquire() returns nullptr.
  void abort() {
    {
      const std::lock_guard lock(mutex_);
      aborted_ = true;
    }
    not_full_.notify_one();
  }

 private:
  std::vector<T> slots_;
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  bool closed_ = false;
  bool aborted_ = false;
};

}  // namespace flywheel
