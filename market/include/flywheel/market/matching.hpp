#pragma once
#include <span>

#include "flywheel/market/intent.hpp"
#include "flywheel/market/shard.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::market {

/// The matching kernel: for each intent routed to this shard, in canonical
/// order, the shopper weighs the offers its platform shows (true utility:
/// quality, rating, price paid, delivery, variant fit) against the outside
/// option and chooses by multinomial logit; a sold-out choice sends it to its
/// next one. A sale moves stock and money, may bring a review, and gives the
/// ranker a quality signal (not with loops.data off: the ranker learns
/// neither from sales nor from reviews, which shoppers still see). Writes
/// each intent's outcome, the shard's offers, sellers and tally; reads no
/// customer state but what the intent carries.
void match_intents(Shard& shard, std::span<Intent> intents, const TickContext& ctx);

}  // namespace flywheel::market
