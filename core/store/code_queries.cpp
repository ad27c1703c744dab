// The codes table: CodeFilter -> SQL (every value bound), reads, and status-safe writes.
#include "core/store/store.hpp"
#include "core/store/store_detail.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <utility>
#include <variant>

namespace core::store {

using detail::guarded;
using detail::kExpiryKey;

namespace {

constexpr const char* kCodeColumns =
    "machine_no, id, product_id, code, quantity, status, created_utc, expires_utc, request_id, updated_utc";

using SqlValue = std::variant<std::int64_t, std::string>;

struct SqlQuery {
    std::string sql;
    std::vector<SqlValue> args;  // in the order of the ?s in sql
};

void bindAll(SQLite::Statement& stmt, const std::vector<SqlValue>& args) {
    int index = 1;
    for (const SqlValue& v : args) {
        std::visit([&](const auto& x) { stmt.bind(index, x); }, v);
        ++index;
    }
}

// The smallest string greater than every string starting with `prefix` (byte order, as SQLite
// compares TEXT), so "code LIKE 'p%'" becomes an index range. nullopt = no upper bound.
std::optional<std::string> prefixUpperBound(std::string prefix) {
    while (!prefix.empty()) {
        auto& last = reinterpret_cast<unsigned char&>(prefix.back());
        if (last < 0xff) {
            ++last;
            return prefix;
        }
        prefix.pop_back();
    }
    return std::nullopt;
}

void appendWhere(SqlQuery& q, const CodeFilter& f, Instant now) {
    bool first = true;
    auto add = [&](const std::string& condition) {
        q.sql += first ? " WHERE " : " AND ";
        q.sql += condition;
        first = false;
    };
    const std::string key(kExpiryKey);
    if (f.machineNo) {
        add("machine_no = ?");
        q.args.emplace_back(*f.machineNo);
    }
    if (f.productId) {
        add("product_id = ?");
        q.args.emplace_back(*f.productId);
    }
    if (f.status) {
        add("status = ?");
        q.args.emplace_back(std::string(detail::storedStatusName(*f.status)));
        if (*f.status == CodeStatus::Unused || *f.status == CodeStatus::Expired) {
            add(key + (*f.status == CodeStatus::Unused ? " >= ?" : " < ?"));
            q.args.emplace_back(now);
        }
    }
    if (f.codePrefix && !f.codePrefix->empty()) {
        add("code >= ?");
        q.args.emplace_back(*f.codePrefix);
        if (auto upper = prefixUpperBound(*f.codePrefix)) {
            add("code < ?");
            q.args.emplace_back(*upper);
        }
    }
    if (f.expiresFrom) {  // never-expiring codes do not expire "from" any time
        add("expires_utc IS NOT NULL AND " + key + " >= ?");
        q.args.emplace_back(*f.expiresFrom);
    }
    if (f.expiresTo) {  // NULL maps to the largest value, so never-expiring codes drop out
        add(key + " < ?");
        q.args.emplace_back(*f.expiresTo);
    }
    if (f.requestId) {
        if (*f.requestId == 0) {
            add("request_id IS NULL");
        } else {
            add("request_id = ?");
            q.args.emplace_back(*f.requestId);
        }
    }
    if (!f.ids.empty()) {  // one JSON array parameter: no limit on the number of SQL variables
        std::string list = "[";
        for (size_t i = 0; i < f.ids.size(); ++i) {
            if (i != 0) list += ',';  // not "," + std::to_string(): GCC 12 -O3 -Wrestrict false positive
            list += std::to_string(f.ids[i]);
        }
        add("id IN (SELECT value FROM json_each(?))");
        q.args.emplace_back(list + "]");
    }
}

// Ranks in CodeStatus order, using the derived status.
std::string sortExpression(CodeSort sort, SqlQuery& q, Instant now) {
    switch (sort) {
        case CodeSort::ExpiresUtc:
            return std::string(kExpiryKey);
        case CodeSort::Code:
            return "code";
        case CodeSort::Id:
            return "id";
        case CodeSort::ProductId:
            return "product_id";
        case CodeSort::CreatedUtc:
            return "created_utc";
        case CodeSort::MachineNo:
            return "machine_no";
        case CodeSort::Status:
            q.args.emplace_back(now);
            return "CASE status WHEN 'unused' THEN (CASE WHEN " + std::string(kExpiryKey) +
                   " < ? THEN 2 ELSE 0 END) WHEN 'used' THEN 1 WHEN 'deleted' THEN 3 ELSE 4 END";
    }
    return "id";
}

Result<SqlQuery> buildSelect(const CodeFilter& f, Instant now, const char* columns = kCodeColumns) {
    if (f.limit < 0 || f.offset < 0) {
        return detail::invalidInput("The page size and offset of a code list cannot be negative.");
    }
    SqlQuery q{std::string("SELECT ") + columns + " FROM codes", {}};
    appendWhere(q, f, now);
    const char* dir = f.descending ? " DESC" : " ASC";
    // Given ids (a page of the id window, a selection), the rows are found by primary key and the few
    // sorted: "+" keeps an index that yields the order (idx_codes_expiry) from looking cheaper than
    // the lookups, which made every page a scan of the machine's codes (1,000,000 at a time).
    const char* noIndex = f.ids.empty() ? "" : "+";
    q.sql += std::string(" ORDER BY ") + noIndex + sortExpression(f.sort, q, now) + dir + ", " + noIndex + "machine_no" +
             dir + ", " + noIndex + "id" + dir;
    if (f.limit > 0 || f.offset > 0) {
        q.sql += " LIMIT ? OFFSET ?";
        q.args.emplace_back(std::int64_t{f.limit > 0 ? f.limit : -1});
        q.args.emplace_back(std::int64_t{f.offset});
    }
    return q;
}

PickupCode readCode(SQLite::Statement& s, Instant now) {
    PickupCode c;
    c.machineNo = s.getColumn(0).getString();
    c.id = s.getColumn(1).getInt64();
    c.productId = s.getColumn(2).getInt64();
    c.code = s.getColumn(3).getString();
    c.quantity = s.getColumn(4).getInt();
    c.createdUtc = detail::optionalInt(s.getColumn(6));
    c.expiresUtc = detail::optionalInt(s.getColumn(7));
    c.status = detail::derivedStatus(s.getColumn(5).getString(), c.expiresUtc, now);
    c.requestId = detail::optionalInt(s.getColumn(8)).value_or(0);
    c.updatedUtc = s.getColumn(9).getInt64();
    return c;
}

// ?1..?10 in kCodeColumns order; shared by the insert and the update statement.
// No-copy binds: `c` outlives the statement's step.
void bindCode(SQLite::Statement& s, const PickupCode& c, Instant now) {
    s.bindNoCopy(1, c.machineNo);
    s.bind(2, c.id);
    s.bind(3, c.productId);
    s.bindNoCopy(4, c.code);
    s.bind(5, c.quantity);
    s.bindNoCopy(6, detail::storedStatusName(c.status));  // a string literal
    detail::bindOptional(s, 7, c.createdUtc);
    detail::bindOptional(s, 8, c.expiresUtc);
    detail::bindOptional(s, 9, c.requestId != 0 ? std::optional<std::int64_t>(c.requestId) : std::nullopt);
    s.bind(10, c.updatedUtc != 0 ? c.updatedUtc : now);
}

bool isFinal(std::string_view stored) {
    return stored == "used" || stored == "deleted";
}

}  // namespace

Result<std::vector<PickupCode>> Store::queryCodes(const CodeFilter& filter) const {
    const Instant now = detail::orNow(filter.now);
    auto query = buildSelect(filter, now);
    if (!query) return query.error();
    return guarded(m_path, "list pickup codes", [&]() -> Result<std::vector<PickupCode>> {
        SQLite::Statement s(*m_db, query->sql);
        bindAll(s, query->args);
        std::vector<PickupCode> out;
        while (s.executeStep()) out.push_back(readCode(s, now));
        return out;
    });
}

// The reader has a read-only connection of its own, so neither its snapshot nor its temporary
// table touch this Store's writes (an export records its audit rows as it goes). An in-memory
// database has no second connection: the reader shares the Store's and streams from it.
struct CodeReader::Impl {
    Impl(SQLite::Database& shared, const std::string& dbPath, const CodeFilter& filter, const SqlQuery& select, Instant at)
        : own(openOwn(dbPath)), db(own ? *own : shared), now(at), path(dbPath) {
        SqlQuery count{"SELECT count(*) FROM codes", {}};
        appendWhere(count, filter, at);
        if (!own) {
            total = countRows(count);
            statement.emplace(db, select.sql);
            bindAll(*statement, select.args);
            return;
        }
        // One read transaction for the count and the copy; rowids keep the query's order.
        SQLite::Transaction snapshot(db);
        total = countRows(count);
        SQLite::Statement copy(db, "CREATE TEMP TABLE code_snapshot AS " + select.sql);
        bindAll(copy, select.args);
        copy.exec();
        snapshot.commit();  // only the temporary table was written
        statement.emplace(db, "SELECT * FROM temp.code_snapshot ORDER BY rowid");
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    static std::unique_ptr<SQLite::Database> openOwn(const std::string& dbPath) {
        if (dbPath == ":memory:" || dbPath.empty()) return nullptr;
        return std::make_unique<SQLite::Database>(dbPath, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX,
                                                  detail::kBusyTimeoutMs);
    }
    std::int64_t countRows(const SqlQuery& count) {
        SQLite::Statement counting(db, count.sql);
        bindAll(counting, count.args);
        counting.executeStep();
        return counting.getColumn(0).getInt64();
    }

    std::unique_ptr<SQLite::Database> own;
    SQLite::Database& db;
    std::optional<SQLite::Statement> statement;
    Instant now;
    std::string path;
    std::int64_t total = 0;
    bool done = false;
};

CodeReader::CodeReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CodeReader::~CodeReader() = default;

std::int64_t CodeReader::total() const { return m_impl->total; }

Result<std::vector<PickupCode>> CodeReader::next(int max) {
    Impl& d = *m_impl;
    return guarded(d.path, "read pickup codes", [&]() -> Result<std::vector<PickupCode>> {
        std::vector<PickupCode> out;
        out.reserve(static_cast<std::size_t>(std::max(max, 0)));
        while (static_cast<int>(out.size()) < max && !d.done) {
            if (!d.statement->executeStep()) {
                d.done = true;
                break;
            }
            out.push_back(readCode(*d.statement, d.now));
        }
        return out;
    });
}

Result<std::unique_ptr<CodeReader>> Store::readCodes(const CodeFilter& filter) const {
    const Instant now = detail::orNow(filter.now);
    auto query = buildSelect(filter, now);
    if (!query) return query.error();
    return guarded(m_path, "list pickup codes", [&]() -> Result<std::unique_ptr<CodeReader>> {
        auto impl = std::make_unique<CodeReader::Impl>(*m_db, m_path, filter, *query, now);
        return std::unique_ptr<CodeReader>(new CodeReader(std::move(impl)));
    });
}

Result<std::vector<std::int64_t>> Store::queryCodeIds(const CodeFilter& filter, std::vector<std::int64_t> reuse) const {
    if (!filter.machineNo) return detail::invalidInput("Code ids are listed for one machine: choose a machine.");
    auto query = buildSelect(filter, detail::orNow(filter.now), "id");
    if (!query) return query.error();
    return guarded(m_path, "list pickup codes", [&]() -> Result<std::vector<std::int64_t>> {
        SQLite::Statement s(*m_db, query->sql);
        bindAll(s, query->args);
        std::vector<std::int64_t> ids = std::move(reuse);
        ids.clear();
        while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
        return ids;
    });
}

Result<std::vector<ProductCodeCounts>> Store::codeCountsByProduct(const std::string& machineNo, Instant now) const {
    // Index ranges, not one scan that evaluates sums on every code: the machine's product ids come
    // from one index seek each (a recursive min), then each status is a count(*) over its own
    // range of idx_codes_page, covering since schema v6. 3x faster at 1,000,000 codes (0.07 s).
    const std::string key(kExpiryKey);
    const std::string range = "SELECT count(*) FROM codes WHERE machine_no = ?2 AND product_id = p.id AND ";
    const std::string sql =
        "WITH RECURSIVE p(id) AS (SELECT min(product_id) FROM codes WHERE machine_no = ?2 "
        "UNION ALL SELECT (SELECT min(product_id) FROM codes WHERE machine_no = ?2 AND product_id > p.id) "
        "FROM p WHERE p.id IS NOT NULL) "
        "SELECT id, (" + range + "status = 'unused' AND " + key + " >= ?1), (" + range + "status = 'used'), (" +
        range + "status = 'unused' AND " + key + " < ?1) FROM p WHERE id IS NOT NULL ORDER BY id";
    return guarded(m_path, "count pickup codes", [&]() -> Result<std::vector<ProductCodeCounts>> {
        SQLite::Statement s(*m_db, sql);
        s.bind(1, detail::orNow(now));
        s.bind(2, machineNo);
        std::vector<ProductCodeCounts> out;
        while (s.executeStep()) {
            out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getInt64(),
                           s.getColumn(3).getInt64()});
        }
        return out;
    });
}

