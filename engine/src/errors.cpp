#include "flywheel/engine/errors.hpp"

#include <cstdio>
#include <cstdlib>

namespace flywheel {

std::string SourceLocation::str() const {
  std::string s = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    s += ':' + std::to_string(line);
    if (column > 0) s += ':' + std::to_string(column);
  }
  return s;
}

ConfigError::ConfigError(SourceLocation where, std::string key_path, std::string problem)
    : std::runtime_error(where.str() + ": " + (key_path.empty() ? "" : key_path + ": ") + problem),
      where_(std::move(where)),
      key_path_(std::move(key_path)),
      problem_(std::move(problem)) {}

void assertion_failed(const char* expression, const char* file, int line) {
  std::fprintf(stderr, "flywheel: internal error: assertion '%s' failed at %s:%d\n", expression, file, line);
  std::abort();
}

}  // namespace flywheel
