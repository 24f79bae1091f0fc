#pragma once
#include <span>

#include "flywheel/market/intent.hpp"
#include "flywheel/market/shard.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::market {

/// The matching kernel. For each (category, platform) group with shoppers
/// today, the ranker builds the group's pool (ranking.hpp); then each of the
/// group's intents, in canonical order: the platform ranks the shopper's
/// list from its own data (its taste profile of the shopper); the shopper
/// examines the list top-down as far as its attention goes (a cascade), and
/// judges each examined offer by what it can see (price paid, delivery, the
/// displayed rating's promise, a noisy impression of fit, never the true
/// quality); it chooses by multinomial logit against the outside option. A
/// purchase reveals the true quality and fit (the realised experience); a
/// bad enough one is returned for a refund. A sale moves stock and money,
/// may bring a review, and teaches the ranker: a quality signal for the
/// offer, the buyer's taste from what it kept (not with loops.data off: the
/// ranker then learns nothing; shoppers still see reviews). A sold-out offer
/// leaves the day's lists. Measures the ranker's taste error and, on a panel
/// of shoppers, its lists' regret against an oracle's. Writes each intent's
/// outcome and taste profile, the shard's offers, sellers and tally; reads no
/// customer state but what the intent carries.
void match_intents(Shard& shard, std::span<Intent> intents, const TickContext& ctx);

}  // namespace flywheel::market
