// Gathering a distributed market's state to rank 0, and cutting a whole state
// into one rank's part. A rank's part goes through the state walk, so every
// declared column travels with no list here.

#include "flywheel/runtime/state_ranks.hpp"

#include <cstring>
#include <span>
#include <vector>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/runtime/state_walk.hpp"

namespace flywheel::runtime {
namespace {

using market::MarketState;
using market::Partition;
using market::Scenario;

/// A walk's IO into bytes: each array as its element count, then its elements.
class Packing {
 public:
  static constexpr bool reading = false;
  explicit Packing(std::vector<std::byte>& out) : out_(out) {}

  template <class T>
  void array(std::string_view, std::vector<T>& values, std::uint64_t) {
    const std::uint64_t count = values.size();
    append(std::as_bytes(std::span(&count, 1)));
    append(exchange::as_bytes(std::span<const T>(values)));
  }
  template <class F>
  void group(std::string_view, F&& body) {
    body();
  }

 private:
  void append(std::span<const std::byte> bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }
  std::vector<std::byte>& out_;
};

/// The reverse, over the bytes Packing wrote in the same walk.
class Unpacking {
 public:
  static constexpr bool reading = true;
  explicit Unpacking(std::span<const std::byte> in) : in_(in) {}

  template <class T>
  void array(std::string_view, std::vector<T>& values, std::uint64_t length) {
    std::uint64_t count = 0;
    std::memcpy(&count, take(sizeof count).data(), sizeof count);
    FLYWHEEL_ASSERT(length == walk::any_length || count == length);
    exchange::from_bytes(take(count * sizeof(T)), values);
  }
  template <class F>
  void group(std::string_view, F&& body) {
    body();
  }

 private:
  std::span<const std::byte> take(std::size_t n) {
    FLYWHEEL_ASSERT(n <= in_.size());
    const auto bytes = in_.first(n);
    in_ = in_.subspan(n);
    return bytes;
  }
  std::span<const std::byte> in_;
};

/// What rank r holds of the state and others do not: its intents matched,
/// customers and shards.
template <class IO>
void rank_part(IO& io, MarketState& s, const Scenario& scenario, const Partition& partition, std::size_t r) {
  const std::uint64_t platforms = scenario.platforms.size();
  const market::Dealing dealing{scenario.market.categories, scenario.market.shards};
  walk::scalar(io, "intents_matched", s.intents_matched);
  walk::store_columns(io, s.customers, partition.first_customer(r + 1) - partition.first_customer(r), platforms);
  const std::size_t first = partition.first_shard(r);
  if constexpr (IO::reading) s.shards.resize(partition.first_shard(r + 1) - first);
  for (std::size_t i = 0; i < s.shards.size(); ++i)
    walk::shard(io, s.shards[i], dealing.in_shard(static_cast<std::uint32_t>(first + i)) * platforms, platforms);
}

}  // namespace

std::optional<MarketState> gather_state(const market::Market& market) {
  MarketState mine = market.state();
  const Partition& partition = market.partition();
  if (!partition.distributed()) return mine;
  const Scenario& scenario = market.scenario();
  std::vector<std::byte> bytes;
  Packing packing(bytes);
  rank_part(packing, mine, scenario, partition, partition.rank());
  std::vector<std::byte> all;
  std::vector<std::size_t> sizes;
  exchange::gatherv_bytes(bytes, all, sizes);
  if (partition.rank() != 0) return std::nullopt;

  const std::size_t platforms = scenario.platforms.size();
  MarketState whole{
      agents::Customers(platforms, 0), std::move(mine.platforms), {}, mine.tick, 0, std::move(mine.today)};
  std::span<const std::byte> rest(all);
  for (std::size_t r = 0; r < partition.ranks(); ++r) {
    MarketState part;
    part.customers = agents::Customers(platforms, partition.first_customer(r));
    Unpacking unpacking(rest.first(sizes[r]));
    rest = rest.subspan(sizes[r]);
    rank_part(unpacking, part, scenario, partition, r);
    agents::append_rows(whole.customers, part.customers, 0, part.customers.size(), platforms);
    whole.intents_matched += part.intents_matched;
    for (auto& shard : part.shards) whole.shards.push_back(std::move(shard));
  }
  return whole;
}

MarketState part_of(const MarketState& whole, const Partition& partition) {
  const std::size_t r = partition.rank();
  const std::size_t platforms = whole.customers.platforms();
  MarketState part{agents::Customers(platforms, partition.first_customer(r)),
                   whole.platforms,
                   {whole.shards.begin() + static_cast<std::ptrdiff_t>(partition.first_shard(r)),
                    whole.shards.begin() + static_cast<std::ptrdiff_t>(partition.first_shard(r + 1))},
                   whole.tick,
                   r == 0 ? whole.intents_matched : 0,
                   whole.today};
  agents::append_rows(part.customers, whole.customers, partition.first_customer(r), partition.local_customers(),
                      platforms);
  return part;
}

}  // namespace flywheel::runtime
