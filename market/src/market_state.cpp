// Market::state() and Market::restore(): the market's state as one value.

#include "flywheel/engine/errors.hpp"
#include "flywheel/market/market.hpp"

namespace flywheel::market {

MarketState Market::state() const {
  MarketState s{customers_, {}, {}, tick_, intents_matched_, today_};
  for (const auto& p : platforms_) s.platforms.push_back(p.state());
  for (const auto& shard : shards_) s.shards.push_back(shard.state);
  return s;
}

void Market::restore(MarketState s) {
  const auto& c = s.customers;
  if (c.size() != customers_.size() || c.first() != customers_.first() || c.platforms() != customers_.platforms() ||
      s.platforms.size() != platforms_.size() || s.shards.size() != shards_.size())
    throw InternalError("Market::restore: the state is of another structure");
  customers_ = std::move(s.customers);
  for (std::size_t p = 0; p < platforms_.size(); ++p) platforms_[p].restore(std::move(s.platforms[p]));
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    Shard& shard = shards_[i];
    shard.state = std::move(s.shards[i]);
    shard.births.clear();
    shard.exits.clear();
    shard.reorder();
  }
  tick_ = s.tick;
  intents_matched_ = s.intents_matched;
  today_ = std::move(s.today);
}

}  // namespace flywheel::market
