#pragma once
// The figures an attribution compares, read from a run's output file: each
// a function of the market's daily totals (summed over platforms) at a
// horizon, a stock at the horizon's last day, a flow over the year before it
// (or from a given day), or the day by which the market reached half its customers.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace flywheel::app {

struct AttributionMetric {
  const char* name;
  const char* units;
  const char* meaning;
};

/// The metrics, in the order metric_values() returns them.
std::span<const AttributionMetric> attribution_metrics();

/// The horizons (days run) of a run of `ticks` ticks: the end of each year,
/// and the last tick; with `since`, only those after it.
std::vector<std::uint32_t> attribution_horizons(std::uint32_t ticks, std::optional<std::uint32_t> since);

/// A run's daily market totals, from its output file; a branch's from its
/// parent's file before the branch tick and its own after (`files` in that
/// order: later files overwrite the ticks they hold), and its scenario's
/// customer count. Throws RunError.
class RunTotals {
 public:
  RunTotals(const std::vector<std::string>& files, std::uint32_t ticks, std::uint64_t customers);

  /// Every metric at every horizon: values[metric * horizons.size() + h].
  /// Flows run over the year before each horizon, or from day `since` to it.
  [[nodiscard]] std::vector<double> metric_values(std::span<const std::uint32_t> horizons,
                                                  std::optional<std::uint32_t> since) const;

 private:
  std::uint32_t ticks_;
  std::uint64_t customers_;
  std::vector<std::vector<double>> series_;  // per source series (sources in metrics.cpp), per tick
};

}  // namespace flywheel::app
