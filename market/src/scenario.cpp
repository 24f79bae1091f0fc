#include "flywheel/market/scenario.hpp"

#include "flywheel/engine/config.hpp"

namespace flywheel::market {
namespace {

Scenario load(config::Document doc, const std::vector<std::string>& overrides) {
  for (const auto& o : overrides) doc.apply_override(o);
  Scenario s;
  config::Loader::load(doc, s);
  return s;
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return load(config::Document::from_file(path), overrides);
}

Scenario scenario_from_string(const std::string& yaml, const std::string& name,
                              const std::vector<std::string>& overrides) {
  return load(config::Document::from_string(yaml, name), overrides);
}

std::string to_yaml(Scenario scenario) { return config::Emitter::to_yaml(scenario); }

std::string config_changes(const Scenario& scenario) {
  return config::changes_against_defaults(to_yaml(scenario), to_yaml(Scenario{}));
}

}  // namespace flywheel::market
