#pragma once
// Draws a built ImGui frame into the window and presents it. With a software renderer that offers
// glXCopySubBufferMESA it redraws and presents only what changed since the last frame
// (redraw_damage.hpp, partial_present.hpp); otherwise it clears, draws everything and swaps.
//   PICKUPDESK_FULL_REDRAW=1   always draw everything (for comparison)
//   PICKUPDESK_NO_SCROLL_COPY=1  redraw scrolled rows instead of moving them (redraw_scroll.hpp)
//   PICKUPDESK_NO_WINDOW_COPY=1  present the moved rows instead of moving them on the X server too
//   PICKUPDESK_CHECK_REDRAW=1  after every partial frame, draw the frame again in full and compare its
//                              pixels with the back buffer and, on X11, with the window (slow; the smoke
//                              test's check that partial frames are exact)
//   PICKUPDESK_NO_TEXT_CACHE=1  the codes table's text glyph by glyph, not from the text cache (text_cache.hpp)
#include "app/desktop/partial_present.hpp"
#include "app/desktop/redraw_damage.hpp"
#include "app/desktop/window_copy.hpp"

#include <imgui.h>

#include <cstdint>
#include <optional>
#include <vector>

struct GLFWwindow;

namespace app::desktop {

// Whether the environment variable is "1" (the renderer's switches above, PICKUPDESK_NO_TEXT_CACHE).
bool envFlag(const char* name);

// Whether the window (the current context's default framebuffer) has a depth and a stencil buffer;
// nullopt when the driver cannot say.
struct FramebufferBuffers {
    bool depth = false;
    bool stencil = false;
};
std::optional<FramebufferBuffers> defaultFramebufferBuffers();

class FrameRenderer {
public:
    FrameRenderer(GLFWwindow* window, bool softwareRenderer);
    FrameRenderer(const FrameRenderer&) = delete;
    FrameRenderer& operator=(const FrameRenderer&) = delete;

    bool partial() const { return m_partial; }
    // The next frame is drawn in full (a font or texture changed under the same id).
    void invalidate() { m_damage.invalidate(); }

    // Draws the frame (only its damage when partial) and returns the pixels drawn.
    long long draw(ImDrawData& drawData, int width, int height, const ImVec4& background);
    // The pixels the last draw() moved with a scroll copy instead of drawing them.
    long long copiedPixels() const { return m_copiedPixels; }
    // Whether present() moves them in the window too (on the X server), sending only the damage.
    bool movesWindowPixels() const { return m_pendingWindowCopy.has_value(); }
    void present();

    // PICKUPDESK_CHECK_REDRAW: frames compared, and those that differed from a full redraw.
    int checkedFrames() const { return m_checked; }
    int windowCheckedFrames() const { return m_windowChecked; }  // also read back from the window (X11)
    int differingFrames() const { return m_differing; }

private:
    void checkAgainstFullRedraw(ImDrawData& drawData, const std::vector<ImVector<ImDrawCmd>>& commands, int width,
                                int height, const ImVec4& background);
    void checkWindow();
    void copyScrolledPixels(const ScrollCopy& copy) const;
    void presentAlso(const PixelRect& rect);

    GLFWwindow* m_window;
    PartialPresent m_present;
    DamageTracker m_damage;
    bool m_partial = false;
    bool m_check = false;
    std::vector<PixelRect> m_rects;         // this frame's damage: cleared and drawn
    std::vector<PixelRect> m_presentRects;  // the damage and what the scroll copy moved, for present()
    WindowCopy m_windowCopy;
    bool m_useWindowCopy = false;
    std::optional<ScrollCopy> m_pendingWindowCopy;  // made in present(), before the damage goes
    using BlitFramebuffer = void (*)(int, int, int, int, int, int, int, int, unsigned, unsigned);
    BlitFramebuffer m_blit = nullptr;  // OpenGL 3.0, for the scroll copy
    long long m_copiedPixels = 0;
    int m_width = 0;
    int m_height = 0;
    int m_checked = 0;
    int m_windowChecked = 0;
    int m_differing = 0;
    std::vector<std::uint8_t> m_partialPixels;
    std::vector<std::uint8_t> m_fullPixels;
};

}  // namespace app::desktop
