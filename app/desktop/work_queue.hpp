#pragma once
// One owned worker thread running jobs in order (Tracy/ImHex style). Jobs never touch the UI:
// they post typed results to the UiEventQueue. Destruction drops queued jobs and joins.
// A Background queue runs below normal priority: long batch work (an export of 100,000 codes takes
// seconds of CPU) then yields to the push ingest and the UI on a busy machine instead of starving them.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace app::desktop {

enum class WorkPriority { Normal, Background };

// Lowers the calling thread's scheduling priority (nice 10 on Linux, utility QoS on macOS, below
// normal on Windows); false when the system refused.
bool lowerThreadPriority();

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
