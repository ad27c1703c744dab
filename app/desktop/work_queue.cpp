#include "app/desktop/work_queue.hpp"

namespace app::desktop {

WorkQueue::WorkQueue() : m_thread([this] { run(); }) {}

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

void WorkQueue::run() {
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
