// Store benchmark: bulk insert and the code list queries on N codes (default 1,000,000).
// Prints one machine-readable "name key=value ..." line per metric; see docs/BENCHMARKS.md.
//   store_bench [--codes N] [--db PATH] [--batch N] [--runs N] [--cache-mb N] [--sql SQL]
// --cache-mb overrides the store's page cache; --sql runs extra SQL after open (experiments,
// e.g. --sql "DROP INDEX idx_codes_code" to see what an index costs).
#include "core/store/backup.hpp"
#include "core/store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using core::CodeStatus;
using core::Instant;
using core::PickupCode;
using core::store::CodeFilter;
using core::store::CodeSort;
using core::store::Store;

namespace {

constexpr int kMachines = 20;
constexpr int kProductsPerMachine = 50;
constexpr Instant kNow = 1761200000;
constexpr Instant kDay = 86400;

struct Options {
    std::int64_t codes = 1000000;
    std::string db;  // empty = a temp file, deleted afterwards
    int batch = 100000;
    int runs = 21;
    int cacheMb = 0;     // 0 = the store's default
    std::string pragma;  // experiment: extra SQL run after open
};

bool parseArgs(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--codes" && hasValue) {
            o.codes = std::atoll(argv[++i]);
        } else if (arg == "--db" && hasValue) {
            o.db = argv[++i];
        } else if (arg == "--batch" && hasValue) {
            o.batch = std::atoi(argv[++i]);
        } else if (arg == "--cache-mb" && hasValue) {
            o.cacheMb = std::atoi(argv[++i]);
        } else if (arg == "--sql" && hasValue) {
            o.pragma = argv[++i];
        } else if (arg == "--runs" && hasValue) {
            o.runs = std::atoi(argv[++i]);
        } else {
            std::cerr
                << "usage: store_bench [--codes N] [--db PATH] [--batch N] [--runs N] [--cache-mb N] [--sql SQL]\n";
            return false;
        }
    }
    return o.codes > 0 && o.batch > 0 && o.runs > 0;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64: deterministic, well spread
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::string machineNo(int m) {
    return std::to_string(16300000 + m);
}
std::int64_t productId(int m, int p) {
    return 10000 + m * 100 + p;
}

// Code i belongs to machine i*M/N (machine-major, as a per-machine sync delivers them).
PickupCode makeCode(std::int64_t i, std::int64_t total) {
    const std::uint64_t h = mix(static_cast<std::uint64_t>(i));
    const int m = static_cast<int>(i * kMachines / total);
    PickupCode c;
    c.machineNo = machineNo(m);
    c.id = i + 1;
    c.productId = productId(m, static_cast<int>(i % kProductsPerMachine));
    char code[16];
    std::snprintf(code, sizeof code, "%08llu", static_cast<unsigned long long>(h % 100000000ULL));
    c.code = code;
    c.quantity = 1 + static_cast<int>((h >> 32) % 3);
    const auto roll = (h >> 40) % 100;
    c.status = roll < 70   ? CodeStatus::Unused
               : roll < 85 ? CodeStatus::Used
               : roll < 95 ? CodeStatus::Deleted
                           : CodeStatus::Unknown;
    c.createdUtc = kNow - 40 * kDay + static_cast<Instant>((h >> 8) % (10 * kDay));
    if ((h >> 48) % 10 >= 2) {  // 20% never expire; the rest from 30 days ago to 60 days ahead
        c.expiresUtc = kNow - 30 * kDay + static_cast<Instant>((h >> 16) % (90 * kDay));
    }
    c.updatedUtc = kNow;
    return c;
}

double msSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

struct Timing {
    double median = 0;
    double max = 0;
    std::int64_t rows = 0;  // of the last run
};

// Runs `body(run)` `runs` times; body returns the number of rows it got (or -1 on error).
Timing timeRuns(int runs, const std::function<std::int64_t(int)>& body) {
    std::vector<double> ms;
    Timing t;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        t.rows = body(r);
        ms.push_back(msSince(start));
        if (t.rows < 0) break;
    }
    if (ms.empty()) return t;
    std::sort(ms.begin(), ms.end());
    t.median = ms[ms.size() / 2];
    t.max = ms.back();
    return t;
}

