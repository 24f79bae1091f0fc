#pragma once
#include <string>

#include "flywheel/market/market.hpp"

namespace flywheel::runtime {

using market::Market;
using market::MarketDay;
using market::Scenario;

/// A short, human-readable account of the market's state after the last
/// tick: customers, sellers, offers, 3P share, average price, market shares.
std::string summary(const Market& market);

/// One line of a day's headline figures, for debug logs.
std::string day_line(const MarketDay& day, const Scenario& scenario);

/// What `flywheel validate` prints: the scenario's size and what a run would allocate.
std::string allocation_report(const Scenario& scenario);

}  // namespace flywheel::runtime
