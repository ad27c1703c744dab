# All third-party dependencies, found through their packages' CMake configs or pkg-config.
# On Windows/macOS the same names come from vcpkg (see vcpkg.json).
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)               # must precede Paho (its link interface names OpenSSL::SSL)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(CURL REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(date REQUIRED)                  # date::date-tz (GCC 12 has no std::chrono time zones)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  pkg_check_modules(SECRET REQUIRED IMPORTED_TARGET libsecret-1)
endif()
if(PD_BUILD_TESTS)
  find_package(doctest REQUIRED)
endif()
find_package(eclipse-paho-mqtt-c REQUIRED)   # eclipse-paho-mqtt-c::paho-mqtt3as (needs OpenSSL above)
# QR sheets (issue 6): QR symbols, cairo PDF/PNG/SVG, and CUPS printing on Linux/macOS.
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo cairo-pdf cairo-png cairo-svg)
option(PD_WITH_CUPS "Print through CUPS (Linux/macOS)" ON)
if(PD_WITH_CUPS AND NOT WIN32)
  find_package(Cups REQUIRED)                # Cups::Cups (Debian's libcups2-dev ships no cups.pc)
endif()
# Desktop app (issue 5): GLFW + OpenGL 3 + Dear ImGui 1.86 (Debian; imgui.pc adds -lstb only).
find_package(glfw3 3.3 REQUIRED)             # glfw
find_package(OpenGL REQUIRED)                # OpenGL::GL
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)  # PkgConfig::IMGUI (-limgui -lstb)
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)      # PkgConfig::STB (stb_image in libstb, for tests)
find_program(XVFB_RUN xvfb-run)              # desktop smoke tests run only where it exists
# USB board tests (issue 7): the libusb transport runs against an emulated device under umockdev (Linux).
if(PD_BUILD_TESTS AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
  pkg_check_modules(UMOCKDEV IMPORTED_TARGET umockdev-1.0)  # PkgConfig::UMOCKDEV; tests skipped without it
endif()
