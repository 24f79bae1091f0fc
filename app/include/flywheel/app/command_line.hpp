#pragma once
// The command line this process was started with, for output files' CF
// `history` attribute (main() records it once, before anything runs).

#include <string>

namespace flywheel::app {

/// Records argv, words joined by spaces (quoted where they hold a blank).
void remember_command_line(int argc, const char* const* argv);
/// What remember_command_line recorded ("flywheel" if nothing was).
[[nodiscard]] const std::string& command_line();

}  // namespace flywheel::app
