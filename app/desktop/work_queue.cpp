#include "app/desktop/work_queue.hpp"

#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
#include <pthread.h>
#include <sys/qos.h>
#else
#include <algorithm>
#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace app::desktop {

bool lowerThreadPriority(WorkPriority priority) {
    if (priority == WorkPriority::Normal) return true;
    const bool background = priority == WorkPriority::Background;
#if defined(_WIN32)
    return SetThreadPriority(GetCurrentThread(), background ? THREAD_PRIORITY_LOWEST : THREAD_PRIORITY_BELOW_NORMAL) != 0;
#elif defined(__APPLE__)
    return pthread_set_qos_class_self_np(background ? QOS_CLASS_UTILITY : QOS_CLASS_USER_INITIATED, 0) == 0;
#else
    // Linux keeps a nice value per thread; raising it needs no privilege.
    const auto tid = static_cast<id_t>(syscall(SYS_gettid));
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, tid);
    if (nice == -1 && errno != 0) return false;
    return setpriority(PRIO_PROCESS, tid, std::min(nice + (background ? 10 : 5), 19)) == 0;
#endif
}

WorkQueue::WorkQueue(WorkPriority priority) : m_thread([this, priority] { run(priority); }) {}

WorkQueue::~WorkQueue() { stop(); }

void WorkQueue::post(Job job) {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return;
        m_jobs.push_back(std::move(job));
        ++m_pending;
    }
    m_wake.notify_one();
}

void WorkQueue::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && !m_thread.joinable()) return;
        m_stopping = true;
        m_pending -= static_cast<int>(m_jobs.size());
        m_jobs.clear();
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

void WorkQueue::run(WorkPriority priority) {
    (void)lowerThreadPriority(priority);  // best effort: still correct at normal
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_stopping) return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job();
        --m_pending;
    }
}

}  // namespace app::desktop
