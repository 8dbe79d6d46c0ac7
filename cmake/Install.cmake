# `cmake --install`: the two tools, the runtime library with its headers,
# the CMake package (find_package(nubpf)), a pkg-config file and Make rules
# for other build systems, and the docs.
include(CMakePackageConfigHelpers)

install(TARGETS nubpfc nubpf_runtime EXPORT nubpfTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS nubpf-run RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY runtime/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/nubpf/runtime
  FILES_MATCHING PATTERN "*.h")

set(package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/nubpf)
install(EXPORT nubpfTargets NAMESPACE nubpf:: DESTINATION ${package_dir})
configure_package_config_file(cmake/nubpfConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/nubpfConfig.cmake INSTALL_DESTINATION ${package_dir})
# Until 1.0, a minor version may change the object format, so only the
# same minor version matches.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/nubpfConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/nubpfConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/nubpfConfigVersion.cmake
  cmake/NubpfProbe.cmake
  DESTINATION ${package_dir})

# The pkg-config file finds the prefix from its own folder, so that it stays
# right for `cmake --install --prefix DIR`, which chooses the prefix after
# configuring.
file(RELATIVE_PATH pkgconfig_to_prefix "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(cmake/nubpf.pc.in ${CMAKE_CURRENT_BINARY_DIR}/nubpf.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/nubpf.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES cmake/nubpf.mk DESTINATION ${CMAKE_INSTALL_DATADIR}/nubpf)

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
