#include "core/api/reply_parse.hpp"
#include "core/tz/machine_time.hpp"

#include <doctest/doctest.h>

using core::api::parseEnvelope;
using core::net::HttpResponse;
using nlohmann::json;

namespace {
HttpResponse reply(long status, std::string body, std::string type = "application/json") {
    return HttpResponse{status, std::move(type), std::move(body)};
}
}  // namespace

TEST_CASE("envelope: code 0 with data is success") {
    auto r = parseEnvelope(reply(200, R"({"code":0,"message":"ok","data":"pong"})"));
    REQUIRE(r.ok());
    CHECK(*r == "pong");
    auto empty = parseEnvelope(reply(200, R"({"code":"0","message":"ok"})"));
    REQUIRE(empty.ok());
    CHECK(empty->is_null());
}

TEST_CASE("envelope: code 0 with an error text is not success") {
    auto r = parseEnvelope(reply(200, R"({"code":0,"message":"sorry, record not found","data":{}})"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == core::ErrorCode::Vendor);
}

TEST_CASE("envelope: vendor codes become vendor errors with the catalogue message") {
    auto r = parseEnvelope(reply(200, R"({"code":10023,"message":"取货码功能尚未开启","data":{}})"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == core::ErrorCode::Vendor);
    CHECK(r.error().vendorCode == 10023);
    CHECK(r.error().vendorMessage == "取货码功能尚未开启");
    CHECK(r.error().message.find("10023") != std::string::npos);
    auto unknown = parseEnvelope(reply(200, R"({"code":77777,"message":"brand new failure"})"));
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().vendorCode == 77777);
    CHECK(unknown.error().message.find("brand new failure") != std::string::npos);
}

TEST_CASE("envelope: 401 with the vendor body keeps the vendor code and the status") {
    auto r = parseEnvelope(reply(401, R"({"code":10008,"message":"appid or appsecret is empty"})"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == core::ErrorCode::Vendor);
    CHECK(r.error().vendorCode == 10008);
    CHECK(r.error().httpStatus == 401);
    auto bare = parseEnvelope(reply(401, "Unauthorized", "text/plain"));
    REQUIRE_FALSE(bare.ok());
    CHECK(bare.error().code == core::ErrorCode::Http);
    CHECK(bare.error().message.find("Appid") != std::string::npos);
}

TEST_CASE("envelope: HTML pages, 5xx and non-JSON are HTTP or protocol errors") {
    auto html = parseEnvelope(reply(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"));
    REQUIRE_FALSE(html.ok());
    CHECK(html.error().code == core::ErrorCode::Http);
    CHECK(html.error().httpStatus == 502);
    CHECK(html.error().message.find("web page") != std::string::npos);
    auto htmlAs200 = parseEnvelope(reply(200, "  <!DOCTYPE html><html></html>", "application/octet-stream"));
    CHECK(htmlAs200.error().code == core::ErrorCode::Http);
    auto down = parseEnvelope(reply(503, "Service Unavailable", "text/plain"));
    CHECK(down.error().code == core::ErrorCode::Http);
    CHECK(down.error().httpStatus == 503);
    auto garbage = parseEnvelope(reply(200, "{\"unexpected\":true}"));
    CHECK(garbage.error().code == core::ErrorCode::Protocol);
}

TEST_CASE("machines parse with optional fields and bool or string flags") {
    const auto data = json::parse(R"([
      {"machine_name":"上海静安寺店","machine_no":"16327138","is_online":true,"address":"静安区"},
      {"machine_name":"NYC","machine_no":20240601,"is_online":"0"},
      {"machine_name":"no number"}])");
    const auto machines = core::api::parseMachines(data);
    REQUIRE(machines.size() == 2);
    CHECK(machines[0].name == "上海静安寺店");
    CHECK(machines[0].online);
    CHECK(machines[1].machineNo == "20240601");
    CHECK_FALSE(machines[1].online);
}

TEST_CASE("product pages parse nested good, channel and category") {
    const auto data = json::parse(R"({"data":[{"id":501,"current_inventory":"4","inventory":10,
        "category":{"id":1,"title":"饮料"},"good":{"name":"可口可乐 330ml","price":"3.50"},
        "channel":{"name":"A11","cabinet_name":"A","code":"000","x":0,"y":0,"addr":1}}],
        "total":23,"current_page":1,"last_page":3,"per_page":10})");
    auto page = core::api::parseProductPage(data, "16327138");
    REQUIRE(page.ok());
    CHECK(page->lastPage == 3);
    CHECK(page->total == 23);
    REQUIRE(page->items.size() == 1);
    const auto& p = page->items[0];
    CHECK(p.id == 501);
    CHECK(p.name == "可口可乐 330ml");
    CHECK(p.price == "3.50");
    CHECK(p.channel == "A11");
    CHECK(p.capacity == 10);
    CHECK(p.currentInventory == 4);
    CHECK(p.category == "饮料");
    CHECK(p.machineNo == "16327138");
}

TEST_CASE("unused code lists accept GMT+8 strings, epoch seconds and epoch milliseconds") {
    const auto data = json::parse(R"([
      {"id":1,"code":"123456","status":"UNUSED","created_at":"2025-10-23 20:51:37","expired_at":"2025-10-24 20:51:37","quantity":1},
      {"id":"2","code":"654321","status":"UNUSED","created_at":"1761223897","expired_at":1761310297000,"quantity":"2"},
      {"id":3,"code":"111111","status":"UNUSED","created_at":"1761223897334"}])");
    auto codes = core::api::parseUnusedCodes(data, "16327138", 501);
    REQUIRE(codes.ok());
    REQUIRE(codes->size() == 3);
    const auto& c = *codes;
    CHECK(core::tz::toIso8601Utc(*c[0].createdUtc) == "2025-10-23T12:51:37Z");
    CHECK(core::tz::toIso8601Utc(*c[0].expiresUtc) == "2025-10-24T12:51:37Z");
    CHECK(*c[1].createdUtc == *c[0].createdUtc);
    CHECK(*c[1].expiresUtc == *c[0].expiresUtc);
    CHECK(c[1].quantity == 2);
    CHECK(*c[2].createdUtc == *c[0].createdUtc);
    CHECK_FALSE(c[2].expiresUtc.has_value());  // absent = permanent
    CHECK(c[2].productId == 501);
}

TEST_CASE("unused code lists reject unreadable entries instead of guessing") {
    CHECK_FALSE(core::api::parseUnusedCodes(json::parse(R"([{"id":1,"code":"1","expired_at":"soon"}])"), "m", 1).ok());
    CHECK_FALSE(core::api::parseUnusedCodes(json::parse(R"([{"code":"1"}])"), "m", 1).ok());
    CHECK_FALSE(core::api::parseUnusedCodes(json::parse(R"({"id":1})"), "m", 1).ok());
    auto none = core::api::parseUnusedCodes(json(nullptr), "m", 1);
    REQUIRE(none.ok());
    CHECK(none->empty());
}
