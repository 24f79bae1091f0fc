#pragma once
#include <cstdint>

#include "flywheel/agents/seller_params.hpp"
#include "flywheel/market/platform_terms.hpp"
#include "flywheel/market/shard.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::market {

/// What 3P seller `s` pays per unit to get it to a buyer on a platform with
/// `terms`: the platform's fulfilment fee if it uses the platform's network,
/// else its own shipping (a share of the category's price `level`).
inline double third_party_fulfilment_cost(const Shard& shard, std::uint32_t s, const PlatformTerms& terms,
                                          const agents::SellerParams& sp, double level) noexcept {
  return shard.state.sellers.platform_fulfilled[s] != 0 ? terms.fulfilment_fee : sp.self_ship_cost * level;
}

/// The pricing pass over one shard, after matching. Each seller looks only at
/// its own books and stock and its competitors' prices on the same platform
/// and category: it updates its sales estimate, reviews its price (not every
/// day), reorders through its stock mechanisms, moves down its learning curve
/// (not with loops.scale_economies off), books its costs and may decide to
/// leave (into shard.exits). 1P offers are priced by their platform's markup
/// and restocked by the same mechanisms. Offers on a platform that has
/// exited are left alone: leave_exited_platforms (listings.hpp) closes them.
/// Also publishes the category signals and counts sellers, offers and the
/// ranker's error into the shard's tally.
void price_and_restock(Shard& shard, const TickContext& ctx);

}  // namespace flywheel::market
