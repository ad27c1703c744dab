#include "app/desktop/frame_renderer.hpp"

#include <GLFW/glfw3.h>
#include <GL/gl.h>
#if defined(PD_HAVE_X11)
#include "app/desktop/glfw_x11.hpp"

#include <X11/Xutil.h>
#endif
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace app::desktop {
bool envFlag(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && std::strcmp(value, "1") == 0;
}

namespace {

// Set by GLFW when the window must be repainted (exposed, uncovered): the window lost pixels that
// only the back buffer still has.
std::atomic<bool> g_exposed{false};

// A colour channel that every path of the driver stores as the same byte. A scissored clear is drawn
// as a rectangle, and llvmpipe's rectangle path truncates where a full clear rounds: 0.94 (239.7)
// became 239 beside 240. A quarter above the byte gives that byte either way.
float exactChannel(float value) {
    const float byte = std::round(std::clamp(value, 0.f, 1.f) * 255.f);
    return (byte + 0.25f) / 255.f;
}

void clear(const std::vector<PixelRect>& rects, int height, const ImVec4& background) {
    glClearColor(exactChannel(background.x), exactChannel(background.y), exactChannel(background.z), 1.f);
    glEnable(GL_SCISSOR_TEST);
    for (const PixelRect& r : rects) {
        glScissor(r.x0, height - r.y1, r.x1 - r.x0, r.y1 - r.y0);
        glClear(GL_COLOR_BUFFER_BIT);
    }
    glDisable(GL_SCISSOR_TEST);
}

#if defined(PD_HAVE_X11)
long long windowPixelsDiffering(GLFWwindow* window, const std::vector<std::uint8_t>& rgbaBottomUp, int width,
                                int height) {
    XImage* image = XGetImage(glfwGetX11Display(), glfwGetX11Window(window), 0, 0, static_cast<unsigned>(width),
                              static_cast<unsigned>(height), AllPlanes, ZPixmap);
    if (image == nullptr) return -1;
    // A 24-bit TrueColor visual (Xvfb's, most desktops'): 0xRRGGBB per pixel.
    using Pixel = unsigned long;
    long long differing = 0;
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* row = &rgbaBottomUp[static_cast<size_t>(height - 1 - y) * static_cast<size_t>(width) * 4];
        for (int x = 0; x < width; ++x) {
            const Pixel pixel = XGetPixel(image, x, y);
            const Pixel expected = (Pixel{row[x * 4]} << 16) | (Pixel{row[x * 4 + 1]} << 8) | Pixel{row[x * 4 + 2]};
            if ((pixel & 0xffffffUL) != expected) ++differing;
        }
    }
    XDestroyImage(image);
    return differing;
}
#else
long long windowPixelsDiffering(GLFWwindow*, const std::vector<std::uint8_t>&, int, int) { return -1; }
#endif

// Draws the lists one by one and hands each to the driver at once (glFlush). A software renderer
// rasterises on its own threads only when flushed, so the clear and the first lists are drawn while
// this thread still prepares the rest (the codes table's list, the largest, comes last).
void drawFlushingEachList(ImDrawData& drawData) {
    glFlush();  // the clear
    ImDrawList** lists = drawData.CmdLists;
    const int count = drawData.CmdListsCount;
    for (int n = 0; n < count; ++n) {
        ImDrawData one = drawData;
        one.CmdLists = &lists[n];
        one.CmdListsCount = 1;
        one.TotalVtxCount = lists[n]->VtxBuffer.Size;
        one.TotalIdxCount = lists[n]->IdxBuffer.Size;
        ImGui_ImplOpenGL3_RenderDrawData(&one);
        glFlush();
    }
}

void readBack(std::vector<std::uint8_t>& out, int width, int height) {
    out.resize(static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, out.data());
}

}  // namespace

