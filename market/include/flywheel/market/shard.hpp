#pragma once
// A shard owns the categories dealt to it and every seller and offer in them,
// on every platform. Matching, pricing and entry in one shard touch no other
// shard's data, so shards run in parallel.

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "flywheel/agents/columns.hpp"
#include "flywheel/agents/ids.hpp"
#include "flywheel/agents/tally.hpp"
#include "flywheel/market/categories.hpp"

namespace flywheel::market {
/// Sellers as a structure of arrays; a slot may move when sellers exit.
struct SellerRows {
  std::vector<SellerId> id;
  std::vector<std::uint32_t> category;
  std::vector<PlatformId> owner;
  std::vector<float> quality;
  std::vector<float> variant;
  std::vector<float> base_cost;
  std::vector<float> unit_cost;
  std::vector<float> cumulative_units;
  std::vector<double> cash;
  std::vector<double> cash_at_day_start;
  std::vector<float> profit_trend;
  std::vector<float> profit_self;
  std::vector<float> profit_platform;
  std::vector<std::uint8_t> platform_fulfilled;
  std::vector<std::uint32_t> losing_days;
  std::vector<Tick> born;

  /// The one declaration of seller state (agents/columns.hpp).
  template <class Rows, class F>
  static void declare(Rows& s, F&& f) {
    using agents::ColumnInfo;
    f(s.id, SellerId{}, ColumnInfo{"id", "1", "stable seller id"});
    f(s.category, 0u, ColumnInfo{"category", "1", "category id"});
    f(s.owner, no_platform,
      ColumnInfo{.name = "owner",
                 .units = "1",
                 .description = "platform of a 1P seller (255: a 3P seller)",
                 .coding = agents::Coding::platform});
    f(s.quality, 0.0f, ColumnInfo{"quality", "1", "true quality"});
    f(s.variant, 0.0f, ColumnInfo{"variant", "1", "position on the category's variant circle"});
    f(s.base_cost, 0.0f, ColumnInfo{"base_cost", "currency", "unit cost before learning"});
    f(s.unit_cost, 0.0f, ColumnInfo{"unit_cost", "currency", "current unit cost"});
    f(s.cumulative_units, 0.0f, ColumnInfo{"cumulative_units", "1", "units sold since entry"});
    f(s.cash, 0.0, ColumnInfo{"cash", "currency", "cash"});
    f(s.cash_at_day_start, 0.0, ColumnInfo{"cash_at_day_start", "currency", "cash before the day's sales"});
    f(s.profit_trend, 0.0f, ColumnInfo{"profit_trend", "currency", "recent daily profit"});
    f(s.profit_self, 0.0f, ColumnInfo{"profit_self", "currency", "recent daily profit while shipping itself"});
    f(s.profit_platform, 0.0f,
      ColumnInfo{"profit_platform", "currency", "recent daily profit while using the platform's fulfilment"});
    f(s.platform_fulfilled, std::uint8_t{0},
      ColumnInfo{"platform_fulfilled", "1", "1 if it uses the platform's fulfilment"});
    f(s.losing_days, 0u, ColumnInfo{"losing_days", "d", "consecutive days of losses"});
    f(s.born, Tick{0}, ColumnInfo{"born", "1", "tick of entry"});
  }
  [[nodiscard]] std::size_t size() const noexcept { return id.size(); }
};

/// Offers (a seller's listing on one platform) as a structure of arrays,
/// sorted by (category, platform, seller id) so each group is contiguous.
struct OfferRows {
  std::vector<std::uint32_t> seller;
  std::vector<std::uint32_t> category;
  std::vector<PlatformId> platform;
  std::vector<float> price;
  std::vector<std::uint32_t> stock;
  std::vector<float> sales_rate;
  std::vector<std::uint32_t> units_today;
  std::vector<std::uint32_t> units_since_review;
  std::vector<std::uint8_t> sold_out_since_review;
  std::vector<float> profit_since_review;
  std::vector<float> profit_last_window;
  std::vector<std::int8_t> price_direction;
  std::vector<float> rating_sum;
  std::vector<float> rating_count;
  std::vector<float> evidence_sum;
  std::vector<float> evidence_precision;
  std::vector<Tick> selling_from;
  std::vector<float> bid;
  std::vector<float> ad_spend_since_review;