Result<std::int64_t> Store::countCodes(const CodeFilter& filter) const {
    SqlQuery q{"SELECT count(*) FROM codes", {}};
    appendWhere(q, filter, detail::orNow(filter.now));
    return guarded(m_path, "count pickup codes", [&]() -> Result<std::int64_t> {
        SQLite::Statement s(*m_db, q.sql);
        bindAll(s, q.args);
        s.executeStep();
        return std::int64_t{s.getColumn(0).getInt64()};
    });
}

Result<std::vector<std::string>> Store::explainCodeQuery(const CodeFilter& filter) const {
    auto query = buildSelect(filter, detail::orNow(filter.now));
    if (!query) return query.error();
    return guarded(m_path, "explain a code query", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement s(*m_db, "EXPLAIN QUERY PLAN " + query->sql);
        bindAll(s, query->args);
        std::vector<std::string> lines;
        while (s.executeStep()) lines.push_back(s.getColumn(3).getString());
        return lines;
    });
}

Result<std::optional<PickupCode>> Store::codeById(const std::string& machineNo, std::int64_t id) const {
    return guarded(m_path, "read a pickup code", [&]() -> Result<std::optional<PickupCode>> {
        SQLite::Statement s(*m_db,
                            std::string("SELECT ") + kCodeColumns + " FROM codes WHERE machine_no = ? AND id = ?");
        s.bind(1, machineNo);
        s.bind(2, id);
        if (!s.executeStep()) return std::optional<PickupCode>{};
        return std::optional<PickupCode>{readCode(s, detail::currentTime())};
    });
}

