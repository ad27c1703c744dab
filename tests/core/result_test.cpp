#include "core/util/result.hpp"

#include <doctest/doctest.h>

#include <memory>

TEST_CASE("Result holds a value or an error") {
    core::Result<int> good = 42;
    REQUIRE(good.ok());
    CHECK(*good == 42);
    core::Result<int> bad = core::makeError(core::ErrorCode::Vendor, "nope");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == core::ErrorCode::Vendor);
    CHECK(bad.error().message == "nope");
    CHECK_FALSE(bad.error().requestSent);
}

TEST_CASE("Result moves move-only values out") {
    core::Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
    std::unique_ptr<int> p = std::move(r).value();
    REQUIRE(p);
    CHECK(*p == 7);
}

TEST_CASE("Status is ok by default and carries an error otherwise") {
    core::Status ok;
    CHECK(ok.ok());
    core::Status failed = core::makeError(core::ErrorCode::Storage, "disk full");
    CHECK_FALSE(failed.ok());
    CHECK(std::string(core::errorCodeName(failed.error().code)) == "storage");
}
