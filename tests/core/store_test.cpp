// core::store against real SQLite files in a fresh temporary directory per test.
#include "core/store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

namespace fs = std::filesystem;
using namespace core;
using core::store::CodeFilter;
using core::store::CodeSort;
using core::store::Store;

namespace {

constexpr Instant kNow = 1761200000;  // fixed "now" for derived statuses

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        for (;;) {
            m_path = fs::temp_directory_path() / ("pd-store-test-" + std::to_string(rd()));
            if (fs::create_directory(m_path)) break;
        }
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    fs::path m_path;
};

std::unique_ptr<Store> openStore(const std::string& path) {
    auto store = Store::open(path);
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().message));
    return std::move(store.value());
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::int64_t addProfile(Store& s, const std::string& name = "main") {
    Profile p;
    p.name = name;
    p.baseUrl = "https://www.awish.vip";
    p.appId = "app-1";
    auto id = s.upsertProfile(p);
    REQUIRE(id.ok());
    return *id;
}

Machine makeMachine(const std::string& no, const std::string& name = "m") {
    Machine m;
    m.machineNo = no;
    m.name = name;
    return m;
}

PickupCode makeCode(std::int64_t id, const std::string& code, std::optional<Instant> expires,
                    CodeStatus status = CodeStatus::Unused, std::int64_t productId = 501,
                    const std::string& machineNo = "16327138") {
    PickupCode c;
    c.machineNo = machineNo;
    c.id = id;
    c.productId = productId;
    c.code = code;
    c.status = status;
    c.createdUtc = kNow - 1000 + id;
    c.expiresUtc = expires;
    c.updatedUtc = kNow;
    return c;
}

std::vector<std::int64_t> ids(const std::vector<PickupCode>& codes) {
    std::vector<std::int64_t> out;
    for (const auto& c : codes) out.push_back(c.id);
    return out;
}

std::vector<std::int64_t> queryIds(Store& s, CodeFilter f) {
    if (f.now == 0) f.now = kNow;
    auto r = s.queryCodes(f);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return ids(*r);
}

// Codes 1..6 of machine 16327138 with every stored status and expiry shape (kNow = 1761200000).
void seedStatusCodes(Store& s) {
    std::vector<PickupCode> codes = {
        makeCode(1, "11110001", kNow + 3600),                          // unused
        makeCode(2, "11110002", kNow - 60),                            // expired
        makeCode(3, "22220003", std::nullopt),                         // unused, never expires
        makeCode(4, "22220004", kNow + 60, CodeStatus::Used, 502),     // used
        makeCode(5, "33330005", kNow - 60, CodeStatus::Deleted, 502),  // deleted
        makeCode(6, "33330006", kNow, CodeStatus::Unknown, 502),       // unknown
    };
    auto added = s.upsertCodes(codes);
    REQUIRE(added.ok());
    REQUIRE(*added == 6);
}

}  // namespace

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

TEST_CASE("store: a file that is not a database gives a Storage error") {
    TempDir dir;
    const std::string path = dir.file("notes.txt");
    std::ofstream(path) << "this is not sqlite, just some text that is long enough to have a header.......";
    auto store = Store::open(path);
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == ErrorCode::Storage);
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

TEST_CASE("store: upsertCodes counts new rows and never duplicates") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    auto first = store->upsertCodes({makeCode(1, "11111111", kNow + 10), makeCode(2, "22222222", std::nullopt)});
    REQUIRE(first.ok());
    CHECK(*first == 2);

    PickupCode changed = makeCode(2, "22222222", kNow + 99);
    changed.quantity = 3;
    changed.requestId = 7;
    auto second =
        store->upsertCodes({makeCode(1, "11111111", kNow + 10), changed, makeCode(3, "33333333", std::nullopt)});
    REQUIRE(second.ok());
    CHECK(*second == 1);
    CHECK(store->countCodes({}).value() == 3);
    auto two = store->codeById("16327138", 2);
    REQUIRE(two->has_value());
    CHECK((*two)->quantity == 3);
    CHECK((*two)->expiresUtc == kNow + 99);
    CHECK((*two)->requestId == 7);

    // The same id on another machine is a different code.
    CHECK(store->upsertCodes({makeCode(1, "11111111", std::nullopt, CodeStatus::Unused, 501, "16327139")}).value() ==
          1);
    CHECK(store->upsertCodes({}).value() == 0);
    CHECK_FALSE(store->codeById("16327138", 99)->has_value());
}

