#pragma once
// Sends items that are grouped by (destination rank, key) to their ranks and
// hands the receiver its items grouped by (key, source rank), keeping each
// source's order within a key; answers can then travel back to the senders
// in the senders' own order. The distributed run sends shopping intents
// (key: shard) and word-of-mouth referrals (key: the shard that emitted
// them) this way, so that every rank sees its items in the single-process
// order: shard, then customer block (blocks are contiguous in rank order).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/exchange.hpp"

namespace flywheel::exchange {

template <class Item>
class KeyedExchange {
 public:
  KeyedExchange(std::size_t ranks, std::size_t keys)
      : ranks_(ranks), keys_(keys), counts_in_(ranks * keys), key_begin_(keys + 1) {}

  /// Sends `items`, grouped by destination rank and then key; counts[q * keys + k]
  /// items go to rank q under key k. Collective: every rank calls it.
  void send(std::span<const Item> items, std::span<const std::uint64_t> counts) {
    FLYWHEEL_ASSERT(counts.size() == ranks_ * keys_);
    // Counts first (a fixed size): each rank learns how many items of each key come from each source.
    const std::vector<std::size_t> count_bytes(ranks_, keys_ * sizeof(std::uint64_t));
    alltoallv_known(std::as_bytes(counts), count_bytes, scratch_, count_bytes);
    from_bytes(std::span<const std::byte>(scratch_), counts_in_);
    send_bytes_.assign(ranks_, 0);
    std::vector<std::size_t> recv_bytes(ranks_, 0);
    for (std::size_t q = 0; q < ranks_; ++q)
      for (std::size_t k = 0; k < keys_; ++k) {
        send_bytes_[q] += counts[q * keys_ + k] * sizeof(Item);
        recv_bytes[q] += counts_in_[q * keys_ + k] * sizeof(Item);
      }
    alltoallv_known(std::as_bytes(items), send_bytes_, scratch_, recv_bytes);
    from_bytes(std::span<const std::byte>(scratch_), by_source_);

    // Reorder by (key, source): by_source_ holds source 0's keys in order, then source 1's...
    source_begin_.assign(ranks_ * keys_, 0);
    std::size_t offset = 0;
    for (std::size_t q = 0; q < ranks_; ++q)
      for (std::size_t k = 0; k < keys_; ++k) {
        source_begin_[q * keys_ + k] = offset;
        offset += counts_in_[q * keys_ + k];
      }
    by_key_.resize(by_source_.size());
    std::size_t w = 0;
    for (std::size_t k = 0; k < keys_; ++k) {
      key_begin_[k] = w;
      for (std::size_t q = 0; q < ranks_; ++q) {
        const std::size_t n = counts_in_[q * keys_ + k];
        if (n > 0) std::memcpy(&by_key_[w], &by_source_[source_begin_[q * keys_ + k]], n * sizeof(Item));
        w += n;
      }
    }
    key_begin_[keys_] = w;
  }

  /// The items received under key k, by source rank; writable.
  std::span<Item> items(std::size_t k) { return {by_key_.data() + key_begin_[k], key_begin_[k + 1] - key_begin_[k]}; }
  [[nodiscard]] std::size_t received() const noexcept { return by_key_.size(); }

  /// Sends back one answer per item received (answer(item) in items() order);
  /// `out` gets the answers to this rank's own items in the order it sent them.
  template <class Answer, class F>
  void reply(const F& answer, std::vector<Answer>& out) {
    std::vector<Answer> back(by_key_.size());
    std::vector<std::size_t> byte_counts(ranks_, 0), expected(ranks_);
    // As many answers come back from each rank as this rank sent it items.
    for (std::size_t q = 0; q < ranks_; ++q) expected[q] = send_bytes_[q] / sizeof(Item) * sizeof(Answer);
    for (std::size_t k = 0; k < keys_; ++k) {
      std::size_t r = key_begin_[k];
      for (std::size_t q = 0; q < ranks_; ++q) {
        const std::size_t n = counts_in_[q * keys_ + k];
        for (std::size_t i = 0; i < n; ++i) back[source_begin_[q * keys_ + k] + i] = answer(by_key_[r + i]);
        r += n;
        byte_counts[q] += n * sizeof(Answer);
      }
    }
    alltoallv_known(std::as_bytes(std::span<const Answer>(back)), byte_counts, scratch_, expected);
    from_bytes(std::span<const std::byte>(scratch_), out);
  }

 private:
  std::size_t ranks_;
  std::size_t keys_;
  std::vector<std::uint64_t> counts_in_;   // source x key
  std::vector<std::size_t> source_begin_;  // source x key: offset in by_source_
  std::vector<std::size_t> key_begin_;     // keys + 1: offset in by_key_
  std::vector<std::size_t> send_bytes_;    // per rank, of the last send
  std::vector<Item> by_source_;
  std::vector<Item> by_key_;
  std::vector<std::byte> scratch_;
};

}  // namespace flywheel::exchange
