#include "flywheel/app/sweep_plan.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace flywheel::app {
namespace {

// A base scenario beside the sweep, written once per test into a temporary folder.
class SweepPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("flywheel-sweep-plan-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(folder_);
    std::ofstream(folder_ / "base.yaml") << "name: base\n"
                                            "ticks: 5\n"
                                            "customers: {count: 1000}\n"
                                            "platforms:\n"
                                            "  - name: alpha\n"
                                            "  - name: beta\n";
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  SweepPlan plan(const std::string& yaml) { return sweep_plan_from_string(yaml, "sweep.yaml", folder_.string()); }

  /// The message of the ConfigError that loading (and checking) `yaml` throws.
  std::string error_of(const std::string& yaml) {
    try {
      const SweepPlan p = plan(yaml);
      load_scenarios(p);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  }

  std::filesystem::path folder_;
};

constexpr const char* grid = R"(scenario: base.yaml
output: out/grid
replicates: 2
seed: 9
set:
  ticks: 3
parameters:
  platforms.alpha.take_rate: [0.05, 0.1, 0.2]
  platforms.0.fulfilment.fee: [1, 2]
)";

TEST_F(SweepPlanTest, GridIsEveryCombinationLastParameterFastestTimesReplicates) {
  const SweepPlan p = plan(grid);
  ASSERT_EQ(p.runs.size(), 3u * 2u * 2u);
  EXPECT_EQ(p.scenario, (folder_ / "base.yaml").lexically_normal().string());
  const std::vector<std::vector<std::string>> points = {{"0.05", "1"}, {"0.05", "2"}, {"0.1", "1"},
                                                        {"0.1", "2"},  {"0.2", "1"},  {"0.2", "2"}};
  for (std::size_t i = 0; i < p.runs.size(); ++i) {
    const SweepRun& run = p.runs[i];
    EXPECT_EQ(run.index, i);
    EXPECT_EQ(run.point, i / 2);
    EXPECT_EQ(run.replicate, i % 2);
    EXPECT_EQ(run.values, points[i / 2]);
    EXPECT_EQ(run.seed, replicate_seed(9, run.replicate));  // common random numbers across points
  }
  EXPECT_EQ(p.runs[7].id, "run-0007");
  EXPECT_EQ(p.run_path(p.runs[7]), "out/grid/runs/run-0007.h5");
  EXPECT_NE(replicate_seed(9, 0), replicate_seed(9, 1));
  EXPECT_NE(replicate_seed(9, 0), replicate_seed(10, 0));
  EXPECT_EQ(p.overrides_for(p.runs[3]),
            (std::vector<std::string>{"ticks=3", "platforms.alpha.take_rate=0.05", "platforms.0.fulfilment.fee=2",
                                      "seed=" + std::to_string(replicate_seed(9, 1))}));
}

// The command line's overrides apply to every run after the file's `set:`, replace its entry for the same
// parameter (named either way), and yield to a swept value; the seed stays the sweep's.
TEST_F(SweepPlanTest, CommandLineOverridesReplaceTheFilesSetAndYieldToASweptValue) {
  const SweepPlan p = sweep_plan_from_string(grid, "sweep.yaml", folder_.string(),
                                             {"ticks=7", "customers.count=2000", "platforms.0.take_rate=0.3"});
  EXPECT_EQ(p.overrides, (std::vector<std::string>{"ticks=7", "customers.count=2000", "platforms.0.take_rate=0.3"}));
  EXPECT_EQ(p.override_locations[0].file, "--set ticks=7");
  const std::vector<market::Scenario> scenarios = load_scenarios(p);
  EXPECT_EQ(scenarios[0].ticks, 7u);
  EXPECT_EQ(scenarios[0].customers.count, 2000u);
  EXPECT_DOUBLE_EQ(scenarios[0].platforms[0].take_rate, 0.05);  // the swept value wins
  try {
    sweep_plan_from_string(grid, "sweep.yaml", folder_.string(), {"seed=3"});
    FAIL() << "a seed on the command line was taken";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--set seed=3"), std::string::npos) << e.what();
  }
  try {
    const SweepPlan bad = sweep_plan_from_string(grid, "sweep.yaml", folder_.string(), {"customers.count=-5"});
    load_scenarios(bad);
    FAIL() << "a bad command-line value was taken";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--set customers.count=-5"), std::string::npos) << e.what();
  }
}

// Regression (issue #13, fault 10): a grid of 10^10 runs was built run by run
// until memory ran out (`internal error: std::bad_alloc`); it is counted first.
TEST_F(SweepPlanTest, AGridOfTooManyRunsIsRefusedBeforeItIsBuilt) {
  std::string yaml = "scenario: base.yaml\noutput: out/huge\nreplicates: 10\nparameters:\n";
  for (const char* key :
       {"ticks", "customers.count", "market.categories", "platforms.0.take_rate", "sellers.entry_cost"}) {
    yaml += std::string("  ") + key + ": [";
    for (int i = 1; i <= 100; ++i) yaml += std::to_string(i) + (i < 100 ? ", " : "]\n");
  }
  const std::string error = error_of(yaml);
  EXPECT_NE(error.find("more than 1000000 runs"), std::string::npos) << error;
  EXPECT_NE(error.find("sweep.yaml:5"), std::string::npos) << error;  // the parameters map
}

// Regression (issue #13, fault 9): one key swept by name and by index was
// accepted, and index.csv recorded values the runs never used.
TEST_F(SweepPlanTest, OneParameterSweptByNameAndByIndexIsRefused) {
  const std::string error = error_of(
      "scenario: base.yaml\noutput: out/twice\nparameters:\n  platforms.alpha.take_rate: [0.05, 0.1]\n"
      "  platforms.0.take_rate: [0.3]\n");
  EXPECT_NE(error.find("name the same parameter"), std::string::npos) << error;
  EXPECT_NE(error.find("sweep.yaml:5"), std::string::npos) << error;
}

TEST_F(SweepPlanTest, PlansAndIndexAreDeterministic) {
  EXPECT_EQ(index_csv(plan(grid)), index_csv(plan(grid)));
  const std::string index = index_csv(plan(grid));
  EXPECT_EQ(index.substr(0, index.find('\n')),
            "id,file,point,replicate,seed,platforms.alpha.take_rate,platforms.0.fulfilment.fee");
  EXPECT_NE(index.find("\nrun-0011,runs/run-0011.h5,5,1," + std::to_string(replicate_seed(9, 1)) + ",0.2,2\n"),
            std::string::npos);
}

TEST_F(SweepPlanTest, EveryRunsScenarioCarriesItsValuesAndSeed) {
  const SweepPlan p = plan(grid);
  const auto scenarios = load_scenarios(p);
  ASSERT_EQ(scenarios.size(), p.runs.size());
  EXPECT_DOUBLE_EQ(scenarios[5].platforms[0].take_rate, 0.1);
  EXPECT_DOUBLE_EQ(scenarios[5].platforms[0].fulfilment.fee, 1.0);
  EXPECT_EQ(scenarios[5].seed, p.runs[5].seed);
  EXPECT_EQ(scenarios[5].ticks, 3u);
}

TEST_F(SweepPlanTest, LatinHypercubeHitsEveryStratumOnceInEveryDimension) {
  for (const std::size_t n : {1u, 7u, 100u}) {
    const auto samples = latin_hypercube(n, 3, 42);
    ASSERT_EQ(samples.size(), n);
    for (std::size_t d = 0; d < 3; ++d) {
      std::set<std::size_t> strata;
      for (const auto& s : samples) {
        ASSERT_GE(s[d], 0.0);
        ASSERT_LT(s[d], 1.0);
        strata.insert(static_cast<std::size_t>(s[d] * static_cast<double>(n)));
      }
      EXPECT_EQ(strata.size(), n) << "n " << n << " dimension " << d;
    }
  }
  EXPECT_EQ(latin_hypercube(10, 2, 42), latin_hypercube(10, 2, 42));
  EXPECT_NE(latin_hypercube(10, 2, 42), latin_hypercube(10, 2, 43));
}

TEST_F(SweepPlanTest, LatinHypercubeValuesAreInRangeAndStratifiedOnTheirScale) {
  const SweepPlan p = plan(R"(scenario: base.yaml
design: lhs
samples: 20
parameters:
  platforms.0.take_rate: {min: 0.05, max: 0.3}
  platforms.0.marketing_spend: {min: 1, max: 10000, scale: log}
  customers.count: {min: 500, max: 2000, integer: true}
)");
  ASSERT_EQ(p.runs.size(), 20u);
  std::set<int> linear_strata;
  std::set<int> log_strata;
  for (const auto& run : p.runs) {
    const double rate = std::stod(run.values[0]);
    const double spend = std::stod(run.values[1]);
    EXPECT_GE(rate, 0.05);
    EXPECT_LE(rate, 0.3);
    EXPECT_GE(spend, 1.0);
    EXPECT_LE(spend, 10000.0);
    EXPECT_EQ(run.values[2].find('.'), std::string::npos) << run.values[2];
    linear_strata.insert(static_cast<int>((rate - 0.05) / 0.25 * 20));
    log_strata.insert(static_cast<int>(std::log(spend) / std::log(10000.0) * 20));
  }
  EXPECT_EQ(linear_strata.size(), 20u);
  EXPECT_EQ(log_strata.size(), 20u);
  EXPECT_EQ(load_scenarios(p).size(), 20u);
}

TEST_F(SweepPlanTest, UnknownKeyOfTheSweepFileIsLocated) {
  const std::string e = error_of("scenario: base.yaml\nreplicate: 2\nparameters: {ticks: [1]}\n");
  EXPECT_NE(e.find("sweep.yaml:2"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'replicates'"), std::string::npos) << e;
}

TEST_F(SweepPlanTest, BadDesignIsLocated) {
  const std::string e = error_of("scenario: base.yaml\ndesign: sobol\nparameters: {ticks: [1]}\n");
  EXPECT_NE(e.find("sweep.yaml:2:9: design: expected one of 'grid', 'lhs', found 'sobol'"), std::string::npos) << e;
}

TEST_F(SweepPlanTest, EmptyValuesAreLocated) {
  std::string e = error_of("scenario: base.yaml\nparameters:\n  ticks: []\n");
  EXPECT_NE(e.find("sweep.yaml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("parameters.ticks: expected at least one value"), std::string::npos) << e;
  e = error_of("scenario: base.yaml\nparameters: {}\n");
  EXPECT_NE(e.find("expected at least one parameter"), std::string::npos) << e;
  e = error_of("scenario: base.yaml\nparameters:\n  ticks: {min: 1, max: 3}\n");
  EXPECT_NE(e.find("design 'grid' expects a list of values, found a map"), std::string::npos) << e;
  e = error_of("scenario: base.yaml\ndesign: lhs\nparameters:\n  ticks: [1, 2]\n");
  EXPECT_NE(e.find("design 'lhs' needs samples"), std::string::npos) << e;
}

TEST_F(SweepPlanTest, BadRangesAreLocated) {
  std::string e = error_of("scenario: base.yaml\ndesign: lhs\nsamples: 3\nparameters:\n  ticks: {min: 5, max: 1}\n");
  EXPECT_NE(e.find("sweep.yaml:5"), std::string::npos) << e;
  EXPECT_NE(e.find("expected max at least min"), std::string::npos) << e;
  e = error_of("scenario: base.yaml\ndesign: lhs\nsamples: 3\nparameters:\n  ticks: {min: 0, max: 1, scale: log}\n");
  EXPECT_NE(e.find("a log scale needs min above 0"), std::string::npos) << e;
}

// Regression: sampled integers from a range holding none fell outside it ({min: 0.2, max: 0.8} gave 0s and 1s).
TEST_F(SweepPlanTest, AnIntegerRangeHoldingNoIntegerIsRefusedAtItsKey) {
  const std::string e = error_of(
      "scenario: base.yaml\ndesign: lhs\nsamples: 3\nparameters:\n  ticks: {min: 0.2, max: 0.8, integer: true}\n");
  EXPECT_NE(e.find("sweep.yaml:5:40: parameters.ticks.integer: the range [0.2, 0.8] holds no integer"),
            std::string::npos)
      << e;
  const SweepPlan p = plan(
      "scenario: base.yaml\ndesign: lhs\nsamples: 50\nparameters:\n"
      "  ticks: {min: 0.5, max: 2.5, integer: true}\n"
      "  customers.count: {min: 0.5, max: 2.5, integer: true, scale: log}\n");
  for (const auto& run : p.runs)
    for (const std::string& value : run.values) EXPECT_TRUE(value == "1" || value == "2") << value;
}

TEST_F(SweepPlanTest, UnknownScenarioKeyIsLocatedAtTheParameter) {
  const std::string e = error_of("scenario: base.yaml\nparameters:\n  platforms.0.take_rat: [0.1]\n");
  EXPECT_NE(e.find("sweep.yaml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'take_rate'"), std::string::npos) << e;
  EXPECT_NE(e.find("run-0000"), std::string::npos) << e;
}

TEST_F(SweepPlanTest, OutOfRangeValueIsLocatedAtThatValue) {
  const std::string e =
      error_of("scenario: base.yaml\nparameters:\n  platforms.0.take_rate:\n    - 0.1\n    - 1.5\n  ticks: [1, 2]\n");
  EXPECT_NE(e.find("sweep.yaml:5:7: platforms[0].take_rate: expected a number in [0, 0.99], found 1.5"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("run-0002"), std::string::npos) << e;
}

TEST_F(SweepPlanTest, BadFixedOverrideIsLocatedInTheSetSection) {
  const std::string e = error_of("scenario: base.yaml\nset:\n  ticks: -1\nparameters: {customers.count: [100]}\n");
  EXPECT_NE(e.find("sweep.yaml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("ticks: expected an integer"), std::string::npos) << e;
}

// The error names its override by index: the one of two that read alike
// ("--set ticks=-1") which set the value in force, here the parameter's.
TEST_F(SweepPlanTest, AnErrorIsPlacedAtTheOverrideThatCausedItWhenTwoReadAlike) {
  const std::string e = error_of("scenario: base.yaml\nset:\n  ticks: -1\nparameters:\n  ticks: [-1]\n");
  EXPECT_NE(e.find("sweep.yaml:5"), std::string::npos) << e;
  EXPECT_NE(e.find("ticks: expected an integer"), std::string::npos) << e;
}

TEST_F(SweepPlanTest, SeedIsNotAParameter) {
  const std::string e = error_of("scenario: base.yaml\nparameters: {seed: [1, 2]}\n");
  EXPECT_NE(e.find("the seed is set per replicate"), std::string::npos) << e;
}

TEST_F(SweepPlanTest, MissingScenarioFileIsReportedAsItself) {
  const std::string e = error_of("scenario: nowhere.yaml\nparameters: {ticks: [1]}\n");
  EXPECT_NE(e.find("nowhere.yaml: cannot open the config file"), std::string::npos) << e;
}

TEST_F(SweepPlanTest, SharesCoverEveryRunOnce) {
  const SweepPlan p = plan(grid);
  std::multiset<std::size_t> seen;
  for (std::size_t slot = 0; slot < 5; ++slot)
    for (const std::size_t i : share_of(p, slot, 5)) {
      EXPECT_EQ(i % 5, slot);
      seen.insert(i);
    }
  ASSERT_EQ(seen.size(), p.runs.size());
  for (std::size_t i = 0; i < p.runs.size(); ++i) EXPECT_EQ(seen.count(i), 1u);
}

}  // namespace
}  // namespace flywheel::app
