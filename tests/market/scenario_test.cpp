// The scenarios shipped in configs/ load, validate and fit their budgets.

#include <gtest/gtest.h>

#include <filesystem>

#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/runtime/memory_estimate.hpp"

namespace flywheel::market {
namespace {

TEST(Scenarios, EveryShippedConfigIsValid) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(FLYWHEEL_CONFIGS)) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    EXPECT_NO_THROW(load_scenario(entry.path().string()));
    ++n;
  }
  EXPECT_GE(n, 6);
}

TEST(Scenarios, LargeKeepsCustomerStateWithin64BytesAndMemoryWithin2GiB) {
  const auto s = load_scenario(std::string(FLYWHEEL_CONFIGS) + "/large.yaml");
  EXPECT_EQ(s.customers.count, 10'000'000u);
  const auto e = runtime::estimate_memory(s);
  EXPECT_LE(e.bytes_per_customer, 64u);
  EXPECT_LT(e.total(), std::size_t{2} << 30);
}

TEST(Scenarios, ResolvedYamlLoadsBackToTheSameScenario) {
  const auto s = load_scenario(std::string(FLYWHEEL_CONFIGS) + "/tipping.yaml");
  const std::string yaml = to_yaml(s);
  const auto back = scenario_from_string(yaml);
  EXPECT_EQ(to_yaml(back), yaml);
  ASSERT_EQ(back.platforms.size(), 3u);
  EXPECT_EQ(back.platforms[2].name, "gamma");
  EXPECT_EQ(back.platforms[2].policy.mechanisms.size(), s.platforms[2].policy.mechanisms.size());
}

}  // namespace
}  // namespace flywheel::market
