#pragma once
// The main window's setup and teardown around the loop (main_window.cpp): GLFW window and OpenGL
// context, ImGui with its GLFW and OpenGL 3 backends, the font texture.
#include "app/desktop/fonts.hpp"
#include "app/desktop/settings.hpp"

#include <string>

struct GLFWwindow;

namespace app::desktop {

inline constexpr float kBaseFontPx = 16.f;

// The primary monitor's content scale (1 when unknown): the font size before the window exists.
float monitorScale();

// The main window with a current OpenGL 3.3 core context; nullptr (after saying why) if none.
GLFWwindow* createWindow(const Settings& settings);

// The ImGui context on fonts' atlas, scaled to the window, with the light style and iniPath for its
// layout (the caller keeps iniPath for the context's lifetime).
void initImGui(GLFWwindow* window, FontManager& fonts, const std::string& iniPath, bool haveCjkFont);

// ImGui's GLFW + OpenGL 3 backends; the font texture uploaded and sampled nearest.
void initImGuiBackends(GLFWwindow* window);

// After a font rebuild (new glyphs): the texture uploaded again.
void reuploadFontTexture();

// ImGui, its backends, the window and GLFW, in that order.
void shutdownWindow(GLFWwindow* window);

}  // namespace app::desktop
