// core::store against real SQLite files in a fresh temporary directory per test.
#include "pd_test_paths.hpp"
#include "tests/core/store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <filesystem>

namespace fs = std::filesystem;
using namespace core;
using namespace storetest;
using core::store::CodeFilter;
using core::store::CodeSort;
using core::store::Store;

TEST_CASE("store: open creates the file and folders, uses WAL and the latest schema") {
    TempDir dir;
    const std::string path = dir.file("a/b/pickupdesk.sqlite");
    auto store = openStore(path);
    CHECK(fs::exists(path));
    CHECK(store->path() == path);
    CHECK(store->schemaVersion() == Store::latestSchemaVersion());
    CHECK(Store::latestSchemaVersion() >= 2);
    CHECK(store->db().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(store->db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
    CHECK(store->db().execAndGet("PRAGMA synchronous").getInt() == 1);  // NORMAL
    CHECK(store->db().execAndGet("PRAGMA busy_timeout").getInt() == 5000);
}

TEST_CASE("store: reopening keeps the data") {
    TempDir dir;
    const std::string path = dir.file("pd.sqlite");
    {
        auto store = openStore(path);
        addProfile(*store, "kept");
        REQUIRE(store->upsertCodes({makeCode(1, "12345678", std::nullopt)}).ok());
    }
    auto store = openStore(path);
    CHECK(store->profileByName("kept").ok());
    auto code = store->codeById("16327138", 1);
    REQUIRE(code.ok());
    REQUIRE(code->has_value());
    CHECK((*code)->code == "12345678");
}

TEST_CASE("store: a file from a newer Pickup Desk is refused and left untouched") {
    TempDir dir;
    const std::string path = dir.file("newer.sqlite");
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE future(x); PRAGMA user_version = 99;");
    }
    const std::string before = readFile(path);
    auto store = Store::open(path);
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == ErrorCode::Storage);
    CHECK(store.error().message.find("newer Pickup Desk") != std::string::npos);
    CHECK(store.error().message.find(path) != std::string::npos);
    CHECK(readFile(path) == before);
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "delete");
}

TEST_CASE("store: a file that is not a database gives a Corrupt error") {
    TempDir dir;
    const std::string path = dir.file("notes.txt");
    std::ofstream(path) << "this is not sqlite, just some text that is long enough to have a header.......";
    auto store = Store::open(path);
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == ErrorCode::Corrupt);  // issue 8: damage is its own kind (tests/core/backup_test.cpp)
    CHECK(store.error().message.find(path) != std::string::npos);
}

TEST_CASE("store: a version 1 file migrates to the latest version with its rows intact") {
    TempDir dir;
    const std::string path = dir.file("v1.sqlite");
    {
        std::ifstream in(std::string(PD_TEST_DATA_DIR) + "/schema_v1.sql");
        REQUIRE(in.good());
        std::stringstream sql;
        sql << in.rdbuf();
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec(sql.str());
        REQUIRE(db.execAndGet("PRAGMA user_version").getInt() == 1);
    }
    auto store = openStore(path);
    CHECK(store->schemaVersion() == Store::latestSchemaVersion());

    auto active = store->activeProfile();
    REQUIRE(active.ok());
    REQUIRE(active->has_value());
    CHECK((*active)->name == "main");
    auto m = store->machine("16327138");
    REQUIRE(m.ok());
    CHECK(m->name == "南山店一号机");
    CHECK(m->timezone == "Asia/Shanghai");
    auto products = store->listProducts("16327138");
    REQUIRE(products.ok());
    REQUIRE(products->size() == 2);
    CHECK((*products)[0].name == "矿泉水");

    CodeFilter f;
    f.machineNo = "16327138";
    f.sort = CodeSort::Id;
    auto codes = store->queryCodes(f);
    REQUIRE(codes.ok());
    REQUIRE(codes->size() == 4);
    CHECK((*codes)[0].code == "10788613");
    CHECK((*codes)[0].requestId == 0);
    CHECK((*codes)[2].expiresUtc == std::nullopt);
    CHECK((*codes)[3].code == "00012345");
    f.codePrefix = "3141";
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{9003});

    // The new columns and tables work on the migrated file.
    auto updated = store->upsertCodes({makeCode(9001, "10788613", kNow + 10)});
    REQUIRE(updated.ok());
    CHECK(*updated == 0);
    GenerationRequest r;
    r.machineNo = "16327138";
    r.method = "pickup_code.product.id";
    CHECK(store->insertGenerationRequest(r).ok());
}

