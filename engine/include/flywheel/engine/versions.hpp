#pragma once
#include <string>
#include <utility>
#include <vector>

namespace flywheel {

/// (library, version) for every library that shapes a run's results: Boost's
/// distributions define the random numbers, so a result quotes them all.
std::vector<std::pair<std::string, std::string>> library_versions();

/// "flywheel 0.1.0 (git abc123)".
std::string version_line();

}  // namespace flywheel
