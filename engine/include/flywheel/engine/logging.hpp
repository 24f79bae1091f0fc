#pragma once
#include <string>
#include <vector>

namespace flywheel {

/// The log level names `--log-level` accepts.
const std::vector<std::string>& log_level_names();

/// Sends spdlog's default logger to stderr at `level` (one of log_level_names()).
void setup_logging(const std::string& level);

}  // namespace flywheel
