#pragma once
#include "flywheel/market/shard.hpp"
#include "flywheel/market/tick_context.hpp"

namespace flywheel::market {

/// The entry phase over one shard: potential sellers arrive at each category
/// (a Poisson number a day), draw their own costs, quality and variant, and
/// look only at what each platform publishes (last month's units and average
/// price in the category, its seller count, the take rate and fulfilment fee).
/// A potential seller lists on every platform where it expects a profit over
/// its entry cost; births go to shard.births. None arrives with
/// loops.third_party_entry off.
void consider_entry(Shard& shard, const TickContext& ctx);

/// What a seller of `quality` counts on over the group's competitors: the
/// shoppers' quality weight x (quality - what their mean displayed rating
/// says of quality), scaled
/// by sellers.quality_foresight (agents::EntryOutlook::quality_edge).
double quality_edge(const TickContext& ctx, double quality, const CategorySignal& signal) noexcept;

/// Adds the births as sellers and offers (the merge after the entry phase).
void admit_births(Shard& shard, const TickContext& ctx);

/// Adds one seller with offers on the platforms in `platforms` (bit p); used
/// by births and by the scenario's initial sellers. Returns its slot.
std::uint32_t add_seller(Shard& shard, const TickContext& ctx, const Birth& b, PlatformId owner);

/// Lists seller `slot` on platform p: a new offer at the seller's opening
/// price (1P: the platform's markup over its unit cost; 3P: its initial markup
/// over unit cost and fulfilment, grossed up for the fee), stocked for its
/// first days, shown to shoppers from tick `selling_from`. Rows are
/// appended: call shard.reorder() after.
void list_offer(Shard& shard, const TickContext& ctx, std::uint32_t slot, std::size_t p, Tick selling_from);

}  // namespace flywheel::market
