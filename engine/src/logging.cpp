#include "flywheel/engine/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace flywheel {

const std::vector<std::string>& log_level_names() {
  static const std::vector<std::string> names = {"trace", "debug", "info", "warn", "error", "off"};
  return names;
}

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("flywheel");
  // ISO 8601 with the zone: batch logs are read days later and on other machines.
  logger->set_pattern("%^[%Y-%m-%dT%H:%M:%S%z %l]%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace flywheel
