#include "flywheel/app/sweep_command.hpp"

#include <fmt/core.h>

#include <vector>

#include "flywheel/app/sweep_plan.hpp"
#include "signals.hpp"
#include "sweep_runner.hpp"
#include "sweep_share.hpp"

namespace flywheel::app {

int sweep_command(const SweepOptions& options) {
  const StopSignals stop;  // from the start: a signal while validating still stops the sweep cleanly
  SweepPlan plan = load_sweep_plan(options.file, options.overrides);
  if (!options.output.empty()) plan.output = options.output;
  const std::vector<market::Scenario> scenarios = load_scenarios(plan);
  const Share share = share_of_process(options);
  if (options.dry_run) {
    if (share.slot == 0) fmt::print("{}", index_csv(plan));
    return 0;
  }
  return run_share({.plan = plan,
                    .scenarios = scenarios,
                    .share = share,
                    .mine = share_of(plan, share.slot, share.slots),
                    .jobs = options.jobs},
                   stop);
}

}  // namespace flywheel::app
