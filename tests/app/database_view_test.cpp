// The File > Back up / Restore dialogs (database_view.cpp) driven headlessly: real clicks on the
// real buttons, the real AppModel and Backend on a real database file.
#include "pd_test_paths.hpp"
#include "app/desktop/database_view.hpp"
#include "app/desktop/app_model.hpp"
#include "app/desktop/i18n.hpp"
#include "core/config/instance_lock.hpp"
#include "core/store/backup.hpp"
#include "core/store/store.hpp"
#include "tests/app/headless_ui.hpp"
#include "tests/support/temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <filesystem>

using namespace app::desktop;
using apptest::HeadlessUi;

namespace {

std::int64_t countCodes(const std::string& db) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    return d.execAndGet("SELECT count(*) FROM codes").getInt64();
}

void addCodes(const std::string& db, int count, std::int64_t firstId) {
    auto store = core::store::Store::open(db);
    REQUIRE(store.ok());
    std::vector<core::PickupCode> codes;
    for (int i = 0; i < count; ++i) {
        core::PickupCode c;
        c.machineNo = "16327138";
        c.id = firstId + i;
        c.productId = 20001;
        c.code = std::to_string(60000000 + firstId + i);
        codes.push_back(c);
    }
    REQUIRE((*store)->upsertCodes(codes).ok());
}

}  // namespace

TEST_CASE("headless UI: Back up database writes a checked copy in the backups folder, Restore brings it back") {
    testsupport::TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    addCodes(db, 12, 1);
    auto lock = core::config::InstanceLock::acquire(db, "pickupdesk");
    REQUIRE(lock.ok());
    I18n i18n;
    std::string error;
    REQUIRE_MESSAGE(i18n.load(PD_I18N_DIR, "en", error), error);
    setActiveCatalog(&i18n);
    BackendConfig config;
    config.dbPath = db;
    config.workDir = dir.path();
    config.useKeychain = false;
    config.instanceLock = lock->get();
    AppModel model(config, {});
    model.start(false, "");
    DatabaseView view(model);
    HeadlessUi ui;
    ui.setBetweenFrames([&] { model.pump(); });
    ui.setDraw([&] {
        ImGui::Begin("##host");
        view.draw();
        ImGui::End();
    });
    auto button = [&](const char* key) {
        const ImGuiWindow* popup = ui.window("##database");
        REQUIRE(popup != nullptr);
        return HeadlessUi::id(HeadlessUi::scope(popup), {tr(key)});
    };

    view.openBackup();
    ui.frame(2);
    REQUIRE_MESSAGE(ui.click("##database", button("db.backup_run")), ui.lastError());
    REQUIRE(ui.runUntil([&] { return model.status().lastBackup.has_value(); }));
    REQUIRE(model.status().lastBackup->info);
    const std::string saved = model.status().lastBackup->info->path;
    CHECK(saved.rfind(dir.file("backups/pickupdesk-"), 0) == 0);  // the suggested name
    CHECK(countCodes(saved) == 12);
    REQUIRE_MESSAGE(ui.click("##database", button("common.close")), ui.lastError());
    ui.frame(2);
    CHECK(ui.window("##database") == nullptr);

    addCodes(db, 3, 500);
    view.openRestore();  // suggests the newest backup: the one just made
    ui.frame(2);
    REQUIRE_MESSAGE(ui.click("##database", button("db.restore_run")), ui.lastError());
    REQUIRE(ui.runUntil([&] { return model.status().lastRestore.has_value(); }));
    REQUIRE(model.status().lastRestore->outcome);
    CHECK(model.status().lastRestore->outcome->restored.path == saved);
    CHECK(countCodes(db) == 12);
    setActiveCatalog(nullptr);
}
