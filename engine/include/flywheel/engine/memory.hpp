#pragma once
// How much memory this process may still allocate, so that a run too large
// for the machine is refused before it starts instead of being killed by the
// kernel hours in. Linux only; elsewhere the probe finds nothing.

#include <cstdint>
#include <optional>
#include <string>

#include "flywheel/engine/errors.hpp"

namespace flywheel::memory {

/// Memory the process may still allocate, and where that figure came from.
struct Available {
  std::uint64_t bytes = 0;
  std::string source;  // e.g. "MemAvailable in /proc/meminfo"
};

/// The environment variable that replaces the probe (bytes, an integer):
/// for tests, and for machines whose limits the probe cannot see.
inline constexpr const char* override_variable = "FLYWHEEL_MEMORY_AVAILABLE";

/// The least of: MemAvailable in /proc/meminfo, the process's cgroup
/// memory limit less what the cgroup uses (v2 memory.max, or v1
/// memory.limit_in_bytes; reclaimable inactive file pages count as free),
/// and the process's own limits less its use: RLIMIT_AS (`ulimit -v`) less
/// its virtual size, RLIMIT_DATA (`ulimit -d`) less its data segment.
/// FLYWHEEL_MEMORY_AVAILABLE, when set, replaces them all. nullopt when
/// nothing could be read. Throws RunError if FLYWHEEL_MEMORY_AVAILABLE is
/// not a number of bytes. Thread-safe.
std::optional<Available> available();

/// A run would need more memory than there is.
class InsufficientMemory : public RunError {
 public:
  using RunError::RunError;
};

/// "1.50 GiB", "12.0 MiB", "512 bytes".
std::string human_bytes(std::uint64_t bytes);

namespace detail {
/// The value of `key` (e.g. "MemAvailable") in /proc/meminfo-style text, in bytes.
std::optional<std::uint64_t> meminfo_value(const std::string& text, const std::string& key);
/// A cgroup limit file's value: nullopt for "max" or an unlimited-looking number.
std::optional<std::uint64_t> cgroup_limit(const std::string& text);
/// The memory cgroup of this process from /proc/self/cgroup text: v2 ("0::/path") or v1 ("N:memory:/path").
std::string cgroup_path(const std::string& text, bool v2);
}  // namespace detail

}  // namespace flywheel::memory
