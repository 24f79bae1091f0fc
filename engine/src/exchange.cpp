#include "flywheel/engine/exchange.hpp"

#include <climits>
#include <numeric>
#include <string>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/mpi.hpp"

namespace flywheel::exchange {
namespace {

std::uint64_t sent = 0;

#if FLYWHEEL_WITH_MPI
/// MPI's counts and displacements are ints: a part of 2 GiB or more is refused.
int as_count(std::size_t n) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw RunError("an MPI exchange of " + std::to_string(n) + " bytes is too large (2 GiB at most per part)");
  return static_cast<int>(n);
}

std::vector<int> displacements(const std::vector<int>& counts) {
  std::vector<int> d(counts.size(), 0);
  std::size_t total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    d[i] = as_count(total);
    total += static_cast<std::size_t>(counts[i]);
  }
  as_count(total);
  return d;
}
#endif

bool process_local = false;

bool distributed() noexcept { return mpi::active() && ranks() > 1; }

}  // namespace

int rank() noexcept { return process_local ? 0 : mpi::rank(); }
int ranks() noexcept { return process_local ? 1 : mpi::size(); }
ProcessLocal::ProcessLocal() noexcept { process_local = true; }
ProcessLocal::~ProcessLocal() { process_local = false; }

std::uint64_t bytes_sent() noexcept { return sent; }

void alltoallv_bytes(std::span<const std::byte> send, std::span<const std::size_t> send_counts,
                     std::vector<std::byte>& recv, std::vector<std::size_t>& recv_counts) {
  if (!distributed()) {
    FLYWHEEL_ASSERT(send_counts.size() == 1 && send_counts[0] == send.size());
    recv.assign(send.begin(), send.end());
    recv_counts.assign(1, send.size());
    return;
  }
#if FLYWHEEL_WITH_MPI
  const auto ranks = static_cast<std::size_t>(mpi::size());
  FLYWHEEL_ASSERT(send_counts.size() == ranks);
  std::vector<int> scounts(ranks), rcounts(ranks);
  for (std::size_t q = 0; q < ranks; ++q) {
    scounts[q] = as_count(send_counts[q]);
    if (static_cast<int>(q) != mpi::rank()) sent += send_counts[q];
  }
  MPI_Alltoall(scounts.data(), 1, MPI_INT, rcounts.data(), 1, MPI_INT, mpi::world());
  const auto sdispl = displacements(scounts);
  const auto rdispl = displacements(rcounts);
  recv.resize(static_cast<std::size_t>(rdispl.back()) + static_cast<std::size_t>(rcounts.back()));
  MPI_Alltoallv(send.data(), scounts.data(), sdispl.data(), MPI_BYTE, recv.data(), rcounts.data(), rdispl.data(),
                MPI_BYTE, mpi::world());
  recv_counts.assign(rcounts.begin(), rcounts.end());
#endif
}

void alltoallv_known(std::span<const std::byte> send, std::span<const std::size_t> send_counts,
                     std::vector<std::byte>& recv, std::span<const std::size_t> recv_counts) {
  if (!distributed()) {
    FLYWHEEL_ASSERT(send_counts.size() == 1 && send_counts[0] == send.size() && recv_counts[0] == send.size());
    recv.assign(send.begin(), send.end());
    return;
  }
#if FLYWHEEL_WITH_MPI
  const auto ranks = static_cast<std::size_t>(mpi::size());
  FLYWHEEL_ASSERT(send_counts.size() == ranks && recv_counts.size() == ranks);
  std::vector<int> scounts(ranks), rcounts(ranks);
  for (std::size_t q = 0; q < ranks; ++q) {
    scounts[q] = as_count(send_counts[q]);
    rcounts[q] = as_count(recv_counts[q]);
    if (static_cast<int>(q) != mpi::rank()) sent += send_counts[q];
  }
  const auto sdispl = displacements(scounts);
  const auto rdispl = displacements(rcounts);
  recv.resize(static_cast<std::size_t>(rdispl.back()) + static_cast<std::size_t>(rcounts.back()));
  MPI_Alltoallv(send.data(), scounts.data(), sdispl.data(), MPI_BYTE, recv.data(), rcounts.data(), rdispl.data(),
                MPI_BYTE, mpi::world());
#endif
}

