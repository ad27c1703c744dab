#pragma once
// Network callback -> bounded queue -> one writer thread that owns its own Store connection.
// The writer takes everything queued (a batch) and, in ONE SQLite transaction, stores each raw
// push first (append-only, with its verification result) and then applies the valid ones to the
// code table. submit() returns only after its batch committed (group commit), so the MQTT client
// tells Paho a message is done only once it is on disk. When the writer is idle and nothing is
// queued, submit() commits on the calling thread instead (same connection, serialized): no thread
// hand-off for the one-message-at-a-time delivery of Paho. Listeners run on whichever thread
// committed, in arrival order.
#include "core/net/mqtt_client.hpp"
#include "core/protocol/push_message.hpp"
#include "core/sign/signing.hpp"
#include "core/store/push_store.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace core::ingest {

struct IngestConfig {
    std::string dbPath;
    std::string pushKey;  // push-verification key: never logged
    sign::Encoding encoding = sign::Encoding::Raw;
    std::size_t queueCapacity = 10000;  // submit waits for room beyond this
    int submitTimeoutMs = 10000;        // then submit gives up (the broker redelivers)
    std::size_t maxBatch = 4096;
    store::PushRetention retention;     // raw events only; codes are never pruned
    int pruneEveryMs = 60000;
    // The write-ahead log is truncated once it grows past this (checked every checkpointEveryMs):
    // the app's readers never leave SQLite a moment to restart it on its own.
    std::uint64_t walLimitBytes = 64ull << 20;
    int checkpointEveryMs = 1000;
    // How long a checkpoint waits for readers to let go of the log. Short queries end well within
    // it; a long snapshot (an export) does not, so each failed try doubles the interval up to
    // checkpointMaxBackoffMs: the writer is not paused again and again while the log must grow anyway.
    int checkpointWaitMs = 250;
    int checkpointMaxBackoffMs = 16000;
};

struct IngestStats {
    std::uint64_t received = 0;    // submitted
    std::uint64_t stored = 0;      // new raw events committed
    std::uint64_t duplicates = 0;  // acknowledged, not stored again
    std::uint64_t notValid = 0;    // invalid, unsigned or undecodable (stored, never applied)
    std::uint64_t applied = 0;     // events that changed or confirmed the code table
    std::uint64_t pending = 0;     // delete/put stored before their create
    std::uint64_t failedBatches = 0;
    std::uint64_t pruned = 0;
    std::uint64_t checkpoints = 0;           // times the write-ahead log was truncated
    std::uint64_t checkpointsPostponed = 0;  // a reader held the log past the wait
    std::size_t queueDepth = 0;
    double ratePerSecond = 0;      // stored over the last few seconds
    std::string lastError;
};

// One push after its batch committed (for watch output and UI lists).
struct StoredPush {
    std::int64_t eventId = 0;  // 0 for a duplicate
    bool duplicate = false;
    store::Applied applied = store::Applied::No;
    std::int64_t receivedMs = 0;
    int qos = 0;
    protocol::PushMessage message;
};
// Called after each commit (on the writer thread or an inline submitter), in arrival order: copy
// and return.
using StoredListener = std::function<void(const StoredPush&)>;

class IngestPipeline {
public:
    ~IngestPipeline();  // stop()
    IngestPipeline(const IngestPipeline&) = delete;
    IngestPipeline& operator=(const IngestPipeline&) = delete;

    // Opens its own Store on config.dbPath and starts the writer thread.
    static Result<std::unique_ptr<IngestPipeline>> start(IngestConfig config, StoredListener listener = {});

    // Blocks until the message's batch committed: true = safely stored (or a known duplicate).
    // False after a storage error, a timeout or stop(); the broker then delivers it again.
    bool submit(const net::RawPush& push);
    // A sink for net::MqttClient.
    net::PushSink sink();

    // Drains the queue, commits, and stops the writer.
    void stop();
    IngestStats stats() const;

    struct Impl;

private:
    explicit IngestPipeline(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// What one decoded push does to the store, inside the caller's transaction: stores the raw event,
// then applies it when valid. Exposed for tests and tools; the pipeline calls it per message.
struct IngestResult {
    std::int64_t eventId = 0;
    bool duplicate = false;
    store::Applied applied = store::Applied::No;
};
Result<IngestResult> ingestOne(store::Store& store, const net::RawPush& push, const protocol::PushMessage& message);

}  // namespace core::ingest
