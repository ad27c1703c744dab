// Push ingest benchmark (issue 4): one mosquitto, one publisher, N signed ~300-byte pushes.
// In the same run, mosquitto_sub receives the stream to /dev/null (-C N exits after N) while our
// ingest (MqttClient -> IngestPipeline: decode, verify, commit to SQLite) takes it too.
// Then p99 publish-to-committed latency at a fixed rate, and optionally a soak.
//
//   push_bench [--count 100000] [--latency-count 5000] [--rate 1000] [--soak-seconds 0]
#include "core/ingest/ingest_pipeline.hpp"
#include "core/net/mqtt_client.hpp"
#include "core/protocol/push_message.hpp"
#include "tests/support/mosquitto.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kKey = "bench-push-key";
constexpr const char* kTopic = "/clients/20240601";

std::int64_t steadyUs() {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}

std::string push(std::int64_t id, std::int64_t sentUs) {
    return core::protocol::encodePush({{"method", "client.pickup_codes.create"}, {"client_id", "20240601"},
                                       {"machine_id", "10010"}, {"timestamp", "1761200000"}, {"status", "0"},
                                       {"id", std::to_string(id)}, {"product_id", "20001"},
                                       {"code", std::to_string(10000000 + id % 90000000)}, {"quantity", "1"},
                                       {"expired_at", "1893456000000"}, {"expired_day", "2029-12-31 19:00:00"},
                                       {"used", "0"}, {"bench_t", std::to_string(sentUs)}},
                                      kKey, core::sign::Encoding::Raw);
}

long rssKb() {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    }
    return 0;
}

struct Ingest {
    std::unique_ptr<core::ingest::IngestPipeline> pipeline;
    std::unique_ptr<core::net::MqttClient> client;
    std::mutex mutex;
    std::vector<std::int64_t> latenciesUs;

    Ingest(const std::string& url, const std::string& db, int qos) {
        core::ingest::IngestConfig ic;
        ic.dbPath = db;
        ic.pushKey = kKey;
        pipeline = core::ingest::IngestPipeline::start(ic, [this](const core::ingest::StoredPush& s) {
            const auto it = s.message.fields.find("bench_t");
            if (it == s.message.fields.end()) return;
            const std::int64_t sent = std::stoll(it->get<std::string>());
            std::lock_guard lock(mutex);
            latenciesUs.push_back(steadyUs() - sent);
        }).value();
        core::net::MqttConfig mc;
        mc.serverUri = url;
        mc.clientId = "pickupdesk-bench-ingest";
        mc.subscriptions = {{kTopic, qos}};
        client = core::net::MqttClient::create(mc, pipeline->sink()).value();
        (void)client->start();
        if (!client->waitReady(10000).ok()) throw std::runtime_error("ingest did not connect");
    }
    std::uint64_t stored() const { return pipeline->stats().stored + pipeline->stats().duplicates; }
    ~Ingest() {
        client->stop();
        pipeline->stop();
    }
};

std::unique_ptr<core::net::MqttClient> publisher(const std::string& url) {
    core::net::MqttConfig mc;
    mc.serverUri = url;
    mc.clientId = "pickupdesk-bench-pub";
    mc.cleanStart = true;
    auto client = core::net::MqttClient::create(mc, {}).value();
    (void)client->start();
    if (!client->waitReady(10000).ok()) throw std::runtime_error("publisher did not connect");
    return client;
}

void publishOne(core::net::MqttClient& pub, const std::string& payload, int qos) {
    while (!pub.publish(kTopic, payload, qos).ok()) std::this_thread::sleep_for(std::chrono::microseconds(200));
}

// Paho's async client queues every unacknowledged message and looks acknowledgements up in that
// list, so a publisher that queues all 100,000 at once slows down as the list grows (340 msg/s by
// the end of a run). Waiting for the acknowledgements every kPublishWindow messages keeps it short.
constexpr int kPublishWindow = 1000;

