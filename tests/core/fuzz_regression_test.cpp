// Regression tests for inputs the fuzz targets (fuzz/) found. Each case names its target.
#include "core/api/reply_parse.hpp"
#include "core/export/sheet_template.hpp"
#include "core/tz/machine_time.hpp"

#include <doctest/doctest.h>

TEST_CASE("fuzz user_time: vendor epochs past year 9999 are refused, not turned into unprintable instants") {
    // Crash input: 17 digits read as milliseconds gave year ~328000, whose GMT+8 string did not parse back.
    auto huge = core::tz::parseVendorTime("10312012897287334");
    REQUIRE_FALSE(huge.ok());
    CHECK(huge.error().code == core::ErrorCode::Protocol);
    CHECK(huge.error().message.find("out of range") != std::string::npos);
    // The last instant that still has a GMT+8 string round-trips.
    auto last = core::tz::parseVendorTime("253402271999");
    REQUIRE(last.ok());
    CHECK(core::tz::toGmt8String(*last) == "9999-12-31 23:59:59");
    CHECK(*core::tz::parseGmt8String(core::tz::toGmt8String(*last)) == *last);
    CHECK_FALSE(core::tz::parseVendorTime("253402272000").ok());
}

TEST_CASE("fuzz label_template: huge grid sizes are refused instead of overflowing int") {
    // Crash input: grid=1x9999999991 cast a double above INT_MAX to int (UBSan).
    auto spec = core::exporter::parseGridSpec("page=85x40,label=550x30,grid=1x30,grid=1x9999999991");
    REQUIRE_FALSE(spec.ok());
    CHECK(spec.error().message.find("whole numbers from 1 to 1000") != std::string::npos);
    CHECK_FALSE(core::exporter::parseGridSpec("page=210x297,label=60x30,grid=2.5x3").ok());
    auto json = core::exporter::parseTemplateJson(
        R"({"name":"x","page_width_mm":210,"page_height_mm":297,"label_width_mm":10,"label_height_mm":10,"columns":1e10})",
        "test.json");
    REQUIRE_FALSE(json.ok());
    CHECK(json.error().message.find("columns and rows") != std::string::npos);
    CHECK(core::exporter::parseGridSpec("page=210x297,label=60x30,grid=3x8").ok());
}

TEST_CASE("fuzz reply_parse: numbers too large for 64 bits fall back instead of overflowing") {
    // Crash input: {"code":6.006e61} cast a double far above INT64_MAX to int64 (UBSan).
    const auto big = nlohmann::json::parse(R"({"code":6.00622e61,"n":-1e300,"ok":42.0})");
    CHECK(core::api::jsonInt(big, "code", -7) == -7);
    CHECK(core::api::jsonInt(big, "n", 3) == 3);
    CHECK(core::api::jsonInt(big, "ok") == 42);
    core::net::HttpResponse reply{200, "application/json", R"({"code":6006222222222222222222222222222222222222222222222222222222222274274})"};
    auto r = core::api::parseEnvelope(reply);
    CHECK_FALSE(r.ok());
}

TEST_CASE("reply_parse: an envelope code that does not fit an int is an error, never success") {
    core::net::HttpResponse reply{200, "application/json", R"({"code":4294967296,"message":"ok","data":{}})"};
    CHECK_FALSE(core::api::parseEnvelope(reply).ok());
}
