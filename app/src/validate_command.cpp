// `flywheel validate CONFIG` and `flywheel params`: scenarios described, nothing run.

#include <fmt/core.h>

#include "flywheel/app/commands.hpp"
#include "flywheel/engine/config.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/runtime/summary.hpp"

namespace flywheel::app {

int validate_command(const RunOptions& options) {
  const market::Scenario scenario = market::load_scenario(options.config, all_overrides(options));
  fmt::print("{}: valid\n{}", options.config, runtime::allocation_report(scenario));
  return 0;
}

int params_command() {
  fmt::print("| key | default | allowed | meaning |\n|---|---|---|---|\n");
  for (const auto& row : config::Lister::list_all(market::Scenario{}))
    fmt::print("| `{}` | {} | {} | {} |\n", row.path, row.default_value, row.bounds, row.meaning);
  return 0;
}

}  // namespace flywheel::app
