#pragma once
// A platform agent: its levers, books and fulfilment network, and the daily
// close in which it books the tick and runs its policy mechanisms.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "flywheel/agents/platform_params.hpp"
#include "flywheel/agents/tally.hpp"
#include "flywheel/engine/ids.hpp"

namespace flywheel::agents {

/// One platform's day: what happened and its books, as recorded for output.
struct PlatformDay {
  PlatformTally tally;
  std::int64_t active_customers = 0;
  std::int64_t members = 0;
  double membership_revenue = 0.0;
  double revenue = 0.0;
  double fulfilment_cost = 0.0;
  double fixed_cost = 0.0;
  double delivery_investment = 0.0;
  double marketing_spend = 0.0;
  double operating_profit = 0.0;
  double payout = 0.0;
  double cash = 0.0;
  double take_rate = 0.0;
  double fulfilment_fee = 0.0;
  double first_party_markup = 0.0;
  double membership_fee = 0.0;
  double shipping_fee = 0.0;
  double payout_share = 0.0;
  double delivery_days = 0.0;
  double fulfilment_unit_cost = 0.0;
  double market_share = 0.0;  // of all platforms' visits today
};

class Platform {
 public:
  using Metric = PlatformPolicy::Metric;
  using Lever = PlatformPolicy::Lever;

  Platform(const PlatformParams& params, PlatformId id);

  [[nodiscard]] const PlatformParams& params() const noexcept { return *params_; }
  [[nodiscard]] PlatformId id() const noexcept { return id_; }

  /// Books the day from the summed tallies, updates the network, runs the
  /// mechanisms, and returns the day's record. all_visits: every platform's visits today.
  PlatformDay close_day(const PlatformTally& tally, std::uint64_t all_visits, Tick tick);

  /// A metric as it stood `delay` days ago (NaN before there is data).
  [[nodiscard]] double metric(Metric m, std::uint32_t delay) const;
  [[nodiscard]] double lever(Lever l) const;
  void set_lever(Lever l, double value);

  /// Customers an advertisement reaches per day at the current spend.
  [[nodiscard]] double impressions_per_day() const noexcept { return marketing_spend / params_->cost_per_impression; }

  /// Values per day of the history the mechanisms read, and days kept (the longest delay plus two metric windows).
  static constexpr std::size_t daily_fields = 10;
  static std::size_t history_days(const PlatformParams& p) noexcept {
    return PlatformPolicy::max_delay + 2 * std::size_t{p.policy.metric_window};
  }
  /// The history as `history_days(params())` rows of `daily_fields` values, in the
  /// ring buffer's own order, and the days seen so far: for checkpoints.
  [[nodiscard]] std::vector<double> saved_history() const;
  [[nodiscard]] std::uint64_t days_seen() const noexcept { return days_seen_; }
  /// Puts back what saved_history() and days_seen() returned. `values` must
  /// hold history_days(params()) * daily_fields values (InternalError otherwise).
  void restore_history(std::span<const double> values, std::uint64_t days_seen);

  // Levers (moved by mechanisms).
  double take_rate;
  double fulfilment_fee;
  double first_party_markup;
  double delivery_investment;
  double marketing_spend;
  double membership_fee;
  double shipping_fee;
  double payout_share;

  // State.
  double cash;
  double capital;
  double delivery_days;
  double fulfilment_unit_cost;
  double fulfilled_units_total = 0.0;
  std::int64_t active_customers = 0;
  std::int64_t members = 0;

 private:
  struct Daily {
    double revenue, profit, orders, visits, failed, units_3p, units, all_visits, delivery_days, cash;
  };
  static constexpr std::array<double Daily::*, daily_fields> daily_members{
      &Daily::revenue,  &Daily::profit, &Daily::orders,     &Daily::visits,        &Daily::failed,
      &Daily::units_3p, &Daily::units,  &Daily::all_visits, &Daily::delivery_days, &Daily::cash};
  /// Sum of a daily field over the window ending `delay` days ago; false if not enough days.
  [[nodiscard]] bool window_sum(double Daily::*field, std::uint32_t delay, std::size_t offset, double& sum) const;

  const PlatformParams* params_;
  PlatformId id_;
  std::vector<Daily> days_;  // ring buffer of the last history_days(params) days
  std::size_t days_seen_ = 0;
};

}  // namespace flywheel::agents