TEST_CASE("store: openReader reads a current file and never creates, migrates or writes one") {
    TempDir dir;
    const std::string missing = dir.file("missing.sqlite");
    auto none = Store::openReader(missing);
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == ErrorCode::NotFound);
    CHECK_FALSE(fs::exists(missing));

    const std::string old = dir.file("v1.sqlite");
    {
        std::ifstream in(std::string(PD_TEST_DATA_DIR) + "/schema_v1.sql");
        std::stringstream sql;
        sql << in.rdbuf();
        SQLite::Database db(old, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec(sql.str());
    }
    const std::string before = readFile(old);
    auto unmigrated = Store::openReader(old);
    REQUIRE_FALSE(unmigrated.ok());
    CHECK(unmigrated.error().code == ErrorCode::NotFound);
    CHECK(unmigrated.error().message.find("schema version 1") != std::string::npos);
    CHECK(readFile(old) == before);

    const std::string current = dir.file("pd.sqlite");
    {
        auto writer = openStore(current);
        addProfile(*writer);
        REQUIRE(writer->upsertCodes({makeCode(1, "11111111", kNow + 10)}).ok());
    }
    auto reader = Store::openReader(current);
    REQUIRE_MESSAGE(reader.ok(), (reader.ok() ? "" : reader.error().message));
    CHECK((*reader)->countCodes({}).value() == 1);
    CHECK((*reader)->profileByName("main").ok());
    CHECK_FALSE((*reader)->upsertCodes({makeCode(2, "22222222", kNow + 10)}).ok());
    CHECK((*reader)->countCodes({}).value() == 1);
}

TEST_CASE("store: profiles upsert by name, list, and exactly one is active") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    const auto a = addProfile(*store, "alpha");
    const auto b = addProfile(*store, "beta");
    CHECK(a != b);

    Profile changed;
    changed.name = "alpha";
    changed.baseUrl = "https://example.test";
    changed.appId = "app-2";
    changed.signEncoding = "form";
    changed.defaultTimezone = "Europe/Berlin";
    changed.caFile = "/etc/ca.pem";
    auto again = store->upsertProfile(changed);
    REQUIRE(again.ok());
    CHECK(*again == a);

    auto list = store->listProfiles();
    REQUIRE(list.ok());
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].name == "alpha");
    CHECK((*list)[0].baseUrl == "https://example.test");
    CHECK((*list)[0].signEncoding == "form");
    CHECK((*list)[0].defaultTimezone == "Europe/Berlin");
    CHECK((*list)[0].caFile == "/etc/ca.pem");

    auto none = store->activeProfile();
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());

    REQUIRE(store->setActiveProfile("alpha").ok());
    REQUIRE(store->setActiveProfile("beta").ok());
    auto active = store->activeProfile();
    REQUIRE(active.ok());
    CHECK((*active)->name == "beta");
    CHECK(store->db().execAndGet("SELECT count(*) FROM profiles WHERE active = 1").getInt() == 1);

    auto missing = store->setActiveProfile("nope");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK((*store->activeProfile())->name == "beta");  // unchanged by the failed call

    changed.active = true;  // upsert with active=true takes over
    REQUIRE(store->upsertProfile(changed).ok());
    CHECK((*store->activeProfile())->name == "alpha");
    CHECK(store->profileByName("zeta").error().code == ErrorCode::NotFound);
    CHECK(store->upsertProfile(Profile{}).error().code == ErrorCode::InvalidInput);
}

TEST_CASE("store: machine upsert keeps the user's timezone") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    const auto profile = addProfile(*store);
    Machine m = makeMachine("16327138", "一号机");
    m.timezone = "Europe/Paris";  // ignored: a new machine starts with ''
    m.online = true;
    REQUIRE(store->upsertMachines(profile, {m, makeMachine("16327139")}).ok());
    CHECK(store->machine("16327138")->timezone.empty());

    REQUIRE(store->setMachineTimezone("16327138", "Asia/Tokyo").ok());
    m.name = "renamed";
    m.online = false;
    m.timezone = "UTC";
    REQUIRE(store->upsertMachines(profile, {m}).ok());
    auto got = store->machine("16327138");
    REQUIRE(got.ok());
    CHECK(got->timezone == "Asia/Tokyo");
    CHECK(got->name == "renamed");
    CHECK_FALSE(got->online);

    auto list = store->listMachines(profile);
    REQUIRE(list.ok());
    CHECK(list->size() == 2);
    CHECK(store->setMachineTimezone("16327138", "Mars/Olympus").error().code == ErrorCode::InvalidInput);
    CHECK(store->setMachineTimezone("99999999", "UTC").error().code == ErrorCode::NotFound);
    CHECK(store->setMachineTimezone("16327139", "").ok());
    CHECK(store->upsertMachines(profile + 100, {m}).error().code == ErrorCode::NotFound);
    CHECK(store->machine("00000000").error().code == ErrorCode::NotFound);
}

