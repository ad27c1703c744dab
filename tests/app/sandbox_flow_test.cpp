// View models against a real SQLite file and the real simulator, through the real worker threads.
#include "app/desktop/app_model.hpp"
#include "core/store/store.hpp"
#include "core/tz/machine_time.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/support/sim_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace app::desktop;
using apptest::configIn;
using apptest::pumpUntil;

namespace {

bool ready(AppModel& model, const std::string& machine) {
    return model.machines().loaded() && model.products().loaded() && model.products().machineNo() == machine &&
           !model.products().rows().empty() && model.codes().counted() && model.pending() == 0;
}

// 1,000 codes on one machine: ids 1..1000, codes "1000000".."1000999" reversed against ids, every
// tenth used, ids 1..100 expired, ids > 900 never expire; products 7001/7002 alternate.
void seedCodes(const std::string& dbPath, core::Instant now) {
    auto store = core::store::Store::open(dbPath);
    REQUIRE(store.ok());
    core::Profile p;
    p.name = "seed";
    p.baseUrl = "http://127.0.0.1:1";
    p.appId = "x";
    auto pid = (*store)->upsertProfile(p);
    REQUIRE(pid.ok());
    core::Machine m;
    m.machineNo = "M1";
    m.name = "测试机";
    REQUIRE((*store)->upsertMachines(*pid, {m}).ok());
    std::vector<core::PickupCode> codes;
    for (int i = 1; i <= 1000; ++i) {
        core::PickupCode c;
        c.machineNo = "M1";
        c.id = i;
        c.productId = i % 2 == 0 ? 7002 : 7001;
        c.code = std::to_string(1000000 + (1000 - i));
        c.status = i % 10 == 0 ? core::CodeStatus::Used : core::CodeStatus::Unused;
        c.createdUtc = now - 1000 + i;
        if (i <= 100) c.expiresUtc = now - 3600;
        else if (i <= 900) c.expiresUtc = now + 3600 * i;
        codes.push_back(c);
    }
    REQUIRE((*store)->upsertCodes(codes).ok());
}

}  // namespace

