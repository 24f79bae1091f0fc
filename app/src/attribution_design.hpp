#pragma once
// Which runs an attribution needs: the variants (sets of loops switched off)
// times the replicate seeds, as a sweep plan the sweep machinery runs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flywheel/app/attribute_command.hpp"
#include "flywheel/app/sweep_plan.hpp"

namespace flywheel::app {

/// Every loop switch's name, in the order agents::Loops declares them.
std::vector<std::string> loop_names();

struct AttributionDesign {
  std::vector<std::string> loops;       // the chosen loops; bit i of a variant stands for loops[i]
  std::vector<std::uint32_t> variants;  // the sets of loops off; variants[0] is 0, the baseline
  std::uint32_t seeds = 0;
  std::uint32_t ticks = 0;             // of every run
  std::uint32_t branch_at = 0;         // 0: every run from tick 0; else knockouts branch from the baseline here
  std::optional<std::uint32_t> since;  // flows run from this day to each horizon; none: over the year before it
  bool pairs = false;
  bool shapley = false;

  /// "baseline", "data", "data+word_of_mouth": the loops a variant switches off.
  [[nodiscard]] std::string name(std::uint32_t variant) const;
  /// The position of `variant` in `variants`.
  [[nodiscard]] std::size_t position(std::uint32_t variant) const;
};

/// The design `options` ask for, on a scenario of `ticks` ticks. Throws
/// ConfigError for an unknown loop (listing the names), a loop named twice,
/// --shapley with more than 5 loops, --seeds 0, or --branch-at or --since not inside the run.
AttributionDesign design_attribution(const AttributeOptions& options, std::uint32_t ticks);

/// The sweep plan of a design: one run per variant and replicate (index
/// replicate * variants + variant), one parameter per chosen loop
/// (`loops.<name>`, "true" or "false"), replicate r's seed
/// replicate_seed(seed, r) for every variant: common random numbers.
SweepPlan attribution_plan(const AttributionDesign& design, const AttributeOptions& options, std::uint64_t seed);

}  // namespace flywheel::app
