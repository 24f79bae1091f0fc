// The scenarios shipped in configs/ load, validate and fit their budgets.

#include <gtest/gtest.h>

#include <filesystem>

#include "flywheel/engine/errors.hpp"
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

TEST(Scenarios, ConfigChangesListOnlyWhatDiffersFromTheDefaults) {
  EXPECT_EQ(config_changes(Scenario{}), "{}");
  const auto s = scenario_from_string(
      "ticks: 30\nplatforms:\n  - {name: platform}\n  - {name: beta, take_rate: 0.2}\noutput: {start_date: "
      "2024-01-01}\n");
  EXPECT_EQ(config_changes(s),
            "ticks: {value: 30, default: 365}\n"
            "platforms[1].name: {value: beta, default: platform}\n"
            "platforms[1].take_rate: {value: 0.2, default: 0.15}\n"
            "output.start_date: {value: 2024-01-01, default: \"\"}");
}

TEST(Scenarios, StartDateMustBeARealCalendarDate) {
  EXPECT_NO_THROW(scenario_from_string("output: {start_date: 2024-02-29}"));
  for (const char* bad : {"2023-02-29", "2024-13-01", "24-01-01", "2024/01/01", "yesterday"})
    EXPECT_THROW(scenario_from_string(std::string("output: {start_date: '") + bad + "'}"), ConfigError) << bad;
}

ConfigError scenario_error(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    scenario_from_string(yaml, "old.yaml", overrides);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ConfigError for:\n" << yaml;
  return ConfigError({}, "", "");
}

TEST(Scenarios, RenamedKeysAreRefusedWithTheirNewName) {
  struct Case {
    std::string yaml, key, renamed;
  };
  for (const auto& c : {
           Case{"sellers:\n  review_probability: 0.2\n", "sellers.review_probability", "reviews.probability"},
           Case{"sellers:\n  review_noise: 2\n", "sellers.review_noise", "reviews.noise"},
           Case{"sellers:\n  rating_prior_weight: 5\n", "sellers.rating_prior_weight", "reviews.rating_prior_weight"},
           Case{"platforms:\n  - name: a\n    fulfilment: {fee: 1, investment: 100}\n",
                "platforms[0].fulfilment.investment", "platforms[0].fulfilment.delivery_investment"},
       }) {
    SCOPED_TRACE(c.yaml);
    const ConfigError e = scenario_error(c.yaml);
    EXPECT_EQ(e.where().file, "old.yaml");
    EXPECT_GE(e.where().line, 2);
    EXPECT_EQ(e.key_path(), c.key);
    EXPECT_EQ(e.problem(), "renamed to " + c.renamed);
  }
  const ConfigError set = scenario_error("{}", {"sellers.review_noise=2"});
  EXPECT_EQ(set.where().file, "--set sellers.review_noise=2");
  EXPECT_EQ(set.problem(), "renamed to reviews.noise");
  const auto s = scenario_from_string(
      "reviews: {probability: 0.2, noise: 2, rating_prior_weight: 5}\n"
      "platforms: [{name: a, fulfilment: {delivery_investment: 100}}]\n");
  EXPECT_DOUBLE_EQ(s.reviews.probability, 0.2);
  EXPECT_DOUBLE_EQ(s.reviews.noise, 2.0);
  EXPECT_DOUBLE_EQ(s.reviews.rating_prior_weight, 5.0);
  EXPECT_DOUBLE_EQ(s.platforms[0].fulfilment.delivery_investment, 100.0);
}

TEST(Scenarios, AStartingTakeRateAboveTheMechanismsCapIsRefused) {
  const ConfigError e = scenario_error("platforms: [{name: a, take_rate: 0.5, policy: {max_take_rate: 0.4}}]\n");
  EXPECT_EQ(e.key_path(), "platforms[0].take_rate");
  EXPECT_NE(e.problem().find("policy.max_take_rate"), std::string::npos) << e.what();
}

// Regression: names `--set` cannot address (platforms.a.b.take_rate splits at the '.', platforms.0 is an index) were
// accepted.
TEST(Scenarios, APlatformNameThatSetCannotAddressIsRefusedAtItsKey) {
  for (const std::string name : {"a.b", "0", "42", ""}) {
    SCOPED_TRACE(name);
    const ConfigError e = scenario_error("platforms:\n  - name: '" + name + "'\n");
    EXPECT_EQ(e.where().line, 2);
    EXPECT_EQ(e.key_path(), "platforms[0].name");
    EXPECT_EQ(e.problem(),
              "must not be empty, contain '.' or be all digits: it names the platform in the output and in --set "
              "platforms.NAME.key=value; found '" +
                  name + "'");
  }
  for (const std::string name : {"a-b", "p0", "0x", "Ω"})
    EXPECT_EQ(scenario_from_string("platforms: [{name: '" + name + "'}]\n").platforms[0].name, name);
}

}  // namespace
}  // namespace flywheel::market
