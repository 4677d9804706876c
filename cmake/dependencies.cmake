# Where each dependency comes from. Natively: Debian's -dev packages. For wasm: the same
# header-only packages, and SDL2 / Dear ImGui built from Debian's source packages by scripts/.

# Header-only libraries from Debian's /usr/include. Under em++ /usr/include itself must not be on
# the include path (it would pull glibc headers), so each library gets a folder of its own.
function(liandan_header_library name include_dir)
  add_library(${name} INTERFACE)
  if(EMSCRIPTEN)
    set(dir "${CMAKE_BINARY_DIR}/third_party_include/${name}")
    file(MAKE_DIRECTORY "${dir}")
    foreach(entry IN LISTS ARGN)
      file(CREATE_LINK "${include_dir}/${entry}" "${dir}/${entry}" SYMBOLIC)
    endforeach()
    target_include_directories(${name} SYSTEM INTERFACE "${dir}")
  else()
    target_include_directories(${name} SYSTEM INTERFACE "${include_dir}")
  endif()
endfunction()

if(NOT EXISTS /usr/include/eigen3/Eigen/Core OR NOT EXISTS /usr/include/nlohmann/json.hpp)
  message(FATAL_ERROR "Eigen or nlohmann-json is missing: run scripts/setup (apt-get install libeigen3-dev nlohmann-json3-dev)")
endif()
liandan_header_library(liandan_eigen /usr/include/eigen3 Eigen)
liandan_header_library(liandan_json /usr/include nlohmann)
liandan_header_library(liandan_cli11 /usr/include CLI)
liandan_header_library(liandan_stb /usr/include/stb stb_image.h stb_image_write.h)
target_compile_definitions(liandan_eigen INTERFACE EIGEN_DONT_PARALLELIZE)

# The third-party versions, from the one list scripts/ read too (NAME=VALUE lines).
file(STRINGS "${PROJECT_SOURCE_DIR}/cmake/versions.env" version_lines REGEX "^[A-Z0-9_]+=")
foreach(line IN LISTS version_lines)
  string(REGEX MATCH "^([A-Z0-9_]+)=(.*)$" _ "${line}")
  set(LIANDAN_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/cmake/versions.env")

# Dear ImGui 1.86 from Debian's source package, the same sources natively and in wasm; the folder
# is named as scripts/lib.sh's source_dir names it (Debian version without its epoch).
string(REGEX REPLACE "^[0-9]+:" "" imgui_folder_version "${LIANDAN_IMGUI_DEBIAN}")
set(LIANDAN_IMGUI_DIR "${LIANDAN_CACHE}/src/imgui-${imgui_folder_version}")
if(LIANDAN_BUILD_APP AND NOT EXISTS "${LIANDAN_IMGUI_DIR}/.fetched")
  message(STATUS "Fetching Dear ImGui and SDL2 sources (scripts/fetch-sources)")
  execute_process(COMMAND "${PROJECT_SOURCE_DIR}/scripts/fetch-sources" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "scripts/fetch-sources failed; Dear ImGui sources are needed for the app")
  endif()
endif()

# A C library built for wasm from Debian's source by scripts/build-wasm-dep, once per version and
# thread mode (cached outside the clone); sets <name>_prefix.
function(liandan_wasm_dep name)
  if(LIANDAN_THREADS)
    set(mode mt)
  else()
    set(mode st)
  endif()
  execute_process(COMMAND "${PROJECT_SOURCE_DIR}/scripts/build-wasm-dep" ${name} ${mode}
                  OUTPUT_VARIABLE prefix OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "scripts/build-wasm-dep ${name} ${mode} failed")
  endif()
  set(${name}_prefix "${prefix}" PARENT_SCOPE)
endfunction()

# zlib reads .gz data files (IDX). Natively Debian's zlib1g-dev.
add_library(liandan_zlib INTERFACE)
if(EMSCRIPTEN)
  liandan_wasm_dep(zlib)
  target_include_directories(liandan_zlib SYSTEM INTERFACE "${zlib_prefix}/include")
  target_link_libraries(liandan_zlib INTERFACE "${zlib_prefix}/lib/libz.a")
else()
  find_package(ZLIB REQUIRED)
  target_link_libraries(liandan_zlib INTERFACE ZLIB::ZLIB)
endif()

if(LIANDAN_BUILD_APP)
  if(EMSCRIPTEN)
    liandan_wasm_dep(sdl2) # minutes the first time
    add_library(liandan_sdl2 INTERFACE)
    target_include_directories(liandan_sdl2 SYSTEM INTERFACE "${sdl2_prefix}/include/SDL2")
    target_link_libraries(liandan_sdl2 INTERFACE "${sdl2_prefix}/lib/libSDL2.a")
    target_compile_definitions(liandan_sdl2 INTERFACE IMGUI_IMPL_OPENGL_ES3)
  else()
    find_package(SDL2 REQUIRED)
    find_package(OpenGL REQUIRED)
    add_library(liandan_sdl2 INTERFACE)
    target_link_libraries(liandan_sdl2 INTERFACE SDL2::SDL2 OpenGL::GL ${CMAKE_DL_LIBS})
  endif()

  add_library(liandan_imgui STATIC
    ${LIANDAN_IMGUI_DIR}/imgui.cpp ${LIANDAN_IMGUI_DIR}/imgui_draw.cpp
    ${LIANDAN_IMGUI_DIR}/imgui_tables.cpp ${LIANDAN_IMGUI_DIR}/imgui_widgets.cpp
    ${LIANDAN_IMGUI_DIR}/backends/imgui_impl_sdl.cpp ${LIANDAN_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
  target_include_directories(liandan_imgui SYSTEM PUBLIC ${LIANDAN_IMGUI_DIR} ${LIANDAN_IMGUI_DIR}/backends)
  target_link_libraries(liandan_imgui PUBLIC liandan_sdl2)
  target_compile_options(liandan_imgui PRIVATE ${LIANDAN_SIZE_OPTIONS})
  # Debian's sources drop misc/fonts; the built-in font still works and we load DejaVu on top.
  # IMGUI_ENABLE_TEST_ENGINE: ImGui reports every widget's label and rectangle to hooks the app
  # defines (shell/app/ui/widget_locator.cpp), so tests can click controls by their labels.
  # 32-bit indices: a big network's window holds over 65,536 vertices, and WebGL has no
  # glDrawElementsBaseVertex for ImGui to offset 16-bit ones (it drew garbage past that).
  target_compile_definitions(liandan_imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS IMGUI_ENABLE_TEST_ENGINE "ImDrawIdx=unsigned int")
  if(LIANDAN_SANITIZE STREQUAL "address")
    # ImGui 1.86's GL loader fills GL3WProcs.ptr[53] from 54 names (the union's struct has room for
    # them, so no memory is overrun); UBSan's bounds check would stop the app at start.
    target_compile_options(liandan_imgui PRIVATE -fno-sanitize=bounds)
  endif()
endif()

if(LIANDAN_BUILD_TESTS)
  if(EMSCRIPTEN)
    # GoogleTest from Debian's source copy, compiled with em++ and our flags.
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
    add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
  else()
    find_package(GTest REQUIRED)
  endif()
endif()
