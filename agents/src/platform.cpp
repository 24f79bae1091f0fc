#include "flywheel/agents/platform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "flywheel/agents/mechanism.hpp"
#include "flywheel/engine/errors.hpp"

namespace flywheel::agents {

Platform::Platform(const PlatformParams& params, PlatformId id)
    : take_rate(params.take_rate),
      fulfilment_fee(params.fulfilment.fee),
      first_party_markup(params.first_party.markup),
      delivery_investment(params.fulfilment.delivery_investment),
      marketing_spend(params.marketing_spend),
      membership_fee(params.membership.fee),
      shipping_fee(params.shipping_fee),
      payout_share(params.policy.payout_share),
      cash(params.initial_cash),
      capital(params.fulfilment.initial_capital),
      delivery_days(0.0),
      fulfilment_unit_cost(params.fulfilment.cost_per_unit),
      params_(&params),
      id_(id),
      days_(history_days(params)) {
  const auto& f = params.fulfilment;
  delivery_days =
      f.min_delivery_days + (f.base_delivery_days - f.min_delivery_days) * std::exp(-capital / f.capital_scale);
}

PlatformDay Platform::close_day(const PlatformTally& t, std::uint64_t all_visits, Tick tick) {
  const auto& f = params_->fulfilment;
  active_customers += t.active_delta;
  members += t.member_delta;

  PlatformDay d;
  d.tally = t;
  d.active_customers = active_customers;
  d.members = members;
  d.membership_revenue = params_->membership.offered ? static_cast<double>(members) * membership_fee / 365.0 : 0.0;
  d.revenue =
      t.fee_revenue + t.fulfilment_fee_revenue + t.shipping_revenue + t.first_party_sales + d.membership_revenue;
  d.fulfilment_cost = fulfilment_unit_cost * static_cast<double>(t.units_fulfilled);
  d.fixed_cost = f.fixed_cost;
  d.delivery_investment = delivery_investment;
  d.marketing_spend = marketing_spend;
  d.operating_profit = d.revenue - d.fulfilment_cost - d.fixed_cost - d.delivery_investment - d.marketing_spend -
                       t.first_party_stock_cost;
  d.payout = payout_share * std::max(0.0, d.operating_profit);
  cash += d.operating_profit - d.payout;
  d.cash = cash;
  d.market_share = all_visits > 0 ? static_cast<double>(t.visits) / static_cast<double>(all_visits) : 0.0;

  // The network: capital from investment, less depreciation; scale lowers the unit cost.
  capital += delivery_investment - f.depreciation * capital;
  delivery_days =
      f.min_delivery_days + (f.base_delivery_days - f.min_delivery_days) * std::exp(-capital / f.capital_scale);
  fulfilled_units_total += static_cast<double>(t.units_fulfilled);
  fulfilment_unit_cost =
      f.cost_per_unit * std::pow(1.0 + fulfilled_units_total / f.cost_learning_scale, -f.cost_learning_exponent);

  days_[days_seen_ % days_.size()] = {d.revenue,
                                      d.operating_profit,
                                      static_cast<double>(t.orders),
                                      static_cast<double>(t.visits),
                                      static_cast<double>(t.failed_searches),
                                      static_cast<double>(t.units_3p),
                                      static_cast<double>(t.units_1p + t.units_3p),
                                      static_cast<double>(all_visits),
                                      delivery_days,
                                      cash};
  ++days_seen_;

  for (const auto& m : params_->policy.mechanisms) apply(m, *this, tick);

  d.take_rate = take_rate;
  d.fulfilment_fee = fulfilment_fee;
  d.first_party_markup = first_party_markup;
  d.membership_fee = membership_fee;
  d.shipping_fee = shipping_fee;
  d.payout_share = payout_share;
  d.delivery_days = delivery_days;
  d.fulfilment_unit_cost = fulfilment_unit_cost;
  return d;
}

std::vector<double> Platform::saved_history() const {
  std::vector<double> values;
  values.reserve(days_.size() * daily_fields);
  for (const Daily& d : days_)
    for (auto member : daily_members) values.push_back(d.*member);
  return values;
}

void Platform::restore_history(std::span<const double> values, std::uint64_t days_seen) {
  if (values.size() != days_.size() * daily_fields) throw InternalError("a platform's history has the wrong length");
  for (std::size_t i = 0; i < days_.size(); ++i)
    for (std::size_t f = 0; f < daily_fields; ++f) days_[i].*daily_members[f] = values[i * daily_fields + f];
  days_seen_ = static_cast<std::size_t>(days_seen);
}

bool Platform::window_sum(double Daily::*field, std::uint32_t delay, std::size_t offset, double& sum) const {
  const std::size_t need = delay + offset + 1;
  if (days_seen_ < need) return false;
  const std::size_t newest = days_seen_ - 1 - delay - offset;  // index of the window's last day
  const std::size_t length = std::min<std::size_t>(params_->policy.metric_window, newest + 1);
  sum = 0.0;
  for (std::size_t i = 0; i < length; ++i) sum += days_[(newest - i) % days_.size()].*field;
  return true;
}

double Platform::metric(Metric m, std::uint32_t delay) const {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t window = params_->policy.metric_window;
  double a = 0.0, b = 0.0;
  auto sum = [&](double Daily::*field, double& out, std::size_t offset = 0) {
    return window_sum(field, delay, offset, out);
  };
  switch (m) {
    case Metric::operating_margin:
      if (!sum(&Daily::profit, a) || !sum(&Daily::revenue, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::delivery_days:
      if (!sum(&Daily::delivery_days, a, 0)) return nan;
      return days_[(days_seen_ - 1 - delay) % days_.size()].delivery_days;
    case Metric::orders_growth:
      if (!sum(&Daily::orders, a) || days_seen_ < delay + 2 * window || !sum(&Daily::orders, b, window) || b <= 0.0)
        return nan;
      return a / b - 1.0;
    case Metric::conversion_rate:
      if (!sum(&Daily::orders, a) || !sum(&Daily::visits, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::failed_search_rate:
      if (!sum(&Daily::failed, a) || !sum(&Daily::visits, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::third_party_share:
      if (!sum(&Daily::units_3p, a) || !sum(&Daily::units, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::market_share:
      if (!sum(&Daily::visits, a) || !sum(&Daily::all_visits, b) || b <= 0.0) return nan;
      return a / b;
    case Metric::cash:
      if (days_seen_ < delay + 1) return nan;
      return days_[(days_seen_ - 1 - delay) % days_.size()].cash;
    case Metric::orders_per_day:
      if (!sum(&Daily::orders, a)) return nan;
      return a / static_cast<double>(std::min<std::size_t>(window, days_seen_ - delay));
    case Metric::count:
      break;
  }
  return nan;
}

double Platform::lever(Lever l) const {
  switch (l) {
    case Lever::take_rate:
      return take_rate;
    case Lever::fulfilment_fee:
      return fulfilment_fee;
    case Lever::first_party_markup:
      return first_party_markup;
    case Lever::delivery_investment:
      return delivery_investment;
    case Lever::marketing_spend:
      return marketing_spend;
    case Lever::membership_fee:
      return membership_fee;
    case Lever::shipping_fee:
      return shipping_fee;
    case Lever::payout_share:
      return payout_share;
    case Lever::count:
      break;
  }
  return 0.0;
}

void Platform::set_lever(Lever l, double value) {
  switch (l) {
    case Lever::take_rate:
      take_rate = std::clamp(value, 0.0, params_->policy.max_take_rate);
      return;
    case Lever::fulfilment_fee:
      fulfilment_fee = std::max(0.0, value);
      return;
    case Lever::first_party_markup:
      first_party_markup = std::max(0.0, value);
      return;
    case Lever::delivery_investment:
      delivery_investment = std::max(0.0, value);
      return;
    case Lever::marketing_spend:
      marketing_spend = std::max(0.0, value);
      return;
    case Lever::membership_fee:
      membership_fee = std::max(0.0, value);
      return;
    case Lever::shipping_fee:
      shipping_fee = std::max(0.0, value);
      return;
    case Lever::payout_share:
      payout_share = std::clamp(value, 0.0, 1.0);
      return;
    case Lever::count:
      break;
  }
}

}  // namespace flywheel::agents