TEST_CASE("store: replaceProducts swaps a machine's list; an unknown machine is refused") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    const auto profile = addProfile(*store);
    REQUIRE(store->upsertMachines(profile, {makeMachine("16327138")}).ok());
    std::vector<Product> products(3);
    for (int i = 0; i < 3; ++i) {
        products[static_cast<std::size_t>(i)].id = 500 + i;
        products[static_cast<std::size_t>(i)].name = "p" + std::to_string(i);
        products[static_cast<std::size_t>(i)].price = "0.10";
        products[static_cast<std::size_t>(i)].capacity = 10;
    }
    REQUIRE(store->replaceProducts("16327138", products).ok());
    CHECK(store->listProducts("16327138")->size() == 3);

    products.erase(products.begin());
    products[0].currentInventory = 4;
    REQUIRE(store->replaceProducts("16327138", products).ok());
    auto list = store->listProducts("16327138");
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].id == 501);
    CHECK((*list)[0].currentInventory == 4);
    CHECK((*list)[0].machineNo == "16327138");
    CHECK(store->product("16327138", 502)->price == "0.10");
    CHECK(store->product("16327138", 500).error().code == ErrorCode::NotFound);

    auto unknown = store->replaceProducts("99999999", products);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == ErrorCode::NotFound);
    CHECK(unknown.error().message.find("sync the machine list") != std::string::npos);

    // A duplicate id fails the whole replacement: the old list stays.
    products.push_back(products[0]);
    CHECK(store->replaceProducts("16327138", products).error().code == ErrorCode::Storage);
    CHECK(store->listProducts("16327138")->size() == 2);
}

TEST_CASE("store: generation requests insert, finish, reconcile and list") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    GenerationRequest r;
    r.profileId = 1;
    r.machineNo = "16327138";
    r.method = "pickup_code.product.id";
    r.productId = 501;
    r.count = 5;
    r.codeLength = 8;
    r.expiresGmt8 = "2025-10-23 20:51:37";
    r.requestedUtc = kNow;
    auto id = store->insertGenerationRequest(r);
    REQUIRE(id.ok());
    r.machineNo = "16327139";
    r.productId.reset();
    r.method = "pickup_code.product.all";
    auto id2 = store->insertGenerationRequest(r);
    REQUIRE(id2.ok());
    CHECK(*id2 > *id);

    REQUIRE(store->finishGenerationRequest(*id, Outcome::Unknown, 0, "timeout", "").ok());
    REQUIRE(store->finishGenerationRequest(*id2, Outcome::Ok, 200, "ok", "{\"code\":200,\"data\":{}}").ok());
    auto got = store->generationRequest(*id);
    REQUIRE(got.ok());
    CHECK(got->outcome == Outcome::Unknown);
    CHECK(got->productId == 501);
    CHECK(got->count == 5);
    CHECK(got->expiresGmt8 == "2025-10-23 20:51:37");
    CHECK_FALSE(got->reconciledUtc.has_value());

    auto unknown = store->listGenerationRequests(std::nullopt, Outcome::Unknown);
    REQUIRE(unknown.ok());
    REQUIRE(unknown->size() == 1);
    CHECK(unknown->front().id == *id);

    REQUIRE(store->markReconciled(*id, kNow + 50, Outcome::Ok).ok());
    got = store->generationRequest(*id);
    CHECK(got->outcome == Outcome::Ok);
    CHECK(got->reconciledUtc == kNow + 50);
    CHECK(store->generationRequest(*id2)->reply == "{\"code\":200,\"data\":{}}");
    CHECK(store->generationRequest(*id2)->productId == std::nullopt);

    auto all = store->listGenerationRequests(std::nullopt, std::nullopt);
    REQUIRE(all->size() == 2);
    CHECK(all->front().id == *id2);  // newest first
    CHECK(store->listGenerationRequests(std::string("16327138"), std::nullopt)->size() == 1);
    CHECK(store->listGenerationRequests(std::string("16327138"), Outcome::Failed)->empty());
    CHECK(store->markReconciled(999, kNow, Outcome::Ok).error().code == ErrorCode::NotFound);
    CHECK(store->finishGenerationRequest(999, Outcome::Ok, 0, "", "").error().code == ErrorCode::NotFound);
    CHECK(store->generationRequest(999).error().code == ErrorCode::NotFound);
}

