// pickupdesk-sim over real sockets: the vendor contract the open-API client and CLI rely on.
#include "pd_test_paths.hpp"
#include "core/sign/signing.hpp"
#include "core/tz/machine_time.hpp"
#include "core/util/base64.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sim_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <set>

#include <doctest/doctest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

using testsupport::SimServer;
using Params = core::sign::Params;
using Json = nlohmann::json;

namespace {

struct Reply {
    int status = 0;  // 0 = transport error
    Json body;
    std::string raw;
    std::string contentType;
    httplib::Error error = httplib::Error::Success;
};

std::string signedBody(Params params, core::sign::Encoding encoding = core::sign::Encoding::Raw,
                       const std::string& key = SimServer::kSignKey) {
    if (params.count("timestamp") == 0) params["timestamp"] = std::to_string(core::tz::nowUtc());
    params["sign"] = core::sign::sign(params, key, encoding);
    Json payload(params);
    return Json{{"payload", core::util::base64Encode(payload.dump())}}.dump();
}

httplib::Headers authHeaders() { return {{"Appid", SimServer::kAppId}, {"AppSecret", SimServer::kAppSecret}}; }

Reply toReply(const httplib::Result& res) {
    Reply reply;
    if (!res) {
        reply.error = res.error();
        return reply;
    }
    reply.status = res->status;
    reply.raw = res->body;
    reply.contentType = res->get_header_value("Content-Type");
    reply.body = Json::parse(res->body, nullptr, false);
    return reply;
}

Reply send(const SimServer& sim, const std::string& path, const std::string& body,
           const httplib::Headers& headers = authHeaders(), const std::string& method = "POST") {
    httplib::Client client(sim.url());
    client.set_read_timeout(std::chrono::seconds(10));
    const std::string full = "/api/openapi/v1/" + path;
    if (method == "PUT") return toReply(client.Put(full.c_str(), headers, body, "application/json"));
    return toReply(client.Post(full.c_str(), headers, body, "application/json"));
}

Reply call(const SimServer& sim, const std::string& path, const Params& params = {},
           const std::string& method = "POST") {
    return send(sim, path, signedBody(params), authHeaders(), method);
}

int codeOf(const Reply& reply) { return reply.body.is_object() ? reply.body.value("code", -1) : -1; }

Json listCodes(const SimServer& sim, const std::string& machineNo, std::int64_t productId) {
    const Reply r = call(sim, "products/" + std::to_string(productId) + "/pickup_code", {{"machine_no", machineNo}});
    REQUIRE(r.status == 200);
    REQUIRE(codeOf(r) == 0);
    REQUIRE(r.body["data"].is_array());
    return r.body["data"];
}

Params createByProduct(const std::string& machineNo, std::int64_t productId, int count) {
    return {{"method", "pickup_code.product.id"},
            {"machine_no", machineNo},
            {"product_id", std::to_string(productId)},
            {"count", std::to_string(count)}};
}

std::string gmt8In(std::int64_t seconds) { return core::tz::toGmt8String(core::tz::nowUtc() + seconds); }

bool allDigits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

}  // namespace