std::optional<FramebufferBuffers> defaultFramebufferBuffers() {
    // An OpenGL 3.0 entry point, through GLFW: GL/gl.h declares only 1.x everywhere.
    using GetAttachmentParameter = void (*)(GLenum target, GLenum attachment, GLenum name, GLint* value);
    const auto get =
        reinterpret_cast<GetAttachmentParameter>(glfwGetProcAddress("glGetFramebufferAttachmentParameteriv"));
    if (get == nullptr) return std::nullopt;
    constexpr GLenum kFramebuffer = 0x8D40;  // GL_FRAMEBUFFER
    constexpr GLenum kObjectType = 0x8CD0;   // GL_FRAMEBUFFER_ATTACHMENT_OBJECT_TYPE: GL_NONE when absent
    constexpr GLenum kDepth = 0x1801;        // GL_DEPTH: the default framebuffer's depth buffer
    constexpr GLenum kStencil = 0x1802;      // GL_STENCIL
    // Earlier errors are not ours. Bounded: without a context glGetError may repeat one for ever.
    for (int i = 0; i < 8 && glGetError() != GL_NO_ERROR; ++i) {
    }
    GLint depth = GL_NONE;
    GLint stencil = GL_NONE;
    get(kFramebuffer, kDepth, kObjectType, &depth);
    get(kFramebuffer, kStencil, kObjectType, &stencil);
    if (glGetError() != GL_NO_ERROR) return std::nullopt;
    return FramebufferBuffers{depth != GL_NONE, stencil != GL_NONE};
}

FrameRenderer::FrameRenderer(GLFWwindow* window, bool softwareRenderer) : m_window(window), m_windowCopy(window) {
    // With a GPU a full frame is cheap and drivers rarely offer copy-sub-buffer: swap as usual.
    m_partial = softwareRenderer && m_present.available() && !envFlag("PICKUPDESK_FULL_REDRAW");
    m_check = m_partial && envFlag("PICKUPDESK_CHECK_REDRAW");
    // Through GLFW's loader: GL/gl.h declares only OpenGL 1.x everywhere.
    m_blit = reinterpret_cast<BlitFramebuffer>(glfwGetProcAddress("glBlitFramebuffer"));
    m_damage.allowScrollCopy(m_partial && m_blit != nullptr && !envFlag("PICKUPDESK_NO_SCROLL_COPY"));
    m_useWindowCopy = m_windowCopy.available() && !envFlag("PICKUPDESK_NO_WINDOW_COPY");
    if (m_partial) glfwSetWindowRefreshCallback(window, [](GLFWwindow*) { g_exposed = true; });
}

long long FrameRenderer::draw(ImDrawData& drawData, int width, int height, const ImVec4& background) {
    m_width = width;
    m_height = height;
    glViewport(0, 0, width, height);
    if (!m_partial) {
        takeScrolledRows();  // not used: everything is drawn
        m_rects.assign(1, PixelRect{0, 0, width, height});
        clear(m_rects, height, background);
        ImGui_ImplOpenGL3_RenderDrawData(&drawData);
        return m_rects.front().area();
    }
    if (g_exposed.exchange(false)) m_damage.invalidate();
    std::vector<ImVector<ImDrawCmd>> commands;  // the unclipped commands, for the check
    if (m_check) {
        for (int n = 0; n < drawData.CmdListsCount; ++n) commands.push_back(drawData.CmdLists[n]->CmdBuffer);
    }
    m_rects = m_damage.update(drawData, width, height, takeScrolledRows());
    long long pixels = 0;
    for (const PixelRect& r : m_rects) pixels += r.area();
    m_copiedPixels = 0;
    m_presentRects = m_rects;
    m_pendingWindowCopy.reset();
    if (const auto& copy = m_damage.scrollCopy()) {
        copyScrolledPixels(*copy);  // before the damage is cleared and drawn over it
        m_copiedPixels = copyDestination(*copy).area();
        if (m_useWindowCopy) {
            m_pendingWindowCopy = copy;  // the window's own pixels move too; only the damage is sent
        } else {
            presentAlso(copyDestination(*copy));
        }
    }
    if (!m_rects.empty()) {
        clear(m_rects, height, background);
        drawFlushingEachList(drawData);
    }
    if (m_check) checkAgainstFullRedraw(drawData, commands, width, height, background);
    return pixels;
}

