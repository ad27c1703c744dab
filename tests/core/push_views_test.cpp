// Typed push views, labels, summaries, JSON shape and the §10 timezone check (core/protocol).
#include "pd_test_paths.hpp"
#include "core/protocol/push_message.hpp"
#include "core/util/base64.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using core::Lang;
using core::protocol::decodePush;
using core::protocol::PickupCodeCreate;
using core::protocol::Verification;
using core::sign::Encoding;
using nlohmann::json;

namespace {

constexpr const char* kKey = "views-test-key";

core::protocol::PushMessage decodeFixture(const std::string& name) {
    std::ifstream in(std::string(PD_TEST_DATA_DIR) + "/pushes/" + name);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    const json object = json::parse(text.str());
    core::sign::Params params;
    for (const auto& [k, v] : object.items()) params[k] = v.is_string() ? v.get<std::string>() : v.dump();
    return decodePush(core::protocol::encodePush(params, kKey, Encoding::Raw), "/clients/16327138", kKey, Encoding::Raw);
}

PickupCodeCreate createAt(const std::string& localDay, const std::string& zone, bool millis) {
    const auto utc = core::tz::localToUtc(localDay, zone);
    REQUIRE(utc.ok());
    PickupCodeCreate c;
    c.expiredAtRaw = millis ? utc.value() * 1000 + 334 : utc.value();
    c.expiresUtc = core::tz::normalizeEpoch(*c.expiredAtRaw);
    c.expiredDay = localDay;
    return c;
}

}  // namespace

TEST_CASE("push views: delete and put") {
    const auto del = decodeFixture("delete.json");
    CHECK(del.verification == Verification::Valid);
    REQUIRE(del.del);
    CHECK(del.del->id == 16327138);
    CHECK(core::protocol::summarize(del, Lang::En) == "Pickup code deleted: id 16327138");
    CHECK(core::protocol::summarize(del, Lang::Zh) == "取货码删除: id 16327138");
    const auto put = decodeFixture("put.json");
    REQUIRE(put.put);
    CHECK(put.put->id == 16327138);
    CHECK(put.put->used == true);
    CHECK(core::protocol::summarize(put, Lang::En) == "Pickup code used: id 16327138 used");
}

TEST_CASE("push views: channel debugging") {
    const auto m = decodeFixture("channel_debugging.json");
    REQUIRE(m.debugging);
    CHECK(m.debugging->floorType == 1);
    CHECK(m.debugging->isLp == false);
    CHECK(m.debugging->isDc == true);
    CHECK(m.debugging->code == 12);
    CHECK(m.debugging->addr == 3);
    CHECK(m.debugging->orderType == "test");
    CHECK(core::protocol::summarize(m, Lang::En) ==
          "Test dispense: board 3 channel 12 spring motor lift no drop detection yes order test");
    CHECK(core::protocol::summarize(m, Lang::Zh) == "设备测试出货: 板卡 3 货道 12 弹簧电机 升降台 无 掉货检测 有 订单类型 test");
    CHECK(std::string(core::protocol::floorTypeLabel(2, Lang::En)) == "e-lock");
    CHECK(std::string(core::protocol::floorTypeLabel(3, Lang::Zh)) == "履带");
}

TEST_CASE("push views: channel status and its labels") {
    const auto m = decodeFixture("channel_status.json");
    REQUIRE(m.channelStatus);
    CHECK(m.channelStatus->productId == 1);
    CHECK(m.channelStatus->floorStatus == 2);
    CHECK(m.channelStatus->lockStatus == 1);
    CHECK(core::protocol::summarize(m, Lang::En) == "Channel and lock status: product 1 channel jammed lock closed");
    CHECK(core::protocol::summarize(m, Lang::Zh) == "货道与门锁状态上报: 商品 1 货道 卡货 门锁 关锁");
    CHECK(std::string(core::protocol::floorStatusLabel(47, Lang::En)) == "serial timeout");
    CHECK(std::string(core::protocol::floorStatusLabel(0, Lang::Zh)) == "货道不存在");
    CHECK(std::string(core::protocol::floorStatusLabel(99, Lang::En)) == "unknown error");
    CHECK(std::string(core::protocol::lockStatusLabel(-1, Lang::En)) == "no lock");
    CHECK(std::string(core::protocol::lockStatusLabel(0, Lang::Zh)) == "开锁");
    CHECK(std::string(core::protocol::lockStatusLabel(2, Lang::En)) == "fault");
    const json view = core::protocol::pushJson(m)["view"];
    CHECK(view["type"] == "channel_status");
    CHECK(view["floor_status_label"] == "jammed");
    CHECK(view["lock_status_label"] == "closed");
}

