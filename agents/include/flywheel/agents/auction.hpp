#pragma once
// Sponsored positions: a generalised second-price (GSP) auction on each
// bidder's bid times its relevance to the shopper, the quality-score rule of
// search advertising (Edelman, Ostrovsky and Schwarz 2007; Varian 2007).

#include <cstdint>
#include <span>

namespace flywheel::agents {

/// The most sponsored positions one list may have.
inline constexpr std::uint32_t max_sponsored_slots = 16;

struct SponsoredWin {
  std::uint32_t bidder;    // index into the bids
  double price_per_click;  // what it pays each time a shopper examines its position
};

/// Runs the auction for `slots` positions. A bidder takes part when its bid
/// is at least `reserve` and its relevance is positive; its ad rank is bid x
/// relevance. The highest ad ranks win, best first (ties: the lower index).
/// A winner pays per click the least bid that keeps its rank: the next ad
/// rank below its own (a winner's or the best loser's) over its relevance,
/// never below the reserve (the last winner, with no bidder below it, pays
/// the reserve) nor above its own bid. Writes the winners to `wins` (room for
/// min(slots, max_sponsored_slots)) and returns how many there are.
std::uint32_t sponsored_auction(std::span<const float> bids, std::span<const float> relevance, std::uint32_t slots,
                                double reserve, std::span<SponsoredWin> wins) noexcept;

}  // namespace flywheel::agents
