#include "flywheel/agents/platform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "flywheel/agents/auction.hpp"
#include "flywheel/agents/mechanism.hpp"
#include "flywheel/engine/errors.hpp"

namespace flywheel::agents {

namespace {

// Delivery days of an uncongested network with this capital.
double delivery_days_of(const FulfilmentParams& f, double capital) {
  return f.min_delivery_days + (f.base_delivery_days - f.min_delivery_days) * std::exp(-capital / f.capital_scale);
}

double capacity_of(const FulfilmentParams& f, double capital) {
  return f.base_capacity + f.capacity_per_capital * capital;
}

// How much slower than uncongested delivery is at this use of capacity.
double congestion_factor(const FulfilmentParams& f, double use) {
  return 1.0 + f.congestion * std::max(0.0, use - 1.0);
}

/// Where each lever lives in PlatformLevers, in the order of Lever.
constexpr auto lever_members = [] {
  std::array<double PlatformLevers::*, static_cast<std::size_t>(PlatformPolicy::Lever::count)> members{};
  std::size_t i = 0;
  PlatformLevers::fields([&](const char*, auto member) { members[i++] = member; });
  return members;
}();

}  // namespace

PlatformLevers Platform::initial_levers(const PlatformParams& params) {
  PlatformLevers l;
  l.take_rate = params.take_rate;
  l.fulfilment_fee = params.fulfilment.fee;
  l.first_party_markup = params.first_party.markup;
  l.delivery_investment = params.fulfilment.delivery_investment;
  l.marketing_spend = params.marketing_spend;
  l.membership_fee = params.membership.fee;
  l.shipping_fee = params.shipping_fee;
  l.payout_share = params.policy.payout_share;
  l.first_party_boost = params.ranker.first_party_boost;
  l.fulfilled_boost = params.ranker.fulfilled_boost;
  l.ad_slots = params.ad_slots;
  return l;
}

Platform::Platform(const PlatformParams& params, PlatformId id, const Loops& loops)
    : params_(&params), loops_(&loops), id_(id) {
  state_.levers = initial_levers(params);
  auto& b = state_.books;
  b.cash = params.initial_cash;
  b.capital = params.fulfilment.initial_capital;
  b.delivery_days = delivery_days_of(params.fulfilment, b.capital);
  b.fulfilment_unit_cost = params.fulfilment.cost_per_unit;
  state_.history.resize(history_days(params));
}

void Platform::restore(PlatformState state) {
  if (state.history.size() != history_days(*params_)) throw InternalError("a platform's history has the wrong length");
  state_ = std::move(state);
}

PlatformDay Platform::close_day(const PlatformTally& t, std::uint64_t all_visits, Tick tick) {
  // Customers and members leave an exited platform as they next shop, so these counts move after its exit too.
  state_.books.active_customers += t.active_delta;
  state_.books.members += t.member_delta;
  PlatformDay d;
  d.tally = t;
  if (open()) trade(d, all_visits, tick);
  d.books = state_.books;
  d.levers = state_.levers;
  return d;
}

void Platform::trade(PlatformDay& d, std::uint64_t all_visits, Tick tick) {
  const auto& f = params_->fulfilment;
  const PlatformTally& t = d.tally;
  const PlatformLevers& l = state_.levers;
  PlatformBooks& b = state_.books;
  d.membership_revenue = offers_membership() ? static_cast<double>(b.members) * l.membership_fee / 365.0 : 0.0;
  d.revenue = t.fee_revenue + t.fulfilment_fee_revenue + t.shipping_revenue + t.first_party_sales +
              d.membership_revenue + t.ad_revenue;
  d.fulfilment_cost = b.fulfilment_unit_cost * static_cast<double>(t.units_fulfilled);
  d.member_cost = params_->membership.cost_per_order * static_cast<double>(t.member_orders);
  d.fixed_cost = f.fixed_cost;
  // Switched off, a loop's spending stops with it: an investment that builds no capital is not made, and
  // impressions that reach no one are not bought, so the cut does not also burn cash.
  d.delivery_investment = loops_->fulfilment_investment ? l.delivery_investment : 0.0;
  d.marketing_spend = loops_->advertising ? l.marketing_spend : 0.0;
  d.operating_profit = d.revenue - d.fulfilment_cost - d.member_cost - d.fixed_cost - d.delivery_investment -
                       d.marketing_spend - t.first_party_stock_cost;
  d.payout = l.payout_share * std::max(0.0, d.operating_profit);
  b.cash += d.operating_profit - d.payout;
  d.market_share = all_visits > 0 ? static_cast<double>(t.visits) / static_cast<double>(all_visits)
                                  : std::numeric_limits<double>::quiet_NaN();  // undefined: no one shopped

  // The network: capital from investment, less depreciation; beyond the
  // capacity its capital buys, delivery slows; scale lowers the unit cost.
  d.capacity = capacity_of(f, b.capital);
  d.capacity_use = d.capacity > 0.0 ? static_cast<double>(t.units_fulfilled) / d.capacity : 0.0;
  if (loops_->fulfilment_investment) b.capital += l.delivery_investment - f.depreciation * b.capital;
  b.delivery_days = delivery_days_of(f, b.capital) * congestion_factor(f, d.capacity_use);
  b.fulfilled_units_total += static_cast<double>(t.units_fulfilled);
  if (loops_->scale_economies)
    b.fulfilment_unit_cost =
        f.cost_per_unit * std::pow(1.0 + b.fulfilled_units_total / f.cost_learning_scale, -f.cost_learning_exponent);

  // What its ranker expects of a new offer before its own evidence: the mean quality of recent offers of its kind,
  // a normal posterior from a prior at 0 (spread prior_sd) over what each one's evidence says of it. With no
  // recent offer of a kind it keeps what it learnt. Its own data only; with loops.data off it learns nothing.
  if (loops_->data) {
    const double prior_precision = 1.0 / (params_->ranker.prior_sd * params_->ranker.prior_sd);
    const auto learnt = [&](double evidence, double precision, double& mean) {
      if (precision > 0.0) mean = evidence / (prior_precision + precision);
    };
    learnt(t.population_evidence_1p, t.population_precision_1p, b.ranker_prior_mean_1p);
    learnt(t.population_evidence_3p, t.population_precision_3p, b.ranker_prior_mean_3p);
  }

  state_.history[state_.days_seen % state_.history.size()] = {d.revenue,
                                                              d.operating_profit,
                                                              static_cast<double>(t.orders),
                                                              static_cast<double>(t.visits),
                                                              static_cast<double>(t.failed_searches),
                                                              static_cast<double>(t.units_3p),
                                                              static_cast<double>(t.units_1p + t.units_3p),
                                                              static_cast<double>(all_visits),
                                                              b.delivery_days,
                                                              b.cash};
  ++state_.days_seen;

  // The credit line: cash may fall to -credit_line; a platform that stays beyond it exits (its lenders stop).
  b.days_beyond_credit = b.cash < -params_->credit_line ? b.days_beyond_credit + 1 : 0;
  if (b.days_beyond_credit >= std::int64_t{params_->exit_after_days}) {
    b.exited = 1;
    return;
  }
  if (loops_->reinvestment)
    for (const auto& m : params_->policy.mechanisms) apply(m, *this, tick);
}

// A whole window or nothing: a mechanism that read a partial one would act on
// day 0 alone at tick 0 (a launch day's margin, fixed costs and few orders,
// drove every fee to its maximum).
bool Platform::window_sum(double PlatformDaily::*field, std::uint32_t delay, std::size_t offset, double& sum) const {
  const std::size_t length = params_->policy.metric_window;
  if (state_.days_seen < delay + offset + length) return false;
  const std::size_t newest = state_.days_seen - 1 - delay - offset;  // index of the window's last day
  sum = 0.0;
  for (std::size_t i = 0; i < length; ++i) sum += state_.history[(newest - i) % state_.history.size()].*field;
  return true;
}

double Platform::metric(Metric m, std::uint32_t delay) const {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t window = params_->policy.metric_window;
  double a = 0.0, b = 0.0;
  auto sum = [&](double PlatformDaily::*field, double& out, std::size_t offset = 0) {
    return window_sum(field, delay, offset, out);
  };
  switch (m) {
    case Metric::operating_margin:
      if (!sum(&PlatformDaily::profit, a) || !sum(&PlatformDaily::revenue, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::delivery_days:
      if (state_.days_seen < delay + 1) return nan;
      return day_before(delay).delivery_days;
    case Metric::orders_growth:
      if (!sum(&PlatformDaily::orders, a) || !sum(&PlatformDaily::orders, b, window) || b <= 0.0) return nan;
      return a / b - 1.0;
    case Metric::conversion_rate:
      if (!sum(&PlatformDaily::orders, a) || !sum(&PlatformDaily::visits, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::failed_search_rate:
      if (!sum(&PlatformDaily::failed, a) || !sum(&PlatformDaily::visits, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::third_party_share:
      if (!sum(&PlatformDaily::units_3p, a) || !sum(&PlatformDaily::units, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::market_share:
      if (!sum(&PlatformDaily::visits, a) || !sum(&PlatformDaily::all_visits, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::cash:
      if (state_.days_seen < delay + 1) return nan;
      return day_before(delay).cash;
    case Metric::orders_per_day:
      if (!sum(&PlatformDaily::orders, a)) return nan;
      return a / static_cast<double>(window);
    case Metric::count:
      break;
  }
  return nan;
}

double Platform::lever(Lever l) const { return state_.levers.*lever_members.at(static_cast<std::size_t>(l)); }

void Platform::set_lever(Lever l, double value) {
  double ceiling = std::numeric_limits<double>::infinity();
  if (l == Lever::take_rate) ceiling = params_->policy.max_take_rate;
  if (l == Lever::payout_share) ceiling = 1.0;
  if (l == Lever::ad_slots) ceiling = max_sponsored_slots;
  const bool boost = l == Lever::first_party_boost || l == Lever::fulfilled_boost;  // a boost may be a penalty
  const double least = boost ? -std::numeric_limits<double>::infinity() : 0.0;
  state_.levers.*lever_members.at(static_cast<std::size_t>(l)) = std::min(std::max(least, value), ceiling);
}

}  // namespace flywheel::agents
