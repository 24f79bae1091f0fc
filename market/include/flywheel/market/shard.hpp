#pragma once
// A shard owns the categories dealt to it and every seller and offer in them,
// on every platform. Matching, pricing and entry in one shard touch no other
// shard's data, so shards run in parallel.

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "flywheel/agents/tally.hpp"
#include "flywheel/engine/ids.hpp"
#include "flywheel/market/categories.hpp"

namespace flywheel::market {
namespace detail {
struct CheckpointAccess;
}

/// Sellers as a structure of arrays; a slot may move when sellers exit.
struct SellerRows {
  std::vector<SellerId> id;             // stable
  std::vector<std::uint32_t> category;  // global category id
  std::vector<PlatformId> owner;        // the platform of a 1P seller; no_platform for 3P
  std::vector<float> quality;           // true quality
  std::vector<float> variant;           // position on the variant circle
  std::vector<float> base_cost;         // unit cost before learning
  std::vector<float> unit_cost;         // current unit cost
  std::vector<float> cumulative_units;
  std::vector<double> cash;
  std::vector<double> cash_at_day_start;
  std::vector<float> profit_trend;     // recent daily profit
  std::vector<float> profit_self;      // recent daily profit while shipping itself
  std::vector<float> profit_platform;  // recent daily profit while using the platform's fulfilment
  std::vector<std::uint8_t> platform_fulfilled;
  std::vector<std::uint32_t> losing_days;
  std::vector<Tick> born;

  template <class F>
  void columns(F&& f) {
    f(id), f(category), f(owner), f(quality), f(variant), f(base_cost), f(unit_cost), f(cumulative_units), f(cash),
        f(cash_at_day_start), f(profit_trend), f(profit_self), f(profit_platform), f(platform_fulfilled),
        f(losing_days), f(born);
  }
  [[nodiscard]] std::size_t size() const noexcept { return id.size(); }
};

/// Offers (a seller's listing on one platform) as a structure of arrays,
/// sorted by (category, platform, seller id) so each group is contiguous.
struct OfferRows {
  std::vector<std::uint32_t> seller;  // slot in SellerRows
  std::vector<std::uint32_t> category;
  std::vector<PlatformId> platform;
  std::vector<float> price;
  std::vector<std::uint32_t> stock;
  std::vector<float> sales_rate;  // the seller's own estimate, units per day
  std::vector<std::uint32_t> units_today;
  std::vector<std::uint32_t> units_since_review;
  std::vector<std::uint8_t> sold_out_since_review;
  std::vector<float> profit_since_review;    // the seller's margin on units sold since its last price review
  std::vector<float> profit_last_window;     // the same, for the window before
  std::vector<std::int8_t> price_direction;  // its last price move
  std::vector<float> rating_sum;             // reviews, as customers see them
  std::vector<float> rating_count;
  std::vector<float> evidence_sum;        // the ranker's precision-weighted quality signals
  std::vector<float> evidence_precision;  // the ranker's total precision

  template <class F>
  void columns(F&& f) {
    f(seller), f(category), f(platform), f(price), f(stock), f(sales_rate), f(units_today), f(units_since_review),
        f(sold_out_since_review), f(profit_since_review), f(profit_last_window), f(price_direction), f(rating_sum),
        f(rating_count), f(evidence_sum), f(evidence_precision);
  }
  [[nodiscard]] std::size_t size() const noexcept { return seller.size(); }
};

/// What a platform shows for each (category, platform) group: its top offers,
/// with the parts of their utility that do not depend on the shopper
/// precomputed. Slot i of group g is row g x consideration_set + i; columns,
/// so the matching kernel's loop over a group's offers vectorises.
struct ShownOffers {
  std::vector<std::uint32_t> offer;
  std::vector<float> base;                      // quality and rating terms
  std::array<std::vector<float>, 2> log_price;  // log(price paid / level): [non-member, member]
  std::array<std::vector<float>, 2> days;       // delivery days: [non-member, member]
  std::vector<float> variant;

  void resize(std::size_t rows) {
    offer.resize(rows), base.resize(rows), variant.resize(rows);
    for (int m = 0; m < 2; ++m) log_price[m].resize(rows), days[m].resize(rows);
  }
  /// Bytes per slot, for the memory estimate.
  static constexpr std::size_t row_bytes = sizeof(std::uint32_t) + 6 * sizeof(float);
};

/// What a platform publishes about one of its categories.
struct CategorySignal {
  float units_per_day = 0.0f;
  float average_price = 0.0f;
  std::uint32_t sellers = 0;
};

/// A new seller waiting to be added after the entry phase.
struct Birth {
  std::uint32_t category;
  std::uint8_t platforms;  // bit p: lists on platform p
  float quality, variant, unit_cost;
};

class Shard {
 public:
  Shard(ShardId id, const Categories& categories, std::size_t platforms, std::uint32_t consideration_set);

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
    return make_id<SellerId>(static_cast<std::size_t>(serial_++) * shard_count_ + index(id_));
  }

  /// Removes the sellers in `exits` and their offers; surviving rows keep their order.
  void remove_exited();
  /// Restores the (category, platform, seller id) order of offers and the
  /// group index after rows were appended.
  void reorder();

  SellerRows sellers;
  OfferRows offers;
  ShownOffers shown;
  std::vector<std::uint8_t> shown_count;                     // per group
  std::vector<CategorySignal> signals;                       // per group
  std::vector<agents::PlatformTally> tally;                  // per platform, this tick
  std::vector<Birth> births;                                 // outbox of the entry phase
  std::vector<std::uint32_t> exits;                          // outbox of the pricing phase: seller slots
  std::vector<std::pair<double, std::uint32_t>> candidates;  // reusable buffer of the ranking kernel

 private:
  friend struct detail::CheckpointAccess;  // checkpoint.cpp saves and restores serial_

  ShardId id_;
  std::size_t shard_count_;
  std::size_t platforms_;
  std::uint32_t local_categories_;
  std::uint32_t serial_ = 0;
  std::vector<std::uint32_t> group_begin_;  // groups + 1
  std::vector<std::uint32_t> order_;        // reusable permutation
};

}  // namespace flywheel::market
