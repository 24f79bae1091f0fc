// The Market's exchanges between MPI ranks. In a single process each is a
// no-op or a plain copy; with more ranks they keep every order the single
// process has: intents by shard then block, referrals by emitting shard then
// block, tallies summed customers first and then shard by shard.

#include <cstring>

#include "flywheel/engine/exchange.hpp"
#include "flywheel/market/market.hpp"

namespace flywheel::market {
namespace {

template <class T>
void put(std::vector<std::byte>& out, const T* values, std::size_t n) {
  const std::size_t offset = out.size();
  out.resize(offset + n * sizeof(T));
  if (n > 0) std::memcpy(out.data() + offset, values, n * sizeof(T));
}

template <class T>
const std::byte* get(const std::byte* in, T* values, std::size_t n) {
  if (n > 0) std::memcpy(values, in, n * sizeof(T));
  return in + n * sizeof(T);
}

}  // namespace

std::span<Intent> Market::shard_intents(std::size_t s) {
  return partition_.distributed() ? intent_exchange_.items(s) : router_.shard_items(s);
}

void Market::send_intents() {
  if (!partition_.distributed()) return;
  const std::size_t shards = partition_.shards();
  std::vector<std::uint64_t> counts(partition_.ranks() * shards, 0);
  for (std::size_t s = 0; s < shards; ++s)
    counts[partition_.shard_owner(s) * shards + s] = router_.shard_items(s).size();
  // The router's items are in shard order, and shards are contiguous in rank order: grouped by (rank, shard).
  intent_exchange_.send(router_.routed_items(), counts);
}

void Market::return_outcomes() {
  if (!partition_.distributed()) return;
  intent_exchange_.reply<IntentOutcome>(
      [](const Intent& i) {
        return IntentOutcome{i.experience, i.paid, i.outcome, i.taste_profile};
      },
      outcomes_);
  const auto routed = router_.routed_items();
  FLYWHEEL_ASSERT(outcomes_.size() == routed.size());
  for (std::size_t i = 0; i < routed.size(); ++i) {
    routed[i].experience = outcomes_[i].experience;
    routed[i].paid = outcomes_[i].paid;
    routed[i].outcome = outcomes_[i].outcome;
    routed[i].taste_profile = outcomes_[i].taste_profile;
  }
}

void Market::deliver_referrals(const TickContext& ctx) {
  if (!partition_.distributed()) {
    referrals_.drain([&](std::size_t, const Referral& r) { take_up_referral(r, customers_, merge_tally_, ctx); });
    return;
  }
  // To the contact's rank, grouped by (rank, emitting shard), each group in emission order.
  const std::size_t shards = partition_.shards();
  referral_counts_.assign(partition_.ranks() * shards, 0);
  for (std::size_t s = 0; s < shards; ++s)
    for (const Referral& r : referrals_.box(s)) ++referral_counts_[partition_.customer_owner(r.contact) * shards + s];
  std::vector<std::size_t> next(referral_counts_.size(), 0);
  std::size_t total = 0;
  for (std::size_t i = 0; i < next.size(); ++i) {
    next[i] = total;
    total += referral_counts_[i];
  }
  referral_send_.resize(total);
  for (std::size_t s = 0; s < shards; ++s) {
    for (const Referral& r : referrals_.box(s))
      referral_send_[next[partition_.customer_owner(r.contact) * shards + s]++] = r;
    referrals_.box(s).clear();
  }
  referral_exchange_.send(referral_send_, referral_counts_);
  // By emitting shard, then source rank (= customer block order): the single process's drain order.
  for (std::size_t s = 0; s < shards; ++s)
    for (const Referral& r : referral_exchange_.items(s)) take_up_referral(r, customers_, merge_tally_, ctx);
}

void Market::sum_day_tallies() {
  const std::size_t platforms = platforms_.size();
  // This rank's part: its 3P seller count, its customers' counts (blocks,
  // experiences, referrals: integers only, so their order does not matter),
  // then its shards' tallies in shard order.
  std::vector<agents::PlatformTally> counts(platforms);
  for (auto* tallies : {&block_tally_, &experience_tally_})
    for (std::size_t i = 0; i < tallies->size(); ++i) {
      counts[i % platforms] += (*tallies)[i];
      (*tallies)[i] = {};
    }
  for (std::size_t p = 0; p < platforms; ++p) {
    counts[p] += merge_tally_[p];
    merge_tally_[p] = {};
  }
  std::uint64_t sellers_3p = 0;
  for (const auto& shard : shards_)
    for (std::size_t s = 0; s < shard.state.sellers.size(); ++s)
      sellers_3p += shard.state.sellers.owner[s] == no_platform ? 1 : 0;
  std::vector<std::byte> mine;
  put(mine, &sellers_3p, 1);
  put(mine, counts.data(), platforms);
  for (auto& shard : shards_) {
    put(mine, shard.state.tally.data(), platforms);
    std::fill(shard.state.tally.begin(), shard.state.tally.end(), agents::PlatformTally{});
  }

  // Each rank's part has a known size: one collective call.
  std::vector<std::size_t> sizes(partition_.ranks());
  for (std::size_t q = 0; q < sizes.size(); ++q)
    sizes[q] = sizeof(std::uint64_t) + (1 + partition_.first_shard(q + 1) - partition_.first_shard(q)) * platforms *
                                           sizeof(agents::PlatformTally);
  std::vector<std::byte> all;
  exchange::allgatherv_known(mine, all, sizes);

  // Every rank sums every part in the same order: counts (whose money fields
  // are zero), then shards in shard order; so the doubles are the single process's.
  auto& total = total_tally_;
  std::fill(total.begin(), total.end(), agents::PlatformTally{});
  std::vector<agents::PlatformTally> part(platforms);
  today_.sellers_3p = 0;
  std::size_t offset = 0;
  for (const std::size_t bytes : sizes) {
    std::uint64_t sellers = 0;
    get(get(all.data() + offset, &sellers, 1), part.data(), platforms);
    today_.sellers_3p += sellers;
    for (std::size_t p = 0; p < platforms; ++p) total[p] += part[p];
    offset += bytes;
  }
  offset = 0;
  for (const std::size_t bytes : sizes) {
    const std::byte* in = all.data() + offset + sizeof(std::uint64_t) + platforms * sizeof(agents::PlatformTally);
    const std::size_t shard_parts = (bytes - sizeof(std::uint64_t)) / (platforms * sizeof(agents::PlatformTally)) - 1;
    for (std::size_t s = 0; s < shard_parts; ++s) {
      in = get(in, part.data(), platforms);
      for (std::size_t p = 0; p < platforms; ++p) total[p] += part[p];
    }
    offset += bytes;
  }
}

void Market::gather_signals() {
  if (!partition_.distributed() || !scenario_.output.category_series) return;
  std::vector<std::byte> mine, all;
  std::vector<std::size_t> sizes;
  for (const auto& shard : shards_) put(mine, shard.state.signals.data(), shard.state.signals.size());
  exchange::gatherv_bytes(mine, all, sizes);
  if (partition_.rank() != 0) return;
  exchange::from_bytes(std::span<const std::byte>(all), all_signals_);
  signal_begin_.assign(partition_.shards() + 1, 0);
  for (std::size_t s = 0; s < partition_.shards(); ++s)
    signal_begin_[s + 1] = signal_begin_[s] + categories_.in_shard(static_cast<std::uint32_t>(s)) * platforms_.size();
  FLYWHEEL_ASSERT(signal_begin_.back() == all_signals_.size());
}

std::span<const CategorySignal> Market::shard_signals(std::size_t s) const {
  if (!all_signals_.empty()) return {all_signals_.data() + signal_begin_[s], signal_begin_[s + 1] - signal_begin_[s]};
  const std::size_t first = partition_.first_shard(partition_.rank());
  FLYWHEEL_ASSERT(s >= first && s - first < shards_.size());
  return shards_[s - first].state.signals;
}

}  // namespace flywheel::market
