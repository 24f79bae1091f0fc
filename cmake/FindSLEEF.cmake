# SLEEF (vectorised elementary functions; Debian's libsleef-dev) ships no
# CMake package; this finds its header and library and provides SLEEF::SLEEF.
find_path(SLEEF_INCLUDE_DIR NAMES sleef.h)
find_library(SLEEF_LIBRARY NAMES sleef)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SLEEF REQUIRED_VARS SLEEF_INCLUDE_DIR SLEEF_LIBRARY)
if(SLEEF_FOUND AND NOT TARGET SLEEF::SLEEF)
  add_library(SLEEF::SLEEF UNKNOWN IMPORTED)
  set_target_properties(SLEEF::SLEEF PROPERTIES
                        IMPORTED_LOCATION "${SLEEF_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${SLEEF_INCLUDE_DIR}")
endif()
mark_as_advanced(SLEEF_INCLUDE_DIR SLEEF_LIBRARY)
