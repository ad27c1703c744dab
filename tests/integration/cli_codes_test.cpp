// pickupctl against the simulator: machines, products, generate (both methods), codes, delete.
#include "tests/integration/cli_fixture.hpp"

#include <set>

using testsupport::CliFixture;

namespace {
constexpr const char* kShanghai = "16327138";
constexpr const char* kNewYork = "20240601";
constexpr std::int64_t kCola = 20001;  // capacity 10 on the Shanghai machine

std::int64_t firstProductWithCapacity(CliFixture& f, const char* machine, int minCapacity) {
    for (const auto& p : f.json({"products", machine})) {
        if (p["capacity"].get<int>() >= minCapacity) return p["id"].get<std::int64_t>();
    }
    FAIL("no product with capacity " << minCapacity);
    return 0;
}
}  // namespace

TEST_CASE("cli: machines come from the vendor with Chinese names intact and a default zone") {
    CliFixture f;
    const auto machines = f.json({"machines"});
    REQUIRE(machines.size() >= 5);
    bool found = false;
    for (const auto& m : machines) {
        if (m["machine_no"] == kShanghai) {
            found = true;
            CHECK(m["name"] == "上海静安寺店");
            CHECK(m["timezone"] == "Asia/Shanghai");
            CHECK(m["timezone_set"] == false);
        }
    }
    CHECK(found);
    const auto human = f.run({"machines", "--offline"});
    CHECK(human.exitCode == 0);
    CHECK(human.out.find("上海静安寺店") != std::string::npos);
}

TEST_CASE("cli: products walk every page") {
    CliFixture f;
    const auto products = f.json({"products", kShanghai});
    CHECK(products.size() == 23);  // more than one page of 20
    std::set<std::int64_t> ids;
    for (const auto& p : products) ids.insert(p["id"].get<std::int64_t>());
    CHECK(ids.size() == 23);
    CHECK(products[0]["name"].get<std::string>().find("可口可乐") != std::string::npos);
    CHECK(f.json({"products", kShanghai, "--offline"}).size() == 23);
}

TEST_CASE("cli: generate by product returns exactly the new codes in machine time") {
    CliFixture f;
    REQUIRE(f.run({"machines"}).exitCode == 0);
    const int before = f.simLiveCodes(kCola);
    const auto out = f.json({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "3", "--length", "8",
                             "--expires", "2031-05-01 18:30"});
    CHECK(out["timezone"] == "Asia/Shanghai");
    CHECK(out["expires_gmt8"] == "2031-05-01 18:30:00");
    REQUIRE(out["codes"].size() == 3);
    for (const auto& c : out["codes"]) {
        CHECK(c["machine_no"] == kShanghai);
        CHECK(c["product_id"] == kCola);
        CHECK(c["code"].get<std::string>().size() == 8);
        CHECK(c["quantity"] == 1);
        CHECK(c["status"] == "unused");
        CHECK(c["expires_local"] == "2031-05-01 18:30:00");
        CHECK(c["expires_utc"] == "2031-05-01T10:30:00Z");
        CHECK(c["timezone"] == "Asia/Shanghai");
        CHECK(c["id"].get<std::int64_t>() > 0);
    }
    CHECK(f.simLiveCodes(kCola) == before + 3);
}

TEST_CASE("cli: a machine in New York gets its expiry converted to the GMT+8 request string") {
    CliFixture f;
    REQUIRE(f.run({"machines"}).exitCode == 0);
    REQUIRE(f.run({"machine", "tz", kNewYork, "America/New_York"}).exitCode == 0);
    const std::int64_t product = firstProductWithCapacity(f, kNewYork, 1);
    const auto out = f.json({"generate", kNewYork, "--product", std::to_string(product), "--expires", "2031-01-15 09:00"});
    CHECK(out["expires_gmt8"] == "2031-01-15 22:00:00");
    REQUIRE(out["codes"].size() == 1);
    CHECK(out["codes"][0]["expires_utc"] == "2031-01-15T14:00:00Z");
    CHECK(out["codes"][0]["expires_local"] == "2031-01-15 09:00:00");
    // What the vendor stored is the GMT+8 wall clock.
    bool seen = false;
    const auto state = f.sim().state();
    for (const auto& c : state["codes"]) {
        if (c["code"] == out["codes"][0]["code"]) {
            seen = true;
            CHECK(c["expired_at_gmt8"] == "2031-01-15 22:00:00");
        }
    }
    CHECK(seen);
    // The same code shown in UTC and in machine time.
    const auto utc = f.json({"codes", kNewYork, "--tz", "utc"});
    REQUIRE(utc.size() == 1);
    CHECK(utc[0]["expires_view"] == "2031-01-15 14:00:00");
    CHECK(utc[0]["expires_local"] == "2031-01-15 09:00:00");
}

