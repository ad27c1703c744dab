#pragma once
// Presents only the damaged parts of the back buffer (redraw_damage.hpp). On X11 with Mesa's GLX,
// glXCopySubBufferMESA copies rectangles from the back buffer to the window and leaves the back
// buffer as it was, so the next frame only redraws what changed. Elsewhere (GPU drivers without the
// extension, Windows, macOS, Wayland) available() is false and the app swaps and redraws as usual.
#include "app/desktop/redraw_damage.hpp"

#include <vector>

namespace app::desktop {

class PartialPresent {
public:
    // Looks the extension up for the current GL context (and its window).
    PartialPresent();

    bool available() const { return m_copySubBuffer != nullptr; }
    // Copies the rectangles (framebuffer pixels, top-left origin) from the back buffer to the window.
    void present(const std::vector<PixelRect>& rects, int framebufferHeight) const;

private:
    using GetDisplay = void* (*)();
    using GetDrawable = unsigned long (*)();
    using CopySubBuffer = void (*)(void* display, unsigned long drawable, int x, int y, int width, int height);

    GetDisplay m_display = nullptr;
    GetDrawable m_drawable = nullptr;
    CopySubBuffer m_copySubBuffer = nullptr;
};

}  // namespace app::desktop
