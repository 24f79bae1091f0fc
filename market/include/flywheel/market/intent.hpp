#pragma once
// A shopping intent: emitted by a customer, routed to the shard that owns its
// category, and filled in with the outcome by the matching kernel.

#include <cstdint>

#include "flywheel/agents/ids.hpp"

namespace flywheel::market {

enum class Outcome : std::uint8_t { pending, bought, no_purchase };

struct Intent {
  CustomerId customer;
  std::uint32_t category;
  float experience;  // outcome: realised utility against the outside option
  float paid;        // outcome: what the customer paid (0 if it bought nothing)
  PlatformId platform;
  std::uint8_t member;  // 1 if the customer is a member of this platform
  Outcome outcome;
  // The shopper's traits the matching kernel needs, carried along so that the
  // shard's process (an MPI rank) needs no customer state.
  float price_sensitivity;
  float delivery_sensitivity;
};

/// What matching tells the shopper's process: the outcome fields of an intent.
struct IntentOutcome {
  float experience;
  float paid;
  Outcome outcome;
};

}  // namespace flywheel::market
