// Regression tests for inputs the fuzz targets (fuzz/) found. Each case names its target.
#include "hw/services/provisioning.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

std::string errorOf(const std::string& file) {
    auto p = hw::services::parseProvisioning(file);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == core::ErrorCode::InvalidInput);
    return p.error().message;
}

}  // namespace

TEST_CASE("fuzz provisioning: wrong value types in a channel are refused with the reason, never thrown") {
    // Crash input: "type": false made json::value() throw type_error out of parseProvisioning.
    CHECK(errorOf(R"({"channels": [{"addr": 1, "slot": 0, "type": false}]})").find("channel type") != std::string::npos);
    CHECK(errorOf(R"({"channels": [{"addr": "1", "slot": 0}]})").find("channel addr must be a whole number") !=
          std::string::npos);
    CHECK(errorOf(R"({"channels": [{"slot": 1.5}]})").find("channel slot") != std::string::npos);
    CHECK(errorOf(R"({"channels": [{"slot": 1, "lift": "yes"}]})").find("channel lift must be true or false") !=
          std::string::npos);
    // An address that wraps to 1 as a 32-bit int is still out of range.
    CHECK(errorOf(R"({"channels": [{"addr": 4294967297, "slot": 1}]})").find("addr must be 1-8") != std::string::npos);
    auto ok = hw::services::parseProvisioning(R"({"channels": [{"addr": 2, "slot": 11, "type": "belt", "lift": true}]})");
    REQUIRE(ok.ok());
    REQUIRE(ok->channels.size() == 1);
    CHECK(ok->channels[0].addr == 2);
    CHECK(ok->channels[0].slot == 11);
    CHECK(ok->channels[0].lift);
}