TEST_CASE("store: Chinese text round-trips byte-exact") {
    TempDir dir;
    const std::string path = dir.file("中文目录/数据.sqlite");
    auto store = openStore(path);
    const std::string name = "南山店一号机 🥤 饮料/零食";
    const auto profile = addProfile(*store, "商户一");
    Machine m = makeMachine("16327138", name);
    m.address = "深圳市南山区科技园";
    REQUIRE(store->upsertMachines(profile, {m}).ok());
    Product p;
    p.id = 1;
    p.name = "矿泉水";
    p.category = "饮料";
    REQUIRE(store->replaceProducts("16327138", {p}).ok());
    REQUIRE(store->upsertCodes({makeCode(1, "码一", std::nullopt)}).ok());

    CHECK(store->machine("16327138")->name == name);
    CHECK(store->machine("16327138")->address == "深圳市南山区科技园");
    CHECK(store->profileByName("商户一")->name == "商户一");
    CHECK(store->product("16327138", 1)->name == "矿泉水");
    CodeFilter f;
    f.codePrefix = "码";
    auto codes = store->queryCodes(f);
    REQUIRE(codes->size() == 1);
    CHECK(codes->front().code == "码一");
}

TEST_CASE("store: no column could hold a secret") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    SQLite::Statement tables(store->db(), "SELECT name FROM sqlite_schema WHERE type = 'table'");
    int columns = 0;
    while (tables.executeStep()) {
        const std::string table = tables.getColumn(0).getString();
        SQLite::Statement info(store->db(), "SELECT name FROM pragma_table_info(?)");
        info.bind(1, table);
        while (info.executeStep()) {
            std::string column = info.getColumn(0).getString();
            std::transform(column.begin(), column.end(), column.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            ++columns;
            const std::string where = table + "." + column;
            CHECK_MESSAGE(column.find("secret") == std::string::npos, where);
            CHECK_MESSAGE(column.find("password") == std::string::npos, where);
            // A "key" column must be reviewed and listed here: push_events.dedup_key is a message digest,
            // profiles.mqtt_client_key the path of a client key file (the key itself stays in its file).
            const bool reviewed = where == "push_events.dedup_key" || where == "profiles.mqtt_client_key";
            CHECK_MESSAGE((reviewed || column.find("key") == std::string::npos), where);
            CHECK_MESSAGE(column.find("token") == std::string::npos, where);
        }
    }
    CHECK(columns > 30);
}

TEST_CASE("store: an in-memory store works without a file") {
    auto store = openStore(":memory:");
    CHECK(store->schemaVersion() == Store::latestSchemaVersion());
    CHECK(store->upsertCodes({makeCode(1, "12345678", std::nullopt)}).value() == 1);
    CHECK(Store::open("").error().code == ErrorCode::InvalidInput);
}

TEST_CASE("store: a write-ahead log a reader holds on to is truncated once the reader lets go") {
    TempDir dir;
    const std::string path = dir.file("wal.db");
    auto s = openStore(path);
    SQLite::Database reader(path, SQLite::OPEN_READONLY);
    reader.exec("BEGIN");
    CHECK(reader.execAndGet("SELECT count(*) FROM codes").getInt() == 0);  // a snapshot from before the writes

    for (int i = 1; i <= 300; ++i) REQUIRE(s->upsertCodes({makeCode(i, "C" + std::to_string(i), kNow + 3600)}).ok());
    const auto walBytes = [&] { return fs::file_size(path + "-wal"); };
    const auto grown = walBytes();
    CHECK(grown > 256 * 1024);  // 300 commits, none of them could restart the log

    CHECK(s->checkpointIfLarge(grown + 1, 10).value() == false);   // under the limit: nothing to do
    CHECK(s->checkpointIfLarge(64 * 1024, 50).value() == false);   // the reader still uses it
    CHECK(walBytes() >= grown);
    CHECK(reader.execAndGet("SELECT count(*) FROM codes").getInt() == 0);  // its snapshot is intact

    reader.exec("COMMIT");
    CHECK(s->checkpointIfLarge(64 * 1024, 50).value() == true);
    CHECK(walBytes() == 0);
    CHECK(reader.execAndGet("SELECT count(*) FROM codes").getInt() == 300);
    CodeFilter all;
    CHECK(s->countCodes(all).value() == 300);
}
