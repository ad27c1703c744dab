#include "app/desktop/frame_gate.hpp"

#include <array>
#include <string_view>

namespace app::desktop {

void FrameGate::close() { m_closed.store(true, std::memory_order_relaxed); }

void FrameGate::open() {
    {
        std::lock_guard lock(m_mutex);
        m_closed.store(false, std::memory_order_relaxed);
    }
    m_opened.notify_all();
}

bool FrameGate::wait() {
    if (!m_closed.load(std::memory_order_relaxed)) return false;
    std::unique_lock lock(m_mutex);
    m_opened.wait_for(lock, kMaxWait, [this] { return !m_closed.load(std::memory_order_relaxed); });
    return true;
}

bool isSoftwareRenderer(const char* glRenderer) {
    if (glRenderer == nullptr) return false;
    const std::string_view renderer(glRenderer);
    constexpr std::array<std::string_view, 6> kSoftware = {"llvmpipe", "softpipe", "SwiftShader",
                                                           "Software Rasterizer", "GDI Generic",
                                                           "Apple Software Renderer"};
    for (const auto name : kSoftware) {
        if (renderer.find(name) != std::string_view::npos) return true;
    }
    return false;
}

}  // namespace app::desktop
