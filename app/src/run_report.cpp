#include "run_report.hpp"

#include <fmt/core.h>

#include "flywheel/engine/exchange.hpp"

namespace flywheel::app {

int report_run(const market::Scenario& scenario, const RunResult& run, const std::optional<std::string>& output,
               const Checkpointing& checkpoints, std::size_t threads) {
  const int status = run.signal != 0 ? exit_status_for(run.signal) : 0;
  if (exchange::rank() != 0) return status;
  if (run.reached < scenario.ticks) {
    const std::string where = checkpoints.path.empty() ? "" : "; resume with: flywheel resume " + checkpoints.path;
    const std::string file = output ? "; output (status interrupted) in " + *output : "";
    if (run.signal != 0)
      fmt::print("flywheel: stopped by signal {} after {} of {} ticks{}{}\n", run.signal, run.reached, scenario.ticks,
                 file, where);
    else
      fmt::print("flywheel: stopped after {} of {} ticks, as asked{}{}\n", run.reached, scenario.ticks, file, where);
    return status;
  }
  const Tick ran = run.reached - run.first;
  const double customer_days = static_cast<double>(scenario.customers.count) * ran;
  fmt::print("flywheel: ran '{}' for {} ticks in {:.2f} s ({:.1f} million customer-days/s, {} threads)\n",
             scenario.name, ran, run.seconds, run.seconds > 0 ? customer_days / run.seconds / 1e6 : 0.0, threads);
  if (!run.traffic.empty()) fmt::print("{}\n", run.traffic);
  fmt::print("{}", run.summary);
  fmt::print("output: {}\n", output ? *output : "none");
  return status;
}

}  // namespace flywheel::app
