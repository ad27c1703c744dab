// pickupctl against a misbehaving simulator: each fault gives its clear error and exit code,
// and a create whose reply is lost is reconciled without duplicates.
#include "tests/integration/cli_fixture.hpp"

#include <set>

using testsupport::CliFixture;

namespace {
constexpr const char* kShanghai = "16327138";
constexpr std::int64_t kCola = 20001;
}  // namespace

TEST_CASE("cli fault: HTTP 5xx is a network-class error naming the status") {
    CliFixture f({"--fail-5xx"});
    const auto r = f.run({"machines"});
    CHECK(r.exitCode == 4);
    CHECK(r.err.find("503") != std::string::npos);
    const auto j = f.json({"machines"}, 4);
    CHECK(j["error"]["kind"] == "http");
    CHECK(j["error"]["http_status"] == 503);
}

TEST_CASE("cli fault: an HTML error page is reported as such") {
    CliFixture f({"--html-error"});
    const auto r = f.run({"profile", "test"});
    CHECK(r.exitCode == 4);
    CHECK(r.err.find("web page") != std::string::npos);
    CHECK(r.err.find("502") != std::string::npos);
}

TEST_CASE("cli fault: a slow server hits the timeout") {
    CliFixture f({"--latency-ms", "3000"});
    const auto r = f.run({"--timeout", "1", "machines"});
    CHECK(r.exitCode == 4);
    CHECK(r.err.find("did not answer in time") != std::string::npos);
    const auto j = f.json({"--timeout", "1", "machines"}, 4);
    CHECK(j["error"]["kind"] == "timeout");
}

TEST_CASE("cli fault: nothing listening is a connection error") {
    CliFixture f;
    f.env()["PICKUPDESK_URL"] = "http://127.0.0.1:1";
    const auto r = f.run({"machines"});
    CHECK(r.exitCode == 4);
    CHECK(r.err.find("Cannot connect") != std::string::npos);
}

TEST_CASE("cli fault: vendor error codes come back with their meaning and exit 3") {
    CliFixture f;
    REQUIRE(f.run({"machines"}).exitCode == 0);
    // 27182818 has the pickup-code feature turned off.
    const auto off = f.json({"generate", "27182818", "--all-products"}, 3);
    CHECK(off["error"]["vendor_code"] == 10023);
    CHECK(off["error"]["kind"] == "vendor");
    CHECK(off["error"]["message"].get<std::string>().find("10023") != std::string::npos);
    f.env()["PICKUPDESK_APPID"] = "not-the-appid";
    const auto badAppid = f.json({"machines"}, 3);
    CHECK(badAppid["error"]["vendor_code"] == 4001);
    f.env()["PICKUPDESK_APPID"] = testsupport::SimServer::kAppId;
    f.env()["PICKUPDESK_APP_SECRET"] = "wrong-secret";
    CHECK(f.json({"machines"}, 3)["error"]["vendor_code"] == 4009);
}

TEST_CASE("cli fault: a wrong signing key names the signing-key and encoding settings") {
    CliFixture f;
    f.env()["PICKUPDESK_SIGN_KEY"] = "not-the-key";
    const auto r = f.run({"machines"});
    CHECK(r.exitCode == 3);
    CHECK(r.err.find("4006") != std::string::npos);
    CHECK(r.err.find("signing key") != std::string::npos);
    CHECK(r.err.find("encoding") != std::string::npos);
    CHECK(r.err.find("not-the-key") == std::string::npos);
}

TEST_CASE("cli fault: the wrong encoding fails once a value needs escaping") {
    CliFixture f({"--sign-encoding", "form"});
    REQUIRE(f.run({"machines"}).exitCode == 0);  // nothing to escape: both encodings agree
    const auto raw = f.run({"generate", kShanghai, "--product", std::to_string(kCola), "--expires", "2031-05-01 18:30"});
    CHECK(raw.exitCode == 3);
    CHECK(raw.err.find("encoding 'raw'") != std::string::npos);
    f.env()["PICKUPDESK_SIGN_ENCODING"] = "form";
    const auto form = f.json({"generate", kShanghai, "--product", std::to_string(kCola), "--expires", "2031-05-01 18:30"});
    CHECK(form["codes"].size() == 1);
}

TEST_CASE("cli fault: a dropped create is outcome unknown, never retried, and reconcile finds its codes once") {
    CliFixture f;
    REQUIRE(f.run({"products", kShanghai}).exitCode == 0);
    const int before = f.simLiveCodes(kCola);
    const auto stored = f.json({"codes", kShanghai, "--product", std::to_string(kCola), "--refresh"});
    f.sim().setFaults({{"drop_after_create", true}});
    const auto dropped = f.run({"--json", "generate", kShanghai, "--product", std::to_string(kCola), "--count", "4"});
    CHECK(dropped.exitCode == 5);
    const auto err = nlohmann::json::parse(dropped.out);
    CHECK(err["error"]["kind"] == "outcome_unknown");
    CHECK(err["error"]["message"].get<std::string>().find("reconcile") != std::string::npos);
    // Applied once by the server and not retried by the client.
    CHECK(f.sim().state()["counters"]["creates_applied"] == 1);
    CHECK(f.simLiveCodes(kCola) == before + 4);
    f.sim().setFaults({{"drop_after_create", false}});

    const auto items = f.json({"reconcile", kShanghai});
    REQUIRE(items.size() == 1);
    CHECK(items[0]["outcome"] == "ok");
    CHECK(items[0]["applied"] == true);
    CHECK(items[0]["codes_found"] == 4);
    CHECK(f.sim().state()["counters"]["creates_applied"] == 1);

    const auto codes = f.json({"codes", kShanghai, "--product", std::to_string(kCola)});
    std::set<std::string> unique;
    for (const auto& c : codes) unique.insert(c["code"].get<std::string>());
    CHECK(unique.size() == codes.size());
    CHECK(codes.size() == stored.size() + 4);
    CHECK(f.json({"reconcile", kShanghai}).empty());  // nothing left to resolve
}

TEST_CASE("cli fault: a create that never reached the server reconciles as not applied") {
    CliFixture f;
    REQUIRE(f.run({"machines"}).exitCode == 0);
    f.sim().setFaults({{"latency_ms", 3000}});
    const auto slow = f.run({"--timeout", "1", "generate", kShanghai, "--product", std::to_string(kCola)});
    // The listing before the create times out: the create is never sent.
    CHECK(slow.exitCode == 4);
    f.sim().setFaults({{"latency_ms", 0}});
    CHECK(f.sim().state()["counters"]["creates_applied"] == 0);
    CHECK(f.json({"reconcile", kShanghai}).empty());
}
