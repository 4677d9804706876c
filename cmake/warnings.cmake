# Compiler flags shared by every Liandan target (not third-party code).
add_library(liandan_flags INTERFACE)
target_compile_options(liandan_flags INTERFACE -Wall -Wextra -Wshadow -Wno-unused-parameter
  # GCC 12 reports false positives inside its own AVX-512 intrinsics that Eigen instantiates.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
if(LIANDAN_FATAL_WARNINGS)
  target_compile_options(liandan_flags INTERFACE -Werror)
endif()
if(LIANDAN_SANITIZE)
  target_compile_options(liandan_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(liandan_flags INTERFACE -fsanitize=address,undefined)
endif()

if(EMSCRIPTEN)
  # Every object in a threaded link must be built with -pthread, third-party code too, so these
  # are global, not per target. SIMD128 in both wasm builds.
  add_compile_options(-msimd128)
  if(LIANDAN_THREADS)
    add_compile_options(-pthread)
    add_link_options(-pthread)
  endif()
elseif(LIANDAN_NATIVE_ARCH)
  add_compile_options(-march=native)
endif()