TEST_CASE("push views: fault clear lists the products") {
    const auto m = decodeFixture("fault_clear.json");
    REQUIRE(m.faultClear);
    CHECK(m.faultClear->productIds == std::vector<std::int64_t>{1, 2, 3});
    CHECK(m.faultClear->floorStatus == 1);
    CHECK(core::protocol::summarize(m, Lang::En) == "Channel faults cleared: products 1,2,3");
}

TEST_CASE("push views: create summary and JSON") {
    const auto m = decodeFixture("seed_create.json");
    CHECK(core::protocol::summarize(m, Lang::Zh) == "取货码生成: 取货码 16327138 商品 20001 数量 1 过期 2025-10-23 20:51:37");
    CHECK(core::protocol::summarize(m, Lang::En) ==
          "Pickup codes created: code 16327138 product 20001 qty 1 expires 2025-10-23 20:51:37");
    const json j = core::protocol::pushJson(m);
    CHECK(j["verification"] == "valid");
    CHECK(j["form"] == "base64");
    CHECK(j["topic"] == "/clients/16327138");
    CHECK(j["method"] == "client.pickup_codes.create");
    CHECK(j["label_zh"] == "取货码生成");
    CHECK(j["direction"] == "server_to_device");
    CHECK(j["machine_no"] == "16327138");
    CHECK(j["machine_id"] == 10009);
    CHECK(j["fields"]["expired_day"] == "2025-10-23 20:51:37");
    CHECK(j["view"]["code"] == "16327138");
    CHECK(j["view"]["expires_utc"] == "2025-05-27T09:59:59Z");
    CHECK(j["view"]["inferred_utc_offset"].is_null());
    CHECK_FALSE(j.contains("decode_error"));

    const auto bad = decodePush("!!", "/clients/1", kKey, Encoding::Raw);
    const json u = core::protocol::pushJson(bad);
    CHECK(u["verification"] == "undecodable");
    CHECK(u["decode_error"] == "not Base64");
    CHECK(u["payload"] == "!!");
    CHECK(u["machine_no"] == "");
    CHECK(core::protocol::summarize(bad, Lang::En) == "Undecodable push: not Base64");
}

TEST_CASE("push views: ms vs s expired_at") {
    PickupCodeCreate seconds = createAt("2025-10-23 20:51:37", "Asia/Shanghai", false);
    PickupCodeCreate millis = createAt("2025-10-23 20:51:37", "Asia/Shanghai", true);
    CHECK(*seconds.expiredAtRaw == 1761223897);
    CHECK(*millis.expiredAtRaw == 1761223897334);
    CHECK(seconds.expiresUtc == millis.expiresUtc);
    CHECK(*millis.expiresUtc == 1761223897);
}

TEST_CASE("push views: inferred UTC offset for Asia/Shanghai and America/New_York") {
    CHECK(core::protocol::inferredUtcOffset(createAt("2025-10-23 20:51:37", "Asia/Shanghai", true)) == 28800);
    CHECK(core::protocol::inferredUtcOffset(createAt("2025-10-23 20:51:37", "Asia/Shanghai", false)) == 28800);
    // New York: EDT (-4 h) in summer, EST (-5 h) in winter.
    const auto summer = createAt("2025-07-01 12:00:00", "America/New_York", true);
    const auto winter = createAt("2025-12-24 18:00:00", "America/New_York", false);
    CHECK(core::protocol::inferredUtcOffset(summer) == -14400);
    CHECK(core::protocol::inferredUtcOffset(winter) == -18000);
    // Checked against the configured zone.
    const auto right = core::protocol::checkMachineZone(winter, "America/New_York");
    REQUIRE(right);
    CHECK(right->matches());
    const auto wrong = core::protocol::checkMachineZone(winter, "Asia/Shanghai");
    REQUIRE(wrong);
    CHECK_FALSE(wrong->matches());
    CHECK(wrong->inferredOffset == -18000);
    CHECK(wrong->configuredOffset == 28800);
    CHECK_FALSE(core::protocol::checkMachineZone(winter, "Not/AZone"));
    // Nothing to infer from, or an impossible offset.
    PickupCodeCreate missing;
    CHECK_FALSE(core::protocol::inferredUtcOffset(missing));
    PickupCodeCreate odd = winter;
    odd.expiredDay = "2025-12-24 18:00:07";  // not on a 15-minute step
    CHECK_FALSE(core::protocol::inferredUtcOffset(odd));
    odd.expiredDay = "garbage";
    CHECK_FALSE(core::protocol::inferredUtcOffset(odd));
    // India (+5:30) and Nepal (+5:45) are real offsets.
    CHECK(core::protocol::inferredUtcOffset(createAt("2025-03-01 08:00:00", "Asia/Kolkata", true)) == 19800);
    CHECK(core::protocol::inferredUtcOffset(createAt("2025-03-01 08:00:00", "Asia/Kathmandu", true)) == 20700);
}