TEST_CASE("sim: ping, machines, machine detail and unknown routes") {
    SimServer sim;
    Reply ping = call(sim, "ping");
    CHECK(ping.status == 200);
    CHECK(codeOf(ping) == 0);
    CHECK(ping.body["data"] == "pong");

    Reply machines = call(sim, "rent/machines");
    REQUIRE(codeOf(machines) == 0);
    REQUIRE(machines.body["data"].size() >= 6);
    std::map<std::string, Json> byNo;
    for (const auto& m : machines.body["data"]) byNo[m["machine_no"].get<std::string>()] = m;
    for (const char* no : {"16327138", "20240601", "31415926", "27182818", "86683806"}) CHECK(byNo.count(no) == 1);
    CHECK(byNo["16327138"]["machine_name"] == "上海静安寺店");
    CHECK(byNo["16327138"]["is_online"] == true);
    CHECK(byNo["16327138"]["lng_lat"].get<std::string>().find(',') != std::string::npos);
    CHECK(byNo["16327138"]["created_at"].get<std::string>().size() == 19);
    int offline = 0;
    for (const auto& [no, m] : byNo) offline += m["is_online"] == false ? 1 : 0;
    CHECK(offline >= 1);

    Reply detail = call(sim, "rent/machines/20240601");
    REQUIRE(codeOf(detail) == 0);
    CHECK(detail.body["data"]["machine_name"] == "NYC Lobby Kiosk");
    CHECK(detail.body["data"]["currency"]["code"] == "USD");
    CHECK(detail.body["data"]["model"]["cabinet_names"] == Json::array({"A"}));
    CHECK(codeOf(call(sim, "rent/machines/99999999")) == 6026);

    Reply unknown = call(sim, "no/such/route");
    CHECK(unknown.status == 404);
    CHECK(codeOf(unknown) == 6016);
    httplib::Client client(sim.url());
    auto other = client.Get("/index.html");
    REQUIRE(other);
    CHECK(other->status == 404);
    CHECK(Json::parse(other->body)["code"] == 6016);
}

TEST_CASE("sim: authentication, payload and signature checks") {
    SimServer sim;
    const std::string good = signedBody({});

    Reply noHeaders = send(sim, "ping", good, {});
    CHECK(noHeaders.status == 401);
    CHECK(codeOf(noHeaders) == 10008);
    CHECK(noHeaders.body["message"] == "appid or appsecret is empty");
    CHECK(send(sim, "ping", good, {{"Appid", SimServer::kAppId}}).status == 401);
    CHECK(codeOf(send(sim, "ping", good, {{"Appid", "wrong"}, {"AppSecret", SimServer::kAppSecret}})) == 4001);
    CHECK(codeOf(send(sim, "ping", good, {{"Appid", SimServer::kAppId}, {"AppSecret", "wrong"}})) == 4009);

    Reply badSign = send(sim, "ping", signedBody({}, core::sign::Encoding::Raw, "not-the-key"));
    CHECK(badSign.status == 200);
    CHECK(codeOf(badSign) == 4006);
    CHECK(badSign.body["message"] == "sorry, payload sign invalid");
    const std::string unsignedPayload = Json::object({{"timestamp", "1714185061"}}).dump();
    CHECK(codeOf(send(sim, "ping", Json{{"payload", core::util::base64Encode(unsignedPayload)}}.dump())) == 4006);

    CHECK(codeOf(send(sim, "ping", "not json")) == 4003);
    CHECK(codeOf(send(sim, "ping", "{}")) == 4003);
    CHECK(codeOf(send(sim, "ping", R"({"payload":"***not base64***"})")) == 4003);
    CHECK(codeOf(send(sim, "ping", Json{{"payload", core::util::base64Encode("[1,2]")}}.dump())) == 4003);

    // Signed correctly but without a timestamp.
    Params noTimestamp = {{"machine_no", "16327138"}};
    noTimestamp["sign"] = core::sign::sign(noTimestamp, SimServer::kSignKey, core::sign::Encoding::Raw);
    CHECK(codeOf(send(sim, "ping", Json{{"payload", core::util::base64Encode(Json(noTimestamp).dump())}}.dump())) ==
          4003);

    // Numbers in the payload are signed as their JSON text.
    Json numeric = {{"timestamp", core::tz::nowUtc()}, {"page", 2}};
    numeric["sign"] = core::sign::sign(core::sign::paramsFromJson(numeric), SimServer::kSignKey,
                                       core::sign::Encoding::Raw);
    CHECK(codeOf(send(sim, "ping", Json{{"payload", core::util::base64Encode(numeric.dump())}}.dump())) == 0);
}

