#include "app/desktop/window_copy.hpp"

#include <GLFW/glfw3.h>
#if defined(PD_HAVE_X11)
#include "app/desktop/glfw_x11.hpp"
#endif

namespace app::desktop {

#if defined(PD_HAVE_X11)

WindowCopy::WindowCopy(GLFWwindow* window) : m_window(window) {
    m_available = glfwGetX11Display() != nullptr && glfwGetX11Window(window) != 0;
}

WindowCopy::~WindowCopy() {
    if (m_gc != nullptr) XFreeGC(glfwGetX11Display(), static_cast<GC>(m_gc));
}

bool WindowCopy::copy(const ScrollCopy& copy) {
    if (!m_available) return false;
    Display* display = glfwGetX11Display();
    const Window window = glfwGetX11Window(m_window);
    if (m_gc == nullptr) {
        XGCValues values{};
        values.graphics_exposures = True;  // tells us when a covered part could not be copied
        m_gc = XCreateGC(display, window, GCGraphicsExposures, &values);
    }
    const PixelRect to = copyDestination(copy);
    XCopyArea(display, window, window, static_cast<GC>(m_gc), to.x0, to.y0 - copy.dy,
              static_cast<unsigned>(to.x1 - to.x0), static_cast<unsigned>(to.y1 - to.y0), to.x0, to.y0);
    // The server answers each copy with NoExpose, or with GraphicsExpose for what it could not copy.
    // One round trip; the events are taken here, before GLFW's loop would drop them.
    XSync(display, False);
    XEvent event;
    bool complete = true;
    while (XCheckTypedWindowEvent(display, window, GraphicsExpose, &event)) complete = false;
    while (XCheckTypedWindowEvent(display, window, NoExpose, &event)) {
    }
    return complete;
}

#else

WindowCopy::WindowCopy(GLFWwindow* window) : m_window(window) {}
WindowCopy::~WindowCopy() = default;
bool WindowCopy::copy(const ScrollCopy&) { return false; }

#endif

}  // namespace app::desktop
