#pragma once
// Scenarios of configs/, shrunk, run day by day: the helpers of the tests
// that check outcomes over seeds (emergence_test, tradeoffs_test).

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::market::shrunk {

inline const std::string configs = FLYWHEEL_CONFIGS;

/// A scenario from configs/, shrunk by `fraction`: customers, categories and
/// every amount of money a platform's costs and money levers are set in, so
/// the economics keep their proportions.
/// `overrides` are `--set` assignments applied before the shrinking.
inline Scenario small(const std::string& name, std::uint64_t seed, double fraction,
                      std::vector<std::string> overrides = {}) {
  overrides.push_back("seed=" + std::to_string(seed));
  Scenario s = load_scenario(configs + "/" + name + ".yaml", overrides);
  const auto shrink = [fraction](auto& x) { x = static_cast<std::remove_reference_t<decltype(x)>>(x * fraction); };
  shrink(s.customers.count);
  shrink(s.market.categories);
  s.market.shards = std::min(s.market.shards, 8u);
  for (auto& p : s.platforms) {
    shrink(p.fulfilment.fixed_cost);
    shrink(p.fulfilment.capital_scale);
    shrink(p.fulfilment.initial_capital);
    shrink(p.fulfilment.delivery_investment);
    shrink(p.marketing_spend);
    shrink(p.initial_cash);
    shrink(p.credit_line);
    for (auto& m : p.policy.mechanisms) {
      using Lever = agents::PlatformPolicy::Lever;
      if (m.lever == Lever::delivery_investment || m.lever == Lever::marketing_spend) {
        shrink(m.gain);
        shrink(m.min);
        shrink(m.max);
      }
    }
  }
  return s;
}

struct Trajectory {
  std::vector<MarketDay> days;
  [[nodiscard]] const MarketDay& at(std::size_t t) const { return days.at(t); }
  /// Mean of f over days [from, to), skipping days it is undefined (NaN: a share on a day nothing sold).
  template <class F>
  [[nodiscard]] double mean(std::size_t from, std::size_t to, F f) const {
    double sum = 0.0;
    std::size_t defined = 0;
    for (std::size_t t = from; t < to; ++t) {
      const double v = f(days[t]);
      if (std::isnan(v)) continue;
      sum += v;
      ++defined;
    }
    return sum / static_cast<double>(defined);
  }
};

inline Trajectory run(const Scenario& scenario, std::uint32_t ticks) {
  Market market(scenario);
  Trajectory tr;
  tr.days.reserve(ticks);
  for (std::uint32_t t = 0; t < ticks; ++t) tr.days.push_back(market.step());
  return tr;
}

inline double orders(const MarketDay& d) {
  double n = 0;
  for (const auto& p : d.platforms) n += static_cast<double>(p.tally.orders);
  return n;
}

}  // namespace flywheel::market::shrunk
