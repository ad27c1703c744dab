#pragma once
// A Dear ImGui context with no platform and no renderer backend, for driving the app's real views
// in tests. Frames are built (NewFrame .. Render) but never rasterised; input is synthetic (mouse
// position and buttons, keys, typed text), fed the way a platform backend feeds it (ImGui 1.86 IO).
//
// Items are named by their ImGui ID, hashed exactly as ImGui does: the window's ID scope, then the
// PushID strings/ints, then the label. The item is then located through ImGui's own navigation
// state: with the nav ID set to the item, the next frame records its rectangle in the window
// (ImGuiWindow::NavRectRel). A click moves the mouse there, checks ImGui reports the item as
// hovered, then presses and releases over separate frames, as a user would.
#include <imgui.h>
#include <imgui_internal.h>

#include <chrono>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace apptest {

class HeadlessUi {
public:
    explicit HeadlessUi(ImVec2 displaySize = ImVec2(1280.f, 800.f));
    ~HeadlessUi();
    HeadlessUi(const HeadlessUi&) = delete;
    HeadlessUi& operator=(const HeadlessUi&) = delete;

    // The frame's content (between NewFrame and Render), and work between frames (pumping results).
    void setDraw(std::function<void()> draw) { m_draw = std::move(draw); }
    void setBetweenFrames(std::function<void()> work) { m_between = std::move(work); }

    void frame(int count = 1);
    // Frames (about every 5 ms) until done() holds or the time is up.
    template <typename Pred>
    bool runUntil(Pred done, int timeoutMs = 15000) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < deadline) {
            frame();
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        frame();
        return done();
    }

    // --- Finding items ---
    // A window by its exact name ("##generate"), else the child window whose last path part is
    // `name` ("##machine_list" for "##shell/##machines_panel_1A2B3C4D/##machine_list_5E6F7A8B");
    // among several, the one drawn most recently. Null when none is alive.
    ImGuiWindow* window(std::string_view name) const;
    // The ID scope of items drawn directly in a window.
    static ImGuiID scope(const ImGuiWindow* window);
    // The ID scope of items in a scrolling table: the table's inner child window is named
    // "parent/name_XXXXXXXX" with the table's instance ID, which the table pushes for its cells.
    static ImGuiID tableScope(const ImGuiWindow* innerWindow);
    // ImGui's ID for PushID(part)... then the last part as a label, from a scope.
    static ImGuiID id(ImGuiID seed, std::initializer_list<std::string_view> path);
    static ImGuiID id(ImGuiID seed, int pushedInt);  // PushID(int)

    // The item's rectangle on screen (one frame); nullopt when the item is not drawn there.
    std::optional<ImRect> locate(ImGuiWindow* window, ImGuiID item, ImGuiNavLayer layer = ImGuiNavLayer_Main);

    // --- Input ---
    // Locates the item, hovers it (checked), presses and releases the left button. False (see
    // lastError()) when the item cannot be found, is not hovered (covered, disabled) or the window is gone.
    bool click(std::string_view windowName, ImGuiID item, bool ctrl = false, ImGuiNavLayer layer = ImGuiNavLayer_Main);
    void moveMouse(ImVec2 pos);
    // A key press and release (ImGui 1.86 key index: the app's views use GLFW key codes), with Ctrl held.
    void pressKey(int key, bool ctrl = false);
    void type(std::string_view utf8);  // characters, as typed, over one frame
    const std::string& lastError() const { return m_error; }

private:
    ImGuiContext* m_context = nullptr;
    std::function<void()> m_draw;
    std::function<void()> m_between;
    std::string m_error;
};

}  // namespace apptest
