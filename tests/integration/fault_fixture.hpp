#pragma once
// Shared by the fault-survival tests (issue 8): read-only looks into a database another process
// writes, the SQLite integrity check, random kill delays, timing for the figures in
// docs/SECURITY.md, and `pickupctl watch` against a real mosquitto with a stream of signed pushes.
#include "pd_test_paths.hpp"
#include "tests/integration/mqtt_fixture.hpp"
#include "tests/support/process.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include <signal.h>

namespace testsupport {

// One value from a database that a child process may be writing (WAL: readers never block it).
// -1 when the file does not exist yet or the query fails.
inline std::int64_t dbCount(const std::string& dbPath, const std::string& sql) {
    try {
        SQLite::Database db(dbPath, SQLite::OPEN_READONLY, 5000);
        return db.execAndGet(sql).getInt64();
    } catch (const std::exception&) {
        return -1;
    }
}

// "ok", or SQLite's list of problems.
inline std::string integrityCheck(const std::string& dbPath) {
    SQLite::Database db(dbPath, SQLite::OPEN_READONLY, 5000);
    SQLite::Statement q(db, "PRAGMA integrity_check");
    std::string out;
    while (q.executeStep()) out += (out.empty() ? "" : "\n") + q.getColumn(0).getString();
    return out;
}

// Seeded from the clock; the seed is printed so a failing run can be repeated (PD_FAULT_SEED).
class KillClock {
public:
    KillClock() {
        const char* fixed = std::getenv("PD_FAULT_SEED");
        m_seed = fixed != nullptr ? std::stoull(fixed)
                                  : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
        m_rng.seed(m_seed);
        MESSAGE("kill seed (PD_FAULT_SEED): " << m_seed);
    }
    int delayMs(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
    std::uint64_t seed() const { return m_seed; }

private:
    std::uint64_t m_seed = 0;
    std::mt19937_64 m_rng;
};

inline double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// How `pickupctl watch` subscribes.
struct WatchMode {
    int qos = 2;
    bool mqtt5 = false;
    std::string name() const { return std::string(mqtt5 ? "MQTT 5" : "MQTT 3.1.1") + ", QoS " + std::to_string(qos); }
};

// A broker, a database and `pickupctl watch` restarted as often as the test kills it.
class WatchWorld {
public:
    explicit WatchWorld(WatchMode mode) : m_mode(mode) {
        m_env = {{"PICKUPDESK_DB", db()},
                 {"PICKUPDESK_MQTT_URL", m_broker.url()},
                 {"PICKUPDESK_PUSH_KEY", kPushKey},
                 {"XDG_DATA_HOME", m_dir.file("xdg-data")},
                 {"XDG_CONFIG_HOME", m_dir.file("xdg-config")}};
    }
    std::string db() const { return m_dir.file("data/pickupdesk.db"); }
    Mosquitto& broker() { return m_broker; }
    std::map<std::string, std::string>& env() { return m_env; }
    TempDir& dir() { return m_dir; }
    std::unique_ptr<ChildProcess> spawnWatch() {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH, "watch", kMachine, "--client-id", "pickupdesk-crash-test", "--qos",
                                      std::to_string(m_mode.qos)};
        if (m_mode.mqtt5) argv.push_back("--mqtt5");
        return std::make_unique<ChildProcess>(argv, m_env);
    }
    std::int64_t count(const std::string& sql) const { return dbCount(db(), sql); }
    // Waits until the watch has subscribed ("watching" on stderr); false if it did not within 30 s
    // (an ASan build on a loaded 2-core machine has taken over 10 s after a kill).
    static bool subscribed(ChildProcess& watch) {
        return waitFor([&] { return watch.stderrText().find("watching") != std::string::npos || !watch.running(); }, 30000) &&
               watch.running();
    }
    // The broker queues for a persistent session only once it exists: one watch subscribes first.
    void createSession() {
        auto watch = spawnWatch();
        INFO("watch stderr: " << watch->stderrText());
        REQUIRE(subscribed(*watch));
        watch->stop();
    }
    // What Paho keeps in the session folder, by key prefix ("r-": QoS 2 received, "q-": queued).
    std::string sessionFiles() const {
        std::map<std::string, int> byKind;
        std::error_code ec;
        for (const auto& f : std::filesystem::recursive_directory_iterator(m_dir.file("data/mqtt/session"), ec)) {
            if (!f.is_regular_file(ec)) continue;
            const std::string name = f.path().filename().string();
            ++byKind[name.substr(0, name.find('-') + 1)];
        }
        std::string out;
        for (const auto& [kind, n] : byKind) out += kind + ":" + std::to_string(n) + " ";
        return out.empty() ? "none" : out;
    }

private:
    WatchMode m_mode;
    Mosquitto m_broker;
    TempDir m_dir;
    std::map<std::string, std::string> m_env;
};

// Publishes `total` signed creates (ids firstId.., codes 70000000+id) at about `perSecond`, from
// its own thread, at QoS 2 (what the vendor's plugin uses; the subscription decides what watch gets).
class PushStream {
public:
    PushStream(const std::string& url, int total, int perSecond, int firstId = 1)
        : m_pub(url, "pickupdesk-fault-publisher"), m_total(total) {
        m_thread = std::thread([this, perSecond, firstId] {
            const auto gap = std::chrono::microseconds(1000000 / std::max(1, perSecond));
            for (int i = firstId; i < firstId + m_total; ++i) {
                const std::string payload = createPush(i, std::to_string(70000000 + i));
                while (!m_pub.client().publish(topicOf(kMachine), payload, 2).ok()) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                }
                std::this_thread::sleep_for(gap);
            }
        });
    }
    ~PushStream() { join(); }
    void join() {
        if (m_thread.joinable()) m_thread.join();
    }
    bool flush() { return m_pub.flush(30000); }

private:
    Publisher m_pub;
    int m_total;
    std::thread m_thread;
};

// SIGKILL and reap; true when it was still running (killed mid-work rather than after it ended).
inline bool killNow(ChildProcess& child) {
    const bool alive = child.running();
    if (alive) ::kill(child.pid(), SIGKILL);
    while (child.running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return alive;
}

}  // namespace testsupport
