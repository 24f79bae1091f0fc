# flywheel_warnings(TARGET): the project's warning set, on every target we build.
function(flywheel_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                         -Woverloaded-virtual
                         -Wformat=2
                         -Wimplicit-fallthrough)
  if(FLYWHEEL_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
