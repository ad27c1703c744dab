#include "app/desktop/in_use_notice.hpp"

#include "app/desktop/i18n.hpp"
#include "app/desktop/screenshot.hpp"
#include "app/desktop/window_input.hpp"
#include "core/config/instance_lock.hpp"

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <chrono>
#include <thread>

namespace app::desktop {
namespace {

constexpr int kScreenshotFrames = 10;

std::string noticeText(const std::string& dbPath) {
    using core::config::InstanceLock;
    const auto holder = InstanceLock::readHolder(InstanceLock::lockPathFor(dbPath));
    const std::string where = core::config::lockedPlace(dbPath);
    if (holder.pid <= 0) return trf("lock.in_use_unknown", {where});
    return trf("lock.in_use", {where, holder.program, std::to_string(holder.pid)});
}

void drawNotice(const std::string& text, bool& close) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("##in_use", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    ImGui::Spacing();
    ImGui::TextUnformatted(tr("lock.title"));
    ImGui::Separator();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36.f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr("lock.hint"));
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    if (ImGui::Button(tr("common.close"))) close = true;
    ImGui::End();
}

}  // namespace

int runInUseNotice(GLFWwindow* window, const std::string& dbPath, const std::string& screenshot) {
    const std::string text = noticeText(dbPath);
    bool close = false;
    int frame = 0;
    int exitCode = kExitInUse;
    while (glfwWindowShouldClose(window) == GLFW_FALSE && !close) {
        if (screenshot.empty()) {
            glfwWaitEventsTimeout(1.0);
        } else {
            glfwPollEvents();
            std::this_thread::sleep_for(std::chrono::milliseconds(16));
        }
        ImGui_ImplOpenGL3_NewFrame();
        window_input::newFrame();
        ImGui::NewFrame();
        drawNotice(text, close);
        ImGui::Render();
        const auto [width, height] = window_input::framebufferSize();
        glViewport(0, 0, width, height);
        glClearColor(0.94f, 0.94f, 0.94f, 1.f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (!screenshot.empty() && ++frame >= kScreenshotFrames) {
            if (!saveScreenshot(screenshot, width, height)) exitCode = 1;
            close = true;
        }
        glfwSwapBuffers(window);
    }
    return exitCode;
}

}  // namespace app::desktop
