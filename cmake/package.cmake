# Installation and the Debian package (make deb: cpack -G DEB in build-deb/).
# The paths are the ones a Debian server program uses, so a `cmake --install` on the machine
# itself lays out the same files as the package; packaging/ holds everything but the binary.

install(TARGETS portico RUNTIME DESTINATION bin)
install(FILES packaging/portico.service DESTINATION /lib/systemd/system)
install(FILES packaging/portico.conf DESTINATION /etc/portico
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES packaging/nginx-portico.conf DESTINATION share/doc/portico/examples)
install(FILES README.md DESTINATION share/doc/portico)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME portico)
set(CPACK_PACKAGE_VENDOR "Portico")
set(PORTICO_DEB_MAINTAINER "Portico maintainers <maintainers@portico.example>"
    CACHE STRING "The Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${PORTICO_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted customer portal server")
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "Portico is a customer portal: the people of a vendor's corporate customers sign"
  "in with a password and a mandatory second factor, and help themselves. One"
  "binary serves the portal, its JSON API and the staff console from SQLite or"
  "PostgreSQL; the package runs it as the systemd service portico.service, behind"
  "a TLS-terminating reverse proxy such as nginx.")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # portico_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # the shared libraries' packages, by dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, tzdata, fonts-dejavu-core, fonts-wqy-microhei")
# (the postinst's system user; time zones; the fonts of the PDFs, Chinese, Japanese and Korean too)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx, postgresql, sqlite3")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)  # maintainer scripts 0755, the rest 0644

include(CPack)
