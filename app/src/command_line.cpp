#include "flywheel/app/command_line.hpp"

#include <string_view>

namespace flywheel::app {
namespace {

std::string& recorded() {
  static std::string text = "flywheel";
  return text;
}

}  // namespace

void remember_command_line(int argc, const char* const* argv) {
  std::string text;
  for (int i = 0; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (i > 0) text += ' ';
    const bool quote = word.empty() || word.find_first_of(" \t'\"") != std::string_view::npos;
    if (quote) text += '\'';
    text += word;
    if (quote) text += '\'';
  }
  recorded() = std::move(text);
}

const std::string& command_line() { return recorded(); }

}  // namespace flywheel::app
