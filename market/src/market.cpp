#include "flywheel/market/market.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <limits>

#include "flywheel/agents/purposes.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/mpi.hpp"
#include "flywheel/engine/random.hpp"
#include "flywheel/market/entry.hpp"
#include "flywheel/market/listings.hpp"
#include "flywheel/market/matching.hpp"
#include "flywheel/market/pricing.hpp"

namespace flywheel::market {
namespace {

std::vector<agents::Platform> make_platforms(const Scenario& s) {
  std::vector<agents::Platform> platforms;
  for (std::size_t p = 0; p < s.platforms.size(); ++p)
    platforms.emplace_back(s.platforms[p], make_id<PlatformId>(p), s.loops);
  return platforms;
}

// This rank's shards.
std::vector<Shard> make_shards(const Scenario& s, const Categories& categories, const Partition& part) {
  std::uint32_t pool_rows = 0;
  for (const auto& p : s.platforms) pool_rows = std::max(pool_rows, p.ranker.candidates);
  std::vector<Shard> shards;
  shards.reserve(part.local_shards());
  for (std::size_t i = part.first_shard(part.rank()); i < part.first_shard(part.rank() + 1); ++i)
    shards.emplace_back(make_id<ShardId>(i), categories, s.platforms.size(), pool_rows);
  return shards;
}

}  // namespace

Market::Market(Scenario scenario, Execution execution)
    : scenario_(std::move(scenario)),
      execution_(execution),
      partition_(scenario_.customers.count, scenario_.market.customer_block, scenario_.market.shards, exchange::rank(),
                 exchange::ranks()),
      categories_(scenario_.market, scenario_.seed),
      customers_(scenario_.customers, scenario_.platforms.size(), scenario_.seed, execution,
                 partition_.first_customer(partition_.rank()), partition_.local_customers()),
      platforms_(make_platforms(scenario_)),
      shards_(make_shards(scenario_, categories_, partition_)),
      blocks_(partition_.local_blocks()),
      router_(blocks_, scenario_.market.customer_block, scenario_.market.shards),
      referrals_(scenario_.market.shards),
      block_tally_(blocks_ * scenario_.platforms.size()),
      experience_tally_(scenario_.market.shards * scenario_.platforms.size()),
      merge_tally_(scenario_.platforms.size()),
      total_tally_(scenario_.platforms.size()),
      intent_exchange_(partition_.ranks(), scenario_.market.shards),
      referral_exchange_(partition_.ranks(), scenario_.market.shards) {
  snapshot_terms(platforms_, partition_.customers(), terms_);
  populate();
  scheduler_.add_phase("customers", [this](Tick) { phase_customers(); });
  scheduler_.add_phase("route", [this](Tick) {
    router_.route(execution_, [this](const Intent& i) { return categories_.shard_of(i.category); });
    send_intents();
  });
  scheduler_.add_phase("match", [this](Tick) { phase_match(); });
  scheduler_.add_phase("experience", [this](Tick) { phase_experience(); });
  scheduler_.add_phase("price", [this](Tick) { phase_price(); });
  scheduler_.add_phase("platforms", [this](Tick) { phase_platforms(); });
  scheduler_.add_phase("entry", [this](Tick) { phase_entry(); });
}

TickContext Market::context() const {
  return {scenario_.seed,
          tick_,
          &categories_,
          &scenario_.customers,
          &scenario_.sellers,
          &scenario_.reviews,
          scenario_.platforms,
          terms_,
          scenario_.market.consideration_set,
          scenario_.market.signal_memory,
          &scenario_.loops};
}

void Market::populate() {
  const std::size_t platforms = platforms_.size();
  // Customers active at the start know one platform, drawn alike.
  std::vector<std::int64_t> active(platforms, 0);
  for (std::size_t c = 0; c < customers_.size(); ++c) {
    const auto id = static_cast<std::uint32_t>(customers_.first() + c);
    const auto bits =
        random::block(scenario_.seed, random::static_tick, id, agents::purpose(agents::Purpose::initial_state));
    if (random::open01(bits[0]) >= scenario_.customers.initially_active) continue;
    const std::size_t p = static_cast<std::size_t>(random::open01(bits[1]) * static_cast<double>(platforms));
    customers_.active[c] = 1;
    customers_.learn_of(c, p, static_cast<float>(scenario_.customers.initial_satisfaction));
    customers_.last_platform[c] = make_id<PlatformId>(p);
    ++active[p];
  }
  // Counts (integers) from every rank.
  std::vector<std::int64_t> all;
  std::vector<std::size_t> counts;
  exchange::allgatherv(std::span<const std::int64_t>(active), all, counts);
  for (std::size_t i = 0; i < all.size(); ++i) platforms_[i % platforms].add_active_customers(all[i]);

  // Sellers at the start: each platform's 1P offers in its top categories, and 3P sellers.
  const TickContext ctx = context();
  const auto& sp = scenario_.sellers;
  for (auto& shard : shards_) {
    const auto shard_index = static_cast<std::uint32_t>(index(shard.id()));
    for (std::uint32_t local = 0; local < shard.local_categories(); ++local) {
      const std::uint32_t category = categories_.global(shard_index, local);
      const double level = categories_.price_level(category);
      auto urng = random::stream(scenario_.seed, random::static_tick, category,
                                 agents::purpose(agents::Purpose::seller_traits));
      boost::random::normal_distribution<double> normal;
      boost::random::uniform_01<double> uniform;
      for (std::size_t p = 0; p < platforms; ++p) {
        const auto& pp = scenario_.platforms[p];
        if (category < pp.first_party.category_share * categories_.size()) {
          const Birth b{category, static_cast<std::uint8_t>(1u << p), static_cast<float>(pp.first_party.quality_mean),
                        static_cast<float>(uniform(urng)), static_cast<float>(level * pp.first_party.cost_ratio)};
          add_seller(shard, ctx, b, make_id<PlatformId>(p));
        }
        if (!pp.third_party) continue;
        // floor(mean) sellers, and one more with the fractional part as its chance.
        const double whole = std::floor(sp.initial_per_category);
        const auto count =
            static_cast<std::uint32_t>(whole) + (uniform(urng) < sp.initial_per_category - whole ? 1 : 0);
        for (std::uint32_t i = 0; i < count; ++i) {
          const Birth b{category, static_cast<std::uint8_t>(1u << p), static_cast<float>(sp.quality_sd * normal(urng)),
                        static_cast<float>(uniform(urng)),
                        static_cast<float>(level * sp.cost_ratio * std::exp(sp.cost_spread * normal(urng)))};
          add_seller(shard, ctx, b, no_platform);
        }
      }
    }
    shard.reorder();
    std::fill(shard.state.tally.begin(), shard.state.tally.end(), agents::PlatformTally{});
  }
}

void Market::phase_customers() {
  snapshot_terms(platforms_, partition_.customers(), terms_);
  router_.clear();
  const TickContext ctx = context();
  const std::size_t platforms = platforms_.size();
  const std::size_t block = scenario_.market.customer_block;
  const std::size_t first_block = partition_.first_block(partition_.rank());
  const std::size_t end = customers_.first() + customers_.size();
  for_each_unit(execution_, blocks_, [&](std::size_t b) {
    const std::size_t first = (first_block + b) * block;
    const std::size_t last = std::min(end, first + block);
    customers_shop(first_block + b, b, first, last, customers_, router_, {&block_tally_[b * platforms], platforms},
                   ctx);
  });
}

void Market::phase_match() {
  const TickContext ctx = context();
  const std::size_t first_shard = partition_.first_shard(partition_.rank());
  for_each_unit(execution_, shards_.size(),
                [&](std::size_t s) { match_intents(shards_[s], shard_intents(first_shard + s), ctx); });
  for (std::size_t s = 0; s < shards_.size(); ++s) intents_matched_ += shard_intents(first_shard + s).size();
}

void Market::phase_experience() {
  return_outcomes();
  const TickContext ctx = context();
  const std::size_t platforms = platforms_.size();
  const std::size_t population = partition_.customers();
  // Every shard's intents that this rank's customers sent (all of them in a single process).
  for_each_unit(execution_, scenario_.market.shards, [&](std::size_t s) {
    apply_experiences(router_.shard_items(s), customers_, referrals_.box(s),
                      {&experience_tally_[s * platforms], platforms}, population, ctx);
  });
  deliver_referrals(ctx);
}

void Market::phase_price() {
  const TickContext ctx = context();
  for_each_unit(execution_, shards_.size(), [&](std::size_t s) {
    price_and_restock(shards_[s], ctx);
    leave_exited_platforms(shards_[s], ctx);
    review_listings(shards_[s], ctx);
    shards_[s].remove_closed();
  });
}

void Market::phase_entry() {
  snapshot_terms(platforms_, partition_.customers(), terms_);
  const TickContext ctx = context();
  for_each_unit(execution_, shards_.size(), [&](std::size_t s) {
    consider_entry(shards_[s], ctx);
    admit_births(shards_[s], ctx);
  });
}

void Market::phase_platforms() {
  const std::size_t platforms = platforms_.size();
  auto& total = total_tally_;
  sum_day_tallies();  // every rank's, in the single process's order
  gather_signals();

  std::uint64_t all_visits = 0;
  for (const auto& t : total) all_visits += t.visits;
  today_.tick = tick_;
  today_.platforms.resize(platforms);
  std::uint64_t units = 0, units_3p = 0;
  double value = 0.0, index_sum = 0.0;
  today_.active_customers = 0;
  today_.offers = 0;
  for (std::size_t p = 0; p < platforms; ++p) {
    today_.platforms[p] = platforms_[p].close_day(total[p], all_visits, tick_);
    today_.active_customers +=
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, platforms_[p].books().active_customers));
    today_.offers += total[p].offers;
    units += total[p].units_1p + total[p].units_3p;
    units_3p += total[p].units_3p;
    value += total[p].gmv;
    index_sum += total[p].price_index_sum;
  }
  // Undefined on a day nothing sold: NaN, so that means over days skip it rather than count a 0.
  const double none = std::numeric_limits<double>::quiet_NaN();
  today_.third_party_unit_share = units > 0 ? static_cast<double>(units_3p) / static_cast<double>(units) : none;
  today_.average_price_paid = units > 0 ? value / static_cast<double>(units) : none;
  today_.price_index = units > 0 ? index_sum / static_cast<double>(units) : none;
}

const MarketDay& Market::step() {
  scheduler_.run_tick(tick_);
  ++tick_;
  return today_;
}

}  // namespace flywheel::market
