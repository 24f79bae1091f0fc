#pragma once
#include "flywheel/market/shard.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::market {

/// Sellers move between platforms (loops.multi_homing). Every
/// sellers.platform_review_interval days (staggered by seller id) a 3P seller
/// that is not leaving reviews its platforms by agents::review_listings: it
/// may drop a listing that lost money over the last interval, closing the
/// offer (its stock is written off), or list on one more platform where the
/// published signals promise a profit over sellers.listing_cost, which it pays
/// from its cash. Runs after price_and_restock; dropped offers go to
/// shard.delistings, added ones are appended and the shard reordered.
void review_listings(Shard& shard, const TickContext& ctx);

}  // namespace flywheel::market