TEST_CASE("cli: a time skipped by daylight saving is refused before anything is sent") {
    CliFixture f;
    REQUIRE(f.run({"machines"}).exitCode == 0);
    REQUIRE(f.run({"machine", "tz", kNewYork, "America/New_York"}).exitCode == 0);
    const int creates = f.sim().state()["counters"]["creates_applied"].get<int>();
    const auto r = f.run({"generate", kNewYork, "--product", "30001", "--expires", "2031-03-09 02:30"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("does not exist") != std::string::npos);
    CHECK(f.sim().state()["counters"]["creates_applied"].get<int>() == creates);
}

TEST_CASE("cli: generate for all products makes one code per product") {
    CliFixture f;
    const auto products = f.json({"products", kNewYork});
    const auto out = f.json({"generate", kNewYork, "--all-products", "--never"});
    CHECK(out["codes"].size() == products.size());
    std::set<std::int64_t> productIds;
    for (const auto& c : out["codes"]) {
        productIds.insert(c["product_id"].get<std::int64_t>());
        CHECK(c["expires_utc"].is_null());
        CHECK(c["code"].get<std::string>().size() == 6);
    }
    CHECK(productIds.size() == products.size());
}

TEST_CASE("cli: codes filter by product and status; used and expired are derived") {
    CliFixture f;
    REQUIRE(f.run({"machines"}).exitCode == 0);
    const auto out = f.json({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "2"});
    REQUIRE(out["codes"].size() == 2);
    const auto unused = f.json({"codes", kShanghai, "--product", std::to_string(kCola), "--status", "unused"});
    CHECK(unused.size() >= 2);
    for (const auto& c : unused) CHECK(c["status"] == "unused");
    CHECK(f.json({"codes", kShanghai, "--status", "expired"}).empty());
    CHECK(f.run({"codes", "--status", "bogus"}).exitCode == 2);
}

TEST_CASE("cli: delete one code and then all codes of a machine") {
    CliFixture f;
    REQUIRE(f.run({"machines"}).exitCode == 0);
    const auto out = f.json({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "2"});
    REQUIRE(out["codes"].size() == 2);
    const std::int64_t first = out["codes"][0]["id"].get<std::int64_t>();
    f.json({"delete", kShanghai, "--code-id", std::to_string(first)});
    const auto deleted = f.json({"codes", kShanghai, "--status", "deleted"});
    REQUIRE(deleted.size() == 1);
    CHECK(deleted[0]["id"] == first);
    const auto state = f.sim().state();
    for (const auto& c : state["codes"]) {
        if (c["id"] == first) CHECK(c["deleted"] == true);
    }
    f.json({"delete", kShanghai, "--all"});
    CHECK(f.json({"codes", kShanghai, "--status", "unused"}).empty());
    CHECK(f.simLiveCodes(kCola) == 0);
    const auto missing = f.run({"delete", kShanghai, "--code-id", "999999"});
    CHECK(missing.exitCode == 3);
    CHECK(missing.err.find("4004") != std::string::npos);
}

TEST_CASE("cli: count above the product capacity is explained, not sent") {
    CliFixture f;
    REQUIRE(f.run({"machines"}).exitCode == 0);
    const auto r = f.run({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "11"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("capacity") != std::string::npos);
    CHECK(f.sim().state()["counters"]["creates_applied"] == 0);
}

TEST_CASE("cli: usage errors exit 2") {
    CliFixture f;
    CHECK(f.run({}).exitCode == 2);
    CHECK(f.run({"generate", kShanghai}).exitCode == 2);
    CHECK(f.run({"generate", kShanghai, "--product", "1", "--all-products"}).exitCode == 2);
    CHECK(f.run({"generate", kShanghai, "--product", "1", "--length", "5"}).exitCode == 2);
    CHECK(f.run({"delete", kShanghai}).exitCode == 2);
    CHECK(f.run({"no-such-command"}).exitCode == 2);
}