TEST_CASE("codes view model: pages on demand, sorts, filters, drops stale pages, selects and copies") {
    testsupport::TempDir dir;
    const core::Instant now = core::tz::nowUtc();
    seedCodes(dir.file("pickupdesk.db"), now);
    AppModel model(configIn(dir), {});
    auto& codes = model.codes();
    codes.setMachine("M1", "Asia/Shanghai");
    REQUIRE(pumpUntil(model, [&] { return codes.counted(); }));
    CHECK(codes.total() == 1000);
    CHECK(codes.row(450) == nullptr);  // page 2 not loaded yet: asked for
    REQUIRE(pumpUntil(model, [&] { return codes.row(450) != nullptr; }));
    // Default sort: expiry ascending, never-expiring last.
    CHECK(codes.row(450)->expiresUtc.has_value());
    REQUIRE(pumpUntil(model, [&] { return codes.row(999) != nullptr; }));
    CHECK_FALSE(codes.row(999)->expiresUtc.has_value());

    codes.setSort(core::store::CodeSort::Code, true);
    REQUIRE(pumpUntil(model, [&] { return codes.counted() && codes.row(0) != nullptr; }));
    CHECK(codes.row(0)->code == "1000999");
    CHECK(codes.row(0)->id == 1);
    REQUIRE(pumpUntil(model, [&] { return codes.row(999) != nullptr; }));
    CHECK(codes.row(999)->code == "1000000");

    codes.setStatus(core::CodeStatus::Used);
    REQUIRE(pumpUntil(model, [&] { return codes.counted(); }));
    CHECK(codes.total() == 100);
    codes.setStatus(core::CodeStatus::Expired);
    REQUIRE(pumpUntil(model, [&] { return codes.counted(); }));
    CHECK(codes.total() == 90);  // ids 1..100 minus the used ones (10, 20, ..., 100)
    codes.setStatus(std::nullopt);
    codes.setProduct(7002);
    codes.setPrefix("10009x");  // non-digits dropped: prefix 10009
    REQUIRE(pumpUntil(model, [&] { return codes.counted(); }));
    // Codes 1000900..1000999 are ids 100..1; even ids are product 7002: 50 codes.
    CHECK(codes.total() == 50);
    REQUIRE(pumpUntil(model, [&] { return codes.row(0) != nullptr; }));
    CHECK(codes.row(0)->productId == 7002);

    // Pushes mark the table stale; it recounts once, when it is next drawn (refreshIfStale).
    const auto drawn = codes.generation();
    codes.invalidate();
    CHECK(codes.stale());
    CHECK(codes.generation() == drawn);  // nothing asked of the worker yet
    codes.refreshIfStale();
    CHECK_FALSE(codes.stale());
    CHECK(codes.generation() == drawn + 1);
    codes.refreshIfStale();
    CHECK(codes.generation() == drawn + 1);
    REQUIRE(pumpUntil(model, [&] { return codes.counted(); }));
    CHECK(codes.total() == 50);  // filters kept

    // A page answering an older filter is ignored.
    const auto stale = codes.generation() - 1;
    codes.apply(CodesCounted{stale, 12345});
    CHECK(codes.total() == 50);

    // The recount dropped the pages: rows 0..2 arrive after the count, in a later pump.
    REQUIRE(pumpUntil(model, [&] { return codes.row(0) != nullptr && codes.row(2) != nullptr; }));
    codes.click(0, false, false);
    codes.click(2, false, true);  // shift: rows 0..2
    CHECK(codes.selectedCount() == 3);
    codes.click(1, true, false);  // ctrl: toggle row 1 off
    CHECK(codes.selectedCount() == 2);
    const std::string text = codes.clipboardText();
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);
    REQUIRE(codes.row(0) != nullptr);
    CHECK(text.find(codes.row(0)->code) != std::string::npos);

    // Expiry shown in the machine zone, UTC or this computer's zone.
    core::PickupCode c;
    c.expiresUtc = 1893456000;  // 2030-01-01T00:00:00Z
    CHECK(codes.rowTimes(c).expires == "2030-01-01 08:00:00");
    codes.setTimeMode(TimeMode::Utc);
    CHECK(codes.rowTimes(c).expires == "2030-01-01 00:00:00");
    c.expiresUtc.reset();
    CHECK(codes.rowTimes(c).expires.empty());

    // The table's row times: formatted once per code and zone, again when the zone or a time changes.
    core::PickupCode r;
    r.id = 7;
    r.expiresUtc = 1893456000;  // 2030-01-01T00:00:00Z
    r.createdUtc = 1893452400;  // an hour before
    codes.setTimeMode(TimeMode::Machine);
    CHECK(codes.rowTimes(r).expires == "2030-01-01 08:00:00");
    CHECK(codes.rowTimes(r).created == "2030-01-01 07:00:00");
    codes.setTimeMode(TimeMode::Utc);
    CHECK(codes.rowTimes(r).expires == "2030-01-01 00:00:00");
    CHECK(codes.rowTimes(r).created == "2029-12-31 23:00:00");
    r.expiresUtc = 1893459600;  // the same code, a new expiry
    CHECK(codes.rowTimes(r).expires == "2030-01-01 01:00:00");
    r.expiresUtc.reset();
    r.createdUtc.reset();
    CHECK(codes.rowTimes(r).expires.empty());
    CHECK(codes.rowTimes(r).created.empty());
}

TEST_CASE("sandbox: machines and products load from the simulator with Chinese names and code counts") {
    testsupport::SimServer sim;
    testsupport::TempDir dir;
    AppModel model(configIn(dir), {});
    model.setPreferredMachine("16327138");
    model.start(true, sim.url());
    REQUIRE(pumpUntil(model, [&] { return ready(model, "16327138"); }));
    REQUIRE(model.status().profile.has_value());
    CHECK(model.status().profile->name == "sandbox");
    CHECK(model.status().secretsInMemoryOnly);
    CHECK(model.status().http == LinkState::Ok);
    const auto* machine = model.machines().selected();
    REQUIRE(machine != nullptr);
    CHECK(machine->name == "上海静安寺店");
    CHECK(model.products().rows().size() == 23);
    CHECK(model.products().rows()[0].product.name == "可口可乐 330ml");
    CHECK(model.errors().empty());
}

