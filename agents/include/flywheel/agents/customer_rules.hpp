#pragma once
// A customer's decision rules, each a small function of what the customer
// knows: its own traits and memory, and what the offers shown to it say.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>

#include "flywheel/agents/ids.hpp"

namespace flywheel::agents {

/// Choice weights over platforms: known platforms only, by remembered
/// satisfaction, plus habit for the one used last and loyalty for a membership.
struct PlatformPreference {
  double sharpness;
  double inertia;
  double member_loyalty;
};

/// Picks a platform among the known ones (bits of `known`) by a logit over
/// sharpness x satisfaction (+ inertia if last, + loyalty if member), with one
/// uniform u in [0, 1). Returns no_platform when it knows none.
PlatformId choose_platform(std::span<const float> satisfaction, std::uint8_t known, PlatformId last,
                           PlatformId member_of, const PlatformPreference& pref, double u);

/// What one offer is worth to a customer. All terms are the customer's own
/// view: the price it pays, the delivery time it gets, the variant it likes.
/// Before buying, quality is what the displayed rating promises and the
/// distance is the shopper's impression of the fit; a purchase reveals both
/// as they are (the realised utility).
struct OfferView {
  double quality;           // the displayed rating (before buying) or the true quality (after)
  double price_paid;        // price plus any shipping fee
  double price_level;       // the category's usual price
  double delivery_days;     // days until delivery for this customer
  double variant_distance;  // 0 (exact fit) .. 0.5 (judged: a little more or less)
};
struct Tastes {
  double quality_weight;
  double price_sensitivity;
  double delivery_sensitivity;
  double taste_weight;
};
double offer_utility(const OfferView& offer, const Tastes& tastes) noexcept;

/// Distance between two points on the unit circle of variants (0 .. 0.5).
/// Inline: the matching kernel calls it (in float) for every offer shown.
/// Branch-free, so that loop vectorises.
template <class Real>
Real circular_distance(Real a, Real b) noexcept {
  const Real d = std::abs(a - b);
  return std::min(d, Real(1) - d);
}

/// How far down a list of n offers a shopper looks (a cascade): it examines
/// the first d positions, with P(position i, from 0, is examined) =
/// attention^i, from one uniform u in (0, 1). log_attention is
/// log(attention), 0 for attention 1 (it looks at all n).
inline std::uint32_t cascade_depth(std::uint32_t n, double log_attention, double u) noexcept {
  if (log_attention == 0.0) return n;
  const double further = std::floor(std::log(u) / log_attention);  // positions beyond the first, unbounded
  return further >= n - 1.0 ? n : 1 + static_cast<std::uint32_t>(further);
}

/// Remembered satisfaction moves towards the latest experience.
float updated_satisfaction(float satisfaction, double experience, double memory) noexcept;

/// The best remembered satisfaction among the platforms a customer knows
/// (bits of `known`, at least one): what it expects of a trip at best.
float best_satisfaction(std::span<const float> satisfaction, std::uint8_t known) noexcept;

/// How much a customer shops relative to its base rate: more when it expects
/// a trip to be good, less when it does not.
struct DemandResponse {
  double response;   // log intensity per unit of satisfaction
  double reference;  // satisfaction at intensity 1
  double max_intensity;
};
double shopping_intensity(double best_satisfaction, const DemandResponse& demand) noexcept;

/// Whether a customer who still shops gives up on shopping: after a trip, when
/// even its best platform disappoints (below `lapse_satisfaction`); between
/// trips, after `lapse_days` without one.
struct Lapse {
  double satisfaction;
  std::uint32_t days;
};
inline bool lapses_after_trip(float best_satisfaction, const Lapse& lapse) noexcept {
  return best_satisfaction < lapse.satisfaction;
}
/// Days since a trip on day `last_trip`, both modulo 65536 (exact below 65536 days).
inline bool lapses_absent(std::uint16_t today, std::uint16_t last_trip, const Lapse& lapse) noexcept {
  return static_cast<std::uint16_t>(today - last_trip) >= lapse.days;
}

/// Whether a customer wants (to keep) a platform's paid membership: the money
/// it expects to save in a year (shipping fees, and faster delivery valued at
/// its own rate) against the yearly fee; members leave only below `leave_ratio` of the fee.
struct MembershipView {
  double yearly_orders;   // its own expected orders per year on that platform
  double shipping_fee;    // per order saved
  double days_saved;      // per order
  double value_of_a_day;  // money it would pay for one day sooner
  double yearly_fee;
};
bool wants_membership(const MembershipView& view, bool is_member, double leave_ratio) noexcept;

}  // namespace flywheel::agents
