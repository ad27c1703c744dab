// Privacy (issue 8): what Pickup Desk creates on disk is readable by the user only.
#include "core/config/paths.hpp"
#include "core/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#ifndef _WIN32
TEST_CASE("Store::open creates a missing data folder user-only (0700)") {
    testsupport::TempDir tmp;
    const std::filesystem::path dir = std::filesystem::path(tmp.path()) / "data" / "pickupdesk";
    auto store = core::store::Store::open((dir / "pickupdesk.db").string());
    REQUIRE(store.ok());
    const auto perms = std::filesystem::status(dir).permissions();
    CHECK((perms & std::filesystem::perms::all) == std::filesystem::perms::owner_all);
}

TEST_CASE("ensurePrivateDir makes new data and config folders 0700") {
    testsupport::TempDir tmp;
    for (const char* name : {"data", "config"}) {
        const std::string dir = tmp.file(name) + "/pickupdesk";
        REQUIRE(core::config::ensurePrivateDir(dir).ok());
        CHECK((std::filesystem::status(dir).permissions() & std::filesystem::perms::all) ==
              std::filesystem::perms::owner_all);
    }
}
#endif
