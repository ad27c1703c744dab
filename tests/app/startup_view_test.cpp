// Start-up (issue 5, launch time): the remembered machine's products and codes come from the store
// on the query worker while the service worker is still checking the file and loading the profile.
// Real SQLite file, real worker threads; the service worker is held on the write lock so the order
// is certain.
#include "app/desktop/app_model.hpp"
#include "core/store/store.hpp"
#include "core/tz/machine_time.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <optional>

using namespace app::desktop;
using apptest::configIn;
using apptest::pumpUntil;

namespace {

// The "sandbox" profile (active) with machines M1 and M2 and `count` codes on M1.
void seedSandbox(const std::string& dbPath, int count) {
    auto store = core::store::Store::open(dbPath);
    REQUIRE(store.ok());
    core::Profile p;
    p.name = "sandbox";
    p.baseUrl = "http://127.0.0.1:1";  // nothing listens: the service worker's syncs fail
    p.appId = "x";
    p.defaultTimezone = "America/New_York";
    auto pid = (*store)->upsertProfile(p);
    REQUIRE(pid.ok());
    REQUIRE((*store)->setActiveProfile("sandbox").ok());
    core::Machine m1;
    m1.machineNo = "M1";
    m1.name = "一号机";
    core::Machine m2;
    m2.machineNo = "M2";
    m2.online = true;
    REQUIRE((*store)->upsertMachines(*pid, {m1, m2}).ok());
    core::Product product;
    product.machineNo = "M1";
    product.id = 7001;
    product.name = "可乐";
    REQUIRE((*store)->replaceProducts("M1", {product}).ok());
    std::vector<core::PickupCode> codes;
    for (int i = 1; i <= count; ++i) {
        core::PickupCode c;
        c.machineNo = "M1";
        c.id = i;
        c.productId = 7001;
        c.code = std::to_string(5000000 + i);
        c.expiresUtc = core::tz::nowUtc() + 3600 + i;
        codes.push_back(c);
    }
    REQUIRE((*store)->upsertCodes(codes).ok());
}

// Holds the database's write lock: the service worker's first write (the sandbox profile) waits.
struct WriteLock {
    explicit WriteLock(const std::string& dbPath) : db(dbPath, SQLite::OPEN_READWRITE) { db.exec("BEGIN IMMEDIATE"); }
    void release() { db.exec("COMMIT"); }
    SQLite::Database db;
};

}  // namespace

TEST_CASE("start-up: the remembered machine's products and first codes page come from the store before the profile is loaded") {
    testsupport::TempDir dir;
    seedSandbox(dir.file("pickupdesk.db"), 450);
    std::optional<WriteLock> lock(std::in_place, dir.file("pickupdesk.db"));
    AppModel model(configIn(dir), {});
    model.setPreferredMachine("M1");
    model.start(true, "http://127.0.0.1:1");
    auto& codes = model.codes();
    const auto shown = [&] {
        model.pump();  // no requestMissing: the first page must come unasked
        return model.products().loaded() && codes.counted() && !codes.busy();
    };
    for (int i = 0; i < 2000 && !shown(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(shown());
    CHECK_FALSE(model.status().profileKnown);  // the service worker still waits for the lock
    REQUIRE(model.status().profile.has_value());
    CHECK(model.status().profile->name == "sandbox");
    CHECK(model.machines().loaded());
    CHECK(model.machines().visible().size() == 2);
    REQUIRE(model.machines().selected() != nullptr);
    CHECK(model.machines().selectedNo() == "M1");
    REQUIRE(model.products().rows().size() == 1);
    CHECK(model.products().rows()[0].product.name == "可乐");
    CHECK(model.products().rows()[0].unused == 450);
    CHECK(codes.total() == 450);
    REQUIRE(codes.row(0) != nullptr);
    CHECK(codes.row(0)->id == 1);  // expiry ascending
    REQUIRE(codes.row(199) != nullptr);
    CHECK(codes.row(200) == nullptr);  // the rest is paged on demand
    CHECK(codes.viewZone() == "America/New_York");  // the profile's default: M1 has no zone of its own
    const auto generation = codes.generation();

    lock->release();
    lock.reset();
    REQUIRE(pumpUntil(model, [&] { return model.status().profileKnown && model.pending() == 0; }));
    CHECK(model.machines().selectedNo() == "M1");
    CHECK(codes.generation() == generation);  // nothing was recounted: the failed sync changed no code
    REQUIRE(pumpUntil(model, [&] { return codes.row(449) != nullptr; }));
    CHECK(codes.row(449)->id == 450);
    for (const auto& e : model.errors()) CHECK_MESSAGE(e.what != "action.open_store", e.error.message);
}

TEST_CASE("start-up: a remembered machine the store does not have is dropped, and the first machine is shown") {
    testsupport::TempDir dir;
    seedSandbox(dir.file("pickupdesk.db"), 3);
    WriteLock lock(dir.file("pickupdesk.db"));
    AppModel model(configIn(dir), {});
    model.setPreferredMachine("GONE");
    model.start(true, "http://127.0.0.1:1");
    REQUIRE(pumpUntil(model, [&] { return model.machines().selected() != nullptr && model.codes().counted(); }));
    CHECK(model.machines().selectedNo() == "M2");  // the first online machine
    CHECK(model.codes().machineNo() == "M2");
    CHECK(model.codes().total() == 0);
    CHECK_FALSE(model.status().profileKnown);
    lock.release();
}

TEST_CASE("start-up: with no database yet nothing is shown early and nothing is created by the reader") {
    testsupport::TempDir dir;
    AppModel model(configIn(dir), {});
    model.setPreferredMachine("M1");
    model.start(false, "");
    REQUIRE(pumpUntil(model, [&] { return model.status().profileKnown && model.pending() == 0; }));
    CHECK_FALSE(model.status().profile.has_value());  // first run: Sandbox / Vendor cloud is offered
    CHECK(model.machines().selectedNo().empty());
    CHECK(model.codes().machineNo().empty());
    CHECK_FALSE(model.codes().busy());
    CHECK(model.errors().empty());
}