TEST_CASE("sim: --sign-encoding form accepts form-signed values and rejects raw-signed ones") {
    SimServer sim({"--sign-encoding", "form"});
    const Params params = {{"note", "a b:c/d"}};
    CHECK(codeOf(send(sim, "ping", signedBody(params, core::sign::Encoding::Form))) == 0);
    CHECK(codeOf(send(sim, "ping", signedBody(params, core::sign::Encoding::Raw))) == 4006);

    Params create = createByProduct("16327138", 20002, 1);
    create["expired_at"] = gmt8In(3600);
    CHECK(codeOf(send(sim, "pickup_codes", signedBody(create, core::sign::Encoding::Raw))) == 4006);
    CHECK(codeOf(send(sim, "pickup_codes", signedBody(create, core::sign::Encoding::Form))) == 0);
    CHECK(listCodes(sim, "16327138", 20002).size() == 2);
    // Values without reserved characters sign the same either way.
    CHECK(codeOf(send(sim, "ping", signedBody({}, core::sign::Encoding::Raw))) == 0);
}

TEST_CASE("sim: products are paged and shaped like the vendor's") {
    SimServer sim;
    std::set<std::int64_t> ids;
    const std::vector<size_t> pageSizes = {10, 10, 3};
    for (int page = 1; page <= 3; ++page) {
        Reply r = call(sim, "products", {{"machine_no", "16327138"}, {"page", std::to_string(page)}});
        REQUIRE(codeOf(r) == 0);
        const Json& data = r.body["data"];
        CHECK(data["total"] == 23);
        CHECK(data["current_page"] == page);
        CHECK(data["last_page"] == 3);
        CHECK(data["per_page"] == 10);
        REQUIRE(data["data"].size() == pageSizes[static_cast<size_t>(page - 1)]);
        for (const auto& item : data["data"]) {
            CHECK(item["id"].is_number_integer());
            ids.insert(item["id"].get<std::int64_t>());
        }
    }
    CHECK(ids.size() == 23);

    Reply first = call(sim, "products", {{"machine_no", "16327138"}, {"per_page", "30"}});
    REQUIRE(codeOf(first) == 0);
    CHECK(first.body["data"]["last_page"] == 1);
    const Json& cola = first.body["data"]["data"][0];
    CHECK(cola["good"]["name"] == "可口可乐 330ml");
    CHECK(cola["good"]["price"] == "3.50");
    CHECK(cola["inventory"] == 10);
    CHECK(cola["category"]["id"].is_number_integer());
    CHECK(cola["channel"]["name"] == "A11");
    CHECK(cola["channel"]["code"] == "000");
    CHECK(cola["channel"]["cabinet_name"] == "A");
    CHECK(cola["good"]["media"].is_array());

    Reply snacks = call(sim, "products", {{"machine_no", "16327138"}, {"category_id", "2"}, {"per_page", "50"}});
    REQUIRE(codeOf(snacks) == 0);
    CHECK(snacks.body["data"]["total"].get<int>() > 0);
    CHECK(snacks.body["data"]["total"].get<int>() < 23);
    for (const auto& item : snacks.body["data"]["data"]) CHECK(item["category"]["id"] == 2);

    CHECK(codeOf(call(sim, "products", {{"machine_no", "99999999"}})) == 6026);
    Reply nyc = call(sim, "products", {{"machine_no", "20240601"}});
    CHECK(nyc.body["data"]["total"] == 6);
}

TEST_CASE("sim: create by product adds codes that the list shows") {
    SimServer sim;
    const Json before = listCodes(sim, "16327138", 20001);
    REQUIRE(before.size() == 1);  // seed: 100001 listed; 100003 used and 100004 expired are not
    CHECK(before[0]["id"] == 100001);
    CHECK(before[0]["expired_at"] == "2030-12-31 23:59:59");

    Params create = createByProduct("16327138", 20001, 3);
    create["code_length"] = "7";
    Reply r = call(sim, "pickup_codes", create);
    CHECK(r.status == 200);
    CHECK(codeOf(r) == 0);
    CHECK(r.body["data"] == Json::object());

    const Json after = listCodes(sim, "16327138", 20001);
    REQUIRE(after.size() == 4);
    std::set<std::string> codes;
    for (size_t i = 1; i < after.size(); ++i) {
        const Json& c = after[i];
        CHECK(c["id"].get<std::int64_t>() == 100004 + static_cast<std::int64_t>(i));
        CHECK(c["code"].get<std::string>().size() == 7);
        CHECK(allDigits(c["code"].get<std::string>()));
        CHECK(c["status"] == "UNUSED");
        CHECK(c["quantity"] == 1);
        CHECK_FALSE(c.contains("expired_at"));  // permanent
        codes.insert(c["code"].get<std::string>());
    }
    CHECK(codes.size() == 3);

    const std::string expiry = gmt8In(86400);
    Params expiring = createByProduct("16327138", 20001, 1);
    expiring["expired_at"] = expiry;
    REQUIRE(codeOf(call(sim, "pickup_codes", expiring)) == 0);
    const Json last = listCodes(sim, "16327138", 20001).back();
    CHECK(last["expired_at"] == expiry);
    CHECK(last["code"].get<std::string>().size() == 6);  // default length

    const Json state = sim.state();
    CHECK(state["counters"]["creates_applied"] == 2);
    CHECK(state["counters"]["codes_created"] == 4);
}