void FrameRenderer::checkAgainstFullRedraw(ImDrawData& drawData, const std::vector<ImVector<ImDrawCmd>>& commands,
                                           int width, int height, const ImVec4& background) {
    readBack(m_partialPixels, width, height);
    for (int n = 0; n < drawData.CmdListsCount; ++n) drawData.CmdLists[n]->CmdBuffer = commands[static_cast<size_t>(n)];
    clear({PixelRect{0, 0, width, height}}, height, background);
    ImGui_ImplOpenGL3_RenderDrawData(&drawData);
    readBack(m_fullPixels, width, height);
    ++m_checked;
    size_t differing = 0;
    for (size_t i = 0; i < m_fullPixels.size(); i += 4) {
        if (std::memcmp(&m_fullPixels[i], &m_partialPixels[i], 3) != 0) ++differing;
    }
    if (differing == 0) return;
    ++m_differing;
    std::fprintf(stderr, "pickupdesk: redraw check: frame %d: %zu pixels differ from a full redraw\n", m_checked,
                 differing);
    m_presentRects.assign(1, PixelRect{0, 0, width, height});  // show the full redraw
}

void FrameRenderer::copyScrolledPixels(const ScrollCopy& copy) const {
    constexpr unsigned kColorBufferBit = 0x4000;  // GL_COLOR_BUFFER_BIT
    constexpr unsigned kNearest = 0x2600;         // GL_NEAREST
    const PixelRect to = copyDestination(copy);
    const int band = std::abs(copy.dy);
    glDisable(GL_SCISSOR_TEST);  // blits are scissored
    // The back buffer onto itself, in bands of |dy| rows whose source and destination do not overlap
    // (an overlapping blit is undefined), each read before a later band overwrites it. A copy between
    // like formats is a memory copy in llvmpipe, not a shaded draw. GL counts rows from the bottom.
    const int rows = to.y1 - to.y0;
    for (int done = 0; done < rows; done += band) {
        const int n = std::min(band, rows - done);
        const int dstTop = copy.dy < 0 ? to.y0 + done : to.y1 - done - n;
        const int srcTop = dstTop - copy.dy;
        m_blit(to.x0, m_height - (srcTop + n), to.x1, m_height - srcTop, to.x0, m_height - (dstTop + n), to.x1,
               m_height - dstTop, kColorBufferBit, kNearest);
    }
}

void FrameRenderer::presentAlso(const PixelRect& rect) {
    m_presentRects.push_back(rect);
    m_presentRects = mergeRects(std::move(m_presentRects), DamageTracker::kMaxRects);
}

void FrameRenderer::present() {
    if (!m_partial) {
        glfwSwapBuffers(m_window);
        return;
    }
    // The window shows the last frame: move its rows first, then send what changed over them.
    if (m_pendingWindowCopy && !m_windowCopy.copy(*m_pendingWindowCopy)) presentAlso(copyDestination(*m_pendingWindowCopy));
    m_present.present(m_presentRects, m_height);
    if (m_check) checkWindow();
}

void FrameRenderer::checkWindow() {
    // What the user sees: the window's pixels, read back from the X server, against the full redraw.
    const long long differing = windowPixelsDiffering(m_window, m_fullPixels, m_width, m_height);
    if (differing < 0) return;
    ++m_windowChecked;
    if (differing == 0) return;
    ++m_differing;
    std::fprintf(stderr, "pickupdesk: redraw check: frame %d: %lld window pixels differ from a full redraw\n",
                 m_checked, differing);
}

}  // namespace app::desktop
