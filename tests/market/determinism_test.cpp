// Determinism: the serial and parallel versions of every kernel give the same
// state, and a whole run is bit-identical at any thread count.

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>
#include <cstring>

#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/runtime/state_digest.hpp"

namespace flywheel::market {
namespace {

std::uint64_t digest(const Market& m) { return runtime::state_digest(m); }

Scenario test_scenario() {
  Scenario s = scenario_from_string(R"(
name: determinism
seed: 11
market: {categories: 60, shards: 12, customer_block: 512}
customers: {count: 12000, initially_active: 0.1}
sellers: {initial_per_category: 1.5, entry_pool_rate: 0.1}
platforms:
  - name: a
    policy:
      mechanisms:
        - {name: m, metric: operating_margin, target: 0.05, lever: take_rate, gain: 0.02, every: 5, min: 0.05, max: 0.3}
  - {name: b, take_rate: 0.1}
)");
  return s;
}

std::uint64_t run_digest(Execution execution, int threads, int ticks) {
  std::uint64_t result = 0;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    Market m(test_scenario(), execution);
    for (int t = 0; t < ticks; ++t) m.step();
    result = digest(m);
  });
  return result;
}

TEST(Determinism, SerialAndParallelKernelsGiveTheSameState) {
  EXPECT_EQ(run_digest(Execution::serial, 1, 40), run_digest(Execution::parallel, 4, 40));
}

TEST(Determinism, WholeRunIsBitIdenticalAt1_2_3And8Threads) {
  const std::uint64_t one = run_digest(Execution::parallel, 1, 80);
  for (int threads : {2, 3, 8}) EXPECT_EQ(run_digest(Execution::parallel, threads, 80), one) << threads << " threads";
}

TEST(Determinism, ARunWhereAPlatformExitsIsBitIdenticalAtAnyThreadCount) {
  Scenario s = test_scenario();
  s.platforms[1].initial_cash = -1e9;  // beyond its credit line from the start: it exits at the close of tick 29
  s.platforms[1].credit_line = 0.0;
  s.platforms[1].exit_after_days = 30;
  const auto digest_after = [&](int threads) {
    std::uint64_t result = 0;
    tbb::task_arena arena(threads);
    arena.execute([&] {
      Market m(s);
      for (int t = 0; t < 60; ++t) m.step();
      EXPECT_FALSE(m.platforms()[1].open());
      result = digest(m);
    });
    return result;
  };
  const std::uint64_t one = digest_after(1);
  for (int threads : {2, 3, 8}) EXPECT_EQ(digest_after(threads), one) << threads << " threads";
}

TEST(Determinism, DifferentSeedsGiveDifferentRuns) {
  Scenario a = test_scenario();
  Scenario b = test_scenario();
  b.seed = 12;
  Market ma(a), mb(b);
  for (int t = 0; t < 20; ++t) ma.step(), mb.step();
  EXPECT_NE(digest(ma), digest(mb));
}

TEST(Determinism, EachTickChangesTheState) {
  Market m(test_scenario());
  m.step();
  const auto first = digest(m);
  m.step();
  EXPECT_NE(digest(m), first);
}

}  // namespace
}  // namespace flywheel::market
