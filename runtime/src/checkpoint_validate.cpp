// A checkpoint's state is checked whole before anything uses it: every index
// must point inside what it indexes.

#include <string>

#include "checkpoint_internal.hpp"
#include "flywheel/engine/h5/handle.hpp"
#include "flywheel/market/categories.hpp"

namespace flywheel::runtime::detail {

using market::Dealing;
using market::ShardState;

void validate(const MarketState& s, const Scenario& scenario) {
  const std::size_t platforms = scenario.platforms.size();
  const Dealing dealing{scenario.market.categories, scenario.market.shards};
  auto fail = [](const std::string& problem) { throw h5::Error(problem); };
  auto platform_or_none = [&](PlatformId p) { return index(p) < platforms || p == no_platform; };
  const auto& c = s.customers;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.active[i] > agents::Customers::lapsed) fail("customer " + std::to_string(i) + " has an invalid 'active'");
    if (c.known_platforms[i] >= (1u << platforms))
      fail("customer " + std::to_string(i) + " knows platforms that do not exist");
    if (!platform_or_none(c.last_platform[i]) || !platform_or_none(c.member_of[i]))
      fail("customer " + std::to_string(i) + " names a platform that does not exist");
  }
  if (s.tick > scenario.ticks)
    fail("its tick " + std::to_string(s.tick) + " is past the scenario's " + std::to_string(scenario.ticks) + " ticks");
  for (std::uint32_t i = 0; i < dealing.shards; ++i) {
    const ShardState& shard = s.shards[i];
    const std::string where = "shard " + std::to_string(i) + ": ";
    auto in_shard = [&](std::uint32_t category) {
      return category < dealing.categories && dealing.shard_of(category) == i;
    };
    const std::size_t sellers = shard.sellers.size();
    for (std::size_t r = 0; r < sellers; ++r) {
      if (!in_shard(shard.sellers.category[r])) fail(where + "a seller's category is not in the shard");
      if (!platform_or_none(shard.sellers.owner[r])) fail(where + "a seller's owner does not exist");
    }
    for (std::size_t o = 0; o < shard.offers.size(); ++o) {
      if (shard.offers.seller[o] >= sellers) fail(where + "an offer's seller does not exist");
      if (!in_shard(shard.offers.category[o])) fail(where + "an offer's category is not in the shard");
      if (index(shard.offers.platform[o]) >= platforms) fail(where + "an offer's platform does not exist");
      if (shard.offers.category[o] != shard.sellers.category[shard.offers.seller[o]])
        fail(where + "an offer's category is not its seller's");
    }
    // Seller ids are allotted as serial * shards + shard: none may be at or past the next one.
    for (std::size_t r = 0; r < sellers; ++r) {
      const std::size_t id = index(shard.sellers.id[r]);
      if (id % dealing.shards != i || id / dealing.shards >= shard.serial)
        fail(where + "a seller id was never allotted");
    }
  }
}

}  // namespace flywheel::runtime::detail
