#include "app/desktop/window_setup.hpp"

#include "app/desktop/views.hpp"
#include "app/desktop/window_input.hpp"

#define GLFW_INCLUDE_NONE
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define PD_LEAK_CHECK 1
#else
#define PD_LEAK_CHECK 0
#endif

#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdint>
#include <cstdio>

namespace app::desktop {
namespace {

float windowScale(GLFWwindow* window) {
    float xscale = 1.f;
    float yscale = 1.f;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    return xscale > 0.f ? xscale : 1.f;
}

// After each upload of the font atlas: text is drawn on whole pixels (FontManager::build), where
// nearest sampling gives the same picture as ImGui's bilinear default and is ~25 % cheaper per pixel
// under a software renderer (llvmpipe, docs/BENCHMARKS.md).
void sampleFontTextureNearest() {
    const auto texture = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(ImGui::GetIO().Fonts->TexID));
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
}

}  // namespace

float monitorScale() {
    float xscale = 1.f;
    float yscale = 1.f;
    if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) glfwGetMonitorContentScale(monitor, &xscale, &yscale);
    return xscale > 0.f ? xscale : 1.f;
}

GLFWwindow* createWindow(const Settings& settings) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    // ImGui draws without depth or stencil. Without those buffers llvmpipe also draws each quad as
    // one rectangle instead of two triangles (its rectangle path needs no depth buffer): a scrolled
    // codes table costs ~0.5 ms less per frame.
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWwindow* window = glfwCreateWindow(settings.windowWidth, settings.windowHeight, "Pickup Desk", nullptr, nullptr);
    if (window == nullptr) {
        std::fprintf(stderr, "pickupdesk: cannot create an OpenGL 3.3 window. Update the graphics driver.\n");
        return nullptr;
    }
    glfwSetWindowPos(window, 0, 0);
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    return window;
}

void initImGui(GLFWwindow* window, FontManager& fonts, const std::string& iniPath, bool haveCjkFont) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext(fonts.atlas());
    ImGui::GetIO().IniFilename = iniPath.c_str();  // the caller keeps iniPath for ImGui's lifetime
    ImGui::StyleColorsLight();
    // The atlas was sized for the monitor's scale; corrected in the rare case the window's differs.
    const float scale = windowScale(window);
    ImGui::GetStyle().ScaleAllSizes(scale);
    fonts.resize(kBaseFontPx * scale);
    if (!haveCjkFont) {
        std::fprintf(stderr,
                     "pickupdesk: no CJK font found; Chinese text will not render. Install fonts-wqy-microhei.\n");
    }
    setGlyphSink(&fonts);
}

void initImGuiBackends(GLFWwindow* window) {
    window_input::install(window);  // first: ImGui's backend calls on to its callbacks
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    ImGui_ImplOpenGL3_CreateDeviceObjects();  // else the first NewFrame would, with bilinear fonts
    sampleFontTextureNearest();
}

void reuploadFontTexture() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    sampleFontTextureNearest();
}

void shutdownWindow(GLFWwindow* window) {
    setGlyphSink(nullptr);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    window_input::uninstall();
    ImGui::DestroyContext();
#if PD_LEAK_CHECK
    // ASan builds: look for leaks now, while the OpenGL driver is loaded. After glfwTerminate Mesa
    // unloads llvmpipe, and what it leaves behind comes from an unnamed module that no suppression
    // (tests/sanitizers/lsan.supp) can name. This replaces the check at exit.
    __lsan_do_leak_check();
#endif
    glfwDestroyWindow(window);
    glfwTerminate();
}

}  // namespace app::desktop
