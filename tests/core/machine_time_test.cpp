#include "core/tz/machine_time.hpp"

#include <doctest/doctest.h>

using namespace core::tz;

namespace {

std::string utcOf(const char* local, const char* zone, Ambiguity a = Ambiguity::Reject) {
    auto r = localToUtc(local, zone, a);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return toIso8601Utc(*r);
}

std::string errorOf(const char* local, const char* zone) {
    auto r = localToUtc(local, zone);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == core::ErrorCode::InvalidInput);
    return r.error().message;
}

}  // namespace

TEST_CASE("Asia/Shanghai: machine time equals the GMT+8 request string") {
    CHECK(utcOf("2024-12-24 13:00", "Asia/Shanghai") == "2024-12-24T05:00:00Z");
    const Instant t = *localToUtc("2024-12-24 13:00:00", "Asia/Shanghai");
    CHECK(toGmt8String(t) == "2024-12-24 13:00:00");
    CHECK(formatInZone(t, "Asia/Shanghai") == "2024-12-24 13:00:00");
}

TEST_CASE("Asia/Kolkata: half-hour offset") {
    CHECK(utcOf("2024-06-01 10:00", "Asia/Kolkata") == "2024-06-01T04:30:00Z");
    const Instant t = *localToUtc("2024-06-01 10:00", "Asia/Kolkata");
    CHECK(toGmt8String(t) == "2024-06-01 12:30:00");
    CHECK(utcOffsetSeconds(t, "Asia/Kolkata") == 19800);
}

TEST_CASE("America/New_York: standard and daylight time convert to GMT+8") {
    const Instant winter = *localToUtc("2025-01-15 09:00", "America/New_York");
    CHECK(toIso8601Utc(winter) == "2025-01-15T14:00:00Z");
    CHECK(toGmt8String(winter) == "2025-01-15 22:00:00");
    CHECK(utcOf("2025-07-04 09:00", "America/New_York") == "2025-07-04T13:00:00Z");
}

TEST_CASE("America/New_York: the spring-forward gap is refused") {
    const std::string message = errorOf("2024-03-10 02:30", "America/New_York");
    CHECK(message.find("does not exist") != std::string::npos);
    CHECK(utcOf("2024-03-10 01:59:59", "America/New_York") == "2024-03-10T06:59:59Z");
    CHECK(utcOf("2024-03-10 03:00", "America/New_York") == "2024-03-10T07:00:00Z");
}

TEST_CASE("America/New_York: the fall-back hour is ambiguous unless a choice is made") {
    const std::string message = errorOf("2024-11-03 01:30", "America/New_York");
    CHECK(message.find("twice") != std::string::npos);
    CHECK(utcOf("2024-11-03 01:30", "America/New_York", Ambiguity::Earliest) == "2024-11-03T05:30:00Z");
    CHECK(utcOf("2024-11-03 01:30", "America/New_York", Ambiguity::Latest) == "2024-11-03T06:30:00Z");
}

TEST_CASE("Australia/Lord_Howe: 30-minute daylight saving shift") {
    // Standard +10:30, daylight +11:00; clocks go 02:00 -> 02:30 on 2024-10-06, 02:00 -> 01:30 on 2024-04-07.
    CHECK(utcOf("2024-07-01 12:00", "Australia/Lord_Howe") == "2024-07-01T01:30:00Z");
    CHECK(utcOf("2024-12-01 12:00", "Australia/Lord_Howe") == "2024-12-01T01:00:00Z");
    errorOf("2024-10-06 02:15", "Australia/Lord_Howe");
    errorOf("2024-04-07 01:45", "Australia/Lord_Howe");
    CHECK(utcOf("2024-04-07 01:45", "Australia/Lord_Howe", Ambiguity::Earliest) == "2024-04-06T14:45:00Z");
    CHECK(utcOf("2024-04-07 01:45", "Australia/Lord_Howe", Ambiguity::Latest) == "2024-04-06T15:15:00Z");
}

TEST_CASE("Pacific/Chatham: +12:45 standard and +13:45 daylight") {
    const Instant winter = *localToUtc("2024-07-01 12:00", "Pacific/Chatham");
    CHECK(toIso8601Utc(winter) == "2024-06-30T23:15:00Z");
    CHECK(utcOffsetSeconds(winter, "Pacific/Chatham") == 12 * 3600 + 45 * 60);
    const Instant summer = *localToUtc("2024-01-01 12:00", "Pacific/Chatham");
    CHECK(toIso8601Utc(summer) == "2023-12-31T22:15:00Z");
    CHECK(toGmt8String(summer) == "2024-01-01 06:15:00");
    errorOf("2024-09-29 03:00", "Pacific/Chatham");
    CHECK(formatInZone(summer, "Pacific/Chatham") == "2024-01-01 12:00:00");
}

TEST_CASE("wall-clock input is parsed strictly") {
    CHECK(errorOf("2024-1-1 10:00", "Asia/Shanghai").find("YYYY-MM-DD") != std::string::npos);
    errorOf("2024-02-30 10:00", "Asia/Shanghai");
    errorOf("2024-02-01 24:00", "Asia/Shanghai");
    errorOf("tomorrow", "Asia/Shanghai");
    CHECK(utcOf("2024-02-29 23:59:59", "UTC") == "2024-02-29T23:59:59Z");
    auto unknown = localToUtc("2024-01-01 00:00", "Mars/Olympus");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message.find("Mars/Olympus") != std::string::npos);
}

TEST_CASE("epochs of 1e12 and more are milliseconds") {
    CHECK(normalizeEpoch(1761223897334) == 1761223897);
    CHECK(normalizeEpoch(1761223897) == 1761223897);
    CHECK(normalizeEpoch(999999999999) == 999999999999);
    CHECK(normalizeEpoch(1000000000000) == 1000000000);
}

TEST_CASE("vendor times: GMT+8 string, epoch seconds or epoch milliseconds") {
    // The gRPC example: expired_at 1761223897334 ms with expired_day 2025-10-23 20:51:37 (+08).
    CHECK(toIso8601Utc(*parseVendorTime("2025-10-23 20:51:37")) == "2025-10-23T12:51:37Z");
    CHECK(toIso8601Utc(*parseVendorTime("1761223897334")) == "2025-10-23T12:51:37Z");
    CHECK(toIso8601Utc(*parseVendorTime("1761223897")) == "2025-10-23T12:51:37Z");
    CHECK_FALSE(parseVendorTime("23/10/2025").ok());
    CHECK_FALSE(parseVendorTime("").ok());
    CHECK(*parseGmt8String("2025-10-23 20:51:37") == *parseVendorTime("1761223897"));
}

TEST_CASE("zones: validity and the computer's zone") {
    CHECK(isValidZone("Asia/Shanghai"));
    CHECK(isValidZone("Pacific/Chatham"));
    CHECK_FALSE(isValidZone(""));
    CHECK_FALSE(isValidZone("Asia/Nowhere"));
    CHECK(isValidZone(localZoneName()));
    CHECK(formatInZone(0, "Not/AZone") == "1970-01-01 00:00:00");
}
