#include "app/desktop/window_input.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cstring>

namespace app::desktop::window_input {
namespace {

struct State {
    GLFWwindow* window = nullptr;
    int width = 0;  // window size, in screen coordinates
    int height = 0;
    FramebufferSize framebuffer;
    bool inside = false;  // the pointer is over the window
    double x = 0;         // the pointer, in window coordinates
    double y = 0;
    std::array<bool, ImGuiMouseButton_COUNT> justPressed{};  // pressed since the last frame: a click shorter than a frame counts
    double time = 0;
    ImGuiMouseCursor shownCursor = ImGuiMouseCursor_COUNT;  // none set yet
    std::array<GLFWcursor*, ImGuiMouseCursor_COUNT> cursors{};
};

State g;

void onWindowSize(GLFWwindow*, int width, int height) {
    g.width = width;
    g.height = height;
}

void onFramebufferSize(GLFWwindow*, int width, int height) { g.framebuffer = {width, height}; }

void onCursorPos(GLFWwindow*, double x, double y) {
    g.x = x;
    g.y = y;
}

void onCursorEnter(GLFWwindow*, int entered) { g.inside = entered == GLFW_TRUE; }

void onMouseButton(GLFWwindow*, int button, int action, int) {
    if (action == GLFW_PRESS && button >= 0 && button < ImGuiMouseButton_COUNT) g.justPressed[static_cast<size_t>(button)] = true;
}

void createCursors() {
    // GLFW 3.3 has no resize-all, diagonal or not-allowed cursors: those show the arrow, as with ImGui's backend.
    g.cursors[ImGuiMouseCursor_Arrow] = glfwCreateStandardCursor(GLFW_ARROW_CURSOR);
    g.cursors[ImGuiMouseCursor_TextInput] = glfwCreateStandardCursor(GLFW_IBEAM_CURSOR);
    g.cursors[ImGuiMouseCursor_ResizeNS] = glfwCreateStandardCursor(GLFW_VRESIZE_CURSOR);
    g.cursors[ImGuiMouseCursor_ResizeEW] = glfwCreateStandardCursor(GLFW_HRESIZE_CURSOR);
    g.cursors[ImGuiMouseCursor_Hand] = glfwCreateStandardCursor(GLFW_HAND_CURSOR);
}

void updateMouse(ImGuiIO& io) {
    bool anyDown = false;
    for (int i = 0; i < ImGuiMouseButton_COUNT; ++i) {
        const bool down = glfwGetMouseButton(g.window, i) == GLFW_PRESS;  // GLFW's own copy: no round trip
        io.MouseDown[i] = down || g.justPressed[static_cast<size_t>(i)];
        anyDown = anyDown || down;
    }
    g.justPressed.fill(false);
    if (io.WantSetMousePos && glfwGetWindowAttrib(g.window, GLFW_FOCUSED) == GLFW_TRUE) {
        glfwSetCursorPos(g.window, static_cast<double>(io.MousePos.x), static_cast<double>(io.MousePos.y));
    }
    // A held button keeps reporting the pointer outside the window (a drag); otherwise outside is nowhere.
    io.MousePos = g.inside || anyDown ? ImVec2(static_cast<float>(g.x), static_cast<float>(g.y)) : ImVec2(-FLT_MAX, -FLT_MAX);
}

void updateCursorShape(const ImGuiIO& io) {
    if ((io.ConfigFlags & ImGuiConfigFlags_NoMouseCursorChange) != 0 ||
        glfwGetInputMode(g.window, GLFW_CURSOR) == GLFW_CURSOR_DISABLED) {
        return;
    }
    const ImGuiMouseCursor wanted = io.MouseDrawCursor ? ImGuiMouseCursor_None : ImGui::GetMouseCursor();
    if (wanted == g.shownCursor) return;  // setting it again would be a request to the server every frame
    g.shownCursor = wanted;
    if (wanted == ImGuiMouseCursor_None) {
        glfwSetInputMode(g.window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
        return;
    }
    GLFWcursor* cursor = g.cursors[static_cast<size_t>(wanted)];
    glfwSetCursor(g.window, cursor != nullptr ? cursor : g.cursors[ImGuiMouseCursor_Arrow]);
    glfwSetInputMode(g.window, GLFW_CURSOR, GLFW_CURSOR_NORMAL);
}

}  // namespace

void install(GLFWwindow* window) {
    g = State{};
    g.window = window;
    // Where things stand now, asked once; events keep it current from here.
    glfwGetWindowSize(window, &g.width, &g.height);
    glfwGetFramebufferSize(window, &g.framebuffer.width, &g.framebuffer.height);
    g.inside = glfwGetWindowAttrib(window, GLFW_HOVERED) == GLFW_TRUE;
    glfwGetCursorPos(window, &g.x, &g.y);
    glfwSetWindowSizeCallback(window, onWindowSize);
    glfwSetFramebufferSizeCallback(window, onFramebufferSize);
    glfwSetCursorPosCallback(window, onCursorPos);
    glfwSetCursorEnterCallback(window, onCursorEnter);
    glfwSetMouseButtonCallback(window, onMouseButton);
    createCursors();
}

void uninstall() {
    if (g.window == nullptr) return;
    glfwSetWindowSizeCallback(g.window, nullptr);
    glfwSetFramebufferSizeCallback(g.window, nullptr);
    glfwSetCursorPosCallback(g.window, nullptr);
    glfwSetCursorEnterCallback(g.window, nullptr);
    glfwSetMouseButtonCallback(g.window, nullptr);
    for (GLFWcursor* cursor : g.cursors) {
        if (cursor != nullptr) glfwDestroyCursor(cursor);
    }
    g = State{};
}

void newFrame() {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(g.width), static_cast<float>(g.height));
    if (g.width > 0 && g.height > 0) {
        io.DisplayFramebufferScale = ImVec2(static_cast<float>(g.framebuffer.width) / static_cast<float>(g.width),
                                            static_cast<float>(g.framebuffer.height) / static_cast<float>(g.height));
    }
    const double now = glfwGetTime();
    io.DeltaTime = g.time > 0 ? std::max(static_cast<float>(now - g.time), 1e-6f) : 1.f / 60.f;
    g.time = now;
    updateMouse(io);
    updateCursorShape(io);
    std::memset(io.NavInputs, 0, sizeof io.NavInputs);  // no gamepad navigation; ImGui adds the keyboard's
}

FramebufferSize framebufferSize() { return g.framebuffer; }

}  // namespace app::desktop::window_input
