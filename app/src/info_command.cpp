// `flywheel info FILE.h5`: what an output file holds, from its attributes and
// the last tick written, for finished, interrupted and still-running runs; or
// what a checkpoint holds. Any other file is refused before anything is printed.

#include <yaml-cpp/yaml.h>

#include <fmt/core.h>

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
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

using Summary = nlohmann::ordered_json;

/// What a checkpoint holds, as `info --json` prints it.
Summary checkpoint_summary(const runtime::Checkpoint& c) {
  return {{"path", c.path},
          {"kind", "checkpoint"},
          {"checkpoint_version", runtime::checkpoint_version},
          {"tick", c.tick},
          {"ticks", c.scenario.ticks},
          {"config", config_line(c.scenario_yaml)},
          {"program_version", c.program_version},
          {"output_path", c.run.output_path},
          {"output_ticks", c.run.output_ticks},
          {"checkpoint_every", c.run.checkpoint_every}};
}

void print_checkpoint(const Summary& c) {
  fmt::print("{}: flywheel checkpoint, version {}, at tick {} of {}\n", c["path"].get<std::string>(),
             c["checkpoint_version"].get<int>(), c["tick"].get<std::uint64_t>(), c["ticks"].get<std::uint64_t>());
  fmt::print("{}\n", c["config"].get<std::string>());
  fmt::print("written by flywheel {}\n", c["program_version"].get<std::string>());
  const auto output_path = c["output_path"].get<std::string>();
  const std::string output =
      output_path.empty() ? std::string("no output file")
                          : fmt::format("'{}' ({} ticks written)", output_path, c["output_ticks"].get<std::uint64_t>());
  const auto every_ticks = c["checkpoint_every"].get<std::uint64_t>();
  const std::string every =
      every_ticks == 0 ? std::string("only when stopped") : fmt::format("every {} ticks", every_ticks);
  fmt::print("continues {}, checkpoints {}\n", output, every);
  if (c["tick"].get<std::uint64_t>() < c["ticks"].get<std::uint64_t>())
    fmt::print("resume with: flywheel resume {}\n", c["path"].get<std::string>());
}

/// Refuses an HDF5 file that `flywheel run` did not write, before anything about it is printed.
void check_is_output(hid_t root, const std::string& path) {
  if (!h5::has_attribute(root, "format_version") || !h5::exists(root, "tick"))
    throw RunError(
        "'" + path +
        "' is neither a flywheel output file nor a checkpoint (it lacks an output file's 'format_version' attribute "
        "or 'tick' variable)");
}

/// The variables a file holds, with their units and meaning, in the schema's order.
Summary variables(hid_t root) {
  Summary list = Summary::array();
  const auto add = [&](const auto& series, const char* dims) {
    for (const auto& v : series)
      if (h5::exists(root, std::string(v.name)))
        list.push_back({{"name", v.name}, {"dims", dims}, {"units", v.units}, {"long_name", v.long_name}});
  };
  add(runtime::platform_series(), "tick, platform");
  add(runtime::market_series(), "tick");
  add(runtime::category_series(), "tick, category");
  return list;
}

/// What an output file holds, as `info --json` prints it: attributes, ticks, platforms, variables, and the
/// headline series' values at the last tick.
Summary output_summary(hid_t root, const std::string& path) {
  Summary s = {{"path", path},
               {"kind", "output"},
               {"program", text_or(root, "program", "unknown")},
               {"format_version", h5::read_integer(root, "format_version")},
               {"status", text_or(root, "status", "unknown")},
               {"config", config_line(text_or(root, "config", ""))},
               {"program_version", text_or(root, "program_version", "?")},
               {"git_revision", text_or(root, "git_revision", "?")},
               {"start_time", text_or(root, "start_time", "?")}};
  const h5::DatasetHandle tick = h5::open_dataset(root, "tick");
  const std::uint64_t ticks = h5::row_count(tick.get());
  s["ticks_written"] = ticks;
  s["platforms"] = h5::read_labels(root, "platform");
  s["variables"] = variables(root);
  if (ticks == 0) return s;
  s["last_tick"] = static_cast<long long>(h5::read_row(tick.get(), ticks - 1).front());
  Summary last = Summary::object();
  for (const auto& series : runtime::platform_series()) {
    const std::string name(series.name);
    if (!series.headline || !h5::exists(root, name)) continue;
    const h5::DatasetHandle data = h5::open_dataset(root, name);
    last[name] = {{"units", series.units}, {"values", h5::read_row(data.get(), ticks - 1)}};
  }
  s["last"] = last;
  return s;
}

void print_output(const Summary& s) {
  fmt::print("{}: {} output, format {}, status {}\n", s["path"].get<std::string>(), s["program"].get<std::string>(),
             s["format_version"].get<long long>(), s["status"].get<std::string>());
  fmt::print("{}\n", s["config"].get<std::string>());
  fmt::print("written by flywheel {} (git {}), started {}\n", s["program_version"].get<std::string>(),
             s["git_revision"].get<std::string>(), s["start_time"].get<std::string>());
  if (!s.contains("last_tick")) {
    fmt::print("ticks written: 0\n");
    return;
  }
  fmt::print("ticks written: {} (last tick {})\n", s["ticks_written"].get<std::uint64_t>(),
             s["last_tick"].get<long long>());
  std::string header = fmt::format("{:<24} {:<9}", "last tick", "units");
  for (const auto& p : s["platforms"]) header += fmt::format(" {:>14}", p.get<std::string>());
  fmt::print("{}\n", header);
  for (const auto& [name, series] : s["last"].items()) {
    std::string line = fmt::format("{:<24} {:<9}", name, series["units"].get<std::string>());
    for (const auto& v : series["values"]) line += fmt::format(" {:>14}", figure(v.get<double>()));
    fmt::print("{}\n", line);
  }
}

}  // namespace

int info_command(const std::string& path, bool json) {
  check_readable_file(path, "output");
  Summary summary;
  if (is_checkpoint(path)) {
    summary = checkpoint_summary(runtime::read_checkpoint(path));  // read whole and checked before a word
  } else {
    const h5::File file = h5::File::open_read(path);
    check_is_output(file.id(), path);
    summary = output_summary(file.id(), path);
  }
  if (json)
    fmt::print("{}\n", summary.dump(2));
  else if (summary["kind"] == "checkpoint")
    print_checkpoint(summary);
  else
    print_output(summary);
  return 0;
}

}  // namespace flywheel::app
