#pragma once
// What a platform's mechanisms can observe (its own books and published
// industry figures) and move (its levers). See mechanism.hpp.

#include <array>
#include <cstdint>

#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

struct PlatformPolicy {
  enum class Metric : std::uint8_t {
    operating_margin,    // operating profit / revenue, over the metric window
    delivery_days,       // its standard delivery time
    orders_growth,       // orders in the metric window (policy.metric_window days) over the window before, minus 1
    conversion_rate,     // orders per visit, over the metric window
    failed_search_rate,  // visits without a purchase, over the metric window
    third_party_share,   // 3P share of units, over the metric window
    market_share,        // its share of all platforms' visits, over the metric window (industry panels publish this)
    cash,                // money in hand
    orders_per_day,      // mean over the metric window
    count
  };
  enum class Lever : std::uint8_t {
    take_rate,
    fulfilment_fee,
    first_party_markup,
    delivery_investment,
    marketing_spend,
    membership_fee,
    shipping_fee,
    payout_share,
    count
  };
  static constexpr std::uint32_t max_delay = 365;

  static constexpr std::array<config::Choice<Metric>, 9> metric_choices{
      {{"operating_margin", Metric::operating_margin},
       {"delivery_days", Metric::delivery_days},
       {"orders_growth", Metric::orders_growth},
       {"conversion_rate", Metric::conversion_rate},
       {"failed_search_rate", Metric::failed_search_rate},
       {"third_party_share", Metric::third_party_share},
       {"market_share", Metric::market_share},
       {"cash", Metric::cash},
       {"orders_per_day", Metric::orders_per_day}}};
  static constexpr std::array<config::Choice<Lever>, 8> lever_choices{
      {{"take_rate", Lever::take_rate},
       {"fulfilment_fee", Lever::fulfilment_fee},
       {"first_party_markup", Lever::first_party_markup},
       {"delivery_investment", Lever::delivery_investment},
       {"marketing_spend", Lever::marketing_spend},
       {"membership_fee", Lever::membership_fee},
       {"shipping_fee", Lever::shipping_fee},
       {"payout_share", Lever::payout_share}}};
};

}  // namespace flywheel::agents
