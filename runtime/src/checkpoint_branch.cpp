// The rules of a branch: what may change from the checkpoint's scenario, and
// what a changed starting value of a lever does at the branch tick.

#include <fmt/core.h>

#include "checkpoint_internal.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "flywheel/runtime/state_ranks.hpp"

namespace flywheel::runtime {
namespace {

std::string fixed(const std::string& key, const std::string& was, const std::string& now) {
  return "'" + key + "' is structural and cannot change in a branch (it was " + was + ", the branch asks for " + now +
         "); only policy parameters (fees, mechanisms, take rates, ticks, ...) may change";
}

}  // namespace

void check_branch(const Scenario& parent, const Scenario& branch, const std::string& checkpoint_path) {
  const SourceLocation where{checkpoint_path};
  auto same = [&](const std::string& key, const auto& was, const auto& now) {
    if (was != now) throw ConfigError(where, key, fixed(key, fmt::format("{}", was), fmt::format("{}", now)));
  };
  same("seed", parent.seed, branch.seed);
  same("customers.count", parent.customers.count, branch.customers.count);
  same("market.categories", parent.market.categories, branch.market.categories);
  same("market.shards", parent.market.shards, branch.market.shards);
  same("market.customer_block", parent.market.customer_block, branch.market.customer_block);
  same("market.popularity_exponent", parent.market.popularity_exponent, branch.market.popularity_exponent);
  same("market.price_level", parent.market.price_level, branch.market.price_level);
  same("market.price_level_spread", parent.market.price_level_spread, branch.market.price_level_spread);
  same("platforms", parent.platforms.size(), branch.platforms.size());
  for (std::size_t p = 0; p < parent.platforms.size(); ++p) {
    same("platforms." + std::to_string(p) + ".name", parent.platforms[p].name, branch.platforms[p].name);
    // The saved history of its metrics holds two windows (and the longest delay) of days.
    same("platforms." + std::to_string(p) + ".policy.metric_window", parent.platforms[p].policy.metric_window,
         branch.platforms[p].policy.metric_window);
  }
}

void detail::apply_branch_levers(MarketState& state, const Scenario& parent, const Scenario& branch) {
  for (std::size_t p = 0; p < state.platforms.size(); ++p) {
    const agents::PlatformLevers was = agents::Platform::initial_levers(parent.platforms[p]);
    const agents::PlatformLevers now = agents::Platform::initial_levers(branch.platforms[p]);
    agents::PlatformLevers::fields([&](const char*, auto lever) {
      if (now.*lever != was.*lever) state.platforms[p].levers.*lever = now.*lever;
    });
  }
}

std::unique_ptr<Market> restore_market(const Checkpoint& checkpoint, Scenario scenario, Execution execution) {
  FLYWHEEL_ASSERT(checkpoint.state != nullptr);
  auto market = std::make_unique<Market>(std::move(scenario), execution);
  MarketState state = part_of(*checkpoint.state, market->partition());
  detail::apply_branch_levers(state, checkpoint.scenario, market->scenario());
  market->restore(std::move(state));
  return market;
}

}  // namespace flywheel::runtime
