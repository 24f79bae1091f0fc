# Applies FLYWHEEL_SANITIZE to everything built below the top directory.
if(FLYWHEEL_SANITIZE)
  list(JOIN FLYWHEEL_SANITIZE "," _flywheel_sanitizers)
  add_compile_options(-fsanitize=${_flywheel_sanitizers} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_flywheel_sanitizers})
endif()