namespace {

// A first sync (a load at least as big as the table) goes faster by dropping the codes' secondary
// indexes, inserting, and rebuilding them: SQLite builds an index from sorted rows, while row-by-row
// inserts into the random 8-digit code index hit a cold page each (docs/BENCHMARKS.md, "Store").
// It all happens inside the caller's transaction, so no reader ever sees the table without them.
constexpr std::size_t kBulkLoadMinRows = 50'000;

bool worthBulkLoad(SQLite::Database& db, std::size_t incoming) {
    if (incoming < kBulkLoadMinRows) return false;
    SQLite::Statement s(db, "SELECT count(*) FROM (SELECT 1 FROM codes LIMIT ?)");
    s.bind(1, static_cast<std::int64_t>(incoming) + 1);
    s.executeStep();
    return static_cast<std::size_t>(s.getColumn(0).getInt64()) <= incoming;
}

// Rebuilds the dropped indexes. SQLite sorts each index's keys first; with the store's usual 64 MiB
// cache the sorter spills 1,000,000 keys to temporary files and merges them, so the rebuild gets a
// larger sort budget and a second sorter thread for its duration (1M codes: 7.5 s -> see BENCHMARKS).
class SortBudget {
public:
    explicit SortBudget(SQLite::Database& db) : m_db(db) {
        m_db.exec("PRAGMA threads=2");
        m_db.exec("PRAGMA cache_size=-" + std::to_string(4 * detail::kCacheKiB));
    }
    ~SortBudget() {
        try {
            m_db.exec("PRAGMA cache_size=-" + std::to_string(detail::kCacheKiB));
            m_db.exec("PRAGMA threads=0");
        } catch (const std::exception&) {  // a pragma on an open connection does not fail; never throw here
        }
    }
    SortBudget(const SortBudget&) = delete;
    SortBudget& operator=(const SortBudget&) = delete;

private:
    SQLite::Database& m_db;
};

void rebuildCodeIndexes(SQLite::Database& db, const std::vector<std::string>& indexes) {
    if (indexes.empty()) return;
    SortBudget budget(db);
    for (const std::string& sql : indexes) db.exec(sql);
}

// Drops the codes table's explicit indexes and returns the SQL that recreates them.
std::vector<std::string> dropCodeIndexes(SQLite::Database& db) {
    std::vector<std::pair<std::string, std::string>> indexes;
    SQLite::Statement s(db,
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'codes' "
                        "AND sql IS NOT NULL");
    while (s.executeStep()) indexes.emplace_back(s.getColumn(0).getString(), s.getColumn(1).getString());
    std::vector<std::string> recreate;
    for (const auto& [name, sql] : indexes) {
        db.exec("DROP INDEX \"" + name + "\"");
        recreate.push_back(sql);
    }
    return recreate;
}

}  // namespace

