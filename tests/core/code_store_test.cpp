// core::store: the codes table (upserts, status rules, filters, sorting, paging, plans) on real SQLite files.
#include "tests/core/store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

using namespace core;
using namespace storetest;
using core::store::CodeFilter;
using core::store::CodeSort;
using core::store::Store;

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

TEST_CASE("store: mergeCodes counts changed codes; one listed again as stored is not rewritten") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    REQUIRE(store->upsertCodes({makeCode(1, "11111111", kNow + 10), makeCode(2, "22222222", std::nullopt, CodeStatus::Used),
                                makeCode(3, "33333333", kNow + 30)})
                .ok());
    PickupCode again = makeCode(1, "11111111", kNow + 10);
    again.updatedUtc = kNow + 500;
    PickupCode staleUnused = makeCode(2, "22222222", std::nullopt);  // a push already marked it used
    staleUnused.updatedUtc = kNow + 500;
    PickupCode longer = makeCode(3, "33333333", kNow + 3000);
    longer.updatedUtc = kNow + 500;
    auto merged = store->mergeCodes({again, staleUnused, longer, makeCode(4, "44444444", std::nullopt)});
    REQUIRE(merged.ok());
    CHECK(merged->added == 1);
    CHECK(merged->changed == 1);  // only code 3: its expiry moved
    CHECK((*store->codeById("16327138", 1))->updatedUtc == kNow);
    CHECK((*store->codeById("16327138", 2))->updatedUtc == kNow);
    CHECK((*store->codeById("16327138", 2))->status == CodeStatus::Used);
    CHECK((*store->codeById("16327138", 3))->updatedUtc == kNow + 500);
    CHECK((*store->codeById("16327138", 3))->expiresUtc == kNow + 3000);

    // Every field counts: product, code text, quantity, a status that may move, request, creation time.
    PickupCode moved = makeCode(1, "11111111", kNow + 10, CodeStatus::Used);
    CHECK(store->mergeCodes({moved}).value().changed == 1);
    CHECK(store->mergeCodes({moved}).value().changed == 0);
    PickupCode requested = moved;
    requested.requestId = 9;
    CHECK(store->mergeCodes({requested}).value().changed == 1);
    PickupCode noRequest = moved;  // no request id in a listing keeps the stored one
    CHECK(store->mergeCodes({noRequest}).value().changed == 0);
    CHECK((*store->codeById("16327138", 1))->requestId == 9);
    PickupCode otherProduct = requested;
    otherProduct.productId = 502;
    otherProduct.quantity = 2;
    CHECK(store->mergeCodes({otherProduct}).value().changed == 1);
    CHECK((*store->codeById("16327138", 1))->productId == 502);
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

namespace {

std::vector<PickupCode> bulkCodes(int count, int firstId) {
    std::vector<PickupCode> codes;
    codes.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const int id = firstId + i;
        codes.push_back(makeCode(id, std::to_string(90000000 - id), kNow + id, CodeStatus::Unused, 501 + id % 3));
    }
    return codes;
}

std::string planOf(Store& s, const CodeFilter& f) {
    auto plan = s.explainCodeQuery(f);
    REQUIRE(plan.ok());
    std::string all;
    for (const auto& line : *plan) all += line + "\n";
    return all;
}

}  // namespace

