#pragma once
// An attribution's results: from each run's metric values to the effect of
// each loop (baseline less knockout, per seed, then its mean and 95%
// interval across seeds), pairwise interactions and Shapley values, and the
// files that hold them (attribution.csv, attribution.h5, attribution_seeds.csv).

#include <cstdint>
#include <string>
#include <vector>

#include "attribution_design.hpp"

namespace flywheel::app {

/// One row of attribution.csv.
struct AttributionRow {
  std::string loops;  // the variant ("data", "data+word_of_mouth"), or the loop a Shapley value is for
  std::string kind;   // knockout, interaction, shapley, total
  std::string metric;
  std::uint32_t horizon = 0;   // days run
  double baseline = 0;         // mean over seeds
  double knockout = 0;         // mean over seeds (NaN for interaction and shapley rows)
  double loop_effect = 0;      // mean over seeds of baseline less knockout: what the loop(s) add
  double loop_effect_low = 0;  // 95% interval of that mean (Student t over seeds; NaN with one seed)
  double loop_effect_high = 0;
  double knockout_ratio = 0;  // knockout / baseline (means; NaN for interaction and shapley rows)
  // Knockout rows: baseline / knockout - 1 as a geometric mean over seeds, and
  // its 95% interval (Student t on the seeds' log ratios). NaN where a seed's
  // baseline or knockout is not positive, and for interaction and shapley rows.
  double relative_effect = 0;
  double relative_effect_low = 0;
  double relative_effect_high = 0;
  std::uint32_t seeds = 0;
};

/// The rows of a design. `values[run]` holds run `run`'s metric values
/// (RunTotals::metric_values over `horizons`), runs in the plan's order.
std::vector<AttributionRow> attribution_rows(const AttributionDesign& design,
                                             const std::vector<std::uint32_t>& horizons,
                                             const std::vector<std::vector<double>>& values);

/// Writes DIR/attribution.csv, DIR/attribution.h5 (the same rows as a
/// netCDF-4 table along dimension `row`) and DIR/attribution_seeds.csv (every
/// run's value of every metric at every horizon), each under a temporary
/// name renamed into place. Throws RunError.
void write_attribution(const std::string& directory, const SweepPlan& plan, const AttributionDesign& design,
                       const std::vector<std::uint32_t>& horizons, const std::vector<std::vector<double>>& values,
                       const std::vector<AttributionRow>& rows);

}  // namespace flywheel::app
