// Seeds a store for the desktop app benchmark (bench/app_bench.sh): N codes, all on one machine of
// the simulator's seed data (so the app's codes table holds every one of them), spread over that
// machine's 23 products. Deterministic (splitmix64), in batches of 100,000 through upsertCodes.
// Statuses: 70 % unused, 15 % used, 10 % deleted, 5 % unknown; 20 % never expire, the rest expire
// between 30 days ago and 60 days ahead. The sandbox profile and the machine rows come from the
// simulator: bench/app_bench.sh launches the app once on this store before it measures.
//   app_bench_seed --db PATH [--codes 1000000] [--machine 16327138]
#include "core/store/store.hpp"
#include "core/tz/machine_time.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr std::int64_t kFirstProduct = 20001;  // the simulator's products of 16327138
constexpr int kProducts = 23;
constexpr int kBatch = 100000;

std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

core::PickupCode makeCode(const std::string& machineNo, std::int64_t i, core::Instant now) {
    constexpr core::Instant kDay = 86400;
    const std::uint64_t h = mix(static_cast<std::uint64_t>(i));
    core::PickupCode c;
    c.machineNo = machineNo;
    c.id = i + 1;
    c.productId = kFirstProduct + static_cast<std::int64_t>(i % kProducts);
    char code[16];
    std::snprintf(code, sizeof code, "%08llu", static_cast<unsigned long long>(h % 100000000ULL));
    c.code = code;
    c.quantity = 1;
    const auto roll = (h >> 40) % 100;
    c.status = roll < 70 ? core::CodeStatus::Unused
               : roll < 85 ? core::CodeStatus::Used
               : roll < 95 ? core::CodeStatus::Deleted
                           : core::CodeStatus::Unknown;
    c.createdUtc = now - 40 * kDay + static_cast<core::Instant>((h >> 8) % (10 * kDay));
    if ((h >> 48) % 10 >= 2) c.expiresUtc = now - 30 * kDay + static_cast<core::Instant>((h >> 16) % (90 * kDay));
    c.updatedUtc = now;
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    std::string db;
    std::string machineNo = "16327138";
    std::int64_t count = 1000000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--db") db = argv[i + 1];
        else if (arg == "--codes") count = std::atoll(argv[i + 1]);
        else if (arg == "--machine") machineNo = argv[i + 1];
    }
    if (db.empty() || count <= 0) {
        std::fprintf(stderr, "usage: app_bench_seed --db PATH [--codes 1000000] [--machine 16327138]\n");
        return 2;
    }
    auto store = core::store::Store::open(db);
    if (!store) {
        std::fprintf(stderr, "app_bench_seed: %s\n", store.error().message.c_str());
        return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    const core::Instant now = core::tz::nowUtc();
    std::vector<core::PickupCode> batch;
    for (std::int64_t i = 0; i < count; i += kBatch) {
        batch.clear();
        for (std::int64_t j = i; j < std::min(count, i + kBatch); ++j) batch.push_back(makeCode(machineNo, j, now));
        if (auto ok = (*store)->upsertCodes(batch); !ok) {
            std::fprintf(stderr, "app_bench_seed: %s\n", ok.error().message.c_str());
            return 1;
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("app_bench_seed codes=%lld machine=%s seconds=%.1f\n", static_cast<long long>(count), machineNo.c_str(),
                seconds);
    return 0;
}