TEST_CASE("store: a first sync of many codes keeps every index and the same results") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    auto added = store->upsertCodes(bulkCodes(60'000, 1));  // large enough for the bulk-load path
    REQUIRE(added.ok());
    CHECK(*added == 60'000);
    // A second large load that overlaps: existing rows are updated, not duplicated.
    auto again = store->upsertCodes(bulkCodes(60'000, 30'001));
    REQUIRE(again.ok());
    CHECK(*again == 30'000);
    CHECK(store->countCodes({}).value() == 90'000);

    CodeFilter page;
    page.machineNo = "16327138";
    page.productId = 502;
    page.status = CodeStatus::Unused;
    page.limit = 3;
    page.now = kNow;
    CHECK(queryIds(*store, page) == std::vector<std::int64_t>{1, 4, 7});
    CHECK(planOf(*store, page).find("idx_codes_page") != std::string::npos);
    CodeFilter prefix;
    prefix.codePrefix = "8999999";
    prefix.now = kNow;
    CHECK(queryIds(*store, prefix).size() == 10);  // codes 89999990..89999999 = ids 10..1
    CHECK(planOf(*store, prefix).find("idx_codes_code") != std::string::npos);

    SQLite::Database db(dir.file("pd.sqlite"));
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'codes' "
                        "AND sql IS NOT NULL")
              .getInt() == 4);
    CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("store: a failed bulk load rolls back and leaves the indexes in place") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    auto codes = bulkCodes(60'000, 1);
    codes.back().quantity = 0;  // violates CHECK (quantity >= 1) after 59,999 inserts
    auto result = store->upsertCodes(codes);
    REQUIRE_FALSE(result.ok());
    CHECK(store->countCodes({}).value() == 0);
    SQLite::Database db(dir.file("pd.sqlite"));
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'codes' "
                        "AND sql IS NOT NULL")
              .getInt() == 4);
}

namespace {

std::vector<PickupCode> readAll(core::store::CodeReader& reader, int chunk) {
    std::vector<PickupCode> out;
    for (;;) {
        auto rows = reader.next(chunk);
        REQUIRE_MESSAGE(rows.ok(), (rows.ok() ? "" : rows.error().message));
        if (rows->empty()) return out;
        CHECK(static_cast<int>(rows->size()) <= chunk);
        out.insert(out.end(), rows->begin(), rows->end());
    }
}

std::vector<PickupCode> numberedCodes(int from, int to) {
    std::vector<PickupCode> codes;
    for (int i = from; i <= to; ++i) {
        // Expiries repeat every 7 codes: ties are broken by machine and id.
        codes.push_back(makeCode(i, std::to_string(30000000 + (i * 7919) % 100000), kNow + 100 * (i % 7)));
    }
    return codes;
}

}  // namespace

TEST_CASE("store: a code reader returns queryCodes' rows in chunks, from one snapshot") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    REQUIRE(store->upsertCodes(numberedCodes(1, 250)).ok());
    for (const CodeSort sort : {CodeSort::ExpiresUtc, CodeSort::Code, CodeSort::Status}) {
        CodeFilter f;
        f.now = kNow;
        f.sort = sort;
        f.descending = sort == CodeSort::Code;
        auto reader = store->readCodes(f);
        REQUIRE(reader.ok());
        CHECK((*reader)->total() == 250);
        CHECK(ids(readAll(**reader, 64)) == queryIds(*store, f));
        CHECK((*reader)->next(10)->empty());  // stays at the end
    }

    CodeFilter window;
    window.now = kNow;
    window.offset = 40;
    window.limit = 100;
    auto windowed = store->readCodes(window);
    REQUIRE(windowed.ok());
    CHECK(ids(readAll(**windowed, 33)) == queryIds(*store, window));

    // Writes on the Store's connection while the reader lives succeed, and the reader keeps its
    // snapshot: no new row, no changed status.
    CodeFilter all;
    all.now = kNow;
    auto reader = store->readCodes(all);
    REQUIRE(reader.ok());
    auto first = (*reader)->next(100);
    REQUIRE(first.ok());
    REQUIRE(store->upsertCodes(numberedCodes(251, 300)).ok());
    REQUIRE(store->setCodeStatus("16327138", 200, CodeStatus::Used).ok());
    // The reader copied its rows and holds no read transaction: the log can be truncated under it.
    CHECK(store->walBytes() > 0);
    CHECK(store->checkpointIfLarge(0, 50).value() == true);
    CHECK(store->walBytes() == 0);
    auto rest = readAll(**reader, 100);
    CHECK(first->size() + rest.size() == 250);
    for (const auto& c : rest) {
        CHECK(c.id <= 250);
        if (c.id == 200) CHECK(c.status == CodeStatus::Unused);
    }
    CHECK(store->countCodes(all).value() == 300);
    CHECK(store->codeById("16327138", 200).value()->status == CodeStatus::Used);
}

TEST_CASE("store: a code reader over an in-memory database shares the Store's connection") {
    auto store = openStore(":memory:");
    REQUIRE(store->upsertCodes(numberedCodes(1, 30)).ok());
    CodeFilter f;
    f.now = kNow;
    auto reader = store->readCodes(f);
    REQUIRE(reader.ok());
    CHECK((*reader)->total() == 30);
    CHECK(ids(readAll(**reader, 7)) == queryIds(*store, f));
}

