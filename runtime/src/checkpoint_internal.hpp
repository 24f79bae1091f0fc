#pragma once
// What the checkpoint's source files share, and nothing else uses.

#include "flywheel/market/market_state.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::runtime::detail {

using market::MarketState;
using market::Scenario;

/// A branch that changes a lever's starting value (take_rate,
/// fulfilment.fee, ...) sets the lever to it at the branch tick.
void apply_branch_levers(MarketState& state, const Scenario& parent, const Scenario& branch);

/// Throws h5::Error unless every index in `s` points inside what it indexes
/// and its tick is within the scenario's.
void validate(const MarketState& s, const Scenario& scenario);

}  // namespace flywheel::runtime::detail