void printTiming(const char* name, const Timing& t) {
    std::printf("%s ms=%.3f max_ms=%.3f rows=%lld\n", name, t.median, t.max, static_cast<long long>(t.rows));
}

void printPlan(const char* name, Store& store, const CodeFilter& f) {
    if (auto plan = store.explainCodeQuery(f)) {
        for (const auto& line : *plan) std::printf("plan %s: %s\n", name, line.c_str());
    }
}

// Appends rather than `"A" + std::to_string(n)`, which trips GCC 12's -Wrestrict false positive at -O3.
std::string label(const char* prefix, int n) {
    std::string s = prefix;
    s += std::to_string(n);
    return s;
}

bool seedMachines(Store& store) {
    core::Profile profile;
    profile.name = "bench";
    auto id = store.upsertProfile(profile);
    if (!id) return false;
    std::vector<core::Machine> machines;
    for (int m = 0; m < kMachines; ++m)
        machines.push_back(core::Machine{*id, machineNo(m), label("机器 ", m), "", "", true, "", kNow});
    if (!store.upsertMachines(*id, machines)) return false;
    for (int m = 0; m < kMachines; ++m) {
        std::vector<core::Product> products;
        for (int p = 0; p < kProductsPerMachine; ++p) {
            products.push_back(core::Product{machineNo(m), productId(m, p), label("商品 ", p), label("A", p), "A", 1,
                                             "1.00", 5, 10, "", kNow});
        }
        if (!store.replaceProducts(machineNo(m), products)) return false;
    }
    return true;
}

// Times the upsertCodes calls only; making the rows (the bench's synthetic data, in a real sync
// the JSON parse) is reported apart as make_seconds.
bool insertCodes(Store& store, const Options& o) {
    std::chrono::steady_clock::duration spent{};
    std::chrono::steady_clock::duration making{};
    std::clock_t cpu = 0;
    std::int64_t added = 0;
    std::vector<PickupCode> batch;
    for (std::int64_t i = 0; i < o.codes;) {
        const auto makeStart = std::chrono::steady_clock::now();
        batch.clear();
        for (; i < o.codes && static_cast<int>(batch.size()) < o.batch; ++i) batch.push_back(makeCode(i, o.codes));
        const auto start = std::chrono::steady_clock::now();
        making += start - makeStart;
        const std::clock_t cpuStart = std::clock();
        auto n = store.upsertCodes(batch);
        cpu += std::clock() - cpuStart;
        spent += std::chrono::steady_clock::now() - start;
        if (!n) {
            std::cerr << "insert failed: " << n.error().message << "\n";
            return false;
        }
        added += *n;
    }
    const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
    std::printf("insert_codes N=%lld batch=%d seconds=%.3f cpu_seconds=%.3f new=%lld make_seconds=%.3f\n",
                static_cast<long long>(o.codes), o.batch, seconds(spent),
                static_cast<double>(cpu) / CLOCKS_PER_SEC, static_cast<long long>(added), seconds(making));
    return added == o.codes;
}

// A re-sync: the same rows again, now as updates.
void updateCodes(Store& store, const Options& o) {
    const std::int64_t n = std::min<std::int64_t>(o.codes, 10000);
    std::vector<PickupCode> batch;
    for (std::int64_t i = 0; i < n; ++i) batch.push_back(makeCode(i, o.codes));
    const auto start = std::chrono::steady_clock::now();
    auto added = store.upsertCodes(batch);
    std::printf("update_codes N=%lld seconds=%.3f new=%lld\n", static_cast<long long>(n), msSince(start) / 1000.0,
                static_cast<long long>(added ? *added : -1));
}

CodeFilter pageFilter(int run) {
    CodeFilter f;
    f.machineNo = machineNo(run % kMachines);
    f.productId = productId(run % kMachines, (run * 7) % kProductsPerMachine);
    f.status = CodeStatus::Unused;
    f.sort = CodeSort::ExpiresUtc;
    f.now = kNow;
    f.limit = 100;
    return f;
}

CodeFilter prefixFilter(int run) {
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%04d", (run * 373 + 17) % 10000);
    CodeFilter f;
    f.codePrefix = prefix;
    f.now = kNow;
    f.limit = 100;
    return f;
}