TEST_CASE("store: a code's status never moves backwards") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    REQUIRE(store
                ->upsertCodes({makeCode(1, "11111111", std::nullopt, CodeStatus::Used),
                               makeCode(2, "22222222", std::nullopt, CodeStatus::Deleted),
                               makeCode(3, "33333333", std::nullopt)})
                .ok());
    // A stale listing says everything is unused again.
    REQUIRE(store
                ->upsertCodes({makeCode(1, "11111111", std::nullopt),
                               makeCode(2, "22222222", std::nullopt, CodeStatus::Unknown),
                               makeCode(3, "33333333", std::nullopt, CodeStatus::Used)})
                .ok());
    CHECK((*store->codeById("16327138", 1))->status == CodeStatus::Used);
    CHECK((*store->codeById("16327138", 2))->status == CodeStatus::Deleted);
    CHECK((*store->codeById("16327138", 3))->status == CodeStatus::Used);

    auto back = store->setCodeStatus("16327138", 1, CodeStatus::Unused);
    REQUIRE_FALSE(back.ok());
    CHECK(back.error().code == ErrorCode::InvalidInput);
    CHECK(store->setCodeStatus("16327138", 1, CodeStatus::Expired).error().code == ErrorCode::InvalidInput);
    CHECK(store->setCodeStatus("16327138", 42, CodeStatus::Used).error().code == ErrorCode::NotFound);
    REQUIRE(store->upsertCodes({makeCode(4, "44444444", std::nullopt)}).ok());
    REQUIRE(store->setCodeStatus("16327138", 4, CodeStatus::Deleted).ok());
    CHECK((*store->codeById("16327138", 4))->status == CodeStatus::Deleted);
}

TEST_CASE("store: derived Expired and every status filter") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    seedStatusCodes(*store);
    CodeFilter f;
    f.now = kNow;
    f.sort = CodeSort::Id;
    auto all = store->queryCodes(f);
    REQUIRE(all.ok());
    REQUIRE(all->size() == 6);
    CHECK((*all)[0].status == CodeStatus::Unused);
    CHECK((*all)[1].status == CodeStatus::Expired);
    CHECK((*all)[2].status == CodeStatus::Unused);
    CHECK((*all)[3].status == CodeStatus::Used);
    CHECK((*all)[4].status == CodeStatus::Deleted);
    CHECK((*all)[5].status == CodeStatus::Unknown);

    auto with = [&](CodeStatus s) {
        CodeFilter g = f;
        g.status = s;
        CHECK(store->countCodes(g).value() == static_cast<std::int64_t>(queryIds(*store, g).size()));
        return queryIds(*store, g);
    };
    CHECK(with(CodeStatus::Unused) == std::vector<std::int64_t>{1, 3});
    CHECK(with(CodeStatus::Expired) == std::vector<std::int64_t>{2});
    CHECK(with(CodeStatus::Used) == std::vector<std::int64_t>{4});
    CHECK(with(CodeStatus::Deleted) == std::vector<std::int64_t>{5});
    CHECK(with(CodeStatus::Unknown) == std::vector<std::int64_t>{6});

    // Expiring exactly at `now` is not expired yet; one second later it is.
    REQUIRE(store->upsertCodes({makeCode(7, "77777777", kNow)}).ok());
    CHECK(with(CodeStatus::Unused) == std::vector<std::int64_t>{1, 3, 7});
    f.now = kNow + 1;
    CHECK(with(CodeStatus::Expired) == std::vector<std::int64_t>{2, 7});

    f.now = kNow;
    f.productId = 502;
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{4, 5, 6});
    f.productId.reset();
    f.expiresFrom = kNow;
    f.expiresTo = kNow + 61;
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{4, 6, 7});
    f.expiresTo.reset();  // from only: never-expiring codes are not included
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{1, 4, 6, 7});

    f.expiresFrom.reset();
    CHECK(store->markAllDeleted("16327138").value() == 4);  // 1, 2 (expired), 3, 7
    CHECK(with(CodeStatus::Deleted).size() == 5);
}

TEST_CASE("store: sort orders, both directions, never-expiring last") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    seedStatusCodes(*store);
    REQUIRE(store->upsertCodes({makeCode(7, "00000007", kNow + 3600, CodeStatus::Unused, 400, "10000000")}).ok());
    CodeFilter f;
    using V = std::vector<std::int64_t>;
    auto check = [&](CodeSort sort, const V& expected) {
        f.sort = sort;
        f.descending = false;
        CHECK(queryIds(*store, f) == expected);
        f.descending = true;
        CHECK(queryIds(*store, f) == V(expected.rbegin(), expected.rend()));
    };
    // Expiry ties (1 and 7 at kNow+3600) break on machine_no: 10000000 < 16327138. NULL (3) last.
    check(CodeSort::ExpiresUtc, V{2, 5, 6, 4, 7, 1, 3});
    check(CodeSort::Code, V{7, 1, 2, 3, 4, 5, 6});
    check(CodeSort::Id, V{1, 2, 3, 4, 5, 6, 7});
    check(CodeSort::ProductId, V{7, 1, 2, 3, 4, 5, 6});
    check(CodeSort::CreatedUtc, V{1, 2, 3, 4, 5, 6, 7});
    check(CodeSort::MachineNo, V{7, 1, 2, 3, 4, 5, 6});
    // Derived status order: unused, used, expired, deleted, unknown.
    check(CodeSort::Status, V{7, 1, 3, 4, 2, 5, 6});
}

