#pragma once
// A swap-under-mutex inbox (Tracy's RunQueue shape): workers post, the UI thread drains once per frame.
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace app::desktop {

template <typename Event>
class EventInbox {
public:
    // `waker` runs on the posting thread after each post (the app passes glfwPostEmptyEvent).
    explicit EventInbox(std::function<void()> waker = {}) : m_waker(std::move(waker)) {}

    void post(Event event) {
        {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(event));
        }
        if (m_waker) m_waker();
    }
    std::vector<Event> drain() {
        std::vector<Event> out;
        std::lock_guard lock(m_mutex);
        out.swap(m_events);
        return out;
    }

private:
    std::function<void()> m_waker;
    std::mutex m_mutex;
    std::vector<Event> m_events;
};

}  // namespace app::desktop
