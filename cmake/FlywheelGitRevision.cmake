# Run at every build (not only at configure time), so that a binary built
# incrementally after a commit names that commit: writes OUTPUT, a source
# file defining flywheel::build::git_revision, touching it only when the
# revision changed. "-dirty" marks a build from modified tracked files.
# Usage: cmake -DSOURCE_DIR=<repo> -DOUTPUT=<file.cpp> -P FlywheelGitRevision.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE failed ERROR_QUIET)
if(failed OR NOT revision)
  set(revision "unknown")
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    string(APPEND revision "-dirty")
  endif()
endif()
set(text "// Generated at build time by cmake/FlywheelGitRevision.cmake.
#include \"flywheel/engine/version.hpp\"

namespace flywheel::build {
const char* const git_revision = \"${revision}\";
}  // namespace flywheel::build
")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUTPUT} "${text}")
endif()
