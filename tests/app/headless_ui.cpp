#include "tests/app/headless_ui.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace apptest {
namespace {

// The same key indices as imgui_impl_glfw: the views compare against GLFW key codes.
void mapKeys(ImGuiIO& io) {
    io.KeyMap[ImGuiKey_Tab] = GLFW_KEY_TAB;
    io.KeyMap[ImGuiKey_LeftArrow] = GLFW_KEY_LEFT;
    io.KeyMap[ImGuiKey_RightArrow] = GLFW_KEY_RIGHT;
    io.KeyMap[ImGuiKey_UpArrow] = GLFW_KEY_UP;
    io.KeyMap[ImGuiKey_DownArrow] = GLFW_KEY_DOWN;
    io.KeyMap[ImGuiKey_PageUp] = GLFW_KEY_PAGE_UP;
    io.KeyMap[ImGuiKey_PageDown] = GLFW_KEY_PAGE_DOWN;
    io.KeyMap[ImGuiKey_Home] = GLFW_KEY_HOME;
    io.KeyMap[ImGuiKey_End] = GLFW_KEY_END;
    io.KeyMap[ImGuiKey_Insert] = GLFW_KEY_INSERT;
    io.KeyMap[ImGuiKey_Delete] = GLFW_KEY_DELETE;
    io.KeyMap[ImGuiKey_Backspace] = GLFW_KEY_BACKSPACE;
    io.KeyMap[ImGuiKey_Space] = GLFW_KEY_SPACE;
    io.KeyMap[ImGuiKey_Enter] = GLFW_KEY_ENTER;
    io.KeyMap[ImGuiKey_Escape] = GLFW_KEY_ESCAPE;
    io.KeyMap[ImGuiKey_KeyPadEnter] = GLFW_KEY_KP_ENTER;
    io.KeyMap[ImGuiKey_A] = GLFW_KEY_A;
    io.KeyMap[ImGuiKey_C] = GLFW_KEY_C;
    io.KeyMap[ImGuiKey_V] = GLFW_KEY_V;
    io.KeyMap[ImGuiKey_X] = GLFW_KEY_X;
    io.KeyMap[ImGuiKey_Y] = GLFW_KEY_Y;
    io.KeyMap[ImGuiKey_Z] = GLFW_KEY_Z;
}

std::string hex(ImGuiID id) {
    char text[16];
    std::snprintf(text, sizeof text, "%08X", id);
    return text;
}

}  // namespace

HeadlessUi::HeadlessUi(ImVec2 displaySize) {
    IMGUI_CHECKVERSION();
    m_context = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini next to the test
    io.LogFilename = nullptr;
    io.DisplaySize = displaySize;
    io.DeltaTime = 1.f / 60.f;
    mapKeys(io);
    // NewFrame needs a built font atlas with a texture ID; nothing ever samples it.
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(1)));
    ImGui::StyleColorsLight();
}

HeadlessUi::~HeadlessUi() { ImGui::DestroyContext(m_context); }

void HeadlessUi::frame(int count) {
    for (int i = 0; i < count; ++i) {
        if (m_between) m_between();
        ImGui::NewFrame();
        if (m_draw) m_draw();
        ImGui::Render();  // builds the draw lists; never rasterised
    }
}

ImGuiWindow* HeadlessUi::window(std::string_view name) const {
    ImGuiWindow* best = nullptr;
    for (ImGuiWindow* w : m_context->Windows) {
        if (!w->WasActive) continue;
        const std::string_view full = w->Name;
        bool match = full == name;
        if (!match) {
            // "parent/name_XXXXXXXX": BeginChild's naming of child windows.
            const auto slash = full.rfind('/');
            const std::string_view last = slash == std::string_view::npos ? full : full.substr(slash + 1);
            match = last.size() == name.size() + 9 && last.substr(0, name.size()) == name && last[name.size()] == '_';
        }
        if (match && (best == nullptr || w->LastFrameActive > best->LastFrameActive)) best = w;
    }
    return best;
}

ImGuiID HeadlessUi::scope(const ImGuiWindow* window) { return window->ID; }

ImGuiID HeadlessUi::tableScope(const ImGuiWindow* innerWindow) {
    const std::string_view full = innerWindow->Name;
    const auto underscore = full.rfind('_');
    if (underscore == std::string_view::npos) return 0;
    return static_cast<ImGuiID>(std::strtoul(std::string(full.substr(underscore + 1)).c_str(), nullptr, 16));
}

ImGuiID HeadlessUi::id(ImGuiID seed, std::initializer_list<std::string_view> path) {
    for (const auto part : path) seed = ImHashStr(part.data(), part.size(), seed);
    return seed;
}

ImGuiID HeadlessUi::id(ImGuiID seed, int pushedInt) { return ImHashData(&pushedInt, sizeof pushedInt, seed); }

std::optional<ImRect> HeadlessUi::locate(ImGuiWindow* window, ImGuiID item, ImGuiNavLayer layer) {
    // ImGui records the rectangle of the item holding the nav ID when that item is submitted
    // (and marks the ID alive for the frame). Point the nav state at the item for one frame.
    ImGuiContext& g = *m_context;
    g.NavWindow = window;
    g.NavId = item;
    g.NavLayer = layer;
    frame();
    if (g.NavId != item || !g.NavIdIsAlive || g.NavWindow == nullptr) return std::nullopt;
    ImGuiWindow* drawnIn = g.NavWindow;
    const ImRect rel = drawnIn->NavRectRel[layer];
    return ImRect(rel.Min.x + drawnIn->Pos.x, rel.Min.y + drawnIn->Pos.y, rel.Max.x + drawnIn->Pos.x,
                  rel.Max.y + drawnIn->Pos.y);
}

bool HeadlessUi::click(std::string_view windowName, ImGuiID item, bool ctrl, ImGuiNavLayer layer) {
    ImGuiWindow* w = window(windowName);
    if (w == nullptr) {
        m_error = "no window " + std::string(windowName) + " is drawn";
        return false;
    }
    const auto rect = locate(w, item, layer);
    if (!rect) {
        m_error = "item " + hex(item) + " is not drawn in " + w->Name;
        return false;
    }
    ImGuiIO& io = ImGui::GetIO();
    moveMouse(rect->GetCenter());
    io.KeyCtrl = ctrl;
    frame();
    if (m_context->HoveredId != item) {
        m_error = "item " + hex(item) + " in " + w->Name + " is not hovered at its centre (hovered: " +
                  hex(m_context->HoveredId) + "): covered or disabled";
        io.KeyCtrl = false;
        return false;
    }
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
    io.KeyCtrl = false;
    return true;
}

void HeadlessUi::moveMouse(ImVec2 pos) { ImGui::GetIO().MousePos = pos; }

void HeadlessUi::pressKey(int key, bool ctrl) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    frame();
    io.KeyCtrl = false;
}

void HeadlessUi::type(std::string_view utf8) {
    ImGui::GetIO().AddInputCharactersUTF8(std::string(utf8).c_str());
    frame();
}

}  // namespace apptest
