#pragma once
// What a random stream is for: the `purpose` of (seed, tick, entity, purpose).
// Distinct purposes give independent streams for the same entity and tick.

#include <cstdint>

namespace flywheel::agents {

enum class Purpose : std::uint32_t {
  customer_traits = 1,  // fixed traits, drawn once (tick = static_tick)
  favourites,           // favourite categories (static)
  taste,                // variant taste per category (static)
  contacts,             // social contacts (static)
  wake,                 // which customers of a block shop today, or become active
  shop,                 // category and platform of a shopping trip
  choose,               // the choice among offers, experience and review
  referral,             // whether a buyer passes a referral on
  seller_traits,        // a seller's quality, variant and costs
  seller_daily,         // a seller's daily decisions (fulfilment exploration)
  entry,                // potential entrants looking at a category
  initial_state,        // the scenario's starting customers (entity: the customer)
  // New purposes go last, so that the streams of the others keep their numbers.
  referral_take_up,  // whether an inactive contact takes a referral up (event: the referrer)
  category_traits,   // a category's price level (static)
  style,             // a customer's style, the centre of its tastes (static)
  examine,           // how far down a list a shopper looks, and its impressions of fit
  membership,        // whether a non-member weighs a platform's membership on a trip

  // A sweep's design (app/src/sweep_plan.cpp; seed: the sweep's, entity: a
  // replicate or a dimension), here so that one registry holds every purpose.
  sweep_replicate_seed = 0x5EED0001u,  // each replicate's scenario seed
  sweep_lhs_order,                     // a Latin hypercube's strata order
  sweep_lhs_jitter,                    // a point's place within its stratum

  // Whether output.sample follows an agent (runtime/src/output_panels.cpp;
  // seed 0, tick static_tick, entity: its stable id): the same agents
  // whatever the run's seed, so replicates and knockouts follow the same ones.
  sample_customer = 0x5A3D0001u,
  sample_seller,
};

constexpr std::uint32_t purpose(Purpose p) noexcept { return static_cast<std::uint32_t>(p); }

}  // namespace flywheel::agents
