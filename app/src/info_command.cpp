// `flywheel info FILE.h5`: what an output file holds, from its attributes and
// the last tick written, for finished, interrupted and still-running runs.

#include <yaml-cpp/yaml.h>

#include <fmt/core.h>

#include <cmath>
#include <string>
#include <vector>

#include "flywheel/app/commands.hpp"
#include "flywheel/engine/h5/appendable.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/dimension.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/runtime/output_schema.hpp"
#include "paths.hpp"

namespace flywheel::app {
namespace {

std::string text_or(hid_t root, const std::string& name, const std::string& missing) {
  return h5::has_attribute(root, name) ? h5::read_text(root, name) : missing;
}

template <class T>
std::string scalar(const YAML::Node& node, const T& missing) {
  return node && node.IsScalar() ? node.Scalar() : fmt::format("{}", missing);
}

std::string config_line(const std::string& yaml) {
  YAML::Node config;
  try {
    config = YAML::Load(yaml);
  } catch (const YAML::Exception&) {
    return "config: (not readable YAML)";
  }
  const market::Scenario defaults;
  std::string platforms;
  if (config["platforms"] && config["platforms"].IsSequence())
    for (const auto& p : config["platforms"]) platforms += (platforms.empty() ? "" : ", ") + scalar(p["name"], "?");
  return fmt::format("scenario '{}', seed {}: {} customers, {} categories, {} ticks, platforms {}",
                     scalar(config["name"], defaults.name), scalar(config["seed"], defaults.seed),
                     scalar(config["customers"]["count"], defaults.customers.count),
                     scalar(config["market"]["categories"], defaults.market.categories),
                     scalar(config["ticks"], defaults.ticks), platforms.empty() ? "?" : platforms);
}

std::string figure(double value) {
  if (std::abs(value) >= 1e15) return fmt::format("{:.4g}", value);
  if (value == std::trunc(value)) return fmt::format("{}", static_cast<long long>(value));
  return std::abs(value) >= 1000 ? fmt::format("{:.0f}", value) : fmt::format("{:.4g}", value);
}

}  // namespace

int info_command(const std::string& path) {
  check_readable_file(path, "output");
  const h5::File file = h5::File::open_read(path);
  const hid_t root = file.id();
  fmt::print("{}: {} output, format {}, status {}\n", path, text_or(root, "program", "unknown"),
             h5::has_attribute(root, "format_version") ? std::to_string(h5::read_integer(root, "format_version")) : "?",
             text_or(root, "status", "unknown"));
  fmt::print("{}\n", config_line(text_or(root, "config", "")));
  fmt::print("written by flywheel {} (git {}), started {}\n", text_or(root, "program_version", "?"),
             text_or(root, "git_revision", "?"), text_or(root, "start_time", "?"));

  const h5::DatasetHandle tick = h5::open_dataset(root, "tick");
  const std::uint64_t ticks = h5::row_count(tick.get());
  if (ticks == 0) {
    fmt::print("ticks written: 0\n");
    return 0;
  }
  const auto last = static_cast<long long>(h5::read_row(tick.get(), ticks - 1).front());
  fmt::print("ticks written: {} (last tick {})\n", ticks, last);

  const std::vector<std::string> platforms = h5::read_labels(root, "platform");
  std::string header = fmt::format("{:<24} {:<9}", "last tick", "units");
  for (const auto& p : platforms) header += fmt::format(" {:>14}", p);
  fmt::print("{}\n", header);
  for (const auto& series : runtime::platform_series()) {
    const std::string name(series.name);
    if (!series.headline || !h5::exists(root, name)) continue;
    const h5::DatasetHandle data = h5::open_dataset(root, name);
    std::string line = fmt::format("{:<24} {:<9}", name, series.units);
    for (double v : h5::read_row(data.get(), ticks - 1)) line += fmt::format(" {:>14}", figure(v));
    fmt::print("{}\n", line);
  }
  return 0;
}

}  // namespace flywheel::app
