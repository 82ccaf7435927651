# Project-wide compile options and the portico_library() helper.

set(PORTICO_WARNINGS -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual)
# GCC 12 at -O3 reports -Wrestrict inside libstdc++ for `"literal" + std::string` (GCC bug
# 105329, fixed in GCC 13): a false positive in the standard library's inlined code, not in ours.
# Only that warning, only on that compiler, only when optimizing at -O3.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND PORTICO_WARNINGS $<$<CONFIG:Release>:-Wno-restrict>)
endif()

if(PORTICO_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# portico_library(NAME <name> SOURCES <files…> DEPS <targets…>)
# Each folder of src/ is one static library; DEPS names only lower layers (see docs/architecture.md).
function(portico_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(portico_${ARG_NAME} STATIC ${ARG_SOURCES})
  target_include_directories(portico_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(portico_${ARG_NAME} PRIVATE ${PORTICO_WARNINGS})
  target_link_libraries(portico_${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()
include(cmake/embed.cmake)