// Status only moves forward: a code the store knows as used or deleted stays so, whatever an
// older listing or a late push says.
Result<int> Store::upsertCodes(const std::vector<PickupCode>& codes) {
    auto merged = mergeCodes(codes);
    if (!merged) return merged.error();
    return merged->added;
}

Result<CodeMerge> Store::mergeCodes(const std::vector<PickupCode>& codes) {
    return guarded(m_path, "save " + std::to_string(codes.size()) + " pickup codes", [&]() -> Result<CodeMerge> {
        SQLite::Transaction tx(*m_db);
        const std::vector<std::string> rebuild =
            worthBulkLoad(*m_db, codes.size()) ? dropCodeIndexes(*m_db) : std::vector<std::string>{};
        SQLite::Statement insert(*m_db, std::string("INSERT INTO codes(") + kCodeColumns +
                                            ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                                            "ON CONFLICT(machine_no, id) DO NOTHING");
        // A vendor list says "unused" of a code a push already marked used or deleted: the push wins.
        // Only a real difference is written, so a re-listed code counts as unchanged.
        const std::string status = "CASE WHEN status IN ('used', 'deleted') AND ?6 IN ('unused', 'unknown') "
                                   "THEN status ELSE ?6 END";
        SQLite::Statement update(*m_db,
                                 "UPDATE codes SET product_id = ?3, code = ?4, quantity = ?5, status = " + status +
                                     ", created_utc = coalesce(?7, created_utc), expires_utc = ?8, "
                                     "request_id = coalesce(?9, request_id), updated_utc = ?10 "
                                     "WHERE machine_no = ?1 AND id = ?2 AND (product_id IS NOT ?3 OR code IS NOT ?4 "
                                     "OR quantity IS NOT ?5 OR status IS NOT " + status +
                                     " OR created_utc IS NOT coalesce(?7, created_utc) OR expires_utc IS NOT ?8 "
                                     "OR request_id IS NOT coalesce(?9, request_id))");
        const Instant now = detail::currentTime();
        CodeMerge merge;
        for (const PickupCode& c : codes) {
            bindCode(insert, c, now);
            if (insert.exec() == 1) {
                ++merge.added;
            } else {
                bindCode(update, c, now);
                merge.changed += update.exec();
                update.reset();
            }
            insert.reset();
        }
        rebuildCodeIndexes(*m_db, rebuild);
        tx.commit();
        return merge;
    });
}

