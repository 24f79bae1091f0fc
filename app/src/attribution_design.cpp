#include "attribution_design.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <numeric>

#include "flywheel/agents/loops.hpp"
#include "flywheel/engine/errors.hpp"

namespace flywheel::app {
namespace {

constexpr std::size_t max_shapley_loops = 5;  // 2^5 = 32 runs per seed

[[noreturn]] void refuse(const std::string& option, const std::string& problem) {
  throw ConfigError({"command line"}, option, problem);
}

std::vector<std::string> chosen_loops(const std::string& list) {
  std::vector<std::string> known = loop_names();
  if (list.empty()) return known;
  std::vector<std::string> chosen;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string name = list.substr(start, end - start);
    if (std::find(known.begin(), known.end(), name) == known.end())
      refuse("--loops", fmt::format("unknown loop '{}'; the loops are: {}", name, fmt::join(known, ", ")));
    if (std::find(chosen.begin(), chosen.end(), name) != chosen.end())
      refuse("--loops", fmt::format("loop '{}' is named twice", name));
    chosen.push_back(name);
    start = end + 1;
  }
  return chosen;
}

}  // namespace

std::vector<std::string> loop_names() {
  std::vector<std::string> names;
  agents::Loops::fields([&](const char* key, auto, const char*) { names.emplace_back(key); });
  return names;
}

std::string AttributionDesign::name(std::uint32_t variant) const {
  if (variant == 0) return "baseline";
  std::string text;
  for (std::size_t i = 0; i < loops.size(); ++i)
    if ((variant >> i) & 1u) text += (text.empty() ? "" : "+") + loops[i];
  return text;
}

std::size_t AttributionDesign::position(std::uint32_t variant) const {
  return static_cast<std::size_t>(std::find(variants.begin(), variants.end(), variant) - variants.begin());
}

AttributionDesign design_attribution(const AttributeOptions& options, std::uint32_t ticks) {
  AttributionDesign d;
  d.loops = chosen_loops(options.loops);
  d.seeds = options.seeds;
  d.ticks = ticks;
  d.pairs = options.pairs;
  d.shapley = options.shapley;
  if (d.seeds == 0) refuse("--seeds", "expected at least 1 seed, found 0");
  if (d.shapley && d.loops.size() > max_shapley_loops)
    refuse("--shapley", fmt::format("exact Shapley values take 2^n runs per seed: choose at most {} loops with "
                                    "--loops, found {}",
                                    max_shapley_loops, d.loops.size()));
  if (options.branch_at) {
    d.branch_at = *options.branch_at;
    if (d.branch_at == 0 || d.branch_at >= ticks)
      refuse("--branch-at", fmt::format("expected a tick from 1 to {} (the run has {} ticks), found {}",
                                        ticks > 0 ? ticks - 1 : 0, ticks, d.branch_at));
  }
  d.since = options.since;
  if (d.since && *d.since >= ticks)
    refuse("--since", fmt::format("expected a day from 0 to {}, before the run's last (the run has {} ticks), found {}",
                                  ticks > 0 ? ticks - 1 : 0, ticks, *d.since));
  const auto n = static_cast<std::uint32_t>(d.loops.size());
  std::vector<std::uint32_t> masks;
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    const int off = std::popcount(mask);
    if (off <= 1 || (off == 2 && d.pairs) || d.shapley) masks.push_back(mask);
  }
  // The baseline, then single knockouts, then pairs, ...: the order of the index.
  std::stable_sort(masks.begin(), masks.end(),
                   [](std::uint32_t a, std::uint32_t b) { return std::popcount(a) < std::popcount(b); });
  d.variants = std::move(masks);
  return d;
}

SweepPlan attribution_plan(const AttributionDesign& design, const AttributeOptions& options, std::uint64_t seed) {
  SweepPlan plan;
  plan.file = options.config;
  plan.scenario = options.config;
  plan.output = options.output;
  plan.seed = seed;
  plan.replicates = design.seeds;
  plan.threads = options.threads;
  plan.overrides = options.overrides;
  plan.overrides.push_back("ticks=" + std::to_string(design.ticks));
  plan.override_locations.assign(plan.overrides.size(), SourceLocation{"command line"});
  for (const std::string& loop : design.loops)
    plan.parameters.push_back({.key = "loops." + loop,
                               .values = {"true", "false"},
                               .value_locations = {{"--loops"}, {"--loops"}},
                               .where = {"--loops"}});
  for (std::uint32_t r = 0; r < design.seeds; ++r)
    for (std::size_t v = 0; v < design.variants.size(); ++v) {
      SweepRun run;
      run.index = plan.runs.size();
      run.id = fmt::format("run-{:04d}", run.index);
      run.point = v;
      run.replicate = r;
      run.seed = replicate_seed(seed, r);
      for (std::size_t i = 0; i < design.loops.size(); ++i)
        run.values.emplace_back(((design.variants[v] >> i) & 1u) != 0 ? "false" : "true");
      plan.runs.push_back(std::move(run));
    }
  return plan;
}

}  // namespace flywheel::app
