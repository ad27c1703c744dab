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

TEST_CASE("ingest: a long reader postpones the checkpoint with a backoff, and the log is truncated after it") {
    testsupport::TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    core::ingest::IngestConfig config;
    config.dbPath = path;
    config.walLimitBytes = 64 * 1024;
    config.checkpointEveryMs = 20;
    config.checkpointWaitMs = 20;
    config.checkpointMaxBackoffMs = 400;
    auto pipeline = core::ingest::IngestPipeline::start(config);
    REQUIRE(pipeline.ok());
    int sent = 0;
    auto submitOne = [&] {
        core::net::RawPush push{"/clients/16327138", "not base64 " + std::to_string(sent++) + std::string(400, 'x'), 1, 1};
        return (*pipeline)->submit(push);
    };
    REQUIRE(submitOne());
    // The schema's own pages fill the log past the limit: let the writer's first checkpoint settle.
    std::error_code ec;
    for (int i = 0; i < 200 && std::filesystem::file_size(path + "-wal", ec) > config.walLimitBytes; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }

    // An export's snapshot: one read transaction held while 1.5 s of pushes arrive.
    SQLite::Database exporter(path, SQLite::OPEN_READONLY);
    exporter.exec("BEGIN");
    (void)exporter.execAndGet("SELECT count(*) FROM push_events").getInt();
    const auto before = (*pipeline)->stats();
    const auto holdUntil = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
    while (std::chrono::steady_clock::now() < holdUntil) REQUIRE(submitOne());
    const auto held = (*pipeline)->stats();
    CHECK(held.checkpoints == before.checkpoints);
    const auto postponed = held.checkpointsPostponed - before.checkpointsPostponed;
    CHECK(postponed >= 1);
    // Doubling from 20 ms up to 400 ms makes 7 tries in 1.5 s (a slower machine makes fewer). Without
    // the backoff this machine made 13 (a try every 20 ms plus 20 ms of waiting, minus the commits).
    CHECK(postponed <= 8);
    exporter.exec("ROLLBACK");

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while ((*pipeline)->stats().checkpoints == held.checkpoints && std::chrono::steady_clock::now() < deadline) {
        REQUIRE(submitOne());
    }
    CHECK((*pipeline)->stats().checkpoints > held.checkpoints);
    const auto stored = (*pipeline)->stats().stored;
    CHECK(stored == static_cast<std::uint64_t>(sent));
    pipeline.value().reset();
    SQLite::Database check(path, SQLite::OPEN_READONLY);
    CHECK(check.execAndGet("SELECT count(*) FROM push_events").getInt() == sent);
}
