# Compiler flags shared by every Liandan target (not third-party code).
add_library(liandan_flags INTERFACE)
# Commands and specs are aggregates initialized with their leading fields on purpose.
target_compile_options(liandan_flags INTERFACE -Wall -Wextra -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers
  # GCC 12 reports false positives inside its own AVX-512 intrinsics that Eigen instantiates.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
if(LIANDAN_FATAL_WARNINGS)
  target_compile_options(liandan_flags INTERFACE -Werror)
endif()
if(LIANDAN_SANITIZE)
  target_compile_options(liandan_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(liandan_flags INTERFACE -fsanitize=address,undefined)
endif()

# sqrt and exp need not set errno: without this, loops over them (Adam, RMSprop) do not vectorize.
add_compile_options(-fno-math-errno)

if(EMSCRIPTEN)
  # Every object in a threaded link must be built with -pthread, third-party code too, so these
  # are global, not per target. SIMD128 in both wasm builds.
  # Errors on user input are C++ exceptions (a refused spec must not abort the page). Emscripten
  # 3.1.6's native wasm exceptions (-fwasm-exceptions) fail to catch anything once -pthread is on,
  # so both builds use its JavaScript-based exception catching.
  add_compile_options(-msimd128 -fexceptions)
  add_link_options(-fexceptions)
  if(LIANDAN_THREADS)
    add_compile_options(-pthread)
    add_link_options(-pthread)
  endif()
elseif(LIANDAN_NATIVE_ARCH)
  add_compile_options(-march=native)
endif()
