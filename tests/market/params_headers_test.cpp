// Parameter headers (and the scenario, which gathers them) declare their
// fields through engine/params.hpp and do not pull in yaml-cpp: only the .cpp
// files that load or write configs include engine/config.hpp. This file
// includes them first, so the check below sees only what they bring.

#include "flywheel/agents/customer_params.hpp"
#include "flywheel/agents/loops.hpp"
#include "flywheel/agents/mechanism.hpp"
#include "flywheel/agents/platform_params.hpp"
#include "flywheel/agents/platform_policy.hpp"
#include "flywheel/agents/review_params.hpp"
#include "flywheel/agents/seller_params.hpp"
#include "flywheel/agents/stock_policy.hpp"
#include "flywheel/market/market_params.hpp"
#include "flywheel/market/output_params.hpp"
#include "flywheel/market/scenario.hpp"

#if defined(YAML_H_62B23520_7C8E_11DE_8A39_0800200C9A66) || defined(YAML_CPP_API)
#error "a parameter header includes yaml-cpp: include flywheel/engine/params.hpp, not config.hpp"
#endif

#include <gtest/gtest.h>

namespace flywheel::market {
namespace {

TEST(ParamsHeaders, DeclareEveryScenarioFieldWithoutYamlCpp) {
  // The real check is the #error above, at compile time; this keeps the file a test.
  const Scenario s;
  EXPECT_FALSE(s.platforms.empty());
}

}  // namespace
}  // namespace flywheel::market
