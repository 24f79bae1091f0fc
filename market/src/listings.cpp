#include "flywheel/market/listings.hpp"

#include <algorithm>
#include <array>

#include "flywheel/agents/seller_rules.hpp"
#include "flywheel/market/entry.hpp"
#include "flywheel/market/pricing.hpp"
#include "flywheel/market/scenario.hpp"

namespace flywheel::market {

void leave_exited_platforms(Shard& shard, const TickContext& ctx) {
  if (std::all_of(ctx.terms.begin(), ctx.terms.end(), [](const PlatformTerms& t) { return t.open; })) return;
  const auto& offers = shard.state.offers;
  const auto on_open = [&](std::uint32_t o) { return ctx.terms[index(offers.platform[o])].open; };
  bool any_closing = false;
  for (std::uint32_t o = 0; o < offers.size() && !any_closing; ++o) any_closing = !on_open(o);
  if (!any_closing) return;  // every day after an exit but the next
  std::vector<std::uint8_t> listed_on_open(shard.state.sellers.size(), 0);
  for (std::uint32_t o = 0; o < offers.size(); ++o)
    if (on_open(o)) listed_on_open[offers.seller[o]] = 1;
  for (std::uint32_t o = 0; o < offers.size(); ++o) {
    if (on_open(o)) continue;
    shard.delistings.push_back(o);
    // A 3P seller that still sells elsewhere drops the listing; one left with no platform leaves (counted as an
    // exit by remove_closed), as does a 1P seller, whose platform it is.
    if (listed_on_open[offers.seller[o]] != 0)
      ++shard.state.tally[index(offers.platform[o])].listings_dropped;
    else
      shard.exits.push_back(offers.seller[o]);
  }
}

void review_listings(Shard& shard, const TickContext& ctx) {
  const auto& sp = *ctx.sellers;
  if (!ctx.loops->multi_homing) return;
  const auto& sellers = shard.state.sellers;
  const auto& offers = shard.state.offers;
  const std::uint32_t interval = sp.platform_review_interval;
  const auto due = [&](std::uint32_t s) {
    return sellers.owner[s] == no_platform && index(sellers.id[s]) % interval == ctx.tick % interval &&
           sellers.losing_days[s] <= sp.exit_patience;  // one that is leaving does not review
  };
  // Today's reviewers' offers, seller by seller (a seller's offers lie in different groups).
  auto& reviewed = shard.reviewed;
  reviewed.clear();
  for (std::uint32_t o = 0; o < offers.size(); ++o)  // a listing on an exited platform is closing, not reviewed
    if (due(offers.seller[o]) && ctx.terms[index(offers.platform[o])].open) reviewed.emplace_back(offers.seller[o], o);
  std::sort(reviewed.begin(), reviewed.end());

  bool added = false;
  std::array<agents::PlatformOutlook, max_platforms> outlook{};
  std::array<std::uint32_t, max_platforms> offer_on{};
  for (std::size_t i = 0; i < reviewed.size();) {
    const std::uint32_t s = reviewed[i].first;
    std::fill(outlook.begin(), outlook.end(), agents::PlatformOutlook{});
    for (; i < reviewed.size() && reviewed[i].first == s; ++i) {
      const std::uint32_t o = reviewed[i].second;
      const std::size_t p = index(offers.platform[o]);
      offer_on[p] = o;
      outlook[p].listed = true;
      outlook[p].judged = ctx.tick >= offers.selling_from[o] + interval;
      // The last price window's margin a day, less the listing's running cost.
      outlook[p].listing_profit_per_day =
          static_cast<double>(offers.profit_last_window[o]) / sp.reprice_interval - sp.fixed_cost;
    }
    const std::uint32_t local = ctx.categories->local_index(sellers.category[s]);
    const double level = ctx.categories->price_level(sellers.category[s]);
    for (std::size_t p = 0; p < shard.platforms(); ++p) {
      const PlatformTerms& terms = ctx.terms[p];
      const CategorySignal& signal = shard.state.signals[shard.group(local, p)];
      if (outlook[p].listed || !terms.open || !terms.third_party || signal.units_per_day <= 0.0f) continue;
      outlook[p].expected_profit_if_added = agents::expected_entry_profit(
          {signal.units_per_day, signal.average_price, signal.offers, terms.take_rate,
           third_party_fulfilment_cost(shard, s, terms, sp, level), sellers.unit_cost[s], sp.fixed_cost,
           sp.entry_horizon, sp.listing_cost, quality_edge(ctx, sellers.quality[s], signal)});
    }
    const auto move = agents::review_listings({outlook.data(), shard.platforms()}, sp.max_platforms, sellers.cash[s],
                                              sp.listing_cost);
    if (move.drop >= 0) {
      shard.delistings.push_back(offer_on[static_cast<std::size_t>(move.drop)]);
      ++shard.state.tally[static_cast<std::size_t>(move.drop)].listings_dropped;
    }
    if (move.add >= 0) {
      const auto p = static_cast<std::size_t>(move.add);
      list_offer(shard, ctx, s, p, ctx.tick + sp.onboarding_days);
      shard.state.sellers.cash[s] -= sp.listing_cost;
      ++shard.state.tally[p].listings_added;
      added = true;
    }
  }
  if (added) shard.reorder();
}

}  // namespace flywheel::market