  /// The one declaration of offer state (agents/columns.hpp).
  template <class Rows, class F>
  static void declare(Rows& o, F&& f) {
    using agents::ColumnInfo;
    f(o.seller, 0u, ColumnInfo{"seller", "1", "the seller's row in its shard's seller table"});
    f(o.category, 0u, ColumnInfo{"category", "1", "category id"});
    f(o.platform, PlatformId{},
      ColumnInfo{.name = "platform",
                 .units = "1",
                 .description = "platform it is listed on",
                 .coding = agents::Coding::platform});
    f(o.price, 0.0f, ColumnInfo{"price", "currency", "price"});
    f(o.stock, 0u, ColumnInfo{"stock", "1", "units in stock"});
    f(o.sales_rate, 0.0f, ColumnInfo{"sales_rate", "d-1", "the seller's own estimate of its units per day"});
    f(o.units_today, 0u, ColumnInfo{"units_today", "1", "units sold today"});
    f(o.units_since_review, 0u, ColumnInfo{"units_since_review", "1", "units sold since the last price review"});
    f(o.sold_out_since_review, std::uint8_t{0},
      ColumnInfo{"sold_out_since_review", "1", "1 if it sold out since the last price review"});
    f(o.profit_since_review, 0.0f,
      ColumnInfo{"profit_since_review", "currency", "margin on units sold since the last price review"});
    f(o.profit_last_window, 0.0f,
      ColumnInfo{"profit_last_window", "currency", "margin on units sold in the review window before"});
    f(o.price_direction, std::int8_t{-1}, ColumnInfo{"price_direction", "1", "the last price move: -1 down, +1 up"});
    f(o.rating_sum, 0.0f, ColumnInfo{"rating_sum", "1", "sum of the stars of its reviews (1 to 5 each)"});
    f(o.rating_count, 0.0f, ColumnInfo{"rating_count", "1", "number of its reviews"});
    f(o.evidence_sum, 0.0f, ColumnInfo{"evidence_sum", "1", "the ranker's precision-weighted quality signals"});
    f(o.evidence_precision, 0.0f, ColumnInfo{"evidence_precision", "1", "the ranker's total precision"});
    f(o.selling_from, Tick{0},
      ColumnInfo{"selling_from", "1", "first tick it is shown to shoppers: its listing's tick plus the onboarding"});
    f(o.bid, 0.0f, ColumnInfo{"bid", "currency", "what its seller bids per click for a sponsored position (1P: 0)"});
    f(o.ad_spend_since_review, 0.0f,
      ColumnInfo{"ad_spend_since_review", "currency", "what its clicks cost since the last price review"});
  }
  [[nodiscard]] std::size_t size() const noexcept { return seller.size(); }
};

/// One (category, platform) group's candidates for today's lists
/// (ranking.hpp): the ranker's best offers for a typical shopper, best
/// first, with the parts of their utility that do not depend on the shopper.
/// Columns, so the loops over a pool vectorise. Rebuilt for each group the
/// first time a shopper visits it in a day.
struct CandidatePool {
  std::vector<std::uint32_t> offer;
  std::vector<float> score;    // the ranker's estimate for a typical shopper (-infinity once sold out)
  std::vector<float> variant;  // the offer's variant: the ranker knows it, shoppers judge fit by it
  std::vector<float> promise;  // what a shopper expects of its quality: quality_weight x the displayed rating
  std::vector<float> quality;  // quality_weight x its true quality: revealed by buying, never read to choose
  std::vector<float> error;    // instrumentation: |the ranker's quality estimate - the true quality|
  std::vector<float> bid;      // its seller's bid per click for a sponsored position
  std::array<std::vector<float>, 2> log_price;  // log(price paid / level): [non-member, member]
  std::array<std::vector<float>, 2> days;       // delivery days: [non-member, member]
  std::uint32_t size = 0;

