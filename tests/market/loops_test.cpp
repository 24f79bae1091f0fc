// The loop switches (agents/loops.hpp): each, off, really cuts its arrow
// (shown on the counters and state the model keeps), changes a run where its
// loop matters. A branch may turn a switch off.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "flywheel/agents/loops.hpp"
#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/runtime/checkpoint.hpp"
#include "flywheel/runtime/state_digest.hpp"

namespace flywheel::market {
namespace {

constexpr int ticks = 60;

// A small market where every loop has something to do: ads, a delivery
// investment and a mechanism that moves it, entrants, a paid membership, and
// a second, dearer platform whose sellers review their listings.
Scenario scenario(const std::vector<std::string>& overrides = {}) {
  return scenario_from_string(R"(
name: loops
seed: 5
market: {categories: 40, shards: 4, customer_block: 512}
customers: {count: 8000, initially_active: 0.05, awareness_rate: 0.0005}
sellers: {initial_per_category: 1, entry_pool_rate: 0.2, platform_review_interval: 20}
platforms:
  - name: a
    marketing_spend: 20
    ad_slots: 1
    fulfilment: {delivery_investment: 200}
    policy:
      mechanisms:
        - {name: faster, metric: delivery_days, target: 2, lever: delivery_investment, gain: -20, every: 5, max: 2000}
  - {name: b, take_rate: 0.3}
)",
                              "<loops_test>", overrides);
}

std::string off(const char* loop) { return std::string("loops.") + loop + "=false"; }

// Runs `ticks` days, calling `each_day` after each.
void run(const Scenario& s, const std::function<void(const Market&, const MarketDay&)>& each_day) {
  Market m(s, Execution::serial);
  for (int t = 0; t < ticks; ++t) {
    const MarketDay& day = m.step();
    each_day(m, day);
  }
}

std::uint64_t digest_after_run(const Scenario& s) {
  Market m(s, Execution::serial);
  for (int t = 0; t < ticks; ++t) m.step();
  return runtime::state_digest(m);
}

// Sum of a tally field over the run.
template <class Field>
std::uint64_t total(const Scenario& s, Field field) {
  std::uint64_t sum = 0;
  run(s, [&](const Market&, const MarketDay& day) { sum += day.platforms[0].tally.*field; });
  return sum;
}

TEST(Loops, WordOfMouthOffSendsNoReferral) {
  EXPECT_GT(total(scenario(), &agents::PlatformTally::referrals), 0u);
  EXPECT_EQ(total(scenario({off("word_of_mouth")}), &agents::PlatformTally::referrals), 0u);
}

TEST(Loops, AdvertisingOffReachesNoCustomerAndCostsNothing) {
  EXPECT_GT(total(scenario(), &agents::PlatformTally::ad_starts), 0u);
  std::uint64_t starts = 0;
  run(scenario({off("advertising")}), [&](const Market& m, const MarketDay& day) {
    starts += day.platforms[0].tally.ad_starts;
    EXPECT_EQ(day.platforms[0].marketing_spend, 0.0);
    EXPECT_EQ(m.platforms()[0].impressions_per_day(), 0.0);
  });
  EXPECT_EQ(starts, 0u);
}

TEST(Loops, ThirdPartyEntryOffNeverRaisesThe3PSellerCount) {
  EXPECT_GT(total(scenario(), &agents::PlatformTally::entries), 0u);
  const Scenario s = scenario({off("third_party_entry")});
  const Market start(s, Execution::serial);
  std::uint64_t initial = 0;
  for (const auto& shard : start.shards())
    for (const auto owner : shard.state.sellers.owner) initial += owner == no_platform ? 1 : 0;
  ASSERT_GT(initial, 0u);
  run(s, [&](const Market&, const MarketDay& day) {
    EXPECT_LE(day.sellers_3p, initial) << "tick " << day.tick;
    EXPECT_EQ(day.platforms[0].tally.entries, 0u) << "tick " << day.tick;
  });
}

TEST(Loops, ScaleEconomiesOffKeepsEveryUnitCostAtItsStart) {
  bool fell = false;
  run(scenario(), [&](const Market& m, const MarketDay&) {
    for (const auto& shard : m.shards())
      for (std::size_t s = 0; s < shard.state.sellers.size(); ++s)
        fell = fell || shard.state.sellers.unit_cost[s] < shard.state.sellers.base_cost[s];
  });
  EXPECT_TRUE(fell) << "on, some seller should have moved down its learning curve";

  const Scenario s = scenario({off("scale_economies")});
  run(s, [&](const Market& m, const MarketDay& day) {
    EXPECT_EQ(day.platforms[0].books.fulfilment_unit_cost, s.platforms[0].fulfilment.cost_per_unit);
    for (const auto& shard : m.shards())
      for (std::size_t i = 0; i < shard.state.sellers.size(); ++i)
        ASSERT_EQ(shard.state.sellers.unit_cost[i], shard.state.sellers.base_cost[i])
            << "seller slot " << i << " at tick " << day.tick;
  });
}

TEST(Loops, ReinvestmentOffNeverMovesALever) {
  const Scenario s = scenario({off("reinvestment")});
  const agents::PlatformLevers start = agents::Platform::initial_levers(s.platforms[0]);
  bool moved_when_on = false;
  run(scenario(), [&](const Market&, const MarketDay& day) {
    moved_when_on = moved_when_on || day.platforms[0].levers.delivery_investment != start.delivery_investment;
  });
  EXPECT_TRUE(moved_when_on);
  run(s, [&](const Market&, const MarketDay& day) {
    agents::PlatformLevers::fields([&](const char* name, auto lever) {
      EXPECT_EQ(day.platforms[0].levers.*lever, start.*lever) << name << " at tick " << day.tick;
    });
  });
}

// Whether some customer's taste profile has been learnt.
bool knows_a_taste(const Market& m) {
  const auto& customers = m.customers();
  for (std::size_t c = 0; c < customers.size(); ++c)
    for (std::size_t p = 0; p < customers.platforms(); ++p)
      if (customers.taste_profile(c, p) != 0) return true;
  return false;
}

// Whether every offer's ranker evidence and every customer's taste profile
// are still what they were at the start (none).
bool ranker_knows_nothing(const Market& m) {
  for (const auto& shard : m.shards())
    for (std::size_t o = 0; o < shard.state.offers.size(); ++o)
      if (shard.state.offers.evidence_sum[o] != 0.0f || shard.state.offers.evidence_precision[o] != 0.0f) return false;
  return !knows_a_taste(m);
}

TEST(Loops, DataOffLeavesTheRankersEstimatesAtThePrior) {
  bool learnt = false, tastes = false;
  run(scenario(), [&](const Market& m, const MarketDay&) {
    learnt = learnt || !ranker_knows_nothing(m);
    tastes = tastes || knows_a_taste(m);
  });
  EXPECT_TRUE(learnt);
  EXPECT_TRUE(tastes);
  std::uint64_t orders = 0;
  run(scenario({off("data")}), [&](const Market& m, const MarketDay& day) {
    orders += day.platforms[0].tally.orders;
    EXPECT_TRUE(ranker_knows_nothing(m)) << "tick " << day.tick;
  });
  EXPECT_GT(orders, 0u) << "sales happen; the ranker just does not learn from them";
}

TEST(Loops, FulfilmentInvestmentOffKeepsDeliveryCapitalConstant) {
  const Scenario s = scenario({off("fulfilment_investment")});
  const double capital = s.platforms[0].fulfilment.initial_capital;
  bool grew_when_on = false;
  run(scenario(), [&](const Market&, const MarketDay& day) {
    grew_when_on = grew_when_on || day.platforms[0].books.capital != capital;
  });
  EXPECT_TRUE(grew_when_on);
  run(s, [&](const Market&, const MarketDay& day) {
    EXPECT_EQ(day.platforms[0].books.capital, capital) << "tick " << day.tick;
    EXPECT_EQ(day.platforms[0].delivery_investment, 0.0) << "tick " << day.tick;
  });
}

TEST(Loops, MembershipOffSellsNoMembership) {
  std::int64_t most = 0;
  run(scenario(), [&](const Market&, const MarketDay& day) { most = std::max(most, day.platforms[0].books.members); });
  EXPECT_GT(most, 0);
  run(scenario({off("membership")}), [&](const Market& m, const MarketDay& day) {
    EXPECT_EQ(day.platforms[0].books.members, 0) << "tick " << day.tick;
    EXPECT_EQ(day.platforms[0].membership_revenue, 0.0);
    for (const auto member : m.customers().member_of) ASSERT_EQ(member, no_platform);
  });
}

TEST(Loops, DemandResponseOffKeepsEveryShopperAtItsBaseRateAndNobodyLapses) {
  std::uint64_t lapses = 0;
  run(scenario(), [&](const Market&, const MarketDay& day) {
    for (const auto& p : day.platforms) lapses += p.tally.lapses;
  });
  EXPECT_GT(lapses, 0u);
  const Scenario s = scenario({off("demand_response")});
  run(s, [&](const Market& m, const MarketDay& day) {
    for (const auto& p : day.platforms) ASSERT_EQ(p.tally.lapses, 0u) << "tick " << day.tick;
    if (day.tick + 1 < ticks) return;
    const auto& c = m.customers();
    for (std::size_t i = 0; i < c.size(); ++i) {
      ASSERT_NE(c.active[i], agents::Customers::lapsed);
      ASSERT_EQ(c.shopping_rate[i], agents::base_shopping_rate(s.customers, s.seed, static_cast<std::uint32_t>(i)));
    }
  });
}

TEST(Loops, SponsoredOffSellsNoAdAndMovesNoBid) {
  EXPECT_GT(total(scenario(), &agents::PlatformTally::sponsored_clicks), 0u);
  const Scenario s = scenario({off("sponsored")});
  const auto moved = [&s](const Market& m) {
    for (const auto& shard : m.shards())
      for (const auto bid : shard.state.offers.bid)
        if (bid != 0.0f && bid != static_cast<float>(s.sellers.initial_bid)) return true;
    return false;
  };
  bool any_moved = false;
  run(scenario(), [&](const Market& m, const MarketDay&) { any_moved = any_moved || moved(m); });
  EXPECT_TRUE(any_moved) << "on, some seller's bid mechanism should have moved its bid";
  run(s, [&](const Market& m, const MarketDay& day) {
    EXPECT_EQ(day.platforms[0].tally.sponsored_clicks, 0u) << "tick " << day.tick;
    EXPECT_EQ(day.platforms[0].tally.ad_revenue, 0.0) << "tick " << day.tick;
    ASSERT_FALSE(moved(m)) << "tick " << day.tick;  // 3P offers keep their starting bid; 1P offers never bid
  });
}

// Each switch off changes a run where its loop matters.
TEST(Loops, EachSwitchOffChangesTheRun) {
  const std::uint64_t baseline = digest_after_run(scenario());
  agents::Loops::fields([&](const char* name, auto, const char*) {
    EXPECT_NE(digest_after_run(scenario({off(name)})), baseline) << name << " off changed nothing";
  });
}

TEST(Loops, EverySwitchOnIsTheRunWithoutLoops) {
  std::vector<std::string> all_on;
  agents::Loops::fields(
      [&](const char* name, auto, const char*) { all_on.push_back(std::string("loops.") + name + "=true"); });
  EXPECT_EQ(digest_after_run(scenario(all_on)), digest_after_run(scenario()));
}

TEST(Loops, AreListedWithTheirNamesAndDefaultOn) {
  const agents::Loops loops;
  std::vector<std::string> names;
  agents::Loops::fields([&](const char* name, auto member, const char* doc) {
    names.emplace_back(name);
    EXPECT_TRUE(loops.*member) << name;
    EXPECT_NE(std::string(doc), "") << name;
  });
  EXPECT_EQ(names, (std::vector<std::string>{"word_of_mouth", "advertising", "third_party_entry", "multi_homing",
                                             "scale_economies", "reinvestment", "data", "fulfilment_investment",
                                             "membership", "demand_response", "sponsored"}));
  EXPECT_FALSE(scenario({off("data")}).loops.data);
  EXPECT_NE(to_yaml(scenario({off("data")})).find("data: false"), std::string::npos);
}

// Loops are policy, not structure: a branch may switch one off, and from its
// tick the loop stays cut (here: the ranker keeps what it knew at the branch).
TEST(Loops, ABranchMaySwitchALoopOff) {
  const Scenario parent = scenario();
  const Scenario branch = scenario({off("data")});
  EXPECT_NO_THROW(runtime::check_branch(parent, branch, "parent.ckpt"));

  Market before(parent, Execution::serial);
  for (int t = 0; t < 20; ++t) before.step();
  MarketState state = before.state();
  ASSERT_FALSE(ranker_knows_nothing(before));
  Market after(branch, Execution::serial);
  after.restore(state);
  for (int t = 0; t < 20; ++t) after.step();
  // Offers present at the branch keep their evidence; offers listed since have none.
  for (std::size_t i = 0; i < after.shards().size(); ++i) {
    const auto& was = state.shards[i];
    const auto& now = after.shards()[i].state;
    for (std::size_t o = 0; o < now.offers.size(); ++o) {
      const SellerId seller = now.sellers.id[now.offers.seller[o]];
      float evidence = 0.0f;
      for (std::size_t p = 0; p < was.offers.size(); ++p)
        if (was.sellers.id[was.offers.seller[p]] == seller && was.offers.platform[p] == now.offers.platform[o])
          evidence = was.offers.evidence_precision[p];
      EXPECT_EQ(now.offers.evidence_precision[o], evidence);
    }
  }
}

}  // namespace
}  // namespace flywheel::market
