#pragma once
// A platform agent: its levers, books and fulfilment network, and the daily
// close in which it books the tick and runs its policy mechanisms.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "flywheel/agents/ids.hpp"
#include "flywheel/agents/loops.hpp"
#include "flywheel/agents/platform_params.hpp"
#include "flywheel/agents/tally.hpp"

namespace flywheel::agents {

/// A platform's books and fulfilment network, and what its ranker has learnt of its offers as a whole.
struct PlatformBooks {
  double cash = 0.0;
  double capital = 0.0;                // fulfilment capital
  double delivery_days = 0.0;          // standard delivery time, from capital
  double fulfilment_unit_cost = 0.0;   // per unit delivered, falling with scale
  double fulfilled_units_total = 0.0;  // units delivered so far
  std::int64_t active_customers = 0;   // whose last trip was here
  std::int64_t members = 0;
  std::int64_t days_beyond_credit = 0;  // consecutive closes with cash below -credit_line
  std::int64_t exited = 0;              // 1 from the close of the day it exited
  // What its ranker has learnt of its offers as a whole: the mean quality it expects of a new offer of its own (1P)
  // or a new 3P offer before that offer's own evidence, from its recent offers' evidence (0: nothing yet).
  double ranker_prior_mean_1p = 0.0;
  double ranker_prior_mean_3p = 0.0;

  /// The one list of its fields (columns.hpp).
  template <class F>
  static constexpr void fields(F&& f) {
    using T = PlatformBooks;
    f("cash", &T::cash), f("capital", &T::capital), f("delivery_days", &T::delivery_days),
        f("fulfilment_unit_cost", &T::fulfilment_unit_cost), f("fulfilled_units_total", &T::fulfilled_units_total),
        f("active_customers", &T::active_customers), f("members", &T::members),
        f("days_beyond_credit", &T::days_beyond_credit), f("exited", &T::exited),
        f("ranker_prior_mean_1p", &T::ranker_prior_mean_1p), f("ranker_prior_mean_3p", &T::ranker_prior_mean_3p);
  }
};

/// One day of the history a platform's mechanisms read.
struct PlatformDaily {
  double revenue = 0.0, profit = 0.0, orders = 0.0, visits = 0.0, failed = 0.0, units_3p = 0.0, units = 0.0,
         all_visits = 0.0, delivery_days = 0.0, cash = 0.0;

  /// The one list of its fields (columns.hpp).
  template <class F>
  static constexpr void fields(F&& f) {
    using T = PlatformDaily;
    f("revenue", &T::revenue), f("profit", &T::profit), f("orders", &T::orders), f("visits", &T::visits),
        f("failed", &T::failed), f("units_3p", &T::units_3p), f("units", &T::units), f("all_visits", &T::all_visits),
        f("delivery_days", &T::delivery_days), f("cash", &T::cash);
  }
};

/// Everything a platform carries from one tick to the next: what a
/// checkpoint saves and the digest covers.
struct PlatformState {
  PlatformLevers levers;
  PlatformBooks books;
  std::vector<PlatformDaily> history;  // ring buffer: day d at d % history_days
  std::uint64_t days_seen = 0;
};

/// One platform's day: what happened and its books, as recorded for output.
struct PlatformDay {
  PlatformTally tally;
  PlatformBooks books;    // at the day's close
  PlatformLevers levers;  // after the day's mechanisms
  double membership_revenue = 0.0;
  double revenue = 0.0;
  double fulfilment_cost = 0.0;
  double member_cost = 0.0;  // the faster delivery of members' orders
  double fixed_cost = 0.0;
  double delivery_investment = 0.0;  // spent today
  double marketing_spend = 0.0;      // spent today
  double operating_profit = 0.0;
  double payout = 0.0;
  double market_share = 0.0;  // of all platforms' visits today (NaN on a day without visits)
  double capacity = 0.0;      // units a day its network handles, from its capital
  double capacity_use = 0.0;  // units it fulfilled today over its capacity

