#pragma once
// Customer agents as a structure of arrays, one row per CustomerId. Fixed
// traits that are cheap to recompute (favourite categories, taste per
// category, contacts) are derived by hashing and never stored. A process may
// hold a contiguous range of customers only (one MPI rank's part): row i is
// customer first() + i.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "flywheel/agents/columns.hpp"
#include "flywheel/agents/customer_params.hpp"
#include "flywheel/agents/ids.hpp"
#include "flywheel/agents/purposes.hpp"
#include "flywheel/engine/parallel.hpp"
#include "flywheel/engine/random.hpp"

namespace flywheel::agents {

class Customers {
 public:
  /// An empty store for `platforms` platforms whose row 0 is customer `first`
  /// (to fill from a checkpoint, or to read the declaration from).
  explicit Customers(std::size_t platforms = 0, std::size_t first = 0) : first_(first), platforms_(platforms) {}
  /// Draws every customer's traits from (seed, customer); inactive, knowing no platform.
  Customers(const CustomerParams& params, std::size_t platforms, std::uint64_t seed, Execution execution);
  /// Customers [first, first + count) only.
  Customers(const CustomerParams& params, std::size_t platforms, std::uint64_t seed, Execution execution,
            std::size_t first, std::size_t count);

  /// Rows held, and the customer id of row 0.
  [[nodiscard]] std::size_t size() const noexcept { return active.size(); }
  [[nodiscard]] std::size_t first() const noexcept { return first_; }
  [[nodiscard]] std::size_t platforms() const noexcept { return platforms_; }

  /// Remembered satisfaction of the customer in row c with platform p.
  float& satisfaction(std::size_t c, std::size_t p) noexcept { return satisfaction_[c * platforms_ + p]; }
  [[nodiscard]] float satisfaction(std::size_t c, std::size_t p) const noexcept {
    return satisfaction_[c * platforms_ + p];
  }
  [[nodiscard]] std::span<const float> satisfaction_row(std::size_t c) const noexcept {
    return {satisfaction_.data() + c * platforms_, platforms_};
  }
  /// Every customer's satisfaction, row-major (customer x platform), for snapshots.
  [[nodiscard]] std::span<const float> satisfaction_all() const noexcept { return satisfaction_; }

  /// Platform p's ranker's profile of the customer in row c: what p has learnt
  /// of its taste. p owns it; it lives with the customer's row so that it
  /// travels with the shopping intent and costs no lookup.
  std::uint16_t& taste_profile(std::size_t c, std::size_t p) noexcept { return taste_profile_[c * platforms_ + p]; }
  [[nodiscard]] std::uint16_t taste_profile(std::size_t c, std::size_t p) const noexcept {
    return taste_profile_[c * platforms_ + p];
  }

  /// Makes customer c aware of platform p (with the initial satisfaction) if it was not.
  void learn_of(std::size_t c, std::size_t p, float initial_satisfaction) noexcept {
    const auto bit = static_cast<std::uint8_t>(1u << p);
    if ((known_platforms[c] & bit) != 0) return;
    known_platforms[c] = static_cast<std::uint8_t>(known_platforms[c] | bit);
    satisfaction(c, p) = initial_satisfaction;
  }

  /// What `active` holds.
  static constexpr std::uint8_t never_shopped = 0, shopping = 1, lapsed = 2;

  std::vector<std::uint8_t> active;
  std::vector<std::uint8_t> known_platforms;
  std::vector<PlatformId> last_platform;
  std::vector<PlatformId> member_of;
  std::vector<std::uint16_t> last_trip;
  std::vector<float> shopping_rate;
  std::vector<float> price_sensitivity;
  std::vector<float> delivery_sensitivity;
  std::vector<float> conversion;
  std::vector<float> spend_per_order;

