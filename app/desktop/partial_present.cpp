#include "app/desktop/partial_present.hpp"

#include <GLFW/glfw3.h>

#include <cstring>

namespace app::desktop {
namespace {

template <typename Fn>
Fn lookUp(const char* name) {
    return reinterpret_cast<Fn>(glfwGetProcAddress(name));
}

// True when the GLX extension string lists name as a whole word.
bool hasExtension(const char* extensions, const char* name) {
    const size_t length = std::strlen(name);
    for (const char* at = extensions; (at = std::strstr(at, name)) != nullptr; at += length) {
        const bool starts = at == extensions || at[-1] == ' ';
        const bool ends = at[length] == ' ' || at[length] == '\0';
        if (starts && ends) return true;
    }
    return false;
}

}  // namespace

PartialPresent::PartialPresent() {
    // Through the GL loader, not GLX headers: no X11 build dependency, and null off GLX.
    using QueryExtensions = const char* (*)(void* display, int screen);
    const auto display = lookUp<GetDisplay>("glXGetCurrentDisplay");
    const auto drawable = lookUp<GetDrawable>("glXGetCurrentDrawable");
    const auto query = lookUp<QueryExtensions>("glXQueryExtensionsString");
    const auto copy = lookUp<CopySubBuffer>("glXCopySubBufferMESA");
    if (display == nullptr || drawable == nullptr || query == nullptr || copy == nullptr) return;
    void* dpy = display();
    if (dpy == nullptr || drawable() == 0) return;
    const char* extensions = query(dpy, 0);
    if (extensions == nullptr || !hasExtension(extensions, "GLX_MESA_copy_sub_buffer")) return;
    m_display = display;
    m_drawable = drawable;
    m_copySubBuffer = copy;
}

void PartialPresent::present(const std::vector<PixelRect>& rects, int framebufferHeight) const {
    void* dpy = m_display();
    const unsigned long drawable = m_drawable();
    for (const PixelRect& r : rects) {
        // GLX counts y from the bottom.
        m_copySubBuffer(dpy, drawable, r.x0, framebufferHeight - r.y1, r.x1 - r.x0, r.y1 - r.y0);
    }
}

}  // namespace app::desktop
