#pragma once

struct GLFWwindow;

namespace app::desktop {

// ImGui's per-frame platform update, from what GLFW's events said rather than from questions to the
// window system. ImGui 1.86's GLFW backend asks for the window size twice, the focus and the pointer
// in every frame: on X11 four round trips to the server, 0.3 ms of a scrolled frame at the median and
// up to 1 ms in its slowest 1 % under Xvfb (docs/BENCHMARKS.md). GLFW reports each as an event; this
// keeps them. Keys, text, the wheel, focus for ImGui and the clipboard stay with ImGui's backend.
// One window per process, as the app has.
namespace window_input {

// Before ImGui_ImplGlfw_InitForOpenGL, which calls on to the callbacks installed here.
void install(GLFWwindow* window);
void uninstall();  // after ImGui_ImplGlfw_Shutdown

// In place of ImGui_ImplGlfw_NewFrame: display size and scale, time step, pointer and buttons,
// cursor shape.
void newFrame();

struct FramebufferSize {
    int width = 0;
    int height = 0;
};
FramebufferSize framebufferSize();  // as of the last event, in pixels

}  // namespace window_input
}  // namespace app::desktop
