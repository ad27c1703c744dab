#pragma once
// Helpers shared by the store tests: real SQLite files in a fresh temporary directory per test.
#include "core/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

namespace storetest {

namespace fs = std::filesystem;
using namespace core;
using core::store::CodeFilter;
using core::store::CodeSort;
using core::store::Store;

using testsupport::TempDir;

constexpr Instant kNow = 1761200000;  // fixed "now" for derived statuses

inline std::unique_ptr<Store> openStore(const std::string& path) {
    auto store = Store::open(path);
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().message));
    return std::move(store.value());
}

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::int64_t addProfile(Store& s, const std::string& name = "main") {
    Profile p;
    p.name = name;
    p.baseUrl = "https://www.awish.vip";
    p.appId = "app-1";
    auto id = s.upsertProfile(p);
    REQUIRE(id.ok());
    return *id;
}

inline Machine makeMachine(const std::string& no, const std::string& name = "m") {
    Machine m;
    m.machineNo = no;
    m.name = name;
    return m;
}

inline PickupCode makeCode(std::int64_t id, const std::string& code, std::optional<Instant> expires,
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

inline std::vector<std::int64_t> ids(const std::vector<PickupCode>& codes) {
    std::vector<std::int64_t> out;
    for (const auto& c : codes) out.push_back(c.id);
    return out;
}

inline std::vector<std::int64_t> queryIds(Store& s, CodeFilter f) {
    if (f.now == 0) f.now = kNow;
    auto r = s.queryCodes(f);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return ids(*r);
}

// Codes 1..6 of machine 16327138 with every stored status and expiry shape (kNow = 1761200000).
inline void seedStatusCodes(Store& s) {
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

}  // namespace storetest
