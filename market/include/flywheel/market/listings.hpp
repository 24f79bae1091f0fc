#pragma once
#include "flywheel/market/shard.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::market {

/// The price phase's withdrawal from platforms that have exited (terms.open
/// false): each offer on one closes (into shard.delistings; its stock is
/// written off). A 3P seller that lists on an open platform too keeps selling
/// there (a listing dropped, counted in the exited platform's tally); one
/// left with no platform leaves like a seller that exits (into shard.exits),
/// as does a 1P seller of the exited platform. Runs after price_and_restock,
/// which leaves those offers alone, and before review_listings, which skips
/// them; a no-op (one pass over the offers) when none is on an exited platform.
void leave_exited_platforms(Shard& shard, const TickContext& ctx);

/// Sellers move between platforms (loops.multi_homing). Every
/// sellers.platform_review_interval days (staggered by seller id) a 3P seller
/// that is not leaving reviews its platforms by agents::review_listings: it
/// may drop the listing whose last price window's margin a day fell furthest
/// below sellers.fixed_cost (once shown a whole interval), closing the
/// offer (its stock is written off), or list on one more platform where the
/// published signals promise a profit over sellers.listing_cost, which it pays
/// from its cash. Runs after price_and_restock; dropped offers go to
/// shard.delistings, added ones are appended and the shard reordered.
void review_listings(Shard& shard, const TickContext& ctx);

}  // namespace flywheel::market
