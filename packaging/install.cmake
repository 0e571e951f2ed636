# What `cmake --install` puts under the prefix, and the .deb cpack makes of
# it: the libraries (static; shared with SOVERSION), the public headers, the
# CLI, the resources the engine reads (share/yoshiki/, found at run time
# relative to the library or the program: src/api/resources.h), a CMake
# package (find_package(yoshiki CONFIG) → yoshiki::yoshiki), yoshiki.pc, the
# man page and bash completion; the Python package's rules are python/'s.
include(CMakePackageConfigHelpers)

set(YOSHIKI_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/yoshiki)
set(YOSHIKI_DATA_DIR ${CMAKE_INSTALL_DATADIR}/yoshiki)

set(yoshiki_libraries yoshiki)
if(TARGET yoshiki_shared)
  list(APPEND yoshiki_libraries yoshiki_shared)
endif()
install(TARGETS ${yoshiki_libraries} EXPORT yoshikiTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS yoshiki_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES
  ${PROJECT_SOURCE_DIR}/generator/include/yoshiki/yoshiki.h
  ${PROJECT_SOURCE_DIR}/generator/include/yoshiki/job.h
  ${PROJECT_SOURCE_DIR}/generator/include/yoshiki/export.h
  ${YOSHIKI_GENERATED_INCLUDE}/yoshiki/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/yoshiki)

# Exactly what an Engine and `yoshiki report` read: the catalogue and what it
# names (templates, schemas, code tables, field XSDs, font maps, the Senior
# Work Program's data). Samples stay in the source tree.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/templates ${PROJECT_SOURCE_DIR}/schemas
  DESTINATION ${YOSHIKI_DATA_DIR} PATTERN "*.md" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/fonts/fonts.xml ${PROJECT_SOURCE_DIR}/fonts/noto.xml
  DESTINATION ${YOSHIKI_DATA_DIR}/fonts)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/programs/senior-work/data
  DESTINATION ${YOSHIKI_DATA_DIR}/programs/senior-work)
# yoshiki serve's page and OpenAPI document.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web DESTINATION ${YOSHIKI_DATA_DIR})

install(FILES ${PROJECT_SOURCE_DIR}/packaging/yoshiki.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/yoshiki.bash-completion
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME yoshiki)

# CMake package. yoshiki::yoshiki is the shared library (only the public API
# exported); yoshiki::yoshiki_static the static one, whose private
# dependencies the config finds with pkg-config.
install(EXPORT yoshikiTargets NAMESPACE yoshiki:: DESTINATION ${YOSHIKI_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/packaging/yoshikiConfig.cmake.in
  ${PROJECT_BINARY_DIR}/packaging/yoshikiConfig.cmake INSTALL_DESTINATION ${YOSHIKI_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/packaging/yoshikiConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/packaging/yoshikiConfig.cmake
  ${PROJECT_BINARY_DIR}/packaging/yoshikiConfigVersion.cmake DESTINATION ${YOSHIKI_CMAKE_DIR})

# yoshiki.pc, relocatable: its prefix is found from its own folder.
file(RELATIVE_PATH YOSHIKI_PC_TO_PREFIX /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
string(REGEX REPLACE "/$" "" YOSHIKI_PC_TO_PREFIX "${YOSHIKI_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/packaging/yoshiki.pc.in ${PROJECT_BINARY_DIR}/packaging/yoshiki.pc
  @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/packaging/yoshiki.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# cpack -G DEB: one package, its shared-library dependencies found by
# dpkg-shlibdeps (dpkg-dev), the fonts the font map names declared.
set(CPACK_PACKAGE_NAME yoshiki)
set(CPACK_PACKAGE_VENDOR yoshiki)
set(CPACK_PACKAGE_CONTACT "yoshiki maintainers <yoshiki@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Japanese official forms: validate, typeset to PDF, read back (library and CLI)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-ipaexfont-gothic | fonts-noto-cjk, fonts-ipaexfont-mincho | fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libpodofo-dev, libharfbuzz-dev, libfreetype-dev, libicu-dev, libxml2-dev, zlib1g-dev, libdeflate-dev, libpoppler-cpp-dev")
# The Python package (python/) is built for this Python's ABI; pandas and
# Dask are optional there.
if(TARGET yoshiki_python)
  math(EXPR yoshiki_py_next "${Python3_VERSION_MINOR} + 1")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), python3 (<< ${Python3_VERSION_MAJOR}.${yoshiki_py_next})")
  string(APPEND CPACK_DEBIAN_PACKAGE_SUGGESTS ", python3-pandas, python3-distributed")
endif()
# Stripped executable and shared library (a static library is never
# stripped); gzip: xz takes a minute over the static library.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
include(CPack)
