#include "flywheel/engine/memory.hpp"

#include <sys/resource.h>

#include <fmt/core.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace flywheel::memory {
namespace {

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::uint64_t> parse_bytes(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

/// The value of `key` in a cgroup memory.stat ("key value" lines), in bytes.
std::optional<std::uint64_t> stat_value(const std::string& text, std::string_view key) {
  std::istringstream lines(text);
  std::string name;
  std::uint64_t value = 0;
  while (lines >> name >> value)
    if (name == key) return value;
  return std::nullopt;
}

/// Limit less usage (less reclaimable inactive file pages) of the first cgroup directory found.
std::optional<Available> cgroup_available() {
  const std::string self = read_text("/proc/self/cgroup").value_or("");
  struct Layout {
    std::string dir;
    const char* limit;
    const char* usage;
    const char* inactive_file;
  };
  const std::string v2 = detail::cgroup_path(self, true);
  const std::string v1 = detail::cgroup_path(self, false);
  const std::vector<Layout> layouts{
      {"/sys/fs/cgroup" + v2, "memory.max", "memory.current", "inactive_file"},
      {"/sys/fs/cgroup", "memory.max", "memory.current", "inactive_file"},
      {"/sys/fs/cgroup/memory" + v1, "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"},
      {"/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"},
  };
  for (const auto& l : layouts) {
    const auto limit_text = read_text(l.dir + "/" + l.limit);
    if (!limit_text) continue;
    const auto limit = detail::cgroup_limit(*limit_text);
    if (!limit) return std::nullopt;  // unlimited
    std::uint64_t usage = parse_bytes(read_text(l.dir + "/" + l.usage).value_or("")).value_or(0);
    const auto inactive = stat_value(read_text(l.dir + "/memory.stat").value_or(""), l.inactive_file).value_or(0);
    usage -= std::min(usage, inactive);
    return Available{*limit - std::min(*limit, usage), "the cgroup limit " + l.dir + "/" + l.limit + " less its use"};
  }
  return std::nullopt;
}

/// What `resource` (RLIMIT_AS: `ulimit -v`, RLIMIT_DATA: `ulimit -d`) still
/// allows, its use read as `status_key` ("VmSize", "VmData") from /proc/self/status.
std::optional<Available> rlimit_available(int resource, const char* status_key, const char* what) {
  struct rlimit limit {};
  if (::getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  const std::uint64_t used =
      detail::meminfo_value(read_text("/proc/self/status").value_or(""), status_key).value_or(0);
  const std::uint64_t cap = limit.rlim_cur;
  return Available{cap - std::min(cap, used), fmt::format("{} of {} less this process's {}", what,
                                                          human_bytes(cap), status_key)};
}

}  // namespace

namespace detail {

std::optional<std::uint64_t> meminfo_value(const std::string& text, const std::string& key) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    std::uint64_t value = 0;
    std::string unit;
    if (!(fields >> value)) return std::nullopt;
    fields >> unit;
    return unit == "kB" ? value * 1024 : value;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> cgroup_limit(const std::string& text) {
  const auto value = parse_bytes(text);
  // cgroup v1 writes "no limit" as the largest page-aligned signed 64-bit value.
  if (!value || *value >= (std::uint64_t{1} << 62)) return std::nullopt;
  return value;
}

std::string cgroup_path(const std::string& text, bool v2) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const bool match = v2 ? line.substr(0, first) == "0" && controllers.empty() : controllers == "memory";
    if (!match) continue;
    std::string path = line.substr(second + 1);
    return path == "/" ? std::string() : path;
  }
  return {};
}

}  // namespace detail

std::optional<Available> available() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): nothing in flywheel sets the environment
  if (const char* forced = std::getenv(override_variable); forced != nullptr) {
    const auto bytes = parse_bytes(forced);
    if (!bytes) throw RunError(fmt::format("{}: expected a number of bytes, found '{}'", override_variable, forced));
    return Available{*bytes, override_variable};
  }
  std::optional<Available> best;
  if (const auto meminfo = read_text("/proc/meminfo"))
    if (const auto bytes = detail::meminfo_value(*meminfo, "MemAvailable"))
      best = Available{*bytes, "MemAvailable in /proc/meminfo"};
  for (const auto& limit : {cgroup_available(), rlimit_available(RLIMIT_AS, "VmSize", "the address-space limit (ulimit -v)"),
                            rlimit_available(RLIMIT_DATA, "VmData", "the data-segment limit (ulimit -d)")})
    if (limit && (!best || limit->bytes < best->bytes)) best = limit;
  return best;
}

std::string human_bytes(std::uint64_t bytes) {
  constexpr double kib = 1024.0;
  const auto b = static_cast<double>(bytes);
  if (b >= kib * kib * kib) return fmt::format("{:.2f} GiB", b / (kib * kib * kib));
  if (b >= kib * kib) return fmt::format("{:.1f} MiB", b / (kib * kib));
  if (b >= kib) return fmt::format("{:.1f} KiB", b / kib);
  return fmt::format("{} bytes", bytes);
}

}  // namespace flywheel::memory
