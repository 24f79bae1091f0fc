#pragma once
// A seller's decision rules. Each reads only the seller's own books and what
// the platform publishes (its take rate and fees, and last month's sales,
// average price and seller count in a category).

#include <cstdint>
#include <span>

namespace flywheel::agents {

/// Unit cost after `cumulative_units` sold, on a learning curve.
double learning_curve_cost(double base_cost, double cumulative_units, double scale, double exponent) noexcept;

/// The least price at which a sale covers unit cost, fulfilment and the fee.
double price_floor(double unit_cost, double fulfilment_cost, double take_rate, double min_margin) noexcept;

/// What a seller sees at a price review.
struct PriceReview {
  double price;
  bool sold_out;             // its stock ran out since the last review
  std::uint32_t units_sold;  // units sold since the last review
  double profit;             // its profit on those units
  double previous_profit;    // its profit in the window before
  int direction;             // its last price move: +1 up, -1 down
  double competitor_mean;    // mean price of the others on the same platform and category (0: none)
  double floor;              // price_floor(...)
  double step;               // relative step
  double band;               // tolerated premium over competitors
};
struct PriceDecision {
  double price;
  int direction;
};
/// An adaptive (hill-climbing) price rule: raise when sold out; cut when
/// nothing sold or priced above the competitors' band; otherwise keep moving
/// the way that raised profit last time, and turn back when profit fell.
/// Never below the floor.
PriceDecision reviewed_price(const PriceReview& r) noexcept;

/// What a platform publishes about one category, and what a potential seller
/// brings to it.
struct EntryOutlook {
  double units_per_day;    // published: units sold per day in the category, last month
  double average_price;    // published: average price paid
  std::uint32_t offers;    // published: offers listed (1P included)
  double take_rate;        // published fee on sales
  double fulfilment_cost;  // per unit: the cheaper of own shipping and the platform's fee
  double unit_cost;        // its own unit cost
  double fixed_cost;       // its own fixed cost per day
  double horizon_days;     // how far ahead it counts
  double entry_cost;       // one-off
  double quality_edge;     // shoppers' quality weight x (its own quality - the competitors' mean displayed rating)
};
/// The profit a potential seller expects from entering: it expects a share
/// of the category's published sales as one offer among `offers + 1` whose
/// appeal to shoppers is exp(quality_edge) against the incumbents' 1 (an
/// equal share when its quality is what their ratings show).
double expected_entry_profit(const EntryOutlook& o) noexcept;

/// What a 3P seller weighs at a review of its platforms, per platform: the
/// daily profit of its listing there (listed, and listed long enough to
/// judge), or the profit it expects from adding one (expected_entry_profit
/// with the listing cost as the entry cost).
struct PlatformOutlook {
  bool listed = false;
  bool judged = false;  // listed for a whole review interval: its own profit is known
  double listing_profit_per_day = 0.0;
  double expected_profit_if_added = 0.0;
};
struct ListingMove {
  int drop = -1;  // a platform to leave, or -1
  int add = -1;   // a platform to join, or -1
};
/// At most one move a review: leave the worst platform whose listing lost
/// money (only while it lists on another: with one left, exit decides), or
/// else join the most promising unlisted platform, if it expects a profit
/// over the listing cost, lists on fewer than `max_platforms` and can pay
/// `listing_cost` from its cash. Ties go to the lower platform index.
ListingMove review_listings(std::span<const PlatformOutlook> platforms, std::uint32_t max_platforms, double cash,
                            double listing_cost) noexcept;

/// Consecutive losing days: grows while the seller has no cash and loses money.
std::uint32_t next_losing_days(std::uint32_t losing_days, double cash, double profit_trend) noexcept;

/// Picks the fulfilment option whose own recent profit was higher; with
/// chance `exploration` (u below it) tries the other one.
bool choose_platform_fulfilment(bool current, double profit_self, double profit_platform, double u,
                                double exploration) noexcept;

}  // namespace flywheel::agents