TEST_CASE("store: code prefix filter uses a range and the code index") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    REQUIRE(store
                ->upsertCodes({makeCode(1, "1999", std::nullopt), makeCode(2, "2000", std::nullopt),
                               makeCode(3, "20001234", std::nullopt), makeCode(4, "2001", std::nullopt),
                               makeCode(5, "200", std::nullopt), makeCode(6, "29999999", std::nullopt)})
                .ok());
    CodeFilter f;
    f.sort = CodeSort::Id;
    f.codePrefix = "2000";
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{2, 3});
    f.codePrefix = "2";
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{2, 3, 4, 5, 6});
    f.codePrefix = "9";
    CHECK(queryIds(*store, f).empty());
    f.codePrefix = "";  // empty = no filter
    CHECK(queryIds(*store, f).size() == 6);

    f.codePrefix = "2000";
    auto plan = store->explainCodeQuery(f);
    REQUIRE(plan.ok());
    bool usesCodeIndex = false;
    for (const auto& line : *plan)
        usesCodeIndex |= line.find("idx_codes_code (code>? AND code<?)") != std::string::npos;
    CHECK_MESSAGE(usesCodeIndex, (plan->empty() ? "" : plan->front()));
}

TEST_CASE("store: the page query uses idx_codes_page without a temp sort") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    CodeFilter f;
    f.machineNo = "16327138";
    f.productId = 501;
    f.status = CodeStatus::Unused;
    f.limit = 100;
    auto plan = store->explainCodeQuery(f);
    REQUIRE(plan.ok());
    std::string all;
    for (const auto& line : *plan) all += line + "\n";
    CHECK_MESSAGE(all.find("idx_codes_page") != std::string::npos, all);
    CHECK_MESSAGE(all.find("TEMP B-TREE") == std::string::npos, all);
}

TEST_CASE("store: limit and offset page through a stable order") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    std::vector<PickupCode> codes;
    for (int i = 1; i <= 25; ++i)
        codes.push_back(makeCode(i, std::to_string(10000000 + i), kNow + 100));  // all tie on expiry
    REQUIRE(store->upsertCodes(codes).ok());
    CodeFilter f;
    f.limit = 10;
    std::vector<std::int64_t> seen;
    for (int page = 0; page < 3; ++page) {
        f.offset = page * 10;
        auto got = queryIds(*store, f);
        CHECK(got.size() == (page < 2 ? 10u : 5u));
        seen.insert(seen.end(), got.begin(), got.end());
    }
    CHECK(seen.front() == 1);
    CHECK(seen.back() == 25);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    f.limit = 0;
    f.offset = 20;
    CHECK(queryIds(*store, f).size() == 5);
    f.offset = -1;
    CHECK(store->queryCodes(f).error().code == ErrorCode::InvalidInput);
    CHECK(store->countCodes({}).value() == 25);
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

TEST_CASE("store: requestId filter") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    PickupCode a = makeCode(1, "11111111", std::nullopt);
    a.requestId = 42;
    REQUIRE(store->upsertCodes({a, makeCode(2, "22222222", std::nullopt)}).ok());
    CodeFilter f;
    f.requestId = 42;
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{1});
    f.requestId = 0;  // codes of no known request
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{2});
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

TEST_CASE("store: a failing row rolls back the whole batch") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    REQUIRE(store->upsertCodes({makeCode(1, "11111111", std::nullopt)}).ok());
    std::vector<PickupCode> batch;
    for (int i = 2; i <= 20; ++i) batch.push_back(makeCode(i, std::to_string(10000000 + i), std::nullopt));
    batch[10].quantity = 0;  // violates CHECK (quantity >= 1)
    PickupCode update = makeCode(1, "11111111", std::nullopt, CodeStatus::Used);
    batch.insert(batch.begin(), update);
    auto result = store->upsertCodes(batch);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::Storage);
    CHECK(result.error().message.find("CHECK constraint failed") != std::string::npos);
    CHECK(result.error().message.find("nothing was saved") != std::string::npos);
    CHECK(store->countCodes({}).value() == 1);
    CHECK((*store->codeById("16327138", 1))->status == CodeStatus::Unused);  // the update was undone too
    // The connection is usable afterwards.
    CHECK(store->upsertCodes({makeCode(2, "22222222", std::nullopt)}).value() == 1);
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
