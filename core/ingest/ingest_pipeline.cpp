#include "core/ingest/ingest_pipeline.hpp"

#include "core/store/store.hpp"
#include "core/store/store_detail.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace core::ingest {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t wallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Waiter {
    bool done = false;
    bool ok = false;
};

struct Item {
    net::RawPush push;
    std::shared_ptr<Waiter> waiter;
};

// Thrown inside the writer only (never across the API) to roll a batch back.
struct BatchFailed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace

struct IngestPipeline::Impl {
    IngestConfig config;
    StoredListener listener;
    std::unique_ptr<store::Store> store;  // the writer's own connection

    mutable std::mutex mutex;
    std::condition_variable work, room, done;
    std::deque<Item> queue;
    bool stopping = false;
    bool busy = false;  // someone (the writer, or a submitter inline) is using the store
    IngestStats stats;
    std::deque<std::pair<Clock::time_point, std::uint64_t>> rateSamples;
    Clock::time_point nextPrune;
    Clock::time_point nextCheckpoint;
    int checkpointFailures = 0;  // in a row: the backoff's exponent
    std::thread writer;

    void run();
    void processBatch(std::vector<Item>& batch);
    void maybePrune();
    void maybeCheckpoint();
};

IngestPipeline::IngestPipeline(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

IngestPipeline::~IngestPipeline() { stop(); }

Result<std::unique_ptr<IngestPipeline>> IngestPipeline::start(IngestConfig config, StoredListener listener) {
    if (config.queueCapacity == 0 || config.maxBatch == 0) {
        return makeError(ErrorCode::InvalidInput, "The push queue and batch size must be at least 1.");
    }
    auto opened = store::Store::open(config.dbPath);
    if (!opened) return opened.error();
    auto impl = std::make_unique<Impl>();
    impl->config = std::move(config);
    impl->listener = std::move(listener);
    impl->store = std::move(*opened);
    impl->nextPrune = Clock::now();
    impl->nextCheckpoint = Clock::now();
    Impl* raw = impl.get();
    impl->writer = std::thread([raw] { raw->run(); });
    return std::unique_ptr<IngestPipeline>(new IngestPipeline(std::move(impl)));
}

bool IngestPipeline::submit(const net::RawPush& push) {
    Impl& d = *m_impl;
    auto waiter = std::make_shared<Waiter>();
    const auto deadline = Clock::now() + std::chrono::milliseconds(d.config.submitTimeoutMs);
    std::unique_lock lock(d.mutex);
    // The caller waits for the commit anyway: when nothing is queued and the writer is idle, commit
    // on this thread and save the two thread hand-offs (Paho delivers one message at a time, so
    // this is the common case; on a busy 2-core machine each hand-off costs a scheduler wake-up).
    if (!d.stopping && !d.busy && d.queue.empty()) {
        d.busy = true;
        ++d.stats.received;
        lock.unlock();
        std::vector<Item> batch{Item{push, waiter}};
        d.processBatch(batch);
        lock.lock();
        d.busy = false;
        d.work.notify_all();  // the writer may be waiting for the store
        return waiter->ok;
    }
    if (!d.room.wait_until(lock, deadline, [&] { return d.stopping || d.queue.size() < d.config.queueCapacity; })) {
        return false;
    }
    if (d.stopping) return false;
    d.queue.push_back(Item{push, waiter});
    ++d.stats.received;
    d.work.notify_one();
    d.done.wait_until(lock, deadline, [&] { return waiter->done; });
    return waiter->done && waiter->ok;
}

net::PushSink IngestPipeline::sink() {
    return [this](const net::RawPush& push) { return submit(push); };
}

void IngestPipeline::stop() {
    Impl& d = *m_impl;
    {
        std::lock_guard lock(d.mutex);
        d.stopping = true;
    }
    d.work.notify_all();
    d.room.notify_all();
    if (d.writer.joinable()) d.writer.join();
}

IngestStats IngestPipeline::stats() const {
    const Impl& d = *m_impl;
    std::lock_guard lock(d.mutex);
    IngestStats s = d.stats;
    s.queueDepth = d.queue.size();
    if (d.rateSamples.size() >= 2) {
        const auto& [t0, n0] = d.rateSamples.front();
        const auto& [t1, n1] = d.rateSamples.back();
        const double seconds = std::chrono::duration<double>(t1 - t0).count();
        if (seconds > 0) s.ratePerSecond = static_cast<double>(n1 - n0) / seconds;
    }
    return s;
}

void IngestPipeline::Impl::run() {
    for (;;) {
        std::vector<Item> batch;
        {
            std::unique_lock lock(mutex);
            work.wait_until(lock, std::min(nextPrune, nextCheckpoint), [&] { return stopping || !queue.empty(); });
            work.wait(lock, [&] { return !busy; });  // a submitter is committing inline
            if (queue.empty() && stopping) break;
            while (!queue.empty() && batch.size() < config.maxBatch) {
                batch.push_back(std::move(queue.front()));
                queue.pop_front();
            }
            busy = true;
        }
        room.notify_all();
        if (!batch.empty()) processBatch(batch);
        maybePrune();
        maybeCheckpoint();
        {
            std::lock_guard lock(mutex);
            busy = false;
        }
    }
}

void IngestPipeline::Impl::processBatch(std::vector<Item>& batch) {
    std::vector<StoredPush> stored(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {  // decode outside the transaction
        stored[i].message = protocol::decodePush(batch[i].push.payload, batch[i].push.topic, config.pushKey, config.encoding);
        stored[i].receivedMs = batch[i].push.receivedMs;
        stored[i].qos = batch[i].push.qos;
    }
    bool ok = true;
    std::string error;
    try {
        SQLite::Transaction tx(store->db());
        for (size_t i = 0; i < batch.size(); ++i) {
            auto result = ingestOne(*store, batch[i].push, stored[i].message);
            if (!result) throw BatchFailed(result.error().message);
            stored[i].eventId = result->eventId;
            stored[i].duplicate = result->duplicate;
            stored[i].applied = result->applied;
        }
        tx.commit();
    } catch (const SQLite::Exception& e) {  // BEGIN or COMMIT itself failed (e.g. the disk is full)
        ok = false;  // rolled back: every submitter hears false and the broker redelivers
        error = std::string("Could not store pushes: ") + e.what() + ". " + store::detail::storageHint(e.getErrorCode());
    } catch (const std::exception& e) {  // a statement failed: its message has the hint already
        ok = false;
        error = std::string("Could not store pushes: ") + e.what();
    }
    {
        std::lock_guard lock(mutex);
        for (auto& item : batch) {
            item.waiter->done = true;
            item.waiter->ok = ok;
        }
        if (ok) {
            for (const auto& s : stored) {
                if (s.duplicate) {
                    ++stats.duplicates;
                    continue;
                }
                ++stats.stored;
                if (!protocol::mayApply(s.message)) ++stats.notValid;
                if (s.applied == store::Applied::Yes) ++stats.applied;
                if (s.applied == store::Applied::Pending) ++stats.pending;
            }
        } else {
            ++stats.failedBatches;
            stats.lastError = error;
        }
        rateSamples.emplace_back(Clock::now(), stats.stored);
        while (rateSamples.size() > 2 && rateSamples.front().first < Clock::now() - std::chrono::seconds(5)) {
            rateSamples.pop_front();
        }
    }
    done.notify_all();
    if (!ok) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // e.g. a busy or full disk
        return;
    }
    if (listener) {
        for (const auto& s : stored) listener(s);
    }
}

void IngestPipeline::Impl::maybeCheckpoint() {
    if (Clock::now() < nextCheckpoint) return;
    // Readers must let go of the log for a moment, so the writer waits up to checkpointWaitMs
    // (pushes queue in Paho and the broker meanwhile). A longer reader (an export's snapshot) keeps
    // the log anyway until it ends: back off instead of paying the wait every round.
    auto truncated = store->checkpointIfLarge(config.walLimitBytes, config.checkpointWaitMs);
    const bool postponed = truncated && !*truncated && store->walBytes() > config.walLimitBytes;
    checkpointFailures = postponed ? std::min(checkpointFailures + 1, 16) : 0;
    const auto every = std::max(10, config.checkpointEveryMs);
    const auto interval = std::min<std::int64_t>(std::int64_t{every} << checkpointFailures,
                                                 std::max(every, config.checkpointMaxBackoffMs));
    nextCheckpoint = Clock::now() + std::chrono::milliseconds(interval);
    std::lock_guard lock(mutex);
    if (!truncated) {
        stats.lastError = truncated.error().message;
    } else if (*truncated) {
        ++stats.checkpoints;
    } else if (postponed) {
        ++stats.checkpointsPostponed;
    }
}

void IngestPipeline::Impl::maybePrune() {
    if (Clock::now() < nextPrune) return;
    nextPrune = Clock::now() + std::chrono::milliseconds(std::max(100, config.pruneEveryMs));
    if (!config.retention.maxAgeMs && !config.retention.maxCount) return;
    auto removed = store::prunePushEvents(*store, config.retention, wallMs());
    std::lock_guard lock(mutex);
    if (removed) {
        stats.pruned += static_cast<std::uint64_t>(*removed);
    } else {
        stats.lastError = removed.error().message;
    }
}

}  // namespace core::ingest
