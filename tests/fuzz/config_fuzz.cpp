// libFuzzer target: bytes as a scenario file. A ConfigError is the expected
// answer to bad input; any other exception, a crash, a leak or undefined
// behaviour is a finding. Lines at the top of the form `#--set key=value`
// (YAML comments, so the rest parses the same) are applied as --set overrides.
//
// Each accepted scenario must also write itself back as YAML that loads to
// the same scenario, as the output file's `config` attribute relies on, and
// must give a memory estimate without allocating.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "flywheel/engine/errors.hpp"
#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/runtime/memory_estimate.hpp"

namespace {

std::vector<std::string> overrides_in(const std::string& text) {
  std::vector<std::string> overrides;
  const std::string marker = "#--set ";
  for (std::size_t at = 0; text.compare(at, marker.size(), marker) == 0;) {
    const std::size_t end = text.find('\n', at);
    overrides.push_back(text.substr(at + marker.size(), end == std::string::npos ? end : end - at - marker.size()));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return overrides;
}

[[noreturn]] void finding(const std::string& what, const std::string& detail) {
  std::fprintf(stderr, "config_fuzz: %s\n%s\n", what.c_str(), detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  flywheel::market::Scenario scenario;
  try {
    scenario = flywheel::market::scenario_from_string(text, "fuzz.yaml", overrides_in(text));
  } catch (const flywheel::ConfigError&) {
    return 0;
  }
  const std::string yaml = flywheel::market::to_yaml(scenario);
  try {
    const auto back = flywheel::market::scenario_from_string(yaml, "resolved.yaml");
    if (flywheel::market::to_yaml(back) != yaml) finding("the resolved YAML loads back differently", yaml);
  } catch (const flywheel::ConfigError& e) {
    finding(std::string("the resolved YAML does not load back: ") + e.what(), yaml);
  }
  static_cast<void>(flywheel::runtime::estimate_memory(scenario).total());
  return 0;
}
