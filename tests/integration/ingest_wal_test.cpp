// The ingest writer keeps the write-ahead log bounded while readers keep querying (the app's push
// console and codes table read all the time; without a truncating checkpoint the log grew by
// ~20 KB per push in the soak, docs/BENCHMARKS.md "Soak").
#include "core/ingest/ingest_pipeline.hpp"
#include "core/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <algorithm>
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

    // An export's snapshot: one read transaction held while pushes arrive.
    SQLite::Database exporter(path, SQLite::OPEN_READONLY);
    exporter.exec("BEGIN");
    (void)exporter.execAndGet("SELECT count(*) FROM push_events").getInt();
    const auto before = (*pipeline)->stats();
    auto postponedSince = [&] { return (*pipeline)->stats().checkpointsPostponed - before.checkpointsPostponed; };
    // Pushes paced as a broker delivers them (1 ms apart), so the writer thread gets its turns; at least
    // 1.5 s and until one checkpoint was postponed (a loaded machine may take longer).
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::steady_clock::now() - start; };
    while (elapsed() < std::chrono::milliseconds(1500) || (postponedSince() == 0 && elapsed() < std::chrono::seconds(10))) {
        REQUIRE(submitOne());
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const auto heldMs = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed()).count();
    const auto held = (*pipeline)->stats();
    CHECK(held.checkpoints == before.checkpoints);
    const auto postponed = held.checkpointsPostponed - before.checkpointsPostponed;
    CHECK(postponed >= 1);
    // With the backoff the tries are 20, 40, 80, 160, 320, then 400 ms apart: at most this many fit in
    // the hold (a slower machine makes fewer). Without it a try comes every ~40 ms (13 in 1.5 s here).
    std::uint64_t allowed = 1;
    for (std::int64_t at = 0, gap = 20; at + gap <= heldMs; at += gap, gap = std::min<std::int64_t>(gap * 2, 400)) ++allowed;
    CHECK_MESSAGE(postponed <= allowed, "held " << heldMs << " ms");
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