void allgatherv_known(std::span<const std::byte> send, std::vector<std::byte>& recv,
                      std::span<const std::size_t> recv_counts) {
  if (!distributed()) {
    FLYWHEEL_ASSERT(recv_counts.size() == 1 && recv_counts[0] == send.size());
    recv.assign(send.begin(), send.end());
    return;
  }
#if FLYWHEEL_WITH_MPI
  const auto ranks = static_cast<std::size_t>(mpi::size());
  FLYWHEEL_ASSERT(recv_counts.size() == ranks && recv_counts[static_cast<std::size_t>(mpi::rank())] == send.size());
  std::vector<int> counts(ranks);
  for (std::size_t q = 0; q < ranks; ++q) counts[q] = as_count(recv_counts[q]);
  const auto displ = displacements(counts);
  recv.resize(static_cast<std::size_t>(displ.back()) + static_cast<std::size_t>(counts.back()));
  MPI_Allgatherv(send.data(), as_count(send.size()), MPI_BYTE, recv.data(), counts.data(), displ.data(), MPI_BYTE,
                 mpi::world());
  sent += send.size() * (ranks - 1);
#endif
}

void allgatherv_bytes(std::span<const std::byte> send, std::vector<std::byte>& recv,
                      std::vector<std::size_t>& recv_counts) {
  if (!distributed()) {
    recv.assign(send.begin(), send.end());
    recv_counts.assign(1, send.size());
    return;
  }
#if FLYWHEEL_WITH_MPI
  // The sizes first, then the bytes.
  const std::uint64_t mine = send.size();
  std::vector<std::uint64_t> sizes(static_cast<std::size_t>(mpi::size()));
  MPI_Allgather(&mine, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, mpi::world());
  recv_counts.assign(sizes.begin(), sizes.end());
  allgatherv_known(send, recv, recv_counts);
#endif
}

void gatherv_bytes(std::span<const std::byte> send, std::vector<std::byte>& recv, std::vector<std::size_t>& recv_counts,
                   int root) {
  if (!distributed()) {
    recv.assign(send.begin(), send.end());
    recv_counts.assign(1, send.size());
    return;
  }
#if FLYWHEEL_WITH_MPI
  const auto ranks = static_cast<std::size_t>(mpi::size());
  const bool at_root = mpi::rank() == root;
  int mine = as_count(send.size());
  std::vector<int> counts(at_root ? ranks : 0);
  MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, root, mpi::world());
  std::vector<int> displ;
  recv.clear();
  recv_counts.clear();
  if (at_root) {
    displ = displacements(counts);
    recv.resize(static_cast<std::size_t>(displ.back()) + static_cast<std::size_t>(counts.back()));
    recv_counts.assign(counts.begin(), counts.end());
  } else {
    sent += send.size();
  }
  MPI_Gatherv(send.data(), mine, MPI_BYTE, recv.data(), counts.data(), displ.data(), MPI_BYTE, root, mpi::world());
#else
  (void)root;
#endif
}

bool any(bool flag) {
  if (!distributed()) return flag;
#if FLYWHEEL_WITH_MPI
  int mine = flag ? 1 : 0, result = 0;
  MPI_Allreduce(&mine, &result, 1, MPI_INT, MPI_MAX, mpi::world());  // an integer maximum: any order gives the same
  return result != 0;
#else
  return flag;
#endif
}

void barrier() {
#if FLYWHEEL_WITH_MPI
  if (distributed()) MPI_Barrier(mpi::world());
#endif
}

}  // namespace flywheel::exchange