  void reserve(std::size_t rows) {
    offer.resize(rows), score.resize(rows), variant.resize(rows), promise.resize(rows), quality.resize(rows),
        error.resize(rows), bid.resize(rows);
    for (int m = 0; m < 2; ++m) log_price[m].resize(rows), days[m].resize(rows);
  }
  /// Bytes per row, for the memory estimate.
  static constexpr std::size_t row_bytes = sizeof(std::uint32_t) + 10 * sizeof(float);
};

/// What a platform publishes about one of its categories.
struct CategorySignal {
  float units_per_day = 0.0f;
  float average_price = 0.0f;
  std::uint32_t offers = 0;     // offers listed (1P included)
  float average_rating = 0.0f;  // mean displayed rating of those offers, in stars

  template <class F>
  static constexpr void fields(F&& f) {
    using T = CategorySignal;
    f("units_per_day", &T::units_per_day), f("average_price", &T::average_price), f("offers", &T::offers),
        f("average_rating", &T::average_rating);
  }
};

/// A new seller waiting to be added after the entry phase.
struct Birth {
  std::uint32_t category;
  std::uint8_t platforms;  // bit p: lists on platform p
  float quality, variant, unit_cost;
  Tick selling_from = 0;  // its offers are shown from this tick (after onboarding; 0: at once)
};

/// Everything a shard carries from one tick to the next: what a checkpoint
/// saves and the digest covers.
struct ShardState {
  SellerRows sellers;
  OfferRows offers;
  std::vector<CategorySignal> signals;       // per group
  std::vector<agents::PlatformTally> tally;  // per platform: this tick's (the entry phase's count is booked next tick)
  std::uint32_t serial = 0;                  // seller ids allotted so far
};

class Shard {
 public:
  /// pool_rows: the largest candidate pool of any platform.
  Shard(ShardId id, const Categories& categories, std::size_t platforms, std::uint32_t pool_rows);

  [[nodiscard]] ShardId id() const noexcept { return id_; }
  [[nodiscard]] std::uint32_t local_categories() const noexcept { return local_categories_; }
  [[nodiscard]] std::size_t platforms() const noexcept { return platforms_; }
  [[nodiscard]] std::size_t group(std::uint32_t local_category, std::size_t platform) const noexcept {
    return local_category * platforms_ + platform;
  }
  [[nodiscard]] std::uint32_t group_begin(std::size_t g) const noexcept { return group_begin_[g]; }
  [[nodiscard]] std::uint32_t group_end(std::size_t g) const noexcept { return group_begin_[g + 1]; }

  /// Allots the next stable seller id of this shard.
  SellerId next_seller_id() noexcept {
    return make_id<SellerId>(static_cast<std::size_t>(state.serial++) * dealing_.shards + index(id_));
  }

  /// Removes the sellers in `exits` with their offers, and the offers in
  /// `delistings`; surviving rows keep their order.
  void remove_closed();
  /// Restores the (category, platform, seller id) order of offers and the
  /// group index after rows were appended or the state was replaced.
  void reorder();

  ShardState state;
  // Scratch, rebuilt each tick.
  CandidatePool pool;                                             // the group being matched
  std::vector<std::uint32_t> visit_order;                         // the day's intents, group by group
  std::vector<std::uint32_t> group_visits;                        // groups + 1: where each group's intents start
  std::vector<Birth> births;                                      // outbox of the entry phase
  std::vector<std::uint32_t> exits;                               // outbox of the pricing phase: seller slots
  std::vector<std::uint32_t> delistings;                          // outbox of the listing reviews: offer rows
  std::vector<std::pair<std::uint32_t, std::uint32_t>> reviewed;  // reusable: (seller slot, offer row) under review
  std::vector<std::pair<double, std::uint32_t>> candidates;       // reusable buffer of the ranking kernel

 private:
  ShardId id_;
  Dealing dealing_;
  std::size_t platforms_;
  std::uint32_t local_categories_;
  std::vector<std::uint32_t> group_begin_;  // groups + 1
  std::vector<std::uint32_t> order_;        // reusable permutation
};

}  // namespace flywheel::market
