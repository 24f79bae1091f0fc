// `flywheel info FILE.h5`: what an output file holds, from its attributes and
// the last tick written, for finished, interrupted and still-running runs; or
// what a checkpoint holds. Any other file is refused before anything is printed.

#include <yaml-cpp/yaml.h>

#include <fmt/core.h>

#include <cmath>
#include <string>
#include <vector>

#include "flywheel/app/commands.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/h5/appendable.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/dimension.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/runtime/checkpoint.hpp"
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

/// Whether `path` is a flywheel checkpoint (its root attribute `format`), valid or not.
bool is_checkpoint(const std::string& path) {
  const h5::File file = h5::File::open_read(path);
  return h5::has_attribute(file.id(), "format") && h5::read_text(file.id(), "format") == runtime::checkpoint_format;
}

void describe_checkpoint(const runtime::Checkpoint& c) {
  fmt::print("{}: flywheel checkpoint, version {}, at tick {} of {}\n", c.path, runtime::checkpoint_version, c.tick,
             c.scenario.ticks);
  fmt::print("{}\n", config_line(c.scenario_yaml));
  fmt::print("written by flywheel {}\n", c.program_version);
  const std::string output = c.run.output_path.empty()
                                 ? std::string("no output file")
                                 : fmt::format("'{}' ({} ticks written)", c.run.output_path, c.run.output_ticks);
  const std::string every = c.run.checkpoint_every == 0 ? std::string("only when stopped")
                                                        : fmt::format("every {} ticks", c.run.checkpoint_every);
  fmt::print("continues {}, checkpoints {}\n", output, every);
  if (c.tick < c.scenario.ticks) fmt::print("resume with: flywheel resume {}\n", c.path);
}

/// Refuses an HDF5 file that `flywheel run` did not write, before anything about it is printed.
void check_is_output(hid_t root, const std::string& path) {
  if (!h5::has_attribute(root, "format_version") || !h5::exists(root, "tick"))
    throw RunError(
        "'" + path +
        "' is neither a flywheel output file nor a checkpoint (it lacks an output file's 'format_version' attribute "
        "or 'tick' variable)");
}

}  // namespace

int info_command(const std::string& path) {
  check_readable_file(path, "output");
  if (is_checkpoint(path)) {
    describe_checkpoint(runtime::read_checkpoint(path));  // read whole and checked before a word is printed
    return 0;
  }
  const h5::File file = h5::File::open_read(path);
  const hid_t root = file.id();
  check_is_output(root, path);
  fmt::print("{}: {} output, format {}, status {}\n", path, text_or(root, "program", "unknown"),
             h5::read_integer(root, "format_version"), text_or(root, "status", "unknown"));
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
