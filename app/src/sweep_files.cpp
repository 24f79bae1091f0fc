#include "sweep_files.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <array>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/file.hpp"

namespace flywheel::app {
namespace {

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "host";
  return name.data();
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path temporary =
      path.parent_path() / fmt::format(".{}.{}.{}.tmp", path.filename().string(), host_name(), getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw RunError("cannot write " + temporary.string());
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error)
    throw RunError(fmt::format("cannot rename {} to {}: {}", temporary.string(), path.string(), error.message()));
}

RunFile read_run_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return {};
  if (!std::filesystem::is_regular_file(path, error)) return {"unreadable", {}};  // a FIFO would block the reader
  try {
    const h5::File file = h5::File::open_read(path);
    const auto text = [&](const char* name) {
      return h5::has_attribute(file.id(), name) ? h5::read_text(file.id(), name) : std::string("unknown");
    };
    return {text("status"), text("config")};
  } catch (const std::exception&) {
    return {"unreadable", {}};
  }
}

void write_index(const SweepPlan& plan) {
  const std::filesystem::path path = std::filesystem::path(plan.output) / "index.csv";
  const std::string text = index_csv(plan);
  if (std::ifstream existing(path, std::ios::binary); existing) {
    std::ostringstream old;
    old << existing.rdbuf();
    if (old.str() != text)
      throw RunError(
          fmt::format("{} lists other runs than {} (the sweep file changed?); use another output "
                      "directory (-o) or remove the old one",
                      path.string(), plan.file));
  }
  write_file_atomically(path, text);
}

void make_directories(const SweepPlan& plan) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(plan.output) / "runs", error);
  if (error) throw RunError(fmt::format("cannot create the output directory '{}': {}", plan.output, error.message()));
}

}  // namespace flywheel::app
