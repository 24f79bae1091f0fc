#include "flywheel/agents/seller_rules.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::agents {

double learning_curve_cost(double base_cost, double cumulative_units, double scale, double exponent) noexcept {
  return base_cost * std::pow(1.0 + cumulative_units / scale, -exponent);
}

double price_floor(double unit_cost, double fulfilment_cost, double take_rate, double min_margin) noexcept {
  return (unit_cost + fulfilment_cost) * (1.0 + min_margin) / std::max(1e-6, 1.0 - take_rate);
}

PriceDecision reviewed_price(const PriceReview& r) noexcept {
  int direction = r.direction >= 0 ? 1 : -1;
  if (r.sold_out) {
    direction = 1;
  } else if (r.units_sold == 0 || (r.competitor_mean > 0.0 && r.price > r.competitor_mean * (1.0 + r.band))) {
    direction = -1;
  } else if (r.profit < r.previous_profit) {
    direction = -direction;
  }
  return {std::max(r.price * (1.0 + direction * r.step), r.floor), direction};
}

double expected_entry_profit(const EntryOutlook& o) noexcept {
  const double appeal = std::exp(o.quality_edge);
  const double units = o.units_per_day * appeal / (static_cast<double>(o.offers) + appeal);
  const double margin = o.average_price * (1.0 - o.take_rate) - o.unit_cost - o.fulfilment_cost;
  return o.horizon_days * (units * margin - o.fixed_cost) - o.entry_cost;
}

ListingMove review_listings(std::span<const PlatformOutlook> platforms, std::uint32_t max_platforms, double cash,
                            double listing_cost) noexcept {
  ListingMove move;
  std::uint32_t listed = 0;
  for (const auto& p : platforms) listed += p.listed ? 1u : 0u;
  for (std::size_t p = 0; p < platforms.size(); ++p) {
    const auto& o = platforms[p];
    if (o.listed && o.judged && o.listing_profit_per_day < 0.0 &&
        (move.drop < 0 || o.listing_profit_per_day < platforms[move.drop].listing_profit_per_day))
      move.drop = static_cast<int>(p);
  }
  if (move.drop >= 0 && listed > 1) return move;
  move.drop = -1;
  if (listed >= max_platforms || cash < listing_cost) return move;
  for (std::size_t p = 0; p < platforms.size(); ++p) {
    const auto& o = platforms[p];
    if (!o.listed && o.expected_profit_if_added > 0.0 &&
        (move.add < 0 || o.expected_profit_if_added > platforms[move.add].expected_profit_if_added))
      move.add = static_cast<int>(p);
  }
  return move;
}

std::uint32_t next_losing_days(std::uint32_t losing_days, double cash, double profit_trend) noexcept {
  return cash < 0.0 && profit_trend < 0.0 ? losing_days + 1 : 0;
}

bool choose_platform_fulfilment(bool current, double profit_self, double profit_platform, double u,
                                double exploration) noexcept {
  if (u < exploration) return !current;
  if (profit_platform > profit_self) return true;
  if (profit_self > profit_platform) return false;
  return current;
}

}  // namespace flywheel::agents