TEST_CASE("sandbox: generate for a New York machine, codes appear in the table, delete one") {
    testsupport::SimServer sim;
    testsupport::TempDir dir;
    AppModel model(configIn(dir), {});
    model.setPreferredMachine("20240601");
    model.start(true, sim.url());
    REQUIRE(pumpUntil(model, [&] { return ready(model, "20240601"); }));
    // The simulator's machine zone is not set locally yet: set it like a merchant would.
    model.saveTimezone("20240601", "America/New_York");
    REQUIRE(pumpUntil(model, [&] { return model.codes().counted() && model.pending() == 0 &&
                                          model.machines().effectiveZone(*model.machines().selected()) == "America/New_York"; }));
    const std::int64_t before = model.codes().total();
    const auto product = model.products().rows()[0].product;

    model.openGenerate(product.id);
    auto& gen = model.generate();
    REQUIRE(gen.isOpen());
    CHECK(gen.zone() == "America/New_York");
    gen.form().count = 3;
    gen.form().length = 8;
    gen.form().never = false;
    gen.form().expiresLocal = "2030-01-15 18:00";
    CHECK(gen.preview().gmt8 == "2030-01-16 07:00:00");
    REQUIRE(gen.submit());
    CHECK(gen.state() == GenerateState::Running);
    REQUIRE(pumpUntil(model, [&] { return gen.state() != GenerateState::Running; }));
    INFO((gen.error() ? gen.error()->message : std::string()));
    REQUIRE(gen.state() == GenerateState::Done);
    REQUIRE(gen.result().has_value());
    CHECK(gen.result()->codes.size() == 3);
    CHECK(gen.result()->expiresGmt8 == "2030-01-16 07:00:00");
    for (const auto& c : gen.result()->codes) CHECK(c.code.size() == 8);

    REQUIRE(pumpUntil(model, [&] { return model.codes().counted() && model.pending() == 0; }));
    CHECK(model.codes().total() == before + 3);
    const auto* row = model.products().find(product.id);
    REQUIRE(row != nullptr);
    CHECK(row->unused >= 3);

    // Delete one generated code through the worker.
    auto& codes = model.codes();
    codes.setPrefix(gen.result()->codes[0].code);
    REQUIRE(pumpUntil(model, [&] { return codes.counted() && codes.row(0) != nullptr; }));
    CHECK(codes.total() == 1);
    codes.click(0, false, false);
    model.deleteSelectedCodes();
    REQUIRE(pumpUntil(model, [&] { return model.status().lastDelete.has_value(); }));
    CHECK(model.status().lastDelete->deleted == 1);
    CHECK_FALSE(model.status().lastDelete->error.has_value());
    codes.setStatus(core::CodeStatus::Deleted);
    REQUIRE(pumpUntil(model, [&] { return codes.counted() && model.pending() == 0; }));
    CHECK(codes.total() == 1);
}

TEST_CASE("sandbox: a create whose reply is lost is outcome unknown and Reconcile resolves it") {
    testsupport::SimServer sim;
    testsupport::TempDir dir;
    AppModel model(configIn(dir), {});
    model.setPreferredMachine("16327138");
    model.start(true, sim.url());
    REQUIRE(pumpUntil(model, [&] { return ready(model, "16327138"); }));
    sim.setFaults({{"drop_after_create", true}});
    model.openGenerate(model.products().rows()[0].product.id);
    auto& gen = model.generate();
    gen.form().never = true;
    REQUIRE(gen.submit());
    REQUIRE(pumpUntil(model, [&] { return gen.state() != GenerateState::Running; }, 30000));
    CHECK(gen.state() == GenerateState::Unknown);
    REQUIRE(gen.error().has_value());
    CHECK(gen.error()->code == core::ErrorCode::OutcomeUnknown);
    sim.setFaults({{"drop_after_create", false}});
    gen.reconcile();
    REQUIRE(pumpUntil(model, [&] { return !gen.reconciling(); }));
    REQUIRE(gen.reconciled().size() == 1);
    CHECK(gen.reconciled()[0].outcome == core::Outcome::Ok);
    CHECK(gen.state() == GenerateState::Done);
}