Status Store::setCodeStatus(const std::string& machineNo, std::int64_t id, CodeStatus status) {
    if (status == CodeStatus::Expired) {
        return detail::invalidInput(
            "'expired' follows from a code's expiry time and cannot be set; change the expiry instead.");
    }
    const std::string name = codeStatusName(status);
    return guarded(m_path, "change the status of a pickup code", [&]() -> Status {
        SQLite::Transaction tx(*m_db);
        SQLite::Statement read(*m_db, "SELECT status FROM codes WHERE machine_no = ? AND id = ?");
        read.bind(1, machineNo);
        read.bind(2, id);
        if (!read.executeStep()) {
            return detail::notFound("Code " + std::to_string(id) + " of machine " + machineNo +
                                    " is not in the local store: refresh the code list.");
        }
        const std::string current = read.getColumn(0).getString();
        read.reset();
        if (isFinal(current) && !isFinal(name)) {
            return detail::invalidInput("Code " + std::to_string(id) + " is already " + current +
                                        "; a code's status cannot go back to " + name + ".");
        }
        SQLite::Statement write(*m_db, "UPDATE codes SET status = ?, updated_utc = ? WHERE machine_no = ? AND id = ?");
        write.bind(1, name);
        write.bind(2, detail::currentTime());
        write.bind(3, machineNo);
        write.bind(4, id);
        write.exec();
        tx.commit();
        return {};
    });
}

Result<int> Store::markAllDeleted(const std::string& machineNo) {
    return guarded(m_path, "mark the codes of machine " + machineNo + " deleted", [&]() -> Result<int> {
        SQLite::Statement s(
            *m_db, "UPDATE codes SET status = 'deleted', updated_utc = ? WHERE machine_no = ? AND status = 'unused'");
        s.bind(1, detail::currentTime());
        s.bind(2, machineNo);
        return s.exec();
    });
}

}  // namespace core::store
