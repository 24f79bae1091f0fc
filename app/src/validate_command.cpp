// `flywheel validate CONFIG` and `flywheel params`: scenarios described, nothing run.

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "flywheel/app/commands.hpp"
#include "flywheel/engine/config.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/runtime/summary.hpp"
#include "output.hpp"

namespace flywheel::app {

int validate_command(const RunOptions& options) {
  const market::Scenario scenario = market::load_scenario(options.config, all_overrides(options));
  check_output_layout(scenario, options.config);
  fmt::print("{}: valid\n{}", options.config, runtime::allocation_report(scenario));
  return 0;
}

int params_command(const ParamsOptions& options) {
  std::vector<config::ParameterDoc> rows;
  for (auto& row : config::Lister::list_all(market::Scenario{})) {
    const bool wanted = options.filters.empty() || std::ranges::any_of(options.filters, [&](const std::string& f) {
                          return row.path.find(f) != std::string::npos;
                        });
    if (wanted) rows.push_back(std::move(row));
  }
  if (options.format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& row : rows)
      list.push_back(
          {{"key", row.path}, {"default", row.default_value}, {"allowed", row.bounds}, {"meaning", row.meaning}});
    fmt::print("{}\n", list.dump(2));
  } else if (options.format == "yaml") {
    YAML::Emitter out;
    out << YAML::BeginSeq;
    for (const auto& row : rows)
      out << YAML::BeginMap << YAML::Key << "key" << YAML::Value << row.path << YAML::Key << "default" << YAML::Value
          << row.default_value << YAML::Key << "allowed" << YAML::Value << row.bounds << YAML::Key << "meaning"
          << YAML::Value << row.meaning << YAML::EndMap;
    out << YAML::EndSeq;
    fmt::print("{}\n", out.c_str());
  } else {
    // A '|' inside a cell (between a choice's options) would end the cell.
    const auto cell = [](std::string text) {
      for (std::size_t at = text.find('|'); at != std::string::npos; at = text.find('|', at + 2)) text.insert(at, "\\");
      return text;
    };
    fmt::print("| key | default | allowed | meaning |\n|---|---|---|---|\n");
    for (const auto& row : rows)
      fmt::print("| `{}` | {} | {} | {} |\n", row.path, cell(row.default_value), cell(row.bounds), cell(row.meaning));
  }
  return 0;
}

}  // namespace flywheel::app
