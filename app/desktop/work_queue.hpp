#pragma once
// One owned worker thread running jobs in order (Tracy/ImHex style). Jobs never touch the UI:
// they post typed results to the UiEventQueue. Destruction drops queued jobs and joins.
// Priorities: the UI thread (and a software renderer's raster threads) run at normal priority.
// BelowUi queues (the app's query and service workers) yield to them when the CPU is short, so a
// frame is not stretched by a sort the frame will show later anyway. Background queues go lower:
// long batch work (an export of 100,000 codes takes seconds of CPU) yields to the push ingest too.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace app::desktop {

enum class WorkPriority { Normal, BelowUi, Background };

// Lowers the calling thread's scheduling priority to `priority`: BelowUi is nice 5 on Linux,
// user-initiated QoS on macOS, below normal on Windows; Background is nice 10, utility QoS, lowest.
// False when the system refused (the thread then runs at normal priority, still correct).
bool lowerThreadPriority(WorkPriority priority = WorkPriority::Background);

class WorkQueue {
public:
    using Job = std::function<void()>;
    explicit WorkQueue(WorkPriority priority = WorkPriority::Normal);
    ~WorkQueue();
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    void post(Job job);
    int pending() const { return m_pending.load(); }  // queued + running
    void stop();  // finishes the running job, drops the rest, joins

private:
    void run(WorkPriority priority);
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
    std::atomic<int> m_pending{0};
    std::thread m_thread;
};

}  // namespace app::desktop
