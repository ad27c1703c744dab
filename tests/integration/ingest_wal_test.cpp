// The ingest writer keeps the write-ahead log bounded while readers keep querying (the app's push
// console and codes table read all the time; without a truncating checkpoint the log grew by
// ~20 KB per push in the soak, docs/BENCHMARKS.md "Soak").
#include "core/ingest/ingest_pipeline.hpp"
#include "core/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

TEST_CASE("ingest: the write-ahead log is truncated past its limit while readers keep reading") {
    testsupport::TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    core::ingest::IngestConfig config;
    config.dbPath = path;
    config.walLimitBytes = 256 * 1024;
    config.checkpointEveryMs = 50;
    auto pipeline = core::ingest::IngestPipeline::start(config);
    REQUIRE(pipeline.ok());

    std::atomic<bool> stop{false};
    std::atomic<int> reads{0};
    std::thread reader([&] {  // short read transactions back to back, as the console's queries
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        while (!stop) {
            (void)db.execAndGet("SELECT count(*) FROM push_events").getInt();
            ++reads;
        }
    });
    std::atomic<std::uintmax_t> largest{0};
    std::thread monitor([&] {  // the log's size, sampled beside the pushes
        while (!stop) {
            std::error_code ec;
            const auto size = std::filesystem::file_size(path + "-wal", ec);
            if (!ec && size > largest) largest = size;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    // Back to back from one thread, as Paho's callback thread submits: every push commits inline, so the
    // writer thread must still get its turn for the checkpoint.
    constexpr int kPushes = 6000;
    bool allStored = true;
    for (int i = 0; i < kPushes; ++i) {
        core::net::RawPush push{"/clients/16327138", "not base64 " + std::to_string(i) + std::string(400, 'x'), 1, 1};
        allStored = (*pipeline)->submit(push) && allStored;
    }
    stop = true;
    reader.join();
    monitor.join();
    CHECK(allStored);
    CHECK(reads > 0);
    // Allowance: what one checkpoint interval of commits adds on a slow (sanitizer) build.
    CHECK(largest < 16u * 1024 * 1024);
    std::error_code ec;
    for (int i = 0; i < 100 && std::filesystem::file_size(path + "-wal", ec) > config.walLimitBytes; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(std::filesystem::file_size(path + "-wal", ec) <= config.walLimitBytes);
    const auto stats = (*pipeline)->stats();
    CHECK(stats.stored == kPushes);
    pipeline.value().reset();
    SQLite::Database check(path, SQLite::OPEN_READONLY);
    CHECK(check.execAndGet("SELECT count(*) FROM push_events").getInt() == kPushes);
    CHECK(check.execAndGet("PRAGMA integrity_check").getString() == "ok");
}
