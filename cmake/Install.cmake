# The installable Tusk (TUSK_INSTALL=ON): one shared libtusk.so built from the static module
# libraries, exporting only the public API (tusk::Pack, Scanner, Engine, ..., and the C API
# tusk_*), so that no ICU, simdjson, Vectorscan or yaml-cpp symbol or header reaches a
# consumer; the JIT module libtusk-jit.so (the only file linking LLVM, opened on first use);
# the headers, the `tusk` CLI, the stdlib data, a CMake package (find_package(Tusk) ->
# Tusk::tusk) and tusk.pc. scripts/test-install builds a consumer against it.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The installed library and CLI find the stdlib relative to themselves, so that a moved prefix
# still works; the build tree keeps using the source directory (compiler/front/driver.cpp).
file(RELATIVE_PATH tusk_stdlib_from_lib ${CMAKE_INSTALL_FULL_LIBDIR} ${CMAKE_INSTALL_FULL_DATADIR}/tusk/stdlib)
file(RELATIVE_PATH tusk_stdlib_from_bin ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_DATADIR}/tusk/stdlib)
set_source_files_properties(${PROJECT_SOURCE_DIR}/compiler/front/driver.cpp DIRECTORY ${PROJECT_SOURCE_DIR}/compiler/front
                            PROPERTIES COMPILE_DEFINITIONS
                            "TUSK_STDLIB_FROM_LIB=\"${tusk_stdlib_from_lib}\";TUSK_STDLIB_FROM_BIN=\"${tusk_stdlib_from_bin}\"")

# The JIT module (compiler/jit/native/) goes in <libdir>/tusk/; the loader looks for it relative
# to itself, as for the stdlib.
file(RELATIVE_PATH tusk_jit_from_lib ${CMAKE_INSTALL_FULL_LIBDIR} ${CMAKE_INSTALL_FULL_LIBDIR}/tusk/libtusk-jit.so)
file(RELATIVE_PATH tusk_jit_from_bin ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR}/tusk/libtusk-jit.so)
set_property(SOURCE ${PROJECT_SOURCE_DIR}/compiler/jit/jit_module.cpp DIRECTORY ${PROJECT_SOURCE_DIR}/compiler/jit
             APPEND PROPERTY COMPILE_DEFINITIONS
             "TUSK_JIT_MODULE_FROM_LIB=\"${tusk_jit_from_lib}\"" "TUSK_JIT_MODULE_FROM_BIN=\"${tusk_jit_from_bin}\"")

# Every object of the layers up to api/ goes in (the C API is referenced by no other object, so
# pulling archive members on demand would drop it); linking the libraries as well brings their
# third-party link interface, and their objects are already resolved. The workflow tools
# (tools/) are not in it: they are the CLI's.
set(tusk_shared_layers tusk_api tusk_runtime tusk_jit tusk_interp tusk_plan tusk_front tusk_dsl tusk_stdlib tusk_base)
set(tusk_shared_objects)
foreach(layer ${tusk_shared_layers})
  list(APPEND tusk_shared_objects $<TARGET_OBJECTS:${layer}>)
endforeach()
add_library(tusk_shared SHARED ${tusk_shared_objects})
target_link_libraries(tusk_shared PRIVATE ${tusk_shared_layers})
target_link_options(tusk_shared PRIVATE "-Wl,--version-script=${PROJECT_SOURCE_DIR}/cmake/tusk.map" -Wl,--no-undefined)
set_target_properties(tusk_shared PROPERTIES
                      OUTPUT_NAME tusk EXPORT_NAME tusk
                      VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
                      LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/tusk.map)
target_include_directories(tusk_shared INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(tusk_shared INTERFACE cxx_std_17)

install(TARGETS tusk_shared EXPORT TuskTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS tusk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS tusk_jit_native LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/tusk)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/api/include/tusk DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/stdlib/ DESTINATION ${CMAKE_INSTALL_DATADIR}/tusk/stdlib
        FILES_MATCHING PATTERN "*.tusk" PATTERN "*.yaml")

set(tusk_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/Tusk)
install(EXPORT TuskTargets NAMESPACE Tusk:: DESTINATION ${tusk_cmake_dir})
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/TuskConfig.cmake
     "include(\"\${CMAKE_CURRENT_LIST_DIR}/TuskTargets.cmake\")\n")
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/TuskConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/TuskConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/TuskConfigVersion.cmake
        DESTINATION ${tusk_cmake_dir})

# Relative to the .pc file, so that `cmake --install --prefix` anywhere gives a working file.
file(RELATIVE_PATH tusk_pc_to_prefix ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
configure_file(${PROJECT_SOURCE_DIR}/cmake/tusk.pc.in ${CMAKE_CURRENT_BINARY_DIR}/tusk.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tusk.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
