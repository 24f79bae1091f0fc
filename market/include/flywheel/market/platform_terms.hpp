#pragma once
// A platform's published terms for one tick, as every agent sees them: a
// read-only snapshot taken before the parallel phases.

#include <cstdint>
#include <span>
#include <vector>

#include "flywheel/agents/platform.hpp"

namespace flywheel::market {

struct PlatformTerms {
  bool open = true;  // false once it has exited: nobody shops, sells or lists there
  bool third_party;
  bool membership_offered;
  double take_rate;
  double fulfilment_fee;
  double shipping_fee;
  double delivery_days;
  double member_days_saved;
  double first_party_markup;    // most a 1P price may be over its unit cost: its margin policy
  double fulfilment_unit_cost;  // its own cost of fulfilling a unit
  double membership_fee;
  double member_consideration;  // chance per trip that a non-member weighs the membership
  double ad_reach;              // chance an advertisement reaches a given customer today
  double ad_response;
  double ranker_prior_precision;
  double ranker_prior_mean_1p;        // what its ranker expects of an offer of its own it knows nothing of yet
  double ranker_prior_mean_3p;        // and of a 3P offer: learnt from its recent offers (PlatformBooks)
  std::uint32_t ranker_prior_window;  // days an offer's evidence counts towards those means, from its first day shown
  double ranker_signal_precision;
  double ranker_signal_sd;  // 1 / sqrt(ranker_signal_precision)
  double ranker_exploration;
  std::uint32_t ranker_candidates;
  double ranker_taste_doubt;
  double ranker_review_trust;
  double first_party_boost;  // what its ranker adds to its own 1P offers' scores (self-preferencing)
  double fulfilled_boost;    // what its ranker adds to the scores of offers it delivers
  double ad_slots;           // sponsored positions per list (the lever; its whole part counts)
  double ad_reserve;         // least price per click of a sponsored position
};

/// A prior for an offer's quality: its mean and precision.
struct QualityPrior {
  double mean;
  double precision;
};

/// Sponsored positions the platform sells in each list today: the lever's whole part, none with the
/// `sponsored` loop off. Matching auctions them; sellers' bid mechanisms run while there are any.
inline std::uint32_t sponsored_slots(const PlatformTerms& terms, bool sponsored_loop) noexcept {
  return sponsored_loop ? static_cast<std::uint32_t>(terms.ad_slots) : 0;
}

/// Snapshots every platform's terms into `terms` (reused: no allocation after
/// the first call); customers is the population size.
void snapshot_terms(const std::vector<agents::Platform>& platforms, std::size_t customers,
                    std::vector<PlatformTerms>& terms);

/// The platforms still open, as a bit mask (bit p: platform p), to mask what a customer knows.
std::uint8_t open_platforms(std::span<const PlatformTerms> terms) noexcept;

/// The index of the n-th (from 0) open platform; terms.size() if fewer are open.
std::size_t nth_open_platform(std::span<const PlatformTerms> terms, std::size_t n) noexcept;

}  // namespace flywheel::market
