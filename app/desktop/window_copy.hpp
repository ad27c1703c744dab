#pragma once
// The scroll copy's second half (redraw_scroll.hpp): the renderer moved the rows' pixels in the back
// buffer; WindowCopy moves them in the window too, on the X server (XCopyArea), so the present sends
// only the damage instead of the whole region. Under Xvfb or a remote X server those are the bytes
// that travel. Off X11 (or built without it) it is unavailable and the caller presents the region.
#include "app/desktop/redraw_geometry.hpp"

struct GLFWwindow;

namespace app::desktop {

class WindowCopy {
public:
    explicit WindowCopy(GLFWwindow* window);
    ~WindowCopy();
    WindowCopy(const WindowCopy&) = delete;
    WindowCopy& operator=(const WindowCopy&) = delete;

    bool available() const { return m_available; }
    // Moves the window's pixels as `copy` moved the back buffer's. False when the server could not
    // copy them all (part of the window was covered: GraphicsExpose); the caller then presents the
    // copy's destination from the back buffer.
    bool copy(const ScrollCopy& copy);

private:
    GLFWwindow* m_window;
    void* m_gc = nullptr;  // the X graphics context (GC), created on first use
    bool m_available = false;
};

}  // namespace app::desktop