TEST_CASE("sim: create by product refuses bad input with the vendor's codes") {
    SimServer sim;
    Reply tooMany = call(sim, "pickup_codes", createByProduct("16327138", 20001, 11));
    CHECK(codeOf(tooMany) == 4003);
    CHECK(tooMany.body["message"].get<std::string>().find("capacity 10") != std::string::npos);
    CHECK(codeOf(call(sim, "pickup_codes", createByProduct("16327138", 20001, 0))) == 4003);
    CHECK(codeOf(call(sim, "pickup_codes", createByProduct("86683806", 60001, 4))) == 4003);  // capacity 3
    CHECK(codeOf(call(sim, "pickup_codes", createByProduct("86683806", 60001, 3))) == 0);

    for (const char* length : {"5", "11", "x"}) {
        Params p = createByProduct("16327138", 20001, 1);
        p["code_length"] = length;
        CHECK(codeOf(call(sim, "pickup_codes", p)) == 4003);
    }
    Reply off = call(sim, "pickup_codes", createByProduct("27182818", 50001, 1));
    CHECK(codeOf(off) == 10023);
    CHECK(off.body["message"] == "取货码功能尚未开启");
    CHECK(codeOf(call(sim, "pickup_codes", createByProduct("16327138", 30001, 1))) == 6045);
    CHECK(codeOf(call(sim, "pickup_codes", createByProduct("99999999", 20001, 1))) == 6026);

    for (const std::string& bad : {std::string("2030-13-01 00:00:00"), std::string("tomorrow"),
                                   std::string("2030-01-01 10:00"), gmt8In(-60)}) {
        Params p = createByProduct("16327138", 20001, 1);
        p["expired_at"] = bad;
        CAPTURE(bad);
        CHECK(codeOf(call(sim, "pickup_codes", p)) == 6029);
    }
    Params wrongMethod = createByProduct("16327138", 20001, 1);
    wrongMethod["method"] = "pickup_code.product.many";
    CHECK(codeOf(call(sim, "pickup_codes", wrongMethod)) == 6021);
    wrongMethod["method"] = "pickup_code.delete.all";  // a PUT method sent with POST
    CHECK(codeOf(call(sim, "pickup_codes", wrongMethod)) == 6021);

    const Json state = sim.state();
    CHECK(state["counters"]["creates_applied"] == 1);  // only the Lord Howe one
    CHECK(state["codes"].size() == 4 + 3);
}

TEST_CASE("sim: create for all products makes one code per product") {
    SimServer sim;
    Reply r = call(sim, "pickup_codes", {{"method", "pickup_code.product.all"},
                                         {"machine_no", "20240601"},
                                         {"code_length", "10"},
                                         {"expired_at", gmt8In(7200)}});
    REQUIRE(codeOf(r) == 0);
    for (std::int64_t id = 30001; id <= 30006; ++id) {
        const Json list = listCodes(sim, "20240601", id);
        REQUIRE(list.size() == 1);
        CHECK(list[0]["code"].get<std::string>().size() == 10);
        CHECK(list[0].contains("expired_at"));
    }
    CHECK(codeOf(call(sim, "pickup_codes", {{"method", "pickup_code.product.all"}, {"machine_no", "27182818"}})) ==
          10023);
}

