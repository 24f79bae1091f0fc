#pragma once
// A shopping intent: emitted by a customer, routed to the shard that owns its
// category, and filled in with the outcome by the matching kernel.

#include <cstdint>

#include "flywheel/agents/ids.hpp"

namespace flywheel::market {

/// How a trip ended: a purchase kept, a purchase returned (refunded), or none.
enum class Outcome : std::uint8_t { pending, bought, no_purchase, returned };

struct Intent {
  CustomerId customer;
  std::uint32_t category;
  float experience;  // outcome: realised utility against the outside option
  float paid;        // outcome: what the customer paid and was not refunded (a return refunds the price, not shipping)
  PlatformId platform;
  std::uint8_t member;  // 1 if the customer is a member of this platform
  Outcome outcome;
  // The shopper's traits the matching kernel needs, carried along so that the
  // shard's process (an MPI rank) needs no customer state.
  float price_sensitivity;
  float delivery_sensitivity;
  float style;  // the shopper's own style (agents/taste.hpp): only its own judgement of fit reads it
  // The platform's data about the shopper: its ranker's taste profile
  // (agents::TasteProfile), read to rank and written back after a purchase.
  std::uint16_t taste_profile;
};

/// What matching tells the shopper's process: the outcome fields of an intent.
struct IntentOutcome {
  float experience;
  float paid;
  Outcome outcome;
  std::uint16_t taste_profile;
};

}  // namespace flywheel::market