  /// Its own fields (tally, books and levers have their own lists).
  template <class F>
  static constexpr void fields(F&& f) {
    using T = PlatformDay;
    f("membership_revenue", &T::membership_revenue), f("revenue", &T::revenue),
        f("fulfilment_cost", &T::fulfilment_cost), f("member_cost", &T::member_cost), f("fixed_cost", &T::fixed_cost),
        f("delivery_investment", &T::delivery_investment), f("marketing_spend", &T::marketing_spend),
        f("operating_profit", &T::operating_profit), f("payout", &T::payout), f("market_share", &T::market_share),
        f("capacity", &T::capacity), f("capacity_use", &T::capacity_use);
  }
};

/// A platform agent. Its state is one member, so that saving it is a copy.
class Platform {
 public:
  using Metric = PlatformPolicy::Metric;
  using Lever = PlatformPolicy::Lever;

  /// `params` and `loops` must outlive the platform (a Market's scenario holds both).
  Platform(const PlatformParams& params, PlatformId id, const Loops& loops = all_loops_on);

  [[nodiscard]] const PlatformParams& params() const noexcept { return *params_; }
  [[nodiscard]] PlatformId id() const noexcept { return id_; }
  [[nodiscard]] const PlatformState& state() const noexcept { return state_; }
  [[nodiscard]] const PlatformLevers& levers() const noexcept { return state_.levers; }
  [[nodiscard]] const PlatformBooks& books() const noexcept { return state_.books; }
  /// Replaces the whole state (a checkpoint's). InternalError if its history has the wrong length.
  void restore(PlatformState state);

  /// Books the day from the summed tallies, updates the network, runs the
  /// mechanisms, and returns the day's record. all_visits: every platform's visits today.
  /// The loops it cuts when off: fulfilment_investment (no investment: capital
  /// stays), scale_economies (the fulfilment unit cost stays), reinvestment
  /// (no mechanism runs), advertising and membership (nothing bought or sold).
  /// A platform whose cash closes below -credit_line on exit_after_days days
  /// in a row exits at the last of those closes (before its mechanisms run);
  /// from then on its books freeze but for the customers and members who
  /// leave it (the tally's deltas).
  PlatformDay close_day(const PlatformTally& tally, std::uint64_t all_visits, Tick tick);
  /// Whether it still trades: false from the close of the day it exited.
  [[nodiscard]] bool open() const noexcept { return state_.books.exited == 0; }
  /// Adds a change in its active customers counted outside the day's tally (the start of a run).
  void add_active_customers(std::int64_t n) noexcept { state_.books.active_customers += n; }

  /// A metric as it stood `delay` days ago (NaN before there is data).
  [[nodiscard]] double metric(Metric m, std::uint32_t delay) const;
  [[nodiscard]] double lever(Lever l) const;
  /// Sets a lever, within its bounds (at least 0; the take rate at most
  /// policy.max_take_rate and the payout share at most 1).
  void set_lever(Lever l, double value);

  /// Customers an advertisement reaches per day at the current spend; none
  /// with loops.advertising off (it buys no impressions, and pays for none)
  /// or once it has exited.
  [[nodiscard]] double impressions_per_day() const noexcept {
    return loops_->advertising && open() ? state_.levers.marketing_spend / params_->cost_per_impression : 0.0;
  }
  /// Whether it sells its paid membership (its parameters, unless loops.membership is off).
  [[nodiscard]] bool offers_membership() const noexcept { return params_->membership.offered && loops_->membership; }

  /// Days of history kept: the longest delay a mechanism may ask for and two metric windows.
  static std::size_t history_days(const PlatformParams& p) noexcept {
    return PlatformPolicy::max_delay + 2 * std::size_t{p.policy.metric_window};
  }

  /// The levers' starting values in `params`.
  static PlatformLevers initial_levers(const PlatformParams& params);

 private:
  /// Sum of a daily field over the `metric_window` days ending `delay` (+ `offset`) days ago;
  /// false before the whole window has been seen.
  [[nodiscard]] bool window_sum(double PlatformDaily::*field, std::uint32_t delay, std::size_t offset,
                                double& sum) const;
  /// The day's money, network and mechanisms, and the credit line (close_day while it trades).
  void trade(PlatformDay& day, std::uint64_t all_visits, Tick tick);
  [[nodiscard]] const PlatformDaily& day_before(std::uint32_t delay) const {
    return state_.history[(state_.days_seen - 1 - delay) % state_.history.size()];
  }

  const PlatformParams* params_;
  const Loops* loops_;
  PlatformId id_;
  PlatformState state_;
};

}  // namespace flywheel::agents
