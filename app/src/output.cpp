#include "output.hpp"

#include <chrono>
#include <filesystem>
#include <system_error>

#include <fmt/chrono.h>
#include <fmt/core.h>

#include "flywheel/app/command_line.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/version.hpp"
#include "flywheel/engine/versions.hpp"
#include "flywheel/runtime/output_schema.hpp"
#include "sweep_files.hpp"

namespace flywheel::app {
namespace {

/// A name as a plain identifier: anything but letters, digits and '_' becomes '_'.
std::string identifier(const std::string& name) {
  std::string out = name.empty() ? std::string("scenario") : name;
  for (char& c : out) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!plain) c = '_';
  }
  return out;
}

std::string utc_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

/// A line of CF's `history`: when, and the command line that wrote the file.
std::string history_line() { return utc_now() + ": " + command_line(); }

std::vector<h5::Attribute> root_attributes(const market::Scenario& s) {
  const std::string now = utc_now();
  std::vector<h5::Attribute> a{
      {"Conventions", std::string("CF-1.10")},
      {"title", "flywheel run of scenario '" + s.name + "'"},
      {"source", "flywheel " + std::string(build::version) + ", an agent-based marketplace simulator"},
      {"history", history_line()},
      {"program", std::string("flywheel")},
      {"program_version", std::string(build::version)},
      {"git_revision", std::string(build::git_revision)},
      {"scenario", s.name},
      {"seed", s.seed},
      {"start_time", now},
      {"config", market::to_yaml(s)},
      {"config_changes", market::config_changes(s)},
  };
  for (const auto& [library, version] : library_versions()) a.push_back({"version_" + identifier(library), version});
  return a;
}

h5::WriterOptions writer_options(const market::OutputParams& o) {
  h5::WriterOptions w;
  w.flush_interval = o.flush_interval;
  w.flush_seconds = o.flush_seconds;
  w.chunking.rows = o.chunk_ticks > 0 ? o.chunk_ticks : o.flush_interval;
  w.chunking.deflate = o.deflate;
  return w;
}

}  // namespace

std::optional<std::string> output_path(const std::string& option, const market::Scenario& scenario) {
  if (option == "none") return std::nullopt;
  if (!option.empty()) return option;
  std::error_code error;
  std::filesystem::create_directories("out", error);
  if (error) throw RunError("cannot create the output directory 'out': " + error.message());
  return "out/" + identifier(scenario.name) + ".h5";
}

void check_output_layout(const market::Scenario& scenario, const std::string& config) {
  try {
    static_cast<void>(runtime::output_layout(scenario));
  } catch (const ConfigError& e) {
    throw ConfigError({config.empty() ? std::string("scenario") : config}, e.key_path(), e.problem());
  }
}

void refuse_to_replace_a_complete_run(const std::optional<std::string>& path, bool overwrite) {
  if (!path || overwrite || read_run_file(*path).status != h5::status_name(h5::Status::complete)) return;
  throw RunError("the output file '" + *path +
                 "' holds a complete run; pass --overwrite to replace it, or name another file with -o");
}

RunOutput::RunOutput(const std::string& path, const market::Scenario& scenario, const std::vector<h5::Attribute>& extra)
    : path_(path) {
  if (exchange::rank() != 0) return;
  auto attributes = root_attributes(scenario);
  attributes.insert(attributes.end(), extra.begin(), extra.end());
  writer_.emplace(path, runtime::output_layout(scenario), attributes, writer_options(scenario.output));
}

RunOutput::RunOutput(const std::string& path, const market::Scenario& scenario, h5::ContinueAt at) : path_(path) {
  at.history = history_line();
  if (exchange::rank() == 0)
    writer_.emplace(path, runtime::output_layout(scenario), at, writer_options(scenario.output));
}

void RunOutput::record(const market::Market& market) {
  const h5::TableMask due = runtime::tables_due(market.scenario(), market.today().tick);
  if (!writer_) {  // this rank's part, to rank 0
    runtime::record_measures(market, {});
    if (due != 0) runtime::record_snapshot(market, due, nullptr);
    return;
  }
  const std::span<double> row = writer_->begin_tick(market.today().tick);
  const std::size_t measured = runtime::measure_width(market.scenario());
  runtime::record_tick(market, row.first(row.size() - measured));
  runtime::record_measures(market, row.last(measured));
  if (due != 0) runtime::record_snapshot(market, due, &writer_->begin_snapshot(due));
  writer_->commit_tick();
}

void RunOutput::finish(h5::Status status) {
  if (writer_) writer_->finish(status);
}

}  // namespace flywheel::app
