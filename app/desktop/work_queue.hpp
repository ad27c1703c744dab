#pragma once
// One owned worker thread running jobs in order (Tracy/ImHex style). Jobs never touch the UI:
// they post typed results to the UiEventQueue. Destruction drops queued jobs and joins.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace app::desktop {

class WorkQueue {
public:
    using Job = std::function<void()>;
    WorkQueue();
    ~WorkQueue();
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    void post(Job job);
    int pending() const { return m_pending.load(); }  // queued + running
    void stop();  // finishes the running job, drops the rest, joins

private:
    void run();
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
    std::atomic<int> m_pending{0};
    std::thread m_thread;
};

}  // namespace app::desktop
