# Compiler flags shared by every Liandan target (not third-party code).
add_library(liandan_flags INTERFACE)
# Commands and specs are aggregates initialized with their leading fields on purpose.
target_compile_options(liandan_flags INTERFACE -Wall -Wextra -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers
  # GCC 12 reports false positives inside its own AVX-512 intrinsics that Eigen instantiates.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
if(LIANDAN_FATAL_WARNINGS)
  target_compile_options(liandan_flags INTERFACE -Werror)
endif()
# Sanitizers apply to every target built here (third-party code compiled in, such as Dear ImGui,
# too), so a report can point anywhere in the process. UB is fatal: a test must fail on it.
if(LIANDAN_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(LIANDAN_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT LIANDAN_SANITIZE STREQUAL "")
  message(FATAL_ERROR "LIANDAN_SANITIZE must be address, thread or empty, not '${LIANDAN_SANITIZE}'")
endif()
if(LIANDAN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LIANDAN_FUZZ needs clang (libFuzzer): configure with the native-asan preset")
  endif()
  # Coverage instrumentation for every object; only the fuzz targets link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
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
  # Binaryen inlines every function that has one caller, whatever its size, at link time. GEMM's
  # micro-kernel then sat inside the driver with all of the small products' paths, and V8 spilled
  # its accumulators every iteration (512³: 25 GFLOP/s against 40–42). A big function keeps its own
  # body, so its hot loop gets registers of its own.
  add_link_options(-sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=300)
  if(LIANDAN_THREADS)
    add_compile_options(-pthread)
    add_link_options(-pthread)
  endif()
  # The page downloads all its code before its first frame: code off the training path (specs and
  # JSON, URLs, CLI11, ImGui, the views) is built for size where it is used; the training path, and
  # whatever loops over data, keeps -O3 (-Os there made W3 ten times slower).
  if(CMAKE_BUILD_TYPE STREQUAL "Release")
    set(LIANDAN_SIZE_OPTIONS -Os)
  endif()
elseif(LIANDAN_NATIVE_ARCH)
  add_compile_options(-march=native)
endif()
