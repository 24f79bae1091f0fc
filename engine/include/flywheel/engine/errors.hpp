#pragma once
// Error types. User errors (a bad config, a bad path) are ConfigError or
// RunError and reach the command line as one message; bugs are InternalError
// and FLYWHEEL_ASSERT failures.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

namespace flywheel {

/// Where in an input a problem was found. line and column are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  /// For a `--set key=value` override (then `file` reads "--set key=value"):
  /// its position among the overrides applied to the document, from 0. Lets
  /// a caller that made the overrides (a sweep) tell which one a ConfigError
  /// came from without parsing the message.
  std::optional<std::size_t> override_index{};

  /// "file:line:column", "file:line" or "file", whatever is known.
  [[nodiscard]] std::string str() const;
};

/// A configuration the user wrote is wrong. Carries where, which key, and what.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(SourceLocation where, std::string key_path, std::string problem);
  [[nodiscard]] const SourceLocation& where() const noexcept { return where_; }
  [[nodiscard]] const std::string& key_path() const noexcept { return key_path_; }
  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }

 private:
  SourceLocation where_;
  std::string key_path_;
  std::string problem_;
};

/// A run cannot start or go on for a reason outside the program (an
/// unwritable output path, a missing file, too little memory).
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A broken invariant: a bug in flywheel, never the user's fault.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void assertion_failed(const char* expression, const char* file, int line);

}  // namespace flywheel

/// Checks an invariant in every build type; a failure is a bug and aborts.
#define FLYWHEEL_ASSERT(expr) ((expr) ? static_cast<void>(0) : ::flywheel::assertion_failed(#expr, __FILE__, __LINE__))

#ifdef NDEBUG
#define FLYWHEEL_DEBUG_ASSERT(expr) static_cast<void>(0)
#else
/// Checks an invariant in debug builds only (hot paths).
#define FLYWHEEL_DEBUG_ASSERT(expr) FLYWHEEL_ASSERT(expr)
#endif
