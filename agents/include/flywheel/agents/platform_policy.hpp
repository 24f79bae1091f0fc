#pragma once
// What a platform's mechanisms can observe (its own books and published
// industry figures) and move (its levers). See mechanism.hpp.

#include <array>
#include <cstdint>

#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

/// The levers a platform's mechanisms move (its policy's instruments).
struct PlatformLevers {
  double take_rate = 0.0;            // share of a 3P sale's price
  double fulfilment_fee = 0.0;       // per unit the platform delivers for a 3P seller
  double first_party_markup = 0.0;   // most a 1P price may be over its unit cost (its margin policy)
  double delivery_investment = 0.0;  // per day, into fulfilment capital
  double marketing_spend = 0.0;      // per day, on advertising to customers
  double membership_fee = 0.0;       // per year
  double shipping_fee = 0.0;         // per order of a non-member
  double payout_share = 0.0;         // of a day's positive operating profit
  double first_party_boost = 0.0;    // ranking boost of its own 1P offers, in utility (self-preferencing)
  double fulfilled_boost = 0.0;      // ranking boost of the offers it delivers, in utility
  double ad_slots = 0.0;             // sponsored positions per list (its whole part)

  /// The one list of levers, in the order of PlatformPolicy::Lever (columns.hpp).
  template <class F>
  static constexpr void fields(F&& f) {
    using T = PlatformLevers;
    f("take_rate", &T::take_rate), f("fulfilment_fee", &T::fulfilment_fee),
        f("first_party_markup", &T::first_party_markup), f("delivery_investment", &T::delivery_investment),
        f("marketing_spend", &T::marketing_spend), f("membership_fee", &T::membership_fee),
        f("shipping_fee", &T::shipping_fee), f("payout_share", &T::payout_share),
        f("first_party_boost", &T::first_party_boost), f("fulfilled_boost", &T::fulfilled_boost),
        f("ad_slots", &T::ad_slots);
  }
};

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
  /// The levers, one per field of PlatformLevers, in its order.
  enum class Lever : std::uint8_t {
    take_rate,
    fulfilment_fee,
    first_party_markup,
    delivery_investment,
    marketing_spend,
    membership_fee,
    shipping_fee,
    payout_share,
    first_party_boost,
    fulfilled_boost,
    ad_slots,
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
  /// The levers' names in a config: their field names in PlatformLevers.
  static constexpr auto lever_choices = [] {
    std::array<config::Choice<Lever>, static_cast<std::size_t>(Lever::count)> choices{};
    std::size_t i = 0;
    PlatformLevers::fields([&](const char* name, auto) {
      choices[i] = {name, static_cast<Lever>(i)};
      ++i;
    });
    return choices;
  }();
};

}  // namespace flywheel::agents