TEST_CASE("store: code ids in the filter's order match queryCodes, for one machine only") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    seedStatusCodes(*store);
    REQUIRE(store->upsertCodes(numberedCodes(100, 160)).ok());
    REQUIRE(store->upsertCodes({makeCode(7, "77770007", std::nullopt, CodeStatus::Unused, 501, "16327139")}).ok());
    for (const CodeSort sort : {CodeSort::ExpiresUtc, CodeSort::Code, CodeSort::Status, CodeSort::CreatedUtc}) {
        for (const bool descending : {false, true}) {
            CodeFilter f;
            f.machineNo = "16327138";
            f.now = kNow;
            f.sort = sort;
            f.descending = descending;
            auto got = store->queryCodeIds(f);
            REQUIRE(got.ok());
            CHECK(got->size() == 67);
            CHECK(*got == queryIds(*store, f));
        }
    }
    CodeFilter expired;
    expired.machineNo = "16327138";
    expired.now = kNow;
    expired.status = CodeStatus::Expired;
    CHECK(store->queryCodeIds(expired).value() == std::vector<std::int64_t>{2});
    // Reused storage: the earlier ids are dropped, its capacity is kept.
    std::vector<std::int64_t> buffer(500, 99);
    buffer.reserve(1000);
    const auto* storage = buffer.data();
    const auto reused = store->queryCodeIds(expired, std::move(buffer)).value();
    CHECK(reused == std::vector<std::int64_t>{2});
    CHECK(reused.capacity() >= 1000);
    CHECK(reused.data() == storage);

    // A page read by id (what the app's codes table does) is the OFFSET page of the same order.
    CodeFilter sorted;
    sorted.machineNo = "16327138";
    sorted.now = kNow;
    sorted.sort = CodeSort::Code;
    const auto order = store->queryCodeIds(sorted).value();
    CodeFilter byId = sorted;
    byId.ids.assign(order.begin() + 20, order.begin() + 30);
    sorted.offset = 20;
    sorted.limit = 10;
    CHECK(queryIds(*store, byId) == queryIds(*store, sorted));
    auto plan = store->explainCodeQuery(byId);
    REQUIRE(plan.ok());
    std::string all;
    for (const auto& line : *plan) all += line + "\n";
    CHECK_MESSAGE(all.find("PRIMARY KEY (machine_no=? AND id=?)") != std::string::npos, all);

    auto noMachine = store->queryCodeIds(CodeFilter{});
    REQUIRE_FALSE(noMachine.ok());
    CHECK(noMachine.error().code == ErrorCode::InvalidInput);
}

TEST_CASE("store: code counts by product match countCodes and read only the index") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    seedStatusCodes(*store);  // products 501 (unused, expired, unused) and 502 (used, deleted, unknown)
    REQUIRE(store->upsertCodes({makeCode(8, "88880008", kNow - 1, CodeStatus::Unused, 503),
                                makeCode(9, "99990009", kNow + 1, CodeStatus::Unused, 503, "16327139")})
                .ok());
    auto counts = store->codeCountsByProduct("16327138", kNow);
    REQUIRE(counts.ok());
    REQUIRE(counts->size() == 3);
    for (const auto& c : *counts) {
        CodeFilter f;
        f.machineNo = "16327138";
        f.productId = c.productId;
        f.now = kNow;
        f.status = CodeStatus::Unused;
        CHECK(c.unused == store->countCodes(f).value());
        f.status = CodeStatus::Used;
        CHECK(c.used == store->countCodes(f).value());
        f.status = CodeStatus::Expired;
        CHECK(c.expired == store->countCodes(f).value());
    }
    CHECK((*counts)[0].productId == 501);
    CHECK((*counts)[0].unused == 2);
    CHECK((*counts)[0].expired == 1);
    CHECK((*counts)[1].used == 1);
    CHECK((*counts)[2].expired == 1);  // code 8; code 9 is another machine's
    CHECK(store->codeCountsByProduct("none", kNow).value().empty());

    // Schema v6 keeps expires_utc in idx_codes_page as a plain column: SQLite 3.40 then answers an
    // expiry condition from the index alone (an expression term is never covering there).
    SQLite::Statement plan(store->db(),
                           "EXPLAIN QUERY PLAN SELECT product_id, sum(status = 'unused' AND "
                           "coalesce(expires_utc, 9223372036854775807) >= 0) FROM codes WHERE machine_no = '1' "
                           "GROUP BY product_id");
    std::string all;
    while (plan.executeStep()) all += plan.getColumn(3).getString() + "\n";
    CHECK_MESSAGE(all.find("COVERING INDEX idx_codes_page") != std::string::npos, all);
}

