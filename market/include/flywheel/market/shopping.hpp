#pragma once
// The customer phase: customers decide whether to shop today, where and for
// what; inactive customers may start shopping after an advertisement or on
// their own. Runs over fixed blocks of customers; each block writes only its
// own customers' rows, its own outbox of intents and its own tally.

#include <span>

#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/tally.hpp"
#include "flywheel/engine/routing.hpp"
#include "flywheel/market/intent.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::market {

/// Runs the customer phase for customers [first, last) (ids) of block
/// `block`, whose intents go to the router's block `outbox`.
/// tally: this block's tally, one per platform.
void customers_shop(std::size_t block, std::size_t outbox, std::size_t first, std::size_t last,
                    agents::Customers& customers, Router<Intent>& router, std::span<agents::PlatformTally> tally,
                    const TickContext& ctx);

/// A word-of-mouth message: `contact` hears of `platform` from a satisfied
/// buyer (`referrer`), and of how good the buyer's experience was. A buyer
/// refers at most one contact a day, so (day, contact, referrer) names one
/// event and keys its draw.
struct Referral {
  std::uint32_t contact;
  std::uint32_t referrer;
  float experience;
  PlatformId platform;
};

/// The experience phase for one shard's intents: customers update their
/// remembered satisfaction, conversion and spend from what happened, and
/// satisfied buyers may refer a contact (into `referrals`; none with
/// loops.word_of_mouth off), one of all `population` customers (who may be
/// held by another process).
void apply_experiences(std::span<const Intent> intents, agents::Customers& customers, std::vector<Referral>& referrals,
                       std::span<agents::PlatformTally> tally, std::size_t population, const TickContext& ctx);

/// The merge after the experience phase: each referred customer learns of the
/// platform and weighs the friend's experience as a vicarious one (its
/// satisfaction moves towards it, less than towards its own); an inactive one
/// may start shopping there, each referral with its own draw (so k referrals
/// in a day start it with 1 - (1 - referral_activation)^k). Changes in
/// shoppers per platform go to `tally`.
void take_up_referral(const Referral& referral, agents::Customers& customers, std::span<agents::PlatformTally> tally,
                      const TickContext& ctx);

}  // namespace flywheel::market