std::int64_t rowsOf(const core::Result<std::vector<PickupCode>>& r) {
    return r ? static_cast<std::int64_t>(r->size()) : -1;
}

void runQueries(Store& store, const Options& o) {
    printPlan("page_query", store, pageFilter(0));
    printPlan("prefix_search", store, prefixFilter(0));
    printTiming("page_query", timeRuns(o.runs, [&](int r) { return rowsOf(store.queryCodes(pageFilter(r))); }));
    printTiming("prefix_search", timeRuns(o.runs, [&](int r) { return rowsOf(store.queryCodes(prefixFilter(r))); }));
    printTiming("page_any_status_offset_500", timeRuns(o.runs, [&](int r) {
                    CodeFilter f = pageFilter(r);
                    f.status.reset();
                    f.offset = 500;
                    return rowsOf(store.queryCodes(f));
                }));
    printTiming("count_query", timeRuns(o.runs, [&](int r) {
                    CodeFilter f;
                    f.machineNo = machineNo(r % kMachines);
                    f.status = CodeStatus::Unused;
                    f.now = kNow;
                    auto n = store.countCodes(f);
                    return n ? *n : -1;
                }));
    printTiming("count_all_unused", timeRuns(std::min(o.runs, 5), [&](int) {
                    CodeFilter f;
                    f.status = CodeStatus::Unused;
                    f.now = kNow;
                    auto n = store.countCodes(f);
                    return n ? *n : -1;
                }));
}

bool applySettings(Store& store, const Options& o) {
    try {
        if (o.cacheMb > 0) store.db().exec("PRAGMA cache_size=-" + std::to_string(o.cacheMb * 1024));
        if (!o.pragma.empty()) store.db().exec(o.pragma);
        return true;
    } catch (const std::exception& e) {
        std::cerr << "settings failed: " << e.what() << "\n";
        return false;
    }
}

std::string tempDbPath() {
    const auto seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    return (fs::temp_directory_path() / ("pd-store-bench-" + std::to_string(mix(seed)) + ".sqlite")).string();
}

void removeDb(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ec);
}

// Issue 8: what the writer's integrity check at open and an online backup cost on this file.
void measureOpenAndBackup(const std::string& path) {
    for (const bool check : {false, true}) {
        std::vector<double> ms;
        for (int run = 0; run < 3; ++run) {
            const auto start = std::chrono::steady_clock::now();
            core::store::StoreOpenOptions options;
            options.quickCheck = check;
            const bool ok = Store::open(path, options).ok();
            ms.push_back(ok ? msSince(start) : -1.0);
        }
        std::sort(ms.begin(), ms.end());
        std::printf("open quick_check=%s median_ms=%.1f max_ms=%.1f\n", check ? "yes" : "no", ms[1], ms[2]);
    }
    const std::string copy = path + ".bench-backup";
    const auto start = std::chrono::steady_clock::now();
    auto backup = core::store::backupDatabase(path, copy, true);
    std::printf("backup seconds=%.3f ok=%d (copy + quick_check of the copy)\n", msSince(start) / 1000.0,
                backup ? 1 : 0);
    removeDb(copy);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parseArgs(argc, argv, o)) return 2;
    const bool temporary = o.db.empty();
    if (temporary) o.db = tempDbPath();
    removeDb(o.db);

    int rc = 1;
    {
        auto opened = Store::open(o.db);
        if (!opened) {
            std::cerr << opened.error().message << "\n";
            return 1;
        }
        Store& store = **opened;
        std::printf("db path=%s schema_version=%d\n", o.db.c_str(), store.schemaVersion());
        if (applySettings(store, o) && seedMachines(store) && insertCodes(store, o)) {
            updateCodes(store, o);
            runQueries(store, o);
            try {
                store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (const std::exception& e) {
                std::cerr << "checkpoint failed: " << e.what() << "\n";
            }
            std::error_code ec;
            const auto bytes = fs::file_size(o.db, ec);
            std::printf("file_size_mb=%.1f\n", ec ? -1.0 : static_cast<double>(bytes) / (1024.0 * 1024.0));
            rc = 0;
        }
    }
    if (rc == 0) measureOpenAndBackup(o.db);
    if (temporary) removeDb(o.db);
    return rc;
}