TEST_CASE("store: a machine's codes by expiry come from idx_codes_expiry in order, with no sort") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    REQUIRE(store->upsertCodes({makeCode(1, "11110001", kNow + 300), makeCode(2, "22220002", std::nullopt),
                                makeCode(3, "33330003", kNow + 100), makeCode(4, "44440004", kNow + 100),
                                makeCode(5, "55550005", kNow + 200, CodeStatus::Unused, 501, "16327139")})
                .ok());
    CodeFilter f;  // the codes table's default: one machine, expiry ascending (never-expiring last)
    f.machineNo = "16327138";
    f.sort = CodeSort::ExpiresUtc;
    f.now = kNow;
    f.limit = 200;
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{3, 4, 1, 2});
    CHECK(store->queryCodeIds(f).value() == std::vector<std::int64_t>{3, 4, 1, 2});
    f.descending = true;
    CHECK(queryIds(*store, f) == std::vector<std::int64_t>{2, 1, 4, 3});
    for (const bool descending : {false, true}) {
        f.descending = descending;
        const std::string page = planOf(*store, f);
        CHECK_MESSAGE(page.find("idx_codes_expiry") != std::string::npos, page);
        CHECK_MESSAGE(page.find("TEMP B-TREE") == std::string::npos, page);
    }
    // The ids for later pages: the index alone, in order (SQLite 3.40 counts it covering thanks to
    // the plain expires_utc column).
    SQLite::Statement ids(store->db(), "EXPLAIN QUERY PLAN SELECT id FROM codes WHERE machine_no = '16327138' "
                                       "ORDER BY coalesce(expires_utc, 9223372036854775807), machine_no, id");
    std::string plan;
    while (ids.executeStep()) plan += ids.getColumn(3).getString() + "\n";
    CHECK_MESSAGE(plan.find("COVERING INDEX idx_codes_expiry") != std::string::npos, plan);
    CHECK_MESSAGE(plan.find("TEMP B-TREE") == std::string::npos, plan);
    // A page of those ids is read by primary key, in either direction, not by scanning the index in order.
    CodeFilter byIds = f;
    byIds.ids = {4, 1, 3};
    for (const bool descending : {false, true}) {
        byIds.descending = descending;
        CHECK(queryIds(*store, byIds) == (descending ? std::vector<std::int64_t>{1, 4, 3} : std::vector<std::int64_t>{3, 4, 1}));
        const std::string page = planOf(*store, byIds);
        CHECK_MESSAGE(page.find("PRIMARY KEY (machine_no=? AND id=?)") != std::string::npos, page);
        CHECK_MESSAGE(page.find("idx_codes_expiry") == std::string::npos, page);
    }
}

TEST_CASE("store: a yield hook runs between a long query's steps, and can be removed") {
    TempDir dir;
    auto store = openStore(dir.file("pd.sqlite"));
    REQUIRE(store->upsertCodes(numberedCodes(1, 3000)).ok());
    CodeFilter f;
    f.machineNo = "16327138";
    f.now = kNow;
    f.sort = CodeSort::Code;  // a sort of every row: many VM steps
    const auto expected = store->queryCodeIds(f).value();
    REQUIRE(expected.size() == 3000);

    int calls = 0;
    store->setYieldHook([&calls] { ++calls; }, 100);
    CHECK(store->queryCodeIds(f).value() == expected);  // the hook never changes a result
    const int during = calls;
    CHECK(during > 10);
    store->setYieldHook({});
    CHECK(store->queryCodeIds(f).value() == expected);
    CHECK(calls == during);
}