TEST_CASE("sim: delete one code and delete all codes") {
    SimServer sim;
    REQUIRE(codeOf(call(sim, "pickup_codes", createByProduct("16327138", 20003, 2))) == 0);
    Json list = listCodes(sim, "16327138", 20003);
    REQUIRE(list.size() == 2);
    const std::int64_t first = list[0]["id"].get<std::int64_t>();

    const Params deleteOne = {{"method", "pickup_code.delete.id"}, {"machine_no", "16327138"},
                              {"id", std::to_string(first)}};
    CHECK(codeOf(call(sim, "pickup_codes", deleteOne, "PUT")) == 0);
    list = listCodes(sim, "16327138", 20003);
    REQUIRE(list.size() == 1);
    CHECK(list[0]["id"] != first);
    CHECK(codeOf(call(sim, "pickup_codes", deleteOne, "PUT")) == 4004);  // already deleted
    CHECK(codeOf(call(sim, "pickup_codes",
                      {{"method", "pickup_code.delete.id"}, {"machine_no", "20240601"}, {"id", "100001"}}, "PUT")) ==
          4004);  // exists, but on another machine
    CHECK(codeOf(call(sim, "pickup_codes", {{"method", "pickup_code.nope"}, {"machine_no", "16327138"}}, "PUT")) ==
          6021);

    CHECK(codeOf(call(sim, "pickup_codes", {{"method", "pickup_code.delete.all"}, {"machine_no", "16327138"}},
                      "PUT")) == 0);
    CHECK(listCodes(sim, "16327138", 20001).empty());
    CHECK(listCodes(sim, "16327138", 20002).empty());
    CHECK(listCodes(sim, "16327138", 20003).empty());
    const Json state = sim.state();  // a named copy: ranging over a temporary's member dangles
    for (const auto& c : state["codes"]) CHECK(c["deleted"] == true);
}

TEST_CASE("sim: --list-time-format s and ms give epochs") {
    const std::int64_t now = core::tz::nowUtc();
    {
        SimServer sim({"--list-time-format", "s"});
        REQUIRE(codeOf(call(sim, "pickup_codes", createByProduct("16327138", 20001, 1))) == 0);
        const Json list = listCodes(sim, "16327138", 20001);
        REQUIRE(list.size() == 2);
        CHECK(list[0]["expired_at"] == "1924963199");
        CHECK(list[0]["created_at"] == "1761192000");
        const std::string created = list[1]["created_at"].get<std::string>();
        REQUIRE(allDigits(created));
        CHECK(std::stoll(created) >= now - 5);
        CHECK(std::stoll(created) < 1'000'000'000'000);
    }
    {
        SimServer sim({"--list-time-format", "ms"});
        REQUIRE(codeOf(call(sim, "pickup_codes", createByProduct("16327138", 20001, 1))) == 0);
        const Json list = listCodes(sim, "16327138", 20001);
        REQUIRE(list.size() == 2);
        CHECK(list[0]["expired_at"] == "1924963199000");
        const std::string created = list[1]["created_at"].get<std::string>();
        REQUIRE(allDigits(created));
        CHECK(std::stoll(created) >= 1'000'000'000'000);
        CHECK(std::stoll(created) / 1000 >= now - 5);
    }
}

TEST_CASE("sim: the admin use-code call takes a code out of the unused list") {
    SimServer sim;
    REQUIRE(listCodes(sim, "16327138", 20002).size() == 1);
    sim.useCode("16327138", 100002);
    CHECK(listCodes(sim, "16327138", 20002).empty());
    bool sawUsed = false;
    const Json afterUse = sim.state();
    for (const auto& c : afterUse["codes"]) {
        if (c["id"] == 100002) sawUsed = c["used"] == true;
    }
    CHECK(sawUsed);
    CHECK_THROWS(sim.useCode("16327138", 100002));  // already used: 409
    CHECK_THROWS(sim.useCode("16327138", 999999));  // unknown: 404

    sim.reset();
    CHECK(listCodes(sim, "16327138", 20002).size() == 1);
    const Json state = sim.state();
    CHECK(state["codes"].size() == 4);
    CHECK(state["counters"]["requests_served"] == 1);
    bool lordHowe = false;
    for (const auto& m : state["machines"]) lordHowe |= m["timezone"] == "Australia/Lord_Howe";
    CHECK(lordHowe);
}

