#include "flywheel/market/shard.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace flywheel::market {
namespace {

template <class T>
void permute(std::vector<T>& column, const std::vector<std::uint32_t>& order) {
  std::vector<T> out(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) out[i] = column[order[i]];
  column.swap(out);
}

template <class T>
void keep_rows(std::vector<T>& column, const std::vector<std::uint8_t>& keep) {
  std::size_t w = 0;
  for (std::size_t r = 0; r < column.size(); ++r)
    if (keep[r] != 0) column[w++] = column[r];
  column.resize(w);
}

}  // namespace

Shard::Shard(ShardId id, const Categories& categories, std::size_t platforms, std::uint32_t pool_rows)
    : id_(id),
      dealing_(categories.dealing()),
      platforms_(platforms),
      local_categories_(categories.in_shard(static_cast<std::uint32_t>(index(id)))) {
  const std::size_t groups = static_cast<std::size_t>(local_categories_) * platforms;
  pool.reserve(pool_rows);
  group_visits.assign(groups + 1, 0);
  state.signals.assign(groups, {});
  state.tally.assign(platforms, {});
  group_begin_.assign(groups + 1, 0);
  candidates.reserve(256);
}

void Shard::remove_closed() {
  if (exits.empty() && delistings.empty()) return;
  auto& sellers = state.sellers;
  auto& offers = state.offers;
  std::vector<std::uint8_t> keep_seller(sellers.size(), 1);
  for (auto slot : exits) keep_seller[slot] = 0;
  std::vector<std::uint32_t> new_slot(sellers.size(), 0);
  std::uint32_t next = 0;
  for (std::size_t s = 0; s < sellers.size(); ++s)
    if (keep_seller[s] != 0) new_slot[s] = next++;
  std::vector<std::uint8_t> keep_offer(offers.size());
  for (std::size_t o = 0; o < offers.size(); ++o) {
    keep_offer[o] = keep_seller[offers.seller[o]];
    if (keep_offer[o] == 0 && sellers.owner[offers.seller[o]] == no_platform)
      ++state.tally[index(offers.platform[o])].exits;
  }
  for (auto o : delistings) keep_offer[o] = 0;
  agents::for_each_column(sellers, [&](auto& column, const auto&, const auto&) { keep_rows(column, keep_seller); });
  agents::for_each_column(offers, [&](auto& column, const auto&, const auto&) { keep_rows(column, keep_offer); });
  for (auto& s : offers.seller) s = new_slot[s];
  exits.clear();
  delistings.clear();
  reorder();
}

void Shard::reorder() {
  auto& offers = state.offers;
  const std::size_t n = offers.size();
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), 0u);
  auto key = [&](std::uint32_t o) {
    return std::tuple(offers.category[o], index(offers.platform[o]), index(state.sellers.id[offers.seller[o]]));
  };
  if (!std::is_sorted(order_.begin(), order_.end(), [&](auto a, auto b) { return key(a) < key(b); })) {
    std::sort(order_.begin(), order_.end(), [&](auto a, auto b) { return key(a) < key(b); });
    agents::for_each_column(offers, [&](auto& column, const auto&, const auto&) { permute(column, order_); });
  }
  std::fill(group_begin_.begin(), group_begin_.end(), 0);
  for (std::size_t o = 0; o < n; ++o) {
    const std::uint32_t local = dealing_.local_index(offers.category[o]);
    ++group_begin_[group(local, index(offers.platform[o])) + 1];
  }
  std::partial_sum(group_begin_.begin(), group_begin_.end(), group_begin_.begin());
}

}  // namespace flywheel::market