  /// The one declaration of customer state (columns.hpp). The initial values
  /// are those of a customer before its traits (and its initial conversion,
  /// customers.initial_conversion) are set.
  template <class Rows, class F>
  static void declare(Rows& c, F&& f) {
    f(c.active, never_shopped, ColumnInfo{"active", "1", "0: has never shopped; 1: shops; 2: lapsed"});
    f(c.known_platforms, std::uint8_t{0},
      ColumnInfo{.name = "known_platforms",
                 .units = "1",
                 .description = "bit p set: the customer knows platform p",
                 .coding = Coding::platform_mask});
    f(c.last_platform, no_platform,
      ColumnInfo{.name = "last_platform",
                 .units = "1",
                 .description = "platform of its last purchase, or where it started shopping (255: none)",
                 .coding = Coding::platform});
    f(c.member_of, no_platform,
      ColumnInfo{.name = "member_of",
                 .units = "1",
                 .description = "platform of its paid membership (255: none)",
                 .coding = Coding::platform});
    f(c.last_trip, std::uint16_t{0}, ColumnInfo{"last_trip", "1", "day of its last trip, modulo 65536"});
    f(c.shopping_rate, 0.0f,
      ColumnInfo{"shopping_rate", "d-1", "shopping trips per day: its base rate times its shopping intensity"});
    f(c.price_sensitivity, 0.0f, ColumnInfo{"price_sensitivity", "1", "utility per unit of log relative price"});
    f(c.delivery_sensitivity, 0.0f, ColumnInfo{"delivery_sensitivity", "d-1", "utility per day of delivery"});
    f(c.conversion, 0.0f, ColumnInfo{"conversion", "1", "own share of trips that ended in a purchase"});
    f(c.spend_per_order, 0.0f, ColumnInfo{"spend_per_order", "currency", "own average order value"});
    f(c.satisfaction_, 0.0f, ColumnInfo{"satisfaction", "1", "remembered satisfaction with each platform", true});
    f(c.taste_profile_, std::uint16_t{0},
      ColumnInfo{"taste_profile", "1",
                 "each platform's profile of the customer's taste: its style estimate in 1/1024ths x 64 + the "
                 "purchases it rests on (agents/taste.hpp)",
                 true});
  }

 private:
  std::size_t first_ = 0;
  std::size_t platforms_ = 0;
  std::vector<float> satisfaction_;           // row-major: customer x platform
  std::vector<std::uint16_t> taste_profile_;  // row-major: customer x platform
};

/// Customer c's base shopping rate (trips a day at intensity 1), a fixed trait.
float base_shopping_rate(const CustomerParams& params, std::uint64_t seed, std::uint32_t customer);

/// The k-th favourite category of customer c, from its fixed favourites
/// stream; sample(urng) draws a category by popularity.
template <class CategorySampler>
std::uint32_t favourite_category(std::uint64_t seed, std::uint32_t c, std::uint32_t k, const CategorySampler& sample) {
  auto urng = random::stream(seed, random::static_tick, c, purpose(Purpose::favourites));
  std::uint32_t category = sample(urng);
  for (std::uint32_t i = 0; i < k; ++i) category = sample(urng);
  return category;
}

/// Customer c's style, the centre of its tastes (taste.hpp), fixed.
inline double style_of(std::uint64_t seed, std::uint32_t customer) noexcept {
  return random::open01(random::block(seed, random::static_tick, customer, purpose(Purpose::style))[0]);
}

/// Customer c's preferred variant in a category, a point on the unit circle,
/// is taste_in(style, spread, taste_draw(Philox(taste_counter(c, category),
/// key(seed)))): kernels compute it alongside their other draws
/// (random::PhiloxPair).
inline random::Philox::ctr_type taste_counter(std::uint32_t customer, std::uint32_t category) noexcept {
  return random::counter(random::static_tick, customer, purpose(Purpose::taste), category);
}
inline double taste_draw(const random::Philox::ctr_type& draw) noexcept { return random::open01(draw[0]); }

/// The k-th social contact of customer c among n customers.
std::uint32_t contact(std::uint64_t seed, std::uint32_t customer, std::uint32_t k, std::uint32_t n) noexcept;

}  // namespace flywheel::agents