void throughput(int qos, int count) {
    testsupport::Mosquitto broker;
    testsupport::TempDir dir;
    std::vector<std::string> payloads;
    for (int i = 0; i < count; ++i) payloads.push_back(push(1000000 + i, 0));
    testsupport::ChildProcess sub({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(broker.port()), "-t", kTopic,
                                   "-q", std::to_string(qos), "-C", std::to_string(count)});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let it subscribe
    Ingest ingest(broker.url(), dir.file("bench.db"), qos);
    auto pub = publisher(broker.url());
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        publishOne(*pub, payloads[i], qos);
        if (qos > 0 && i % kPublishWindow == kPublishWindow - 1) (void)pub->flush(30000);
    }
    double subSeconds = -1, oursSeconds = -1;
    const auto deadline = Clock::now() + std::chrono::seconds(120);  // after the last publish
    while (Clock::now() < deadline && (subSeconds < 0 || oursSeconds < 0)) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
        if (subSeconds < 0 && !sub.running()) subSeconds = elapsed;
        if (oursSeconds < 0 && ingest.stored() >= static_cast<std::uint64_t>(count)) oursSeconds = elapsed;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const double subRate = subSeconds > 0 ? count / subSeconds : 0;
    const double ourRate = oursSeconds > 0 ? count / oursSeconds : 0;
    std::printf("QoS %d, %d pushes of %zu bytes: mosquitto_sub %.0f msg/s (%.2f s), ingest %.0f msg/s (%.2f s), ratio %.1f%%\n",
                qos, count, payloads.front().size(), subRate, subSeconds, ourRate, oursSeconds,
                subRate > 0 ? 100.0 * ourRate / subRate : 0.0);
    std::fflush(stdout);
}

void latency(int count, double rate, int soakSeconds) {
    testsupport::Mosquitto broker;
    testsupport::TempDir dir;
    Ingest ingest(broker.url(), dir.file("bench.db"), 1);
    auto pub = publisher(broker.url());
    const int total = soakSeconds > 0 ? static_cast<int>(rate * soakSeconds) : count;
    {
        std::lock_guard lock(ingest.mutex);
        ingest.latenciesUs.reserve(static_cast<std::size_t>(total));  // the bench's own bookkeeping, not the ingest's
    }
    const auto t0 = Clock::now();
    long rssStart = rssKb(), rssMax = rssStart;
    const int sampleEvery = static_cast<int>(rate * 60);  // an RSS sample a minute
    for (int i = 0; i < total; ++i) {
        std::this_thread::sleep_until(t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(i / rate)));
        publishOne(*pub, push(2000000 + i, steadyUs()), 1);
        if (i % 1000 == 0) rssMax = std::max(rssMax, rssKb());
        if (soakSeconds > 0 && i > 0 && i % sampleEvery == 0) {
            std::printf("soak t=%.0f s: RSS %ld KiB, committed %llu\n",
                        std::chrono::duration<double>(Clock::now() - t0).count(), rssKb(),
                        static_cast<unsigned long long>(ingest.stored()));
            std::fflush(stdout);
        }
    }
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (ingest.stored() < static_cast<std::uint64_t>(total) && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::vector<std::int64_t> l;
    {
        std::lock_guard lock(ingest.mutex);
        l = ingest.latenciesUs;
    }
    std::sort(l.begin(), l.end());
    auto pct = [&](double p) { return l.empty() ? 0.0 : l[std::min(l.size() - 1, static_cast<size_t>(p * l.size()))] / 1000.0; };
    std::printf("QoS 1 at %.0f msg/s, %d pushes: publish-to-committed p50 %.2f ms, p99 %.2f ms, max %.2f ms (%zu measured)\n",
                rate, total, pct(0.5), pct(0.99), l.empty() ? 0.0 : l.back() / 1000.0, l.size());
    std::printf("RSS: start %ld KiB, max %ld KiB, end %ld KiB\n", rssStart, rssMax, rssKb());
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    int count = 100000, latencyCount = 5000, soakSeconds = 0;
    double rate = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--count") == 0) count = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--latency-count") == 0) latencyCount = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--rate") == 0) rate = std::atof(argv[i + 1]);
        if (std::strcmp(argv[i], "--soak-seconds") == 0) soakSeconds = std::atoi(argv[i + 1]);
    }
    try {
        throughput(0, count);
        throughput(1, count);
        latency(latencyCount, rate, soakSeconds);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "push_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