TEST_CASE("sim: latency fault, by flag and by the admin call") {
    SimServer sim({"--latency-ms", "300"});
    auto timed = [&] {
        const auto start = std::chrono::steady_clock::now();
        const Reply r = call(sim, "ping");
        CHECK(codeOf(r) == 0);
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    };
    CHECK(timed() >= 300);
    const auto adminStart = std::chrono::steady_clock::now();
    sim.state();  // admin calls are never delayed
    CHECK(std::chrono::steady_clock::now() - adminStart < std::chrono::milliseconds(300));
    sim.setFaults({{"latency_ms", 0}});
    CHECK(timed() < 300);
    sim.setFaults({{"latency_ms", 150}});
    CHECK(timed() >= 150);
    CHECK(sim.state()["faults"]["latency_ms"] == 150);
}

TEST_CASE("sim: 5xx and HTML error faults") {
    SimServer sim({"--fail-5xx"});
    Reply r = call(sim, "ping");
    CHECK(r.status == 503);
    CHECK(r.body.is_discarded());
    sim.setFaults({{"fail_5xx", false}, {"html_error", true}});
    r = call(sim, "ping");
    CHECK(r.status == 502);
    CHECK(r.contentType.find("text/html") == 0);
    CHECK(r.raw.find("<h1>502 Bad Gateway</h1>") != std::string::npos);
    sim.setFaults({{"html_error", false}});
    CHECK(codeOf(call(sim, "ping")) == 0);
    httplib::Client client(sim.url());
    auto bad = client.Post("/_sim/faults", R"({"latency_ms":"slow"})", "application/json");
    REQUIRE(bad);
    CHECK(bad->status == 400);
}

TEST_CASE("sim: drop-after-create applies the create and cuts the reply") {
    SimServer sim;
    sim.setFaults({{"drop_after_create", true}});
    const size_t codesBefore = sim.state()["codes"].size();
    Reply r = call(sim, "pickup_codes", createByProduct("16327138", 20005, 2));
    CHECK(r.status == 0);  // transport error, no reply
    CHECK(r.error != httplib::Error::Success);
    const Json state = sim.state();
    CHECK(state["codes"].size() == codesBefore + 2);
    CHECK(state["counters"]["creates_applied"] == 1);
    CHECK(listCodes(sim, "16327138", 20005).size() == 2);
    // Failed creates and other calls answer normally.
    CHECK(codeOf(call(sim, "pickup_codes", createByProduct("16327138", 20005, 99))) == 4003);
    CHECK(codeOf(call(sim, "ping")) == 0);
}

TEST_CASE("sim: logs one line per request and never the secrets") {
    SimServer sim;
    CHECK(codeOf(call(sim, "ping")) == 0);
    CHECK(codeOf(send(sim, "ping", signedBody({}), {{"Appid", SimServer::kAppId}, {"AppSecret", "wrong"}})) == 4009);
    const std::string log = sim.stderrText();
    CHECK(log.find("POST /api/openapi/v1/ping -> 200 code 0") != std::string::npos);
    CHECK(log.find("code 4009") != std::string::npos);
    CHECK(log.find(SimServer::kAppSecret) == std::string::npos);
    CHECK(log.find(SimServer::kSignKey) == std::string::npos);
    CHECK(log.find("wrong") == std::string::npos);
}

