#include "flywheel/agents/auction.hpp"

#include <algorithm>
#include <array>

namespace flywheel::agents {

std::uint32_t sponsored_auction(std::span<const float> bids, std::span<const float> relevance, std::uint32_t slots,
                                double reserve, std::span<SponsoredWin> wins) noexcept {
  if (slots == 0) return 0;
  // The best slots + 1 ad ranks, best first: the winners and the best loser,
  // whose ad rank prices the last winner.
  const std::uint32_t held_most = std::min(slots, max_sponsored_slots) + 1;
  std::array<std::uint32_t, max_sponsored_slots + 1> held{};
  std::array<double, max_sponsored_slots + 1> rank{};
  std::uint32_t n = 0;
  for (std::uint32_t j = 0; j < bids.size(); ++j) {
    if (!(bids[j] >= reserve) || !(relevance[j] > 0.0f)) continue;
    const double r = static_cast<double>(bids[j]) * relevance[j];
    if (n == held_most && !(r > rank[n - 1])) continue;
    std::uint32_t at = n < held_most ? n++ : n - 1;
    while (at > 0 && rank[at - 1] < r) {  // after every held rank at least as high: ties keep the lower index first
      held[at] = held[at - 1];
      rank[at] = rank[at - 1];
      --at;
    }
    held[at] = j;
    rank[at] = r;
  }
  const std::uint32_t winners = std::min({n, slots, max_sponsored_slots});
  for (std::uint32_t i = 0; i < winners; ++i) {
    const std::uint32_t b = held[i];
    const double next = i + 1 < n ? rank[i + 1] / relevance[b] : reserve;
    wins[i] = {b, std::min(static_cast<double>(bids[b]), std::max(reserve, next))};
  }
  return winners;
}

}  // namespace flywheel::agents
