#pragma once
// Collective exchanges of bytes between MPI ranks, as the distributed run
// needs them. Without MPI (or with one rank) each is a plain copy, so callers
// have no #if and the one-rank run is the same code with no-op exchanges.
// Only the main thread may call these (MPI_THREAD_FUNNELED).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

namespace flywheel::exchange {

/// The ranks one simulation spreads over, and this process's place among
/// them: the MPI world, unless a ProcessLocal lives.
[[nodiscard]] int rank() noexcept;
[[nodiscard]] int ranks() noexcept;

/// While one lives, a simulation stays in this process whatever the MPI
/// world: `flywheel sweep` under mpirun gives each rank runs of its own.
/// Make it before any simulation starts, on the main thread.
class ProcessLocal {
 public:
  ProcessLocal() noexcept;
  ProcessLocal(const ProcessLocal&) = delete;
  ProcessLocal& operator=(const ProcessLocal&) = delete;
  ~ProcessLocal();
};

/// Bytes this rank has sent to other ranks through these calls (not to itself).
[[nodiscard]] std::uint64_t bytes_sent() noexcept;

/// All-to-all: send[sum(send_counts[0..q)) ...] (send_counts[q] bytes) goes to
/// rank q; recv gets what every rank sent to this one, concatenated in rank
/// order, and recv_counts[q] how many bytes came from rank q.
void alltoallv_bytes(std::span<const std::byte> send, std::span<const std::size_t> send_counts,
                     std::vector<std::byte>& recv, std::vector<std::size_t>& recv_counts);

/// The same when the receiver already knows recv_counts (bytes from each
/// rank): one collective call rather than two.
void alltoallv_known(std::span<const std::byte> send, std::span<const std::size_t> send_counts,
                     std::vector<std::byte>& recv, std::span<const std::size_t> recv_counts);

/// All-gather: every rank's `send`, concatenated in rank order, on every rank.
void allgatherv_bytes(std::span<const std::byte> send, std::vector<std::byte>& recv,
                      std::vector<std::size_t>& recv_counts);

/// The same when every rank's size is known (recv_counts, bytes): one call rather than two.
void allgatherv_known(std::span<const std::byte> send, std::vector<std::byte>& recv,
                      std::span<const std::size_t> recv_counts);

/// Gather to rank `root`: on root, every rank's `send` concatenated in rank
/// order (recv and recv_counts are left empty elsewhere).
void gatherv_bytes(std::span<const std::byte> send, std::vector<std::byte>& recv, std::vector<std::size_t>& recv_counts,
                   int root = 0);

/// Whether `flag` is true on any rank.
[[nodiscard]] bool any(bool flag);

/// Returns once every rank has called it: a rank that is done waits for the others.
void barrier();

/// Typed forms, for trivially copyable element types.
template <class T>
std::span<const std::byte> as_bytes(std::span<const T> values) noexcept {
  static_assert(std::is_trivially_copyable_v<T>);
  return std::as_bytes(values);
}

/// Copies bytes back into elements (`bytes` holds a whole number of them).
template <class T>
void from_bytes(std::span<const std::byte> bytes, std::vector<T>& out) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.resize(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
}

/// All-gather of elements: every rank's `send` in rank order; counts in elements.
template <class T>
void allgatherv(std::span<const T> send, std::vector<T>& recv, std::vector<std::size_t>& recv_counts) {
  std::vector<std::byte> bytes;
  allgatherv_bytes(as_bytes(send), bytes, recv_counts);
  for (auto& c : recv_counts) c /= sizeof(T);
  from_bytes(std::span<const std::byte>(bytes), recv);
}

}  // namespace flywheel::exchange