TEST_CASE("sim: serves HTTPS with --tls-cert/--tls-key") {
    const std::string openssl = "/usr/bin/openssl";
    if (!std::filesystem::exists(openssl)) {
        MESSAGE("openssl not found at /usr/bin/openssl: TLS test skipped");
        return;
    }
    testsupport::TempDir dir;
    const auto gen = testsupport::runProcess(
        {openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
         dir.file("key.pem"), "-out", dir.file("cert.pem"), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1"},
        {}, {}, 20000);
    REQUIRE_MESSAGE(gen.exitCode == 0, gen.err);

    SimServer sim({"--tls-cert", dir.file("cert.pem"), "--tls-key", dir.file("key.pem")});
    CHECK(sim.url().rfind("https://", 0) == 0);
    const std::string body = signedBody({});

    httplib::SSLClient trusted("127.0.0.1", sim.port());
    trusted.set_ca_cert_path(dir.file("cert.pem"));
    trusted.enable_server_certificate_verification(true);
    const Reply ok = toReply(trusted.Post("/api/openapi/v1/ping", authHeaders(), body, "application/json"));
    CHECK(ok.status == 200);
    CHECK(ok.body["data"] == "pong");

    httplib::SSLClient untrusted("127.0.0.1", sim.port());
    untrusted.enable_server_certificate_verification(true);
    const Reply refused = toReply(untrusted.Post("/api/openapi/v1/ping", authHeaders(), body, "application/json"));
    CHECK(refused.status == 0);
    CHECK(refused.error == httplib::Error::SSLServerVerification);

    CHECK(sim.state()["config"]["tls"] == true);

    const auto missing = testsupport::runProcess({PD_SIM_PATH, "--port", "0", "--tls-cert", dir.file("cert.pem"),
                                                  "--tls-key", dir.file("cert.pem")},
                                                 {}, {}, 10000);
    CHECK(missing.exitCode == 1);  // a certificate is not a key
    CHECK(missing.err.find("cannot load the TLS certificate") != std::string::npos);
}

TEST_CASE("sim: runProcess captures output, exit code, stdin and timeouts") {
    const auto echo = testsupport::runProcess({"sh", "-c", "cat; echo err >&2; exit 3"}, {}, "hello 你好");
    CHECK(echo.exitCode == 3);
    CHECK(echo.out == "hello 你好");
    CHECK(echo.err == "err\n");
    CHECK_FALSE(echo.timedOut);
    const auto env = testsupport::runProcess({"sh", "-c", "printf %s \"$PD_TEST_VAR\""}, {{"PD_TEST_VAR", "x y"}});
    CHECK(env.out == "x y");
    const auto slow = testsupport::runProcess({"sleep", "5"}, {}, {}, 200);
    CHECK(slow.timedOut);
    CHECK(slow.exitCode == 128 + 9);
    CHECK_THROWS(testsupport::runProcess({"/nonexistent/program"}));
}

TEST_CASE("sim: writes its port file, prints where it listens and stops cleanly on SIGTERM") {
    testsupport::TempDir dir;
    testsupport::ChildProcess child({PD_SIM_PATH, "--port", "0", "--port-file", dir.file("port")});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!std::filesystem::exists(dir.file("port")) && std::chrono::steady_clock::now() < deadline) {
        REQUIRE(child.running());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(std::filesystem::exists(dir.file("port")));
    CHECK_FALSE(std::filesystem::exists(dir.file("port.tmp")));
    std::ifstream in(dir.file("port"));
    int port = 0;
    in >> port;
    CHECK(port > 0);
    // The port file comes first; the line on stdout may still be on its way through the pipe.
    for (int i = 0; i < 500 && child.stdoutText().find('\n') == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(child.stdoutText() == "pickupdesk-sim listening on http://127.0.0.1:" + std::to_string(port) + "\n");

    const auto busy = testsupport::runProcess({PD_SIM_PATH, "--port", std::to_string(port)}, {}, {}, 10000);
    CHECK(busy.exitCode == 1);
    CHECK(busy.err.find("cannot listen on 127.0.0.1:" + std::to_string(port)) != std::string::npos);

    child.stop();
    CHECK(child.exitCode() == 0);
    CHECK(child.stderrText().find("stopping on signal") != std::string::npos);
    const auto badFlag = testsupport::runProcess({PD_SIM_PATH, "--sign-encoding", "url"});
    CHECK(badFlag.exitCode != 0);
}
